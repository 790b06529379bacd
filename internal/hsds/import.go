package hsds

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"signpost/internal/directory"
	"signpost/internal/phone"
)

// Import limits: an upload is a directory's worth of data, never more.
const (
	MaxUploadBytes   = 32 << 20 // the file as uploaded
	maxUnzippedBytes = 64 << 20 // all CSV files, unzipped, together
	maxRows          = 200_000  // rows of one table
)

// Actor is who imports: a staff account.
type Actor struct {
	ID    int64
	Email string
}

// ImportStore is what an import reads and writes. cmd/signpost adapts *store.Store to it,
// saving through the store's normal write path (validation, a revision per listing, action
// "import"), so every imported change can be undone like any edit.
type ImportStore interface {
	Setting(ctx context.Context, key string) (string, error)
	ListListings(ctx context.Context, f directory.ListingFilter) ([]*directory.Listing, int, error)
	ListTerms(ctx context.Context, taxonomy, lang string) ([]directory.Term, error)
	CreateListing(ctx context.Context, l *directory.Listing, by Actor) error
	UpdateListing(ctx context.Context, l *directory.Listing, by Actor) error
}

// Upload is a parsed HSDS file: the rows of each table it carries.
type Upload struct {
	Name   string
	tables map[string]*rawTable // by file name ("services.csv")
	// Problems are rows (or whole files) that cannot be read at all.
	Problems []Problem
}

type rawTable struct {
	file   string
	header map[string]int
	rows   []rawRow
}

type rawRow struct {
	line   int // 1-based line in the file, for messages
	fields []string
}

func (t *rawTable) get(r rawRow, col string) string {
	if t == nil {
		return ""
	}
	i, ok := t.header[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Problem is a row that was not imported, and why.
type Problem struct {
	File   string
	Line   int // 0 for the whole file
	Reason string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Reason
	}
	return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Reason)
}

// ParseUpload reads an HSDS upload: a zip of tabular data (the files may sit in a folder
// inside it), or one CSV file named after its table (services.csv, organizations.csv…).
// Unreadable rows become Problems; only an upload with nothing usable is an error.
func ParseUpload(name string, data []byte) (*Upload, error) {
	if len(data) > MaxUploadBytes {
		return nil, directory.Errorf(directory.EINVALID, "The file is larger than %d MB.", MaxUploadBytes>>20)
	}
	up := &Upload{Name: name, tables: map[string]*rawTable{}}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, directory.Errorf(directory.EINVALID, "The zip file cannot be read.")
		}
		budget := int64(maxUnzippedBytes)
		for _, f := range zr.File {
			base := path.Base(f.Name)
			if !knownFile(base) || f.FileInfo().IsDir() {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				up.Problems = append(up.Problems, Problem{File: base, Reason: "cannot be read from the zip file"})
				continue
			}
			// Read at most what is left of the budget, whatever the zip claims: a small zip
			// can unpack to gigabytes.
			b, err := io.ReadAll(io.LimitReader(rc, budget+1))
			_ = rc.Close() // read-only: the ReadAll error is the one that matters
			if err != nil {
				up.Problems = append(up.Problems, Problem{File: base, Reason: "cannot be read from the zip file"})
				continue
			}
			if budget -= int64(len(b)); budget < 0 {
				return nil, directory.Errorf(directory.EINVALID, "The zip file unpacks to more than %d MB.", maxUnzippedBytes>>20)
			}
			up.addCSV(base, b)
		}
	} else {
		base := path.Base(strings.ReplaceAll(name, `\`, "/"))
		if !knownFile(base) {
			base = guessTable(data)
		}
		if base == "" {
			return nil, directory.Errorf(directory.EINVALID, "Upload an HSDS zip file, or one CSV file named after its table (services.csv, organizations.csv, phones.csv…).")
		}
		up.addCSV(base, data)
	}
	if up.tables[tServices.path] == nil && up.tables[tOrganizations.path] == nil {
		return nil, directory.Errorf(directory.EINVALID, "The upload has neither services.csv nor organizations.csv.")
	}
	return up, nil
}

func knownFile(base string) bool {
	for _, t := range allTables {
		if t.path == base {
			return true
		}
	}
	return false
}

// guessTable names a CSV uploaded under another name by its header.
func guessTable(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	cols := map[string]bool{}
	for _, c := range strings.Split(strings.TrimPrefix(string(line), "\ufeff"), ",") {
		cols[strings.Trim(strings.TrimSpace(c), `"`)] = true
	}
	switch {
	case cols["id"] && cols["name"] && cols["organization_id"] && cols["status"]:
		return tServices.path
	case cols["id"] && cols["name"] && !cols["organization_id"]:
		return tOrganizations.path
	}
	return ""
}

// addCSV parses one table. A row with the wrong number of fields or characters that are not
// UTF-8 is a Problem; the rest of the file is still read.
func (up *Upload) addCSV(file string, data []byte) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		up.Problems = append(up.Problems, Problem{File: file, Reason: "has no header row"})
		return
	}
	t := &rawTable{file: file, header: map[string]int{}}
	for i, h := range header {
		t.header[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := t.header["id"]; !ok {
		up.Problems = append(up.Problems, Problem{File: file, Line: 1, Reason: "has no id column"})
		return
	}
	for {
		line := 0
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: "is not valid CSV"})
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				// The reader cannot find the next row reliably after a quoting error.
				break
			}
			continue
		}
		line, _ = cr.FieldPos(0)
		if len(t.rows) >= maxRows {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: fmt.Sprintf("and the rows after it were not read: a table may have at most %d rows", maxRows)})
			break
		}
		ok := true
		for _, f := range rec {
			if !utf8.ValidString(f) {
				ok = false
			}
		}
		if !ok {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: "has characters that are not UTF-8"})
			continue
		}
		if len(rec) != len(header) {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: fmt.Sprintf("has %d fields, the header %d", len(rec), len(header))})
			continue
		}
		t.rows = append(t.rows, rawRow{line: line, fields: rec})
	}
	up.tables[file] = t
}

