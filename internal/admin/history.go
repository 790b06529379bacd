package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// History: every revision of an entry as a field-by-field diff of its snapshots, and
// restoring any of them as a new revision.

func (h *Handler) handleHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	entity, id, lang, err := entryParams(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if lang == "" {
		lang = store.DefaultLang
	} else if h.cat.Get(lang) == nil {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such language."))
		return
	}
	s, err := h.specFor(ctx, entity, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	revs, err := h.st.ListRevisions(ctx, entity, id, lang)
	if err != nil {
		h.error(w, r, err)
		return
	}
	// A listing's lines (their labels and hours) are translated apart: a language's history
	// shows their versions too, each labelled with its line, so each can be restored.
	way := map[int64]int{}
	if lang != store.DefaultLang && s.kind != "" {
		l, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
		if err != nil {
			h.error(w, r, err)
			return
		}
		for i, c := range l.Channels {
			more, err := h.st.ListRevisions(ctx, "channels", c.ID, lang)
			if err != nil {
				h.error(w, r, err)
				return
			}
			way[c.ID] = i + 1
			revs = append(revs, more...)
		}
		sort.SliceStable(revs, func(i, j int) bool { return revs[i].ID > revs[j].ID })
	}
	vm := view.HistoryVM{Page: h.pageWithFlash(r, "History", s.section), Back: s.editPath(id)}
	vm.Heading = "History"
	if d, err := s.load(ctx, id); err == nil && d.Name != "" {
		vm.Heading = "History of " + d.Name
	}
	if lang != store.DefaultLang {
		vm.Heading += " (" + h.cat.Get(lang).Name + ")"
		vm.Back = translatePath(entity, id, lang)
	}
	type unit struct {
		entity string
		id     int64
	}
	seen := map[unit]bool{}
	for i, rev := range revs {
		u := unit{rev.Entity, rev.EntityID}
		var older json.RawMessage
		for _, o := range revs[i+1:] {
			if o.Entity == rev.Entity && o.EntityID == rev.EntityID {
				older = o.Data
				break
			}
		}
		by := rev.UserEmail
		if by == "" {
			by = "unknown"
		}
		changes := diffJSON(older, rev.Data, s.labels)
		what := ""
		if rev.Entity == "channels" {
			what = "Way " + strconv.Itoa(way[rev.EntityID])
			for j := range changes {
				changes[j].Field = what + ", " + strings.ToLower(changes[j].Field)
			}
		}
		// The newest version of each text is the one in use: every older one can come back.
		vm.Revisions = append(vm.Revisions, view.Revision{ID: rev.ID, Version: rev.Version, Action: rev.Action, By: by,
			At: strings.Replace(rev.CreatedAt, "T", " ", 1), Lang: rev.Lang, Changes: changes, Of: what, Restorable: seen[u]})
		seen[u] = true
	}
	h.render(w, r, http.StatusOK, view.History(vm))
}

// ignoredFields change on every save or say nothing to staff; the history leaves them out.
var ignoredFields = map[string]bool{"Version": true, "UpdatedAt": true, "CreatedAt": true, "ID": true, "Lang": true,
	"Untranslated": true, "ListingID": true}

// diffJSON compares two revision snapshots field by field (nested values flattened to
// "Channels.0.Number"), returning what changed from older to newer.
func diffJSON(older, newer json.RawMessage, labels map[string]string) []view.DiffRow {
	a, b := map[string]string{}, map[string]string{}
	if len(older) > 0 {
		var v any
		if json.Unmarshal(older, &v) == nil {
			flatten("", v, a)
		}
	}
	var v any
	if json.Unmarshal(newer, &v) == nil {
		flatten("", v, b)
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []view.DiffRow
	for _, k := range sorted {
		if a[k] != b[k] {
			out = append(out, view.DiffRow{Field: fieldLabel(k, labels), Before: a[k], After: b[k]})
		}
	}
	return out
}

// fieldLabel names a snapshot field the way the form does: "Summary", "Way 2, number".
func fieldLabel(key string, labels map[string]string) string {
	parts := strings.Split(key, ".")
	if len(parts) == 3 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			switch parts[0] {
			case "Channels":
				return fmt.Sprintf("Way %d, %s", n+1, strings.ToLower(camelToSnake(parts[2])))
			}
		}
	}
	if len(parts) == 2 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			switch parts[0] {
			case "Terms":
				return fmt.Sprintf("Filter %d", n+1)
			case "Also":
				return fmt.Sprintf("Other line %d", n+1)
			}
		}
	}
	if len(parts) == 1 {
		// By JSON name (as the forms label them), or by the form name it spells.
		if l := labels[key]; l != "" {
			return l
		} else if l := labels[camelToSnake(key)]; l != "" {
			return l
		}
	}
	return strings.ReplaceAll(camelToSnake(key), "_", " ")
}

