package admin

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/internal/directory"
	"signpost/internal/phone"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// Concurrent edits. An edit form carries the version the person started from. When someone
// else saved in between, the save is a three-way merge: base is the revision at the form's
// version, theirs is the entry as stored now, yours is the form. Per field (each channel's
// fields, each ticked box of a checkbox group), a side that left the field as it was takes
// the other side's value; only a field both changed, to different values, is a conflict.
// Values are compared normalised (line endings, trailing spaces, box order, empty or
// missing, phone numbers in any usual form), so nothing that reads the same is a difference.

// mergeField is one field of a form as the merge sees it: how to compare it and name it.
type mergeField struct {
	name, label, typ, deflt string
}

// mergeFieldsOf lists the fields of f that a save reads back: not readonly, not only set
// when the entry is made.
func mergeFieldsOf[T any](f form[T]) []mergeField {
	var out []mergeField
	seen := map[string]bool{}
	for _, fd := range f.fields {
		if fd.typ == "readonly" || fd.onlyNew || seen[fd.name] {
			continue
		}
		seen[fd.name] = true
		label := fd.short
		if label == "" {
			label = fd.label
		}
		out = append(out, mergeField{name: fd.name, label: label, typ: fd.typ, deflt: fd.deflt})
	}
	return out
}

// decodeWith reads a revision's snapshot of a T as form values.
func decodeWith[T any](f form[T]) func(data []byte) (*entryData, error) {
	return func(data []byte) (*entryData, error) {
		var x T
		if err := json.Unmarshal(data, &x); err != nil {
			return nil, err
		}
		d := blankEntry()
		f.values(&x, d)
		return d, nil
	}
}

// channelFields are a channel row's fields; channelType is its kind (a select whose
// default, a call, is what an empty choice means).
var (
	channelFields = mergeFieldsOf(channelForm)
	channelType   = channelFields[slices.IndexFunc(channelFields, func(f mergeField) bool { return f.name == "type" })]
)

// revisionValues is a revision's snapshot of an entry of spec s as form values.
func (s *entrySpec) revisionValues(data []byte) (*entryData, error) {
	if s.kind != "" {
		var l directory.Listing
		if err := json.Unmarshal(data, &l); err != nil {
			return nil, err
		}
		return listingValues(&l), nil
	}
	if s.decode == nil {
		return nil, directory.Errorf(directory.EINTERNAL, "no decoder for %s", s.table)
	}
	return s.decode(data)
}

// normValue is v as the merge compares it.
func normValue(f mergeField, v string) string {
	if f.typ == "checkbox" {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "on", "true", "yes":
			return "1"
		}
		return ""
	}
	v = normText(v)
	if v == "" {
		v = f.deflt
	}
	switch {
	case f.typ == "number":
		if n, err := strconv.Atoi(v); err == nil {
			v = strconv.Itoa(n)
		}
	case f.name == "number" || f.name == "emergency_number":
		if n, err := phone.Parse(v, phone.DefaultRegion); err == nil {
			v = n
		}
	}
	return v
}

// normText is text with CRLF (as browsers send it) and CR made LF, each line's trailing
// spaces removed, and no surrounding space.
func normText(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	v = strings.ReplaceAll(v, "\r", "\n")
	if strings.Contains(v, "\n") {
		lines := strings.Split(v, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " \t")
		}
		v = strings.Join(lines, "\n")
	}
	return strings.TrimSpace(v)
}

