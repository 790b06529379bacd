package sheet

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"signpost/internal/directory"
	"signpost/internal/phone"
)

// Vocabulary is what the words of the Services, Who it serves, Area and Languages columns
// are matched to: the filter terms with their English and Spanish names, and search's
// list of other words (internal/admin's "Search words").
type Vocabulary struct {
	Terms    []VocabTerm
	Synonyms []directory.Synonym
}

// VocabTerm is a term and its names in every language.
type VocabTerm struct {
	Term  directory.Term // Taxonomy, Slug and English Name are needed
	Names []string       // its names in other languages
}

// Options are the choices staff make for the whole file.
type Options struct {
	// Kind is the kind of the listings added (organization when empty).
	Kind directory.Kind
	// Publish publishes the listings added; otherwise they are drafts.
	Publish bool
	// PrivateAddresses keeps the street of every new place for staff only (the public site
	// shows the town), unless the Address private column says otherwise.
	PrivateAddresses bool
}

// Plan is what importing a table would do. Nothing is saved; Problems empty means it can be.
type Plan struct {
	Add       []Planned
	Change    []Planned
	Unchanged int
	Problems  []Problem
}

// Planned is one listing to add or change.
type Planned struct {
	Row      int
	Listing  *directory.Listing // as it will be saved
	Existing *directory.Listing // nil for an addition
	// Place, when not nil, is the listing's first place as it will be saved (the others
	// stay as they are).
	Place *directory.Location
	// Changes names the columns whose values differ from the listing's (changes only).
	Changes []string
}

// taxonomyOf is the taxonomy of each term column.
var taxonomyOf = map[Field]string{Services: "service", WhoItServes: "population", Area: "area", Languages: "language"}

// CheckColumns returns what is wrong with a choice of fields for the table's columns: no
// column for the names, or one field chosen for two columns.
func CheckColumns(headings []string, cols []Field) []Problem {
	var out []Problem
	first := map[Field]int{}
	for i, f := range cols {
		if f == Skip {
			continue
		}
		if j, ok := first[f]; ok {
			out = append(out, Problem{Column: headingAt(headings, i), Message: fmt.Sprintf(
				"it is matched to %s, like column '%s'. Choose another field, or \"Leave out\".", f.Heading(), headingAt(headings, j))})
			continue
		}
		first[f] = i
	}
	if _, ok := first[Name]; !ok {
		out = append(out, Problem{Message: "No column is matched to Name. Choose the column that holds the organizations' names."})
	}
	return out
}

func headingAt(h []string, i int) string {
	if i < len(h) && h[i] != "" {
		return h[i]
	}
	return "column " + strconv.Itoa(i+1)
}

// Build plans the import of t, its columns read as cols, against the listings already in
// the directory (existing, with their places). A row whose Id names a listing, or whose
// name is a listing's, changes that listing; any other row adds one. Blank cells leave a
// listing's value as it is. Every problem names its row and column and says what to change.
func Build(t *Table, cols []Field, v Vocabulary, existing []*directory.Listing, places map[int64][]directory.Location, o Options) *Plan {
	if o.Kind == "" {
		o.Kind = directory.KindOrganization
	}
	p := &Plan{Problems: CheckColumns(t.Headings, cols)}
	if len(p.Problems) > 0 {
		return p
	}
	b := &builder{t: t, cols: cols, v: v, o: o, plan: p,
		bySlug: map[string]*directory.Listing{}, byName: map[string]*directory.Listing{},
		slugs: map[string]bool{}, seenName: map[string]int{}, seenID: map[int64]int{}}
	for _, l := range existing {
		b.slugs[l.Slug] = true
		if l.Kind == o.Kind || b.bySlug[l.Slug] == nil {
			b.bySlug[l.Slug] = l
		}
		if !l.DeletedAt.IsZero() {
			continue // a row never changes a listing in the trash: it adds one
		}
		k := Normalize(l.Name)
		if prev := b.byName[k]; prev == nil || (l.Kind == o.Kind && prev.Kind != o.Kind) {
			b.byName[k] = l
		}
	}
	for _, r := range t.Rows {
		b.row(r, places)
	}
	return p
}