// camelToSnake turns a Go field name into a form field name: "SourceURL" → "source_url".
func camelToSnake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			if prevLower || (nextLower && rs[i-1] >= 'A' && rs[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		// A term or a reference to another entry reads as its name.
		_, isTerm := x["Taxonomy"]
		_, isRef := x["Kind"]
		if name, ok := x["Name"].(string); ok && prefix != "" && (isTerm || isRef) && len(x) <= 4 {
			out[prefix] = name
			return
		}
		for k, vv := range x {
			if ignoredFields[k] {
				continue
			}
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, vv, out)
		}
	case []any:
		for i, vv := range x {
			flatten(prefix+"."+strconv.Itoa(i), vv, out)
		}
	case nil:
	case string:
		if x != "" && x != "0001-01-01T00:00:00Z" {
			out[prefix] = x
		}
	case bool:
		if x {
			out[prefix] = "yes"
		}
	default:
		s := fmt.Sprint(x)
		if s != "0" {
			out[prefix] = s
		}
	}
}

func (h *Handler) handleRestore(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	revID, err := idParam(r, "rev")
	if err != nil {
		h.error(w, r, err)
		return
	}
	rev, err := h.st.FindRevision(ctx, revID)
	if err == nil && rev.Entity == "settings" && rev.Lang == store.DefaultLang && userFrom(ctx).Role != directory.RoleAdmin {
		// The settings are admins' only (the quick exit, the emergency number): their
		// history too.
		err = directory.Errorf(directory.EUNAUTHORIZED, "Only an administrator can change the site settings.")
	}
	var res *store.Restored
	if err == nil {
		res, err = h.st.RestoreVersion(ctx, revID, actor(ctx))
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	labels := map[string]string{}
	to := "/admin/settings"
	if s, serr := h.specFor(ctx, res.Entity, res.EntityID); serr == nil {
		labels = s.labels
		if rev.Lang == store.DefaultLang {
			to = s.editPath(res.EntityID)
		}
	}
	if rev.Lang != store.DefaultLang {
		to = translatePath(res.Entity, res.EntityID, rev.Lang)
	}
	msg, detail := h.restoreReport(res, labels)
	// One audit line names the version and what it did to each translation.
	h.audit(r, "restore", res.Entity, res.EntityID, detail)
	h.redirect(w, r, to, msg)
}

// restoreReport says what a restore did: the message staff see after it, and the audit
// line's detail.
func (h *Handler) restoreReport(res *store.Restored, labels map[string]string) (msg, detail string) {
	rev := res.Rev
	name := func(tag string) string {
		if l := h.cat.Get(tag); l != nil {
			return l.Name
		}
		return tag
	}
	fields := func(refs []store.TextRef) string {
		out := make([]string, len(refs))
		for i, f := range refs {
			out[i] = strings.ToLower(fieldLabel(f.Field, labels))
			if f.Way > 0 {
				out[i] = fmt.Sprintf("way %d, %s", f.Way, f.Field)
			}
		}
		return strings.Join(out, "; ")
	}
	what := fmt.Sprintf("Version %d", rev.Version)
	details := []string{fmt.Sprintf("version %d (%s)", rev.Version, rev.Lang)}
	if rev.Entity == "channels" {
		what = fmt.Sprintf("%s version %d of a line", name(rev.Lang), rev.Version)
		details[0] = fmt.Sprintf("line %d, version %d (%s)", rev.EntityID, rev.Version, rev.Lang)
	} else if rev.Lang != store.DefaultLang {
		what = fmt.Sprintf("%s version %d", name(rev.Lang), rev.Version)
	}
	parts := []string{what + " restored, as a new version: this too can be undone from the history."}
	for _, l := range res.Langs {
		if len(l.Restored) > 0 {
			parts = append(parts, fmt.Sprintf("The %s translation made from this English is back too (%s).", name(l.Lang), fields(l.Restored)))
			details = append(details, fmt.Sprintf("%s restored: %s", l.Lang, fields(l.Restored)))
		}
		if len(l.Stale) > 0 {
			parts = append(parts, fmt.Sprintf("No %s translation was made from this English (%s): marked “English changed”, so the %s page shows the English until someone translates it.",
				name(l.Lang), fields(l.Stale), name(l.Lang)))
			details = append(details, fmt.Sprintf("%s marked English changed: %s", l.Lang, fields(l.Stale)))
		}
	}
	if len(res.Stale) > 0 {
		parts = append(parts, fmt.Sprintf("It was translated from English that has changed since (%s): marked “English changed”, so the %s page shows the English until someone updates the translation.",
			fields(res.Stale), name(rev.Lang)))
		details = append(details, "marked English changed: "+fields(res.Stale))
	}
	return strings.Join(parts, " "), strings.Join(details, "; ")
}