// Change is one listing an import would add or change.
type Change struct {
	Listing  *directory.Listing // as it would be saved
	Existing *directory.Listing // nil for an addition
	Fields   []string           // what changes ("name", "phones"…); every field for an addition
	File     string
	Line     int
}

// Preview is what an import would do. Nothing is saved until Apply.
type Preview struct {
	Added     []Change
	Changed   []Change
	Unchanged int
	Invalid   []Problem
	// LeftOut are values of rows that will be imported which match none of the directory's
	// filter terms (a service area, a language, a taxonomy term): the row is imported
	// without them. Staff can add the term and import again.
	LeftOut []Problem
}

// importer holds what a preview needs to know about the directory.
type importer struct {
	ids      ids
	up       *Upload
	existing map[int64]*directory.Listing
	byName   map[string][]*directory.Listing
	terms    []directory.Term
	slugs    map[directory.Kind]map[string]bool
	preview  *Preview
	// newBySvcName are listings the upload adds, by lower-case name, for operators.
	newOrgs map[string]*directory.Listing
}

// BuildPreview compares an upload with the directory: what would be added, what changed
// (matched by the ids Signpost exports, or else by name), and every row that cannot be
// imported, with its reason.
func BuildPreview(ctx context.Context, st ImportStore, up *Upload) (*Preview, error) {
	m, err := newMapper(ctx, st)
	if err != nil {
		return nil, err
	}
	list, _, err := st.ListListings(ctx, directory.ListingFilter{Kinds: serviceKinds, Lang: "en", Drafts: true, ByID: true})
	if err != nil {
		return nil, err
	}
	im := &importer{ids: m.ids, up: up, existing: map[int64]*directory.Listing{}, byName: map[string][]*directory.Listing{},
		terms: m.terms, slugs: map[directory.Kind]map[string]bool{}, preview: &Preview{Invalid: append([]Problem{}, up.Problems...)},
		newOrgs: map[string]*directory.Listing{}}
	for _, l := range list {
		im.existing[l.ID] = l
		key := strings.ToLower(l.Name)
		im.byName[key] = append(im.byName[key], l)
		im.slug(l.Kind)[l.Slug] = true
	}
	im.run()
	return im.preview, nil
}