// normSet is a checkbox group's ticked values as a sorted set.
func normSet(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fieldConflict is one field both people changed, differently.
type fieldConflict struct {
	key    string // the form's name for it: "body", "channels.2.number", "channels.2" (a whole way)
	label  string
	theirs string
	yours  string
}

// mergeResult is what a three-way merge gives: the form to save, and what it cannot decide.
type mergeResult struct {
	merged    *entryData
	conflicts []fieldConflict
}

// merge combines yours (the form) with theirs (stored now), from base (the version the form
// started from; nil when it is not known, and then every difference is a conflict).
// The merged form holds, for each conflict, your value; its channel rows are theirs, in
// their order (a way you removed is an empty row), then the ways only you have.
func (s *entrySpec) merge(base, theirs, yours *entryData) mergeResult {
	m := &entryData{ID: yours.ID, Version: theirs.Version, Values: map[string]string{}, Multi: map[string][]string{},
		Status: theirs.Status, Trashed: theirs.Trashed, Verified: theirs.Verified, Pin: theirs.Pin, Name: theirs.Name, Public: theirs.Public}
	for k, v := range yours.Values { // the form's own controls (correction…) stay as posted
		m.Values[k] = v
	}
	for k, vs := range yours.Multi {
		m.Multi[k] = slices.Clone(vs)
	}
	var out []fieldConflict
	for _, f := range s.fields {
		if f.typ == "checkboxes" {
			vs, c := mergeSet(f, base, theirs, yours)
			m.Multi[f.name] = vs
			m.Values[f.name] = ""
			if len(vs) > 0 {
				m.Values[f.name] = vs[0]
			}
			if c != nil {
				out = append(out, *c)
			}
			continue
		}
		var b *string
		if base != nil {
			bv := base.Values[f.name]
			b = &bv
		}
		v, conflict := merge3(f, b, theirs.Values[f.name], yours.Values[f.name])
		m.Values[f.name] = v
		if conflict {
			out = append(out, fieldConflict{key: f.name, label: f.label,
				theirs: showValue(f, theirs.Values[f.name]), yours: showValue(f, yours.Values[f.name])})
		}
	}
	if s.kind != "" {
		var bc []map[string]string
		if base != nil {
			bc = base.Channels
		}
		rows, cs := mergeChannels(bc, base != nil, theirs.Channels, yours.Channels)
		m.Channels = rows
		out = append(out, cs...)
	}
	return mergeResult{merged: m, conflicts: out}
}

// merge3 merges one value: b is the base's (nil when unknown). It returns the value to keep
// and whether both sides changed it differently (then the value is yours).
func merge3(f mergeField, b *string, theirs, yours string) (string, bool) {
	t, y := normValue(f, theirs), normValue(f, yours)
	switch {
	case t == y: // the same (perhaps but for line endings): what is stored stays as it is
		return theirs, false
	case b != nil && y == normValue(f, *b):
		return theirs, false
	case b != nil && t == normValue(f, *b):
		return yours, false
	}
	return yours, true
}

// mergeSet merges a checkbox group box by box: a box one side left as it was takes the
// other side's tick, so two sets of changes never conflict. Without a base, different
// sets are a conflict (and yours is kept).
func mergeSet(f mergeField, base, theirs, yours *entryData) ([]string, *fieldConflict) {
	t, y := normSet(theirs.Multi[f.name]), normSet(yours.Multi[f.name])
	if slices.Equal(t, y) {
		return y, nil
	}
	if base == nil {
		return y, &fieldConflict{key: f.name, label: f.label, theirs: strings.Join(t, ", "), yours: strings.Join(y, ", ")}
	}
	b := normSet(base.Multi[f.name])
	var out []string
	for _, v := range t { // theirs, in order, less what you unticked
		if slices.Contains(b, v) && !slices.Contains(y, v) {
			continue
		}
		out = append(out, v)
	}
	for _, v := range y { // and what you ticked
		if !slices.Contains(b, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// showValue is a value as the conflict table shows it.
func showValue(f mergeField, v string) string {
	if f.typ == "checkbox" {
		if normValue(f, v) == "1" {
			return "yes"
		}
		return "no"
	}
	if v = normText(v); v == "" {
		return "(empty)"
	}
	return v
}

// --- channels ---

// rowsEqual reports whether two channel rows say the same.
func rowsEqual(a, b map[string]string) bool {
	for _, f := range channelFields {
		if normValue(f, a[f.name]) != normValue(f, b[f.name]) {
			return false
		}
	}
	return true
}

// rowLikeness counts the filled-in fields (other than the kind) two rows share.
func rowLikeness(a, b map[string]string) int {
	n := 0
	for _, f := range channelFields {
		if f.name == "type" || f.typ == "checkbox" {
			continue
		}
		if v := normValue(f, a[f.name]); v != "" && v == normValue(f, b[f.name]) {
			n++
		}
	}
	return n
}

// matchChannels pairs each base channel with the stored channel it became (-1: removed).
// Stored channels keep their place but not their id across saves, so they are matched by
// content: unchanged ones first (in order), then, between those, each changed one with
// the base channel it most resembles.
func matchChannels(base, theirs []map[string]string) []int {
	n, k := len(base), len(theirs)
	// Longest common subsequence of unchanged channels.
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, k+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := k - 1; j >= 0; j-- {
			if rowsEqual(base[i], theirs[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	match := make([]int, n)
	for i := range match {
		match[i] = -1
	}
	type anchor struct{ i, j int }
	var anchors []anchor
	for i, j := 0, 0; i < n && j < k; {
		switch {
		case rowsEqual(base[i], theirs[j]) && lcs[i][j] == lcs[i+1][j+1]+1:
			match[i] = j
			anchors = append(anchors, anchor{i, j})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	// The changed ones, gap by gap between unchanged ones.
	anchors = append(anchors, anchor{n, k})
	pi, pj := 0, 0
	for _, a := range anchors {
		var bs, ts []int
		for i := pi; i < a.i; i++ {
			bs = append(bs, i)
		}
		for j := pj; j < a.j; j++ {
			ts = append(ts, j)
		}
		used := map[int]bool{}
		for {
			best, bi, bj := 0, -1, -1
			for _, i := range bs {
				if match[i] >= 0 {
					continue
				}
				for _, j := range ts {
					if !used[j] {
						if l := rowLikeness(base[i], theirs[j]); l > best {
							best, bi, bj = l, i, j
						}
					}
				}
			}
			if bi < 0 {
				break
			}
			match[bi], used[bj] = bj, true
		}
		// One left on each side, of the same kind: the same way, wholly rewritten.
		var lb, lt []int
		for _, i := range bs {
			if match[i] < 0 {
				lb = append(lb, i)
			}
		}
		for _, j := range ts {
			if !used[j] {
				lt = append(lt, j)
			}
		}
		if len(lb) == 1 && len(lt) == 1 && normValue(channelType, base[lb[0]]["type"]) == normValue(channelType, theirs[lt[0]]["type"]) {
			match[lb[0]] = lt[0]
		}
		pi, pj = a.i+1, a.j+1
	}
	return match
}

// mergeChannels merges the ways to reach a listing. yours are the form's rows: row i < len(base)
// is base channel i as the person left it (empty: removed), later rows are additions.
func mergeChannels(base []map[string]string, hasBase bool, theirs, yours []map[string]string) ([]map[string]string, []fieldConflict) {
	if !hasBase {
		return mergeChannelsBlind(theirs, yours)
	}
	var out []fieldConflict
	rows := make([]map[string]string, len(theirs))
	fromBase := make([]bool, len(theirs))
	match := matchChannels(base, theirs)
	yourRow := func(i int) map[string]string {
		if i < len(yours) && yours[i] != nil && !channelRowEmpty(yours[i]) {
			return yours[i]
		}
		return nil
	}
	var extra []map[string]string
	for i, j := range match {
		y := yourRow(i)
		if j < 0 { // they removed it
			if y != nil && !rowsEqual(y, base[i]) {
				out = append(out, fieldConflict{key: "channels." + strconv.Itoa(len(theirs)+len(extra)),
					label: wayLabel(len(theirs) + len(extra)), theirs: "(removed)", yours: rowSummary(y)})
				extra = append(extra, cloneRow(y))
			}
			continue
		}
		fromBase[j] = true
		t := theirs[j]
		if y == nil { // you removed it
			rows[j] = map[string]string{}
			if !rowsEqual(t, base[i]) {
				out = append(out, fieldConflict{key: "channels." + strconv.Itoa(j), label: wayLabel(j),
					theirs: rowSummary(t), yours: "(removed)"})
			}
			continue
		}
		row := map[string]string{}
		for _, f := range channelFields {
			b := base[i][f.name]
			v, conflict := merge3(f, &b, t[f.name], y[f.name])
			row[f.name] = v
			if conflict {
				out = append(out, fieldConflict{key: "channels." + strconv.Itoa(j) + "." + f.name,
					label: wayLabel(j) + ", " + strings.ToLower(f.label), theirs: showValue(f, t[f.name]), yours: showValue(f, y[f.name])})
			}
		}
		rows[j] = row
	}
	for j, t := range theirs {
		if !fromBase[j] { // they added it
			rows[j] = cloneRow(t)
		}
	}
	for i := len(base); i < len(yours); i++ { // you added it (unless they added the same)
		y := yourRow(i)
		if y == nil {
			continue
		}
		dup := false
		for j, t := range theirs {
			if !fromBase[j] && rowsEqual(t, y) {
				dup = true
			}
		}
		if !dup {
			extra = append(extra, cloneRow(y))
		}
	}
	return append(rows, extra...), out
}

// mergeChannelsBlind compares the ways without a base: the same list is no conflict; a way
// that differs is one, and yours is kept.
func mergeChannelsBlind(theirs, yours []map[string]string) ([]map[string]string, []fieldConflict) {
	var ys []map[string]string
	for _, y := range yours {
		if y != nil && !channelRowEmpty(y) {
			ys = append(ys, cloneRow(y))
		}
	}
	var out []fieldConflict
	for i := range max(len(theirs), len(ys)) {
		var t, y map[string]string
		if i < len(theirs) {
			t = theirs[i]
		}
		if i < len(ys) {
			y = ys[i]
		}
		switch {
		case t != nil && y != nil && rowsEqual(t, y):
		case t == nil:
			out = append(out, fieldConflict{key: "channels." + strconv.Itoa(i), label: wayLabel(i), theirs: "(none)", yours: rowSummary(y)})
		case y == nil:
			ys = append(ys, map[string]string{})
			out = append(out, fieldConflict{key: "channels." + strconv.Itoa(i), label: wayLabel(i), theirs: rowSummary(t), yours: "(removed)"})
		default:
			out = append(out, fieldConflict{key: "channels." + strconv.Itoa(i), label: wayLabel(i), theirs: rowSummary(t), yours: rowSummary(y)})
		}
	}
	return ys, out
}

func wayLabel(row int) string { return "Way " + strconv.Itoa(row+1) }

func cloneRow(r map[string]string) map[string]string {
	out := make(map[string]string, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// channelKinds names each kind of channel as the form does.
var channelKinds = func() map[string]string {
	m := map[string]string{}
	for _, f := range channelForm.fields {
		if f.name == "type" && f.options != nil {
			opts, _ := f.options(context.Background(), nil)
			for _, o := range opts {
				m[o.Value] = o.Label
			}
		}
	}
	return m
}()

// rowSummary is a channel row in a few words: "Call: 907-555-0100, Tips from the public".
func rowSummary(r map[string]string) string {
	var parts []string
	for _, f := range channelFields {
		if f.name == "type" || f.typ == "checkbox" {
			continue
		}
		if v := normText(r[f.name]); v != "" {
			parts = append(parts, v)
		}
	}
	kind := channelKinds[normValue(channelType, r["type"])]
	return kind + ": " + strings.Join(parts, ", ")
}

// --- the save path ---

// keepPrefix names a conflict's choice in the form: "_keep.body" = "theirs" or "mine".
const keepPrefix = "_keep."

// hasChoices reports whether the form carries conflict choices.
func hasChoices(form url.Values) bool {
	for k := range form {
		if strings.HasPrefix(k, keepPrefix) {
			return true
		}
	}
	return false
}

// applyChoices puts into d, for each conflict where the person chose theirs, the value of
// base: the version the form now starts from, which is theirs. A choice for a field the
// form does not have is ignored.
func (s *entrySpec) applyChoices(d, base *entryData, form url.Values) {
	if base == nil {
		return
	}
	for k, vs := range form {
		key, ok := strings.CutPrefix(k, keepPrefix)
		if !ok || len(vs) == 0 || vs[0] != "theirs" {
			continue
		}
		if i, f, ok := channelKey(key); ok && s.kind != "" {
			if !slices.ContainsFunc(channelFields, func(cf mergeField) bool { return cf.name == f }) {
				continue
			}
			growRows(d, i)
			v := ""
			if i < len(base.Channels) {
				v = base.Channels[i][f]
			}
			d.Channels[i][f] = v
			continue
		}
		if row, ok := strings.CutPrefix(key, "channels."); ok && s.kind != "" {
			i, err := strconv.Atoi(row)
			if err != nil || i < 0 || i >= maxChannels {
				continue
			}
			growRows(d, i)
			d.Channels[i] = map[string]string{}
			if i < len(base.Channels) {
				d.Channels[i] = cloneRow(base.Channels[i])
			}
			continue
		}
		for _, f := range s.fields {
			if f.name == key {
				d.Values[key] = base.Values[key]
				if f.typ == "checkboxes" {
					d.Multi[key] = slices.Clone(base.Multi[key])
				}
			}
		}
	}
}

func growRows(d *entryData, i int) {
	for len(d.Channels) <= i {
		d.Channels = append(d.Channels, map[string]string{})
	}
	if d.Channels[i] == nil {
		d.Channels[i] = map[string]string{}
	}
}

// sameEntry reports whether two forms of an entry of spec s say the same, field by field
// and way by way, as the merge compares them.
func (s *entrySpec) sameEntry(a, b *entryData) bool {
	for _, f := range s.fields {
		if f.typ == "checkboxes" {
			if !slices.Equal(normSet(a.Multi[f.name]), normSet(b.Multi[f.name])) {
				return false
			}
		} else if normValue(f, a.Values[f.name]) != normValue(f, b.Values[f.name]) {
			return false
		}
	}
	if s.kind == "" {
		return true
	}
	var ra, rb []map[string]string
	for _, r := range a.Channels {
		if r != nil && !channelRowEmpty(r) {
			ra = append(ra, r)
		}
	}
	for _, r := range b.Channels {
		if r != nil && !channelRowEmpty(r) {
			rb = append(rb, r)
		}
	}
	return slices.EqualFunc(ra, rb, rowsEqual)
}

// savedSince is who saved an entry after a version, and when the last of them did.
type savedSince struct {
	by []string
	at time.Time
}

// names is who saved, in words: "ada@example.org", "ada@example.org and bo@example.org".
func (w savedSince) names() string {
	switch len(w.by) {
	case 0:
		return "Someone else"
	case 1:
		return w.by[0]
	}
	return strings.Join(w.by[:len(w.by)-1], ", ") + " and " + w.by[len(w.by)-1]
}

// when is the time of the last save, as staff read it: "1 Dec 2026 at 10:42 UTC".
func (w savedSince) when() string {
	if w.at.IsZero() {
		return "a moment ago"
	}
	return w.at.UTC().Format("2 Jan 2006 at 15:04 UTC")
}

// mergeBase finds, in the entry's English revisions, the form's starting point (the revision
// at version; nil when there is none) and who saved after it.
func (h *Handler) mergeBase(ctx context.Context, s *entrySpec, id int64, version int) (*entryData, savedSince, error) {
	var who savedSince
	revs, err := h.st.ListRevisions(ctx, s.table, id, store.DefaultLang)
	if err != nil {
		return nil, who, err
	}
	var base *entryData
	for _, rev := range revs { // newest first
		if rev.Version > version {
			by := rev.UserEmail
			if by == "" {
				by = "someone"
			}
			if !slices.Contains(who.by, by) {
				who.by = append([]string{by}, who.by...)
			}
			if who.at.IsZero() {
				who.at, _ = time.Parse(time.RFC3339, rev.CreatedAt)
			}
			continue
		}
		if rev.Version == version && base == nil {
			if base, err = s.revisionValues(rev.Data); err != nil {
				base = nil // an unreadable snapshot: compare without a base
			}
		}
	}
	return base, who, nil
}

// conflictView is the conflict table's view model. A choice from a list (the organization
// that runs a listing, the line that fits) shows as the list names it, not by its code.
func (s *entrySpec) conflictView(ctx context.Context, id int64, cs []fieldConflict, who savedSince) *view.Conflict {
	names := map[string]map[string]string{}
	if fields, err := s.form(ctx, &entryData{ID: id, Values: map[string]string{}, Multi: map[string][]string{}}, nil, false); err == nil {
		for _, f := range fields {
			for _, o := range f.Options {
				if names[f.Name] == nil {
					names[f.Name] = map[string]string{}
				}
				names[f.Name][o.Value] = o.Label
			}
		}
	}
	show := func(key, v string) string {
		if n := names[key][v]; n != "" && v != "" {
			return n
		}
		return v
	}
	c := &view.Conflict{By: who.names(), At: who.when()}
	for _, f := range cs {
		c.Fields = append(c.Fields, view.ConflictField{Key: keepPrefix + f.key, Label: f.label,
			Theirs: show(f.key, f.theirs), Yours: show(f.key, f.yours)})
	}
	return c
}

// combinedMessage is the flash after a save combined with someone else's.
func combinedMessage(who savedSince) string {
	return "Saved. Your changes were combined with " + who.names() + "'s save from " + who.when() + "."
}
