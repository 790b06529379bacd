package hsds

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/internal/directory"
)

// Building an import's preview: which listings an upload adds, changes or leaves as they
// are, which rows cannot be taken and why, which values are left out, and which tables and
// columns Signpost has no place for. Nothing is saved here (see Apply).

// Actor is who imports: a staff account.
type Actor struct {
	ID    int64
	Email string
}

// ImportStore is what an import reads and writes. cmd/signpost adapts *store.Store to it,
// saving through the store's normal write path (validation, a revision per listing, action
// "import"), so every imported change can be undone like any edit.
type ImportStore interface {
	mapperStore
	ListListings(ctx context.Context, f directory.ListingFilter) ([]*directory.Listing, int, error)
	CreateListing(ctx context.Context, l *directory.Listing, by Actor) error
	UpdateListing(ctx context.Context, l *directory.Listing, by Actor) error
	SaveLocations(ctx context.Context, listingID int64, locs []directory.Location) error
	SaveHSDSIDs(ctx context.Context, ids map[string]string) error
	// Batch runs fn so that every write made with its context is one transaction: all saved
	// when fn returns nil, none when it returns an error.
	Batch(ctx context.Context, fn func(ctx context.Context) error) error
}

// Change is one listing an import would add or change.
type Change struct {
	Listing  *directory.Listing // as it would be saved
	Existing *directory.Listing // nil for an addition
	Fields   []string           // what changes ("name", "phones"…); every field for an addition
	File     string
	Line     int
	// Locations replace the listing's places when not nil.
	Locations []directory.Location
	links     []idLink
}

// Preview is what an import would do. Nothing is saved until Apply.
type Preview struct {
	Added     []Change
	Changed   []Change
	Unchanged int
	Invalid   []Problem
	// LeftOut are values of rows that will be imported but that Signpost cannot take (a
	// phone number that is not one, a service area that matches none of the directory's
	// terms): the row is imported without them.
	LeftOut []Problem
	// NotTaken names every table and column of the upload that Signpost has no place for.
	NotTaken []Problem
	// keptIDs are the upload's ids of records that already exist here (unchanged or
	// matched), kept so that the next export names them as the upload did.
	keptIDs map[string]string
}

// KeptIDs returns how many ids of records already here the preview would keep: an import
// that changes nothing may still name records by the upload's ids from then on.
func (p *Preview) KeptIDs() int { return len(p.keptIDs) }

// importer holds what a preview needs to know about the directory.
type importer struct {
	m        *mapper
	up       *Upload
	existing map[int64]*directory.Listing
	byName   map[string][]*directory.Listing
	slugs    map[directory.Kind]map[string]bool
	preview  *Preview
	// newOrgs are organization listings the upload adds, by lower-case name, for operators.
	newOrgs map[string]*directory.Listing
	// the upload's tables, and its rows indexed by the columns that link them
	t                        map[string]*rawTable
	orgs                     map[string]rawRow
	phonesBySvc, phonesByOrg map[string][]rawRow
	langsBySvc, langsByPhone map[string][]rawRow
	schedBySvc, areasBySvc   map[string][]rawRow
	attrsByLink              map[string][]rawRow
	salBySvc                 map[string][]rawRow
	locs                     map[string]rawRow
	addrsByLoc               map[string][]rawRow
	upTerms                  map[string]termKey
	upTaxonomies             map[string]string // taxonomy id → name
}

// candidate is one listing read from the upload, before it is matched.
type candidate struct {
	l         *directory.Listing
	locations []directory.Location // nil: the upload says nothing of places
	file      string
	line      int
	typ       string // "service" or "organization": which of its ids names it
	id        string
	orgRow    *rawRow
	links     []idLink
}