func (im *importer) slug(k directory.Kind) map[string]bool {
	if im.slugs[k] == nil {
		im.slugs[k] = map[string]bool{}
	}
	return im.slugs[k]
}

// byColumn indexes a table's rows by one column.
func byColumn(t *rawTable, col string) map[string][]rawRow {
	out := map[string][]rawRow{}
	if t == nil {
		return out
	}
	for _, r := range t.rows {
		if v := t.get(r, col); v != "" {
			out[v] = append(out[v], r)
		}
	}
	return out
}

type termKey struct{ taxonomy, code string }

func (im *importer) run() {
	up := im.up
	svcT, orgT := up.tables[tServices.path], up.tables[tOrganizations.path]
	phoneT, langT, schedT := up.tables[tPhones.path], up.tables[tLanguages.path], up.tables[tSchedules.path]
	areaT, attrT, termT := up.tables[tServiceAreas.path], up.tables[tAttributes.path], up.tables[tTerms.path]

	orgs := map[string]rawRow{}
	if orgT != nil {
		for _, r := range orgT.rows {
			orgs[orgT.get(r, "id")] = r
		}
	}
	phonesBySvc, phonesByOrg := byColumn(phoneT, "service_id"), byColumn(phoneT, "organization_id")
	langsBySvc, schedBySvc, areasBySvc := byColumn(langT, "service_id"), byColumn(schedT, "service_id"), byColumn(areaT, "service_id")
	attrsByLink := byColumn(attrT, "link_id")
	upTerms := map[string]termKey{}
	if termT != nil {
		for _, r := range termT.rows {
			upTerms[termT.get(r, "id")] = termKey{strings.ToLower(termT.get(r, "taxonomy")), termT.get(r, "code")}
		}
	}

	type pending struct {
		c      *directory.Listing
		file   string
		line   int
		orgRow *rawRow
		id     string
	}
	var services []pending
	covered := map[string]bool{} // organization ids that a service of the same name stands for

	if svcT != nil {
		seen := map[string]bool{}
		for _, r := range svcT.rows {
			bad := func(reason string) {
				im.preview.Invalid = append(im.preview.Invalid, Problem{File: svcT.file, Line: r.line, Reason: reason})
			}
			id, name := svcT.get(r, "id"), svcT.get(r, "name")
			switch {
			case id == "":
				bad("has no id")
				continue
			case seen[id]:
				bad("repeats the id " + id)
				continue
			case name == "":
				bad("has no name")
				continue
			}
			seen[id] = true
			if st := strings.ToLower(svcT.get(r, "status")); st != "" && st != "active" {
				bad(fmt.Sprintf("is %q: only active services are imported", st))
				continue
			}
			c := &directory.Listing{Name: name, Summary: svcT.get(r, "description"), Website: svcT.get(r, "url"),
				Email: svcT.get(r, "email"), Status: directory.StatusDraft}
			if d := svcT.get(r, "assured_date"); d != "" {
				t, ok := parseDate(d)
				if !ok {
					bad(fmt.Sprintf("has an assured_date %q that is not a date", d))
					continue
				}
				c.LastVerified = t
			}
			// Kind: Signpost's own "kind" attribute, else a service named like its
			// organization is that organization, and any other is a line it runs.
			orgID := svcT.get(r, "organization_id")
			var orgRow *rawRow
			if o, ok := orgs[orgID]; ok {
				orgRow = &o
			}
			for _, a := range attrsByLink[id] {
				if tk, ok := im.attributeTerm(attrT, a, upTerms); ok && tk.taxonomy == kindTaxonomy {
					c.Kind = directory.Kind(tk.code)
				}
			}
			if !slices.Contains(serviceKinds, c.Kind) {
				c.Kind = directory.KindHotline
				if orgRow == nil || strings.EqualFold(orgT.get(*orgRow, "name"), name) {
					c.Kind = directory.KindOrganization
				}
			}
			if orgRow != nil && strings.EqualFold(orgT.get(*orgRow, "name"), name) {
				covered[orgID] = true
			}
			// Phones, schedules, areas, languages and other terms.
			var problems []string
			for _, p := range phonesBySvc[id] {
				ch, ok, reason := phoneChannel(phoneT, p)
				if reason != "" {
					problems = append(problems, fmt.Sprintf("%s line %d %s", phoneT.file, p.line, reason))
				}
				if ok {
					c.Channels = append(c.Channels, ch)
				}
			}
			for _, s := range schedBySvc[id] {
				if isAllWeek(schedT, s) {
					c.Open247 = true
				}
				if d := schedT.get(s, "description"); d != "" && c.Hours == "" {
					c.Hours = d
				}
			}
			var leftOut []Problem
			for _, a := range areasBySvc[id] {
				name := areaT.get(a, "name")
				if t, ok := im.termByName("area", name); ok {
					c.Terms = append(c.Terms, t)
				} else if name != "" {
					leftOut = append(leftOut, Problem{File: areaT.file, Line: a.line,
						Reason: fmt.Sprintf("the area %q is not one of this directory's areas", name)})
				}
			}
			for _, l := range langsBySvc[id] {
				t, ok := im.termByName("language", langT.get(l, "code"))
				if !ok {
					t, ok = im.termByName("language", langT.get(l, "name"))
				}
				if ok {
					c.Terms = append(c.Terms, t)
				} else if v := cmp.Or(langT.get(l, "name"), langT.get(l, "code")); v != "" {
					leftOut = append(leftOut, Problem{File: langT.file, Line: l.line,
						Reason: fmt.Sprintf("the language %q is not one of this directory's languages", v)})
				}
			}
			for _, a := range attrsByLink[id] {
				tk, ok := im.attributeTerm(attrT, a, upTerms)
				if ok && (tk.taxonomy == kindTaxonomy || tk.taxonomy == "area" || tk.taxonomy == "language") {
					continue // kinds, areas and languages come from their own columns and tables
				}
				if t, found := im.termBySlug(tk.taxonomy, tk.code); ok && found {
					c.Terms = append(c.Terms, t)
					continue
				}
				what := fmt.Sprintf("the term %q", attrT.get(a, "taxonomy_term_id"))
				if ok {
					what = fmt.Sprintf("the %s term %q", tk.taxonomy, tk.code)
				}
				leftOut = append(leftOut, Problem{File: attrT.file, Line: a.line,
					Reason: what + " is not one of this directory's filter terms"})
			}
			c.Terms = uniqueTerms(c.Terms)
			if len(problems) > 0 {
				bad(strings.Join(problems, "; "))
				continue
			}
			im.preview.LeftOut = append(im.preview.LeftOut, leftOut...)
			services = append(services, pending{c: c, file: svcT.file, line: r.line, orgRow: orgRow, id: id})
		}
	}

	// Organizations with no service of their own name become organization listings.
	if orgT != nil {
		for _, r := range orgT.rows {
			id, name := orgT.get(r, "id"), orgT.get(r, "name")
			if id == "" || name == "" {
				im.preview.Invalid = append(im.preview.Invalid, Problem{File: orgT.file, Line: r.line, Reason: "has no id or no name"})
				continue
			}
			if covered[id] {
				continue
			}
			c := &directory.Listing{Kind: directory.KindOrganization, Name: name, Summary: orgT.get(r, "description"),
				Website: orgT.get(r, "website"), Email: orgT.get(r, "email"), Status: directory.StatusDraft}
			var problems []string
			for _, p := range phonesByOrg[id] {
				if phoneT.get(p, "service_id") != "" {
					continue
				}
				ch, ok, reason := phoneChannel(phoneT, p)
				if reason != "" {
					problems = append(problems, fmt.Sprintf("%s line %d %s", phoneT.file, p.line, reason))
				}
				if ok {
					c.Channels = append(c.Channels, ch)
				}
			}
			if len(problems) > 0 {
				im.preview.Invalid = append(im.preview.Invalid, Problem{File: orgT.file, Line: r.line, Reason: strings.Join(problems, "; ")})
				continue
			}
			services = append([]pending{{c: c, file: orgT.file, line: r.line, id: id}}, services...)
		}
	}

	// Organizations and agencies first, so that lines can name them as their operators.
	slices.SortStableFunc(services, func(a, b pending) int {
		return boolInt(a.c.Kind == directory.KindHotline) - boolInt(b.c.Kind == directory.KindHotline)
	})
	for _, p := range services {
		c := p.c
		if c.Kind == directory.KindHotline && p.orgRow != nil {
			orgName := orgT.get(*p.orgRow, "name")
			if !strings.EqualFold(orgName, c.Name) {
				c.OperatedBy = im.operator(orgT.get(*p.orgRow, "id"), orgName)
				if c.OperatedBy == nil {
					im.preview.Invalid = append(im.preview.Invalid, Problem{File: p.file, Line: p.line,
						Reason: fmt.Sprintf("names the organization %q, which is neither in the upload nor in the directory", orgName)})
					continue
				}
			}
		}
		typ := "service"
		if p.file == tOrganizations.path {
			typ = "organization"
		}
		im.match(c, typ, p.id, p.file, p.line)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// match finds the existing listing an imported one stands for (by our id, then by name and
// kind) and records an addition, a change, or nothing.
func (im *importer) match(c *directory.Listing, typ, id, file string, line int) {
	var ex *directory.Listing
	if n, ok := im.ids.parse(typ, id); ok {
		if l := im.existing[n]; l != nil && l.Kind == c.Kind {
			ex = l
		}
	}
	if ex == nil {
		for _, l := range im.byName[strings.ToLower(c.Name)] {
			if l.Kind == c.Kind {
				ex = l
				break
			}
		}
	}
	if ex == nil {
		c.Slug = im.newSlug(c.Kind, c.Name)
		c.Source = "import"
		if err := c.Validate(); err != nil {
			im.preview.Invalid = append(im.preview.Invalid, Problem{File: file, Line: line, Reason: describe(err)})
			return
		}
		if c.Kind != directory.KindHotline {
			im.newOrgs[strings.ToLower(c.Name)] = c
		}
		im.preview.Added = append(im.preview.Added, Change{Listing: c, File: file, Line: line,
			Fields: []string{"name", "summary", "website", "email", "phones", "hours", "terms"}})
		return
	}
	merged, fields := merge(ex, c)
	if len(fields) == 0 {
		im.preview.Unchanged++
		return
	}
	if err := merged.Validate(); err != nil {
		im.preview.Invalid = append(im.preview.Invalid, Problem{File: file, Line: line, Reason: describe(err)})
		return
	}
	im.preview.Changed = append(im.preview.Changed, Change{Listing: merged, Existing: ex, Fields: fields, File: file, Line: line})
}

// operator finds the organization or agency an imported line is run by: ours by id, one the
// upload adds, or one of ours by name.
func (im *importer) operator(orgID, name string) *directory.Ref {
	if n, ok := im.ids.parse("organization", orgID); ok {
		if l := im.existing[n]; l != nil && l.Kind != directory.KindHotline {
			return &directory.Ref{Kind: l.Kind, Slug: l.Slug, Name: l.Name}
		}
	}
	if l := im.newOrgs[strings.ToLower(name)]; l != nil {
		return &directory.Ref{Kind: l.Kind, Slug: l.Slug, Name: l.Name}
	}
	for _, l := range im.byName[strings.ToLower(name)] {
		if l.Kind != directory.KindHotline {
			return &directory.Ref{Kind: l.Kind, Slug: l.Slug, Name: l.Name}
		}
	}
	return nil
}

// merge lays the imported fields over the existing listing. An import only says what it
// knows: empty fields keep what is there, phones replace only the call and text lines (text
// keywords and letter forms of a number we already have survive), and terms replace only
// the taxonomies the import speaks of.
func merge(ex, in *directory.Listing) (*directory.Listing, []string) {
	m := *ex
	m.Channels = append([]directory.Channel{}, ex.Channels...)
	m.Terms = append([]directory.Term{}, ex.Terms...)
	var fields []string
	set := func(name string, dst *string, v string) {
		if v != "" && v != *dst {
			*dst = v
			fields = append(fields, name)
		}
	}
	set("name", &m.Name, in.Name)
	set("summary", &m.Summary, in.Summary)
	set("website", &m.Website, in.Website)
	set("email", &m.Email, in.Email)
	set("hours", &m.Hours, in.Hours)
	if in.Open247 && !m.Open247 {
		m.Open247 = true
		fields = append(fields, "open_24_7")
	}
	if !in.LastVerified.IsZero() && in.LastVerified.Format(time.DateOnly) != m.LastVerified.Format(time.DateOnly) {
		m.LastVerified = in.LastVerified
		fields = append(fields, "last_verified")
	}
	if in.OperatedBy != nil && (m.OperatedBy == nil || m.OperatedBy.Slug != in.OperatedBy.Slug) {
		m.OperatedBy = in.OperatedBy
		fields = append(fields, "operated_by")
	}
	if len(in.Channels) > 0 {
		var out []directory.Channel
		used := make([]bool, len(in.Channels))
		for _, c := range ex.Channels {
			if (c.Type != directory.ChannelVoice && c.Type != directory.ChannelText) || c.Empty() {
				out = append(out, c)
				continue
			}
			for i, n := range in.Channels {
				if !used[i] && n.Type == c.Type && n.Number == c.Number && (n.Label == c.Label || n.Label == "") {
					used[i] = true
					out = append(out, c)
					break
				}
			}
		}
		for i, n := range in.Channels {
			if !used[i] {
				out = append(out, n)
			}
		}
		if !directory.SameChannels(ex.Channels, out) {
			m.Channels = out
			fields = append(fields, "phones")
		}
	}
	taxonomies := map[string]bool{}
	for _, t := range in.Terms {
		taxonomies[t.Taxonomy] = true
	}
	if len(taxonomies) > 0 {
		var out []directory.Term
		for _, t := range ex.Terms {
			if !taxonomies[t.Taxonomy] {
				out = append(out, t)
			}
		}
		out = append(out, in.Terms...)
		if !sameTerms(ex.Terms, out) {
			m.Terms = out
			fields = append(fields, "terms")
		}
	}
	return &m, fields
}

func sameTerms(a, b []directory.Term) bool {
	key := func(ts []directory.Term) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Taxonomy+"/"+t.Slug)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(key(a), key(b))
}

func uniqueTerms(ts []directory.Term) []directory.Term {
	seen := map[string]bool{}
	var out []directory.Term
	for _, t := range ts {
		if k := t.Taxonomy + "/" + t.Slug; !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// attributeTerm resolves an attribute's taxonomy term: one of ours by id, or one the upload
// describes in taxonomy_terms.csv.
func (im *importer) attributeTerm(attrT *rawTable, a rawRow, upTerms map[string]termKey) (termKey, bool) {
	tid := attrT.get(a, "taxonomy_term_id")
	if tk, ok := upTerms[tid]; ok {
		return tk, true
	}
	if n, ok := im.ids.parse("term", tid); ok {
		for _, t := range im.terms {
			if t.ID == n {
				return termKey{t.Taxonomy, t.Slug}, true
			}
		}
	}
	for _, k := range serviceKinds {
		if tid == im.ids.hash("kind", string(k)) {
			return termKey{kindTaxonomy, string(k)}, true
		}
	}
	return termKey{}, false
}

func (im *importer) termBySlug(taxonomy, slug string) (directory.Term, bool) {
	for _, t := range im.terms {
		if t.Taxonomy == taxonomy && t.Slug == slug {
			return directory.Term{ID: t.ID, Taxonomy: t.Taxonomy, Slug: t.Slug, Name: t.Name}, true
		}
	}
	return directory.Term{}, false
}

// termByName finds a term of taxonomy by its name, slug or (for languages) ISO code.
func (im *importer) termByName(taxonomy, s string) (directory.Term, bool) {
	if s == "" {
		return directory.Term{}, false
	}
	for _, t := range im.terms {
		if t.Taxonomy == taxonomy && (strings.EqualFold(t.Name, s) || strings.EqualFold(t.Slug, s) ||
			taxonomy == "language" && strings.EqualFold(languageCode(t.Slug), s)) {
			return t, true
		}
	}
	return directory.Term{}, false
}

// phoneChannel reads one phones.csv row. Types other than voice, cell and text (fax,
// pager…) are not lines Signpost lists and are skipped; a number that cannot be read is a
// reason to refuse the row.
func phoneChannel(t *rawTable, r rawRow) (directory.Channel, bool, string) {
	var typ directory.ChannelType
	switch strings.ToLower(t.get(r, "type")) {
	case "", "voice", "cell":
		typ = directory.ChannelVoice
	case "text", "sms":
		typ = directory.ChannelText
	default:
		return directory.Channel{}, false, ""
	}
	raw := t.get(r, "number")
	n, err := phone.Parse(raw, "")
	if err != nil {
		return directory.Channel{}, false, fmt.Sprintf("has a number %q that is not a phone number", raw)
	}
	return directory.Channel{Type: typ, Number: n, Label: t.get(r, "description")}, true, ""
}

func isAllWeek(t *rawTable, r rawRow) bool {
	days := strings.Split(strings.ToUpper(strings.ReplaceAll(t.get(r, "byday"), " ", "")), ",")
	slices.Sort(days)
	if !slices.Equal(days, []string{"FR", "MO", "SA", "SU", "TH", "TU", "WE"}) {
		return false
	}
	opens, closes := t.get(r, "opens_at"), t.get(r, "closes_at")
	return (opens == "" || strings.HasPrefix(opens, "00:00")) &&
		(closes == "" || strings.HasPrefix(closes, "23:59") || strings.HasPrefix(closes, "24:00"))
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// newSlug makes a free slug of kind from a name.
func (im *importer) newSlug(k directory.Kind, name string) string {
	base := directory.Slug(name)
	if base == "" {
		base = string(k)
	}
	s := base
	for i := 2; im.slug(k)[s]; i++ {
		s = base + "-" + strconv.Itoa(i)
	}
	im.slug(k)[s] = true
	return s
}

// describe turns a validation error into one line.
func describe(err error) string {
	var e *directory.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var parts []string
		for _, k := range slices.Sorted(mapsKeys(e.Fields)) {
			parts = append(parts, k+": "+e.Fields[k])
		}
		return strings.Join(parts, " ")
	}
	return directory.ErrorMessage(err)
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Result is what Apply did.
type Result struct {
	Added, Changed int
	Failed         []Problem
}

// Apply saves a preview: additions (as drafts, for staff to check and publish) and
// changes, each through the store's normal write path as its own revision. A change whose
// listing was edited since the preview is refused (ECONFLICT) and reported, not forced.
func Apply(ctx context.Context, st ImportStore, p *Preview, by Actor) (*Result, error) {
	res := &Result{}
	for _, c := range p.Added {
		l := *c.Listing
		err := st.CreateListing(ctx, &l, by)
		for i := 2; err != nil && isSlugTaken(err) && i < 20; i++ {
			l.Slug = c.Listing.Slug + "-" + strconv.Itoa(i)
			err = st.CreateListing(ctx, &l, by)
		}
		if err != nil {
			if directory.ErrorCode(err) == directory.EINTERNAL {
				return res, err
			}
			res.Failed = append(res.Failed, Problem{File: c.File, Line: c.Line, Reason: describe(err)})
			continue
		}
		res.Added++
	}
	for _, c := range p.Changed {
		l := *c.Listing
		if err := st.UpdateListing(ctx, &l, by); err != nil {
			if directory.ErrorCode(err) == directory.EINTERNAL {
				return res, err
			}
			res.Failed = append(res.Failed, Problem{File: c.File, Line: c.Line, Reason: describe(err)})
			continue
		}
		res.Changed++
	}
	return res, nil
}

func isSlugTaken(err error) bool {
	var e *directory.Error
	return errors.As(err, &e) && e.Fields["slug"] != ""
}