type builder struct {
	t        *Table
	cols     []Field
	v        Vocabulary
	o        Options
	plan     *Plan
	bySlug   map[string]*directory.Listing
	byName   map[string]*directory.Listing
	slugs    map[string]bool // taken, by existing listings or earlier rows
	seenName map[string]int  // row of each name in the file
	seenID   map[int64]int   // row that changes each existing listing
	// normalized is the vocabulary with its names normalised (vocab).
	normalized []vocabName
}

// cell returns the row's value for f and its column's heading.
func (b *builder) cell(r Row, f Field) (string, string, bool) {
	for i, c := range b.cols {
		if c == f {
			return r.Cells[i], headingAt(b.t.Headings, i), true
		}
	}
	return "", "", false
}

func (b *builder) row(r Row, places map[int64][]directory.Location) {
	problems := 0
	bad := func(col, format string, args ...any) {
		b.plan.Problems = append(b.plan.Problems, Problem{Row: r.Number, Column: col, Message: fmt.Sprintf(format, args...)})
		problems++
	}
	name, nameCol, _ := b.cell(r, Name)
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		bad(nameCol, "the name is empty. Write the organization's name, or delete the row.")
		return
	}
	if prev, ok := b.seenName[Normalize(name)]; ok {
		bad(nameCol, "'%s' is also on row %d. Keep one of the two rows, or change one name.", name, prev)
		return
	}
	b.seenName[Normalize(name)] = r.Number

	// Which listing: the one the Id names, else the one with this name, else a new one.
	var ex *directory.Listing
	slug := ""
	if id, idCol, ok := b.cell(r, ID); ok && id != "" {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			for _, l := range b.bySlug {
				if l.ID == n {
					ex = l
				}
			}
			if ex == nil {
				bad(idCol, "no listing has the id %s. Leave the cell empty to add a new listing.", id)
				return
			}
		} else if l := b.bySlug[strings.ToLower(id)]; l != nil {
			ex = l
		} else if s := directory.Slug(id); s != "" {
			slug = s
		} else {
			bad(idCol, "'%s' cannot be used as an id. Use letters, numbers and hyphens, or leave the cell empty.", id)
			return
		}
	}
	if ex == nil && slug == "" {
		ex = b.byName[Normalize(name)]
	}
	if ex != nil {
		if prev, ok := b.seenID[ex.ID]; ok {
			bad(nameCol, "row %d changes the same listing (%s). Keep one of the two rows.", prev, ex.Name)
			return
		}
		b.seenID[ex.ID] = r.Number
	}

	var l directory.Listing
	if ex != nil {
		l = *ex
		l.Channels = slices.Clone(ex.Channels)
		l.Terms = slices.Clone(ex.Terms)
	} else {
		l = directory.Listing{Kind: b.o.Kind, Status: directory.StatusDraft}
		if b.o.Publish {
			l.Status = directory.StatusPublished
		}
		if slug == "" {
			slug = directory.Slug(name)
		}
		if slug == "" {
			slug = "listing"
		}
		l.Slug = b.uniqueSlug(slug)
	}
	l.Name = name
	if utf8.RuneCountInString(name) > directory.MaxName {
		bad(nameCol, "the name is longer than %d characters. Shorten it.", directory.MaxName)
	}

	if v, col, ok := b.cell(r, Description); ok && v != "" {
		if utf8.RuneCountInString(v) <= directory.MaxSummary {
			l.Summary = v
		} else if utf8.RuneCountInString(v) <= directory.MaxBody {
			l.Body = v
		} else {
			bad(col, "this is longer than %d characters. Shorten it.", directory.MaxBody)
		}
	}
	for _, x := range []struct {
		f   Field
		typ directory.ChannelType
	}{{Phone, directory.ChannelVoice}, {Text, directory.ChannelText}} {
		v, col, ok := b.cell(r, x.f)
		if !ok || v == "" {
			continue
		}
		var nums []string
		for _, s := range splitList(v, ";\n") {
			n, err := phone.Parse(s, phone.DefaultRegion)
			if err != nil {
				bad(col, "'%s' is not a phone number we can read. Write it like 907-555-0100, with the area code.", s)
				continue
			}
			nums = append(nums, n)
		}
		l.Channels = setNumbers(l.Channels, x.typ, nums)
	}
	if v, col, ok := b.cell(r, Email); ok && v != "" {
		v = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(v, "mailto:"), "MAILTO:"))
		if !directory.ValidEmail(v) {
			bad(col, "'%s' is not an email address. Write it like info@example.org.", v)
		}
		l.Email = v
	}
	if v, col, ok := b.cell(r, Website); ok && v != "" {
		u, ok := WebAddress(v)
		if !ok {
			bad(col, "'%s' is not a web address. Write it like example.org or https://example.org/help.", v)
		}
		l.Website = u
	}
	if v, col, ok := b.cell(r, Hours); ok && v != "" {
		if utf8.RuneCountInString(v) > directory.MaxShort {
			bad(col, "this is longer than %d characters. Shorten it.", directory.MaxShort)
		}
		l.Hours = v
		// "24/7" is also the listing's "open 24 hours" mark, which search filters by.
		if open247[Normalize(v)] {
			l.Open247 = true
		}
	}
	for _, f := range []Field{Services, WhoItServes, Area, Languages} {
		v, col, ok := b.cell(r, f)
		if !ok || v == "" {
			continue
		}
		terms, unknown := b.terms(taxonomyOf[f], v)
		for _, u := range unknown {
			bad(col, "'%s' is not one of: %s.", u, strings.Join(b.names(taxonomyOf[f]), ", "))
		}
		kept := slices.DeleteFunc(l.Terms, func(t directory.Term) bool { return t.Taxonomy == taxonomyOf[f] })
		l.Terms = append(kept, terms...)
	}

	// The place: the first one, changed by the address columns that are filled in.
	var place *directory.Location
	addr := map[Field]string{}
	addrCol := map[Field]string{}
	for _, f := range []Field{Street, City, State, ZIP} {
		if v, col, ok := b.cell(r, f); ok && v != "" {
			addr[f], addrCol[f] = v, col
		}
	}
	private, privateCol, _ := b.cell(r, Private)
	if len(addr) > 0 || (private != "" && ex != nil && len(places[ex.ID]) > 0) {
		loc := directory.Location{Country: "US", Private: b.o.PrivateAddresses}
		if ex != nil && len(places[ex.ID]) > 0 {
			loc = places[ex.ID][0]
		}
		if private != "" {
			yes, ok := yesNo(private)
			if !ok {
				bad(privateCol, "'%s' is not yes or no. Write yes to show only the town, no to show the street.", private)
			}
			loc.Private = yes
		}
		if v, ok := addr[Street]; ok {
			loc.Street = v
		}
		if v, ok := addr[City]; ok {
			loc.City = v
		}
		if v, ok := addr[State]; ok {
			loc.State = strings.ToUpper(v)
			if len(loc.State) != 2 {
				bad(addrCol[State], "'%s' is not a state code. Write two letters, like AK.", v)
			}
		}
		if v, ok := addr[ZIP]; ok {
			loc.PostalCode = v
			if !zipRE.MatchString(v) {
				hint := ""
				if len(v) == 4 && strings.Trim(v, "0123456789") == "" {
					hint = " The spreadsheet may have dropped a leading 0: format the column as text."
				}
				bad(addrCol[ZIP], "'%s' is not a ZIP code. Write 5 digits, like 99501.%s", v, hint)
			}
		}
		if err := loc.Validate(); err != nil {
			for field, msg := range fieldsOf(err) {
				f := map[string]Field{"street": Street, "city": City, "state": State, "postal_code": ZIP}[field]
				if field == "city" && addr[City] == "" {
					// Only a ZIP code or a state: say so on the first of them.
					f = ZIP
					if addr[ZIP] == "" {
						f = State
					}
					msg = "A place needs at least a city. Add the city, or leave the address empty."
				}
				bad(addrCol[f], "%s", lowerFirst(msg))
			}
		}
		place = &loc
	}
	if problems > 0 {
		return
	}
	if err := l.Validate(); err != nil {
		for field, msg := range fieldsOf(err) {
			bad(b.columnOf(field), "%s", lowerFirst(msg))
		}
		return
	}
	pl := Planned{Row: r.Number, Listing: &l, Existing: ex, Place: place}
	if ex == nil {
		b.plan.Add = append(b.plan.Add, pl)
		return
	}
	pl.Changes = b.changes(ex, &l, places[ex.ID], place)
	if len(pl.Changes) == 0 {
		b.plan.Unchanged++
		return
	}
	b.plan.Change = append(b.plan.Change, pl)
}