// BuildPreview compares an upload with the directory: what would be added, what changed
// (matched by the ids Signpost exports or keeps, or else by name), every row that cannot be
// imported with its reason, and every table, column and value left out.
func BuildPreview(ctx context.Context, st ImportStore, up *Upload) (*Preview, error) {
	m, err := newMapper(ctx, st)
	if err != nil {
		return nil, err
	}
	list, _, err := st.ListListings(ctx, directory.ListingFilter{Kinds: serviceKinds, Lang: "en", Drafts: true, ByID: true})
	if err != nil {
		return nil, err
	}
	im := &importer{m: m, up: up, existing: map[int64]*directory.Listing{}, byName: map[string][]*directory.Listing{},
		slugs: map[directory.Kind]map[string]bool{}, newOrgs: map[string]*directory.Listing{},
		preview: &Preview{Invalid: append([]Problem{}, up.Problems...), keptIDs: map[string]string{}}}
	for _, l := range list {
		im.existing[l.ID] = l
		key := strings.ToLower(l.Name)
		im.byName[key] = append(im.byName[key], l)
		im.slug(l.Kind)[l.Slug] = true
	}
	im.index()
	im.reportNotTaken()
	cands, covered := im.readServices()
	cands = append(im.readOrganizations(covered), cands...)
	// Organizations and agencies first, so that lines can name them as their operators.
	slices.SortStableFunc(cands, func(a, b *candidate) int {
		return boolInt(a.l.Kind == directory.KindHotline) - boolInt(b.l.Kind == directory.KindHotline)
	})
	for _, c := range cands {
		if !im.linkOperator(c) {
			continue
		}
		im.match(c)
	}
	im.keepTaxonomyIDs()
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

func byID(t *rawTable) map[string]rawRow {
	out := map[string]rawRow{}
	if t != nil {
		for _, r := range t.rows {
			out[t.get(r, "id")] = r
		}
	}
	return out
}

type termKey struct{ taxonomy, code, id string }

// index reads the upload's tables and indexes their rows by the columns that link them.
func (im *importer) index() {
	t := im.up.tables
	im.t = t
	im.orgs = byID(t["organizations.csv"])
	im.phonesBySvc, im.phonesByOrg = byColumn(t["phones.csv"], "service_id"), byColumn(t["phones.csv"], "organization_id")
	im.langsBySvc, im.langsByPhone = byColumn(t["languages.csv"], "service_id"), byColumn(t["languages.csv"], "phone_id")
	im.schedBySvc, im.areasBySvc = byColumn(t["schedules.csv"], "service_id"), byColumn(t["service_areas.csv"], "service_id")
	im.attrsByLink = byColumn(t["attributes.csv"], "link_id")
	im.salBySvc = byColumn(t["service_at_location.csv"], "service_id")
	im.locs = byID(t["locations.csv"])
	im.addrsByLoc = byColumn(t["addresses.csv"], "location_id")
	im.upTaxonomies = map[string]string{}
	if tx := t["taxonomies.csv"]; tx != nil {
		for _, r := range tx.rows {
			im.upTaxonomies[tx.get(r, "id")] = tx.get(r, "name")
		}
	}
	im.upTerms = map[string]termKey{}
	if tt := t["taxonomy_terms.csv"]; tt != nil {
		for _, r := range tt.rows {
			tax := strings.ToLower(tt.get(r, "taxonomy"))
			if tax == "" {
				tax = strings.ToLower(im.upTaxonomies[tt.get(r, "taxonomy_id")])
			}
			code := tt.get(r, "code")
			// Signpost qualifies a code two taxonomies share ("area:alaska").
			if p, rest, ok := strings.Cut(code, ":"); ok && p == tax {
				code = rest
			}
			im.upTerms[tt.get(r, "id")] = termKey{taxonomy: tax, code: code, id: tt.get(r, "id")}
		}
	}
}

// takenColumns are the columns Signpost reads, per table; the tables not named here are not
// read at all.
var takenColumns = map[string][]string{
	"organizations.csv":       {"id", "name", "description", "email", "website"},
	"services.csv":            {"id", "organization_id", "name", "description", "url", "email", "status", "assured_date", "last_modified"},
	"phones.csv":              {"id", "service_id", "organization_id", "number", "type", "description"},
	"languages.csv":           {"id", "service_id", "phone_id", "name", "code"},
	"schedules.csv":           {"id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"},
	"service_areas.csv":       {"id", "service_id", "name"},
	"taxonomies.csv":          {"id", "name"},
	"taxonomy_terms.csv":      {"id", "code", "name", "taxonomy", "taxonomy_id"},
	"attributes.csv":          {"id", "link_id", "link_entity", "taxonomy_term_id"},
	"locations.csv":           {"id", "location_type", "organization_id", "name", "latitude", "longitude"},
	"addresses.csv":           {"id", "location_id", "address_1", "address_2", "city", "state_province", "postal_code", "country", "address_type"},
	"service_at_location.csv": {"id", "service_id", "location_id"},
}

// reportNotTaken lists every table and column of the upload that has data Signpost does not
// take, so that nothing is dropped without staff seeing it.
func (im *importer) reportNotTaken() {
	p := im.preview
	for _, f := range im.up.Ignored {
		p.NotTaken = append(p.NotTaken, Problem{File: f, Reason: "not an HSDS table: not read"})
	}
	for _, file := range slices.Sorted(mapKeys(im.t)) {
		t := im.t[file]
		if len(t.rows) == 0 {
			continue
		}
		taken, ok := takenColumns[file]
		if !ok {
			p.NotTaken = append(p.NotTaken, Problem{File: file, Reason: fmt.Sprintf("not taken: Signpost has no place for these %d rows", len(t.rows))})
			continue
		}
		var cols []string
		for _, c := range t.cols {
			if slices.Contains(taken, c) {
				continue
			}
			for _, r := range t.rows {
				if t.get(r, c) != "" {
					cols = append(cols, c)
					break
				}
			}
		}
		if len(cols) > 0 {
			p.NotTaken = append(p.NotTaken, Problem{File: file, Reason: "columns not taken (Signpost has no field for them): " + strings.Join(cols, ", ")})
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readServices reads services.csv: one candidate per service. covered are the organizations
// a service stands for (same name): they are not listed a second time.
func (im *importer) readServices() ([]*candidate, map[string]bool) {
	svcT := im.t["services.csv"]
	covered := map[string]bool{}
	if svcT == nil {
		return nil, covered
	}
	var out []*candidate
	seen := map[string]bool{}
	orgT := im.t["organizations.csv"]
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
		c := &candidate{file: svcT.file, line: r.line, typ: "service", id: id,
			l: &directory.Listing{Name: name, Summary: svcT.get(r, "description"), Website: svcT.get(r, "url"),
				Email: svcT.get(r, "email"), Status: directory.StatusDraft}}
		c.link("service", id)
		if d := svcT.get(r, "assured_date"); d != "" {
			if t, ok := parseDate(d); ok {
				c.l.LastVerified = t
			} else {
				im.leaveOut(svcT, r, fmt.Sprintf("the assured_date %q is not a date", d))
			}
		}
		orgID := svcT.get(r, "organization_id")
		if o, ok := im.orgs[orgID]; ok {
			c.orgRow = &o
			if strings.EqualFold(orgT.get(o, "name"), name) {
				covered[orgID] = true
				c.link("organization", orgID)
			}
		}
		c.l.Kind = im.kindOf(c, id)
		im.readPhones(c, im.phonesBySvc[id], false)
		im.readSchedules(c, id)
		im.readTerms(c, id)
		im.readLocations(c, id)
		out = append(out, c)
	}
	return out, covered
}

// hotlineWords say, in a service's own name, that it is a line to call.
var hotlineWords = regexp.MustCompile(`(?i)\b(hotline|helpline|help line|crisis line|tip ?line|lifeline|warmline|line)s?\b`)

// kindOf says which kind of listing a service is, from its data: Signpost's own "kind"
// attribute; else a line to call if its name or one of its terms says so; else an
// organization (HSDS's usual service: a program of an organization).
func (im *importer) kindOf(c *candidate, id string) directory.Kind {
	for _, a := range im.attrsByLink[id] {
		if tk, ok := im.attributeTerm(im.t["attributes.csv"], a); ok && tk.taxonomy == kindTaxonomy &&
			slices.Contains(serviceKinds, directory.Kind(tk.code)) {
			return directory.Kind(tk.code)
		}
	}
	if hotlineWords.MatchString(c.l.Name) {
		return directory.KindHotline
	}
	for _, a := range im.attrsByLink[id] {
		if tk, ok := im.attributeTerm(im.t["attributes.csv"], a); ok && hotlineWords.MatchString(strings.ReplaceAll(tk.code, "-", " ")) {
			return directory.KindHotline
		}
	}
	return directory.KindOrganization
}

// readOrganizations reads organizations.csv: an organization that no service of the same
// name stands for becomes an organization listing.
func (im *importer) readOrganizations(covered map[string]bool) []*candidate {
	orgT := im.t["organizations.csv"]
	if orgT == nil {
		return nil
	}
	var out []*candidate
	for _, r := range orgT.rows {
		id, name := orgT.get(r, "id"), orgT.get(r, "name")
		if id == "" || name == "" {
			im.preview.Invalid = append(im.preview.Invalid, Problem{File: orgT.file, Line: r.line, Reason: "has no id or no name"})
			continue
		}
		if covered[id] {
			continue
		}
		c := &candidate{file: orgT.file, line: r.line, typ: "organization", id: id,
			l: &directory.Listing{Kind: directory.KindOrganization, Name: name, Summary: orgT.get(r, "description"),
				Website: orgT.get(r, "website"), Email: orgT.get(r, "email"), Status: directory.StatusDraft}}
		c.link("organization", id)
		im.readPhones(c, im.phonesByOrg[id], true)
		im.readOrgLocations(c, id)
		out = append(out, c)
	}
	return out
}

// leaveOut records a value the import leaves out of a row it takes.
func (im *importer) leaveOut(t *rawTable, r rawRow, reason string) {
	p := Problem{File: t.file, Line: r.line, Reason: reason}
	if !slices.Contains(im.preview.LeftOut, p) { // a place shared by two listings is read twice
		im.preview.LeftOut = append(im.preview.LeftOut, p)
	}
}

// linkOperator names the organization that runs an imported line. It reports false (and
// records why) when the organization is nowhere to be found.
func (im *importer) linkOperator(c *candidate) bool {
	if c.l.Kind != directory.KindHotline || c.orgRow == nil {
		return true
	}
	orgT := im.t["organizations.csv"]
	orgName := orgT.get(*c.orgRow, "name")
	if strings.EqualFold(orgName, c.l.Name) {
		return true
	}
	c.l.OperatedBy = im.operator(orgT.get(*c.orgRow, "id"), orgName)
	if c.l.OperatedBy == nil {
		im.preview.Invalid = append(im.preview.Invalid, Problem{File: c.file, Line: c.line,
			Reason: fmt.Sprintf("names the organization %q, which is neither in the upload nor in the directory", orgName)})
		return false
	}
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// match finds the existing listing a candidate stands for (by its id, kept or ours, then by
// name and kind) and records an addition, a change, or nothing.
func (im *importer) match(c *candidate) {
	in := c.l
	var ex *directory.Listing
	if n, ok := im.m.parse(c.typ, c.id); ok {
		if l := im.existing[n]; l != nil && l.Kind == in.Kind {
			ex = l
		}
	}
	if ex == nil {
		for _, l := range im.byName[strings.ToLower(in.Name)] {
			if l.Kind == in.Kind {
				ex = l
				break
			}
		}
	}
	if ex == nil {
		in.Slug = im.newSlug(in.Kind, in.Name)
		in.Source = "import"
		if !im.validate(c) {
			return
		}
		if in.Kind != directory.KindHotline {
			im.newOrgs[strings.ToLower(in.Name)] = in
		}
		im.preview.Added = append(im.preview.Added, Change{Listing: in, File: c.file, Line: c.line, Locations: c.locations,
			links: c.links, Fields: []string{"name", "summary", "website", "email", "phones", "hours", "terms", "locations"}})
		return
	}
	if in.Summary == in.Name {
		in.Summary = "" // HSDS requires a description; an export fills it with the name
	}
	merged, fields := merge(ex, in)
	locsChanged := c.locations != nil && !sameLocations(im.m.locations[ex.ID], c.locations)
	if locsChanged {
		fields = append(fields, "locations")
	}
	if len(fields) == 0 {
		im.preview.Unchanged++
		for k, v := range resolveLinks(im.m, ex, im.m.locations[ex.ID], c.links) {
			im.preview.keptIDs[k] = v
		}
		return
	}
	c.l = merged
	if !im.validate(c) {
		return
	}
	ch := Change{Listing: c.l, Existing: ex, Fields: fields, File: c.file, Line: c.line, links: c.links}
	if locsChanged {
		ch.Locations = c.locations
	}
	im.preview.Changed = append(im.preview.Changed, ch)
}

// validate checks a candidate as the store will. A value the store would refuse (an email
// address that is not one, a website with no https://) is left out with a warning, so that
// one bad value never costs the whole record; what cannot be left out (no name, a name too
// long) makes the row invalid.
func (im *importer) validate(c *candidate) bool {
	for range 4 {
		err := c.l.Validate()
		var e *directory.Error
		if err == nil {
			return true
		}
		if !errors.As(err, &e) {
			break
		}
		dropped := false
		var drop []int
		for field, msg := range e.Fields {
			what := ""
			switch {
			case field == "website":
				what, c.l.Website = c.l.Website, ""
			case field == "email":
				what, c.l.Email = c.l.Email, ""
			case field == "summary":
				what, c.l.Summary = "the description", ""
			case field == "hours":
				what, c.l.Hours = "the hours", ""
			case strings.HasPrefix(field, "channels."):
				i, _ := strconv.Atoi(strings.Split(field, ".")[1])
				if i < len(c.l.Channels) {
					what = c.l.Channels[i].Number
					drop = append(drop, i)
				}
			default:
				continue
			}
			dropped = true
			im.preview.LeftOut = append(im.preview.LeftOut, Problem{File: c.file, Line: c.line,
				Reason: fmt.Sprintf("%q (%s) is left out: %s", what, field, msg)})
		}
		slices.Sort(drop)
		for i := len(drop) - 1; i >= 0; i-- {
			c.l.Channels = slices.Delete(c.l.Channels, drop[i], drop[i]+1)
		}
		if !dropped {
			break
		}
	}
	if err := c.l.Validate(); err != nil {
		im.preview.Invalid = append(im.preview.Invalid, Problem{File: c.file, Line: c.line, Reason: describe(err)})
		return false
	}
	return true
}

// operator finds the organization or agency an imported line is run by: ours by id, one the
// upload adds, or one of ours by name.
func (im *importer) operator(orgID, name string) *directory.Ref {
	if n, ok := im.m.parse("organization", orgID); ok {
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

// attributeTerm resolves an attribute's taxonomy term: one the upload describes in
// taxonomy_terms.csv, or one of ours by id.
func (im *importer) attributeTerm(attrT *rawTable, a rawRow) (termKey, bool) {
	tid := attrT.get(a, "taxonomy_term_id")
	if tk, ok := im.upTerms[tid]; ok {
		return tk, true
	}
	if n, ok := im.m.parse("term", tid); ok {
		for _, t := range im.m.terms {
			if t.ID == n {
				return termKey{t.Taxonomy, t.Slug, tid}, true
			}
		}
	}
	for _, k := range serviceKinds {
		if tid == im.m.kindTerm(k).ID {
			return termKey{kindTaxonomy, string(k), tid}, true
		}
	}
	return termKey{}, false
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// describe turns a validation error into one line.
func describe(err error) string {
	var e *directory.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var parts []string
		for _, k := range slices.Sorted(mapKeys(e.Fields)) {
			parts = append(parts, k+": "+e.Fields[k])
		}
		return strings.Join(parts, " ")
	}
	return directory.ErrorMessage(err)
}