// yesNo reads a yes or a no as spreadsheets write them (yes, y, x, true, 1, sí; no, n,
// false, 0); false when it is neither.
func yesNo(s string) (yes, ok bool) {
	switch Normalize(s) {
	case "yes", "y", "x", "true", "1", "si", "private", "confidential":
		return true, true
	case "no", "n", "false", "0", "public":
		return false, true
	}
	return false, false
}

// open247 are the ways of writing "open all the time" that set a listing's Open247, as
// Normalize writes them.
var open247 = map[string]bool{"24 7": true, "24 7 365": true, "24 hours": true, "open 24 hours": true, "24 hrs": true,
	"24 hours a day": true, "24 hours a day 7 days a week": true, "always open": true, "24 horas": true}

var zipRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// WebAddress returns s as a full web address, adding https:// to a bare one ("example.org",
// "www.example.org/help"); false if it is not a web address.
func WebAddress(s string) (string, bool) {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	if !strings.HasPrefix(low, "http://") && !strings.HasPrefix(low, "https://") {
		if strings.Contains(s, "://") || strings.Contains(s, "@") {
			return s, false
		}
		s = "https://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil || !strings.Contains(u.Hostname(), ".") || strings.HasSuffix(u.Hostname(), ".") {
		return s, false
	}
	return s, directory.ValidWebURL(s)
}

// setNumbers makes nums the numbers of the channels of type typ, keeping each channel's
// label and hours by position; the channels of other types stay as they are.
func setNumbers(chs []directory.Channel, typ directory.ChannelType, nums []string) []directory.Channel {
	if len(nums) == 0 {
		return chs
	}
	var old []directory.Channel
	out := make([]directory.Channel, 0, len(chs)+len(nums))
	for _, c := range chs {
		if c.Type == typ {
			old = append(old, c)
		} else {
			out = append(out, c)
		}
	}
	for i, n := range nums {
		c := directory.Channel{Type: typ}
		if i < len(old) {
			c = old[i]
			c.Todo = false
		}
		c.Number = n
		out = append(out, c)
	}
	for i := range out {
		out[i].Position = i
	}
	return out
}

// splitList splits a cell into its parts at any of seps, dropping blanks.
func splitList(s, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// terms reads a cell of a term column: words separated by commas, semicolons or lines,
// each matched to a term of the taxonomy by its slug, any of its names, a plural, or a
// search word that means one of them. A name with a comma in it ("Niñas, niños y jóvenes")
// is found whole. It returns the terms, and the words that match none.
func (b *builder) terms(taxonomy, cell string) ([]directory.Term, []string) {
	var out []directory.Term
	var unknown []string
	add := func(t directory.Term) {
		if !slices.ContainsFunc(out, func(x directory.Term) bool { return x.Slug == t.Slug }) {
			out = append(out, t)
		}
	}
	for _, part := range splitList(cell, ";\n") {
		pieces := strings.Split(part, ",")
		for i := 0; i < len(pieces); {
			matched := false
			for j := len(pieces); j > i; j-- {
				w := strings.TrimSpace(strings.Join(pieces[i:j], ","))
				if t, ok := b.term(taxonomy, w); ok {
					add(t)
					i, matched = j, true
					break
				}
			}
			if !matched {
				if w := strings.TrimSpace(pieces[i]); w != "" {
					unknown = append(unknown, w)
				}
				i++
			}
		}
	}
	return out, unknown
}

func (b *builder) term(taxonomy, word string) (directory.Term, bool) {
	w := Normalize(word)
	if w == "" {
		return directory.Term{}, false
	}
	match := func(w string) (directory.Term, bool) {
		for _, vn := range b.vocab() {
			if vn.term.Taxonomy != taxonomy {
				continue
			}
			for _, n := range vn.names {
				if n == w || strings.TrimSuffix(n, "s") == strings.TrimSuffix(w, "s") {
					return vn.term, true
				}
			}
		}
		return directory.Term{}, false
	}
	if t, ok := match(w); ok {
		return t, true
	}
	// Search's other words, both ways: "lawyer" means "legal help".
	for _, s := range b.v.Synonyms {
		if Normalize(s.Words) == w {
			for _, m := range s.Means {
				if t, ok := match(Normalize(m)); ok {
					return t, true
				}
			}
		}
		for _, m := range s.Means {
			if Normalize(m) == w {
				if t, ok := match(Normalize(s.Words)); ok {
					return t, true
				}
			}
		}
	}
	return directory.Term{}, false
}

// vocabName is a term with its slug and names as Normalize writes them.
type vocabName struct {
	term  directory.Term
	names []string
}

// vocab returns the vocabulary's terms with their names normalised, once per build.
func (b *builder) vocab() []vocabName {
	if b.normalized == nil {
		b.normalized = []vocabName{}
		for _, vt := range b.v.Terms {
			vn := vocabName{term: vt.Term}
			for _, n := range append([]string{vt.Term.Slug, vt.Term.Name}, vt.Names...) {
				vn.names = append(vn.names, Normalize(n))
			}
			b.normalized = append(b.normalized, vn)
		}
	}
	return b.normalized
}

// names lists the English names of a taxonomy's terms, for a message.
func (b *builder) names(taxonomy string) []string {
	var out []string
	for _, vt := range b.v.Terms {
		if vt.Term.Taxonomy == taxonomy {
			out = append(out, vt.Term.Name)
		}
	}
	return out
}

func (b *builder) uniqueSlug(s string) string {
	base := s
	for i := 2; b.slugs[s]; i++ {
		s = base + "-" + strconv.Itoa(i)
	}
	b.slugs[s] = true
	return s
}

// columnOf names the column of a listing's field as Validate names it.
func (b *builder) columnOf(field string) string {
	f := map[string]Field{"name": Name, "summary": Description, "body": Description, "website": Website,
		"email": Email, "hours": Hours, "slug": ID}[field]
	if strings.HasPrefix(field, "channels.") {
		f = Phone
	}
	for i, c := range b.cols {
		if c == f && f != Skip {
			return headingAt(b.t.Headings, i)
		}
	}
	return ""
}

// changes names the columns whose values differ between ex and l.
func (b *builder) changes(ex, l *directory.Listing, exPlaces []directory.Location, place *directory.Location) []string {
	var out []string
	add := func(f Field, differ bool) {
		if differ {
			out = append(out, f.Heading())
		}
	}
	add(Name, ex.Name != l.Name)
	add(Description, ex.Summary != l.Summary || ex.Body != l.Body)
	add(Phone, !slices.Equal(numbers(ex, directory.ChannelVoice), numbers(l, directory.ChannelVoice)))
	add(Text, !slices.Equal(numbers(ex, directory.ChannelText), numbers(l, directory.ChannelText)))
	add(Email, ex.Email != l.Email)
	add(Website, ex.Website != l.Website)
	add(Hours, ex.Hours != l.Hours || ex.Open247 != l.Open247)
	for _, f := range []Field{Services, WhoItServes, Area, Languages} {
		add(f, !slices.Equal(slugs(ex, taxonomyOf[f]), slugs(l, taxonomyOf[f])))
	}
	if place != nil {
		var was directory.Location
		if len(exPlaces) > 0 {
			was = exPlaces[0]
		}
		add(Street, was.Street != place.Street)
		add(City, was.City != place.City)
		add(State, was.State != place.State)
		add(ZIP, was.PostalCode != place.PostalCode)
		add(Private, was.Private != place.Private)
	}
	return out
}

func numbers(l *directory.Listing, typ directory.ChannelType) []string {
	var out []string
	for _, c := range l.Channels {
		if c.Type == typ {
			out = append(out, c.Number)
		}
	}
	return out
}

func slugs(l *directory.Listing, taxonomy string) []string {
	var out []string
	for _, t := range l.TermsOf(taxonomy) {
		out = append(out, t.Slug)
	}
	slices.Sort(out)
	return out
}

// fieldsOf returns the per-field messages of a validation error, or its message alone.
func fieldsOf(err error) map[string]string {
	if e, ok := err.(*directory.Error); ok && len(e.Fields) > 0 {
		return e.Fields
	}
	return map[string]string{"": directory.ErrorMessage(err)}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}
