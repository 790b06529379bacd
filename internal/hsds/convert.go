package hsds

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/phone"
)

// Reading one listing's parts from the upload's rows: phones, schedules, terms, places.

// readPhones adds the call and text lines of rows to c. Types other than voice, cell and
// text (fax, pager…) are not lines Signpost lists and are skipped; a number that cannot be
// read is left out with a warning. orgOnly skips the phones of an organization's services.
func (im *importer) readPhones(c *candidate, rows []rawRow, orgOnly bool) {
	t := im.t["phones.csv"]
	for _, p := range rows {
		if orgOnly && t.get(p, "service_id") != "" {
			continue
		}
		var typ directory.ChannelType
		switch strings.ToLower(t.get(p, "type")) {
		case "", "voice", "cell":
			typ = directory.ChannelVoice
		case "text", "sms":
			typ = directory.ChannelText
		default:
			im.leaveOut(t, p, fmt.Sprintf("the %s number is left out: Signpost lists lines to call or text", t.get(p, "type")))
			continue
		}
		// A number is sometimes quoted inside its field ("\"+44 1234 234567\"", as in
		// Open Referral's own example), so that spreadsheets keep the +.
		raw := strings.Trim(t.get(p, "number"), `"' `)
		n, err := phone.Parse(raw, "")
		if err != nil {
			im.leaveOut(t, p, fmt.Sprintf("the number %q is left out: it is not a phone number", raw))
			continue
		}
		if ext := t.get(p, "extension"); ext != "" {
			im.leaveOut(t, p, fmt.Sprintf("the extension %q of %s is left out: Signpost has no field for it", ext, raw))
		}
		// A listing may have two lines of one number (call and text, or two text keywords):
		// the link names which of them, in order.
		nth := 0
		for _, x := range c.l.Channels {
			if x.Type == typ && x.Number == n {
				nth++
			}
		}
		c.l.Channels = append(c.l.Channels, directory.Channel{Type: typ, Number: n, Label: t.get(p, "description")})
		pk := "phone\x00" + string(typ) + "\x00" + n + "\x00" + strconv.Itoa(nth)
		c.link(pk, t.get(p, "id"))
		lt := im.t["languages.csv"]
		for _, l := range im.langsByPhone[t.get(p, "id")] {
			if term, ok := im.languageTerm(lt, l); ok {
				c.link("phone-language\x00"+string(typ)+"\x00"+n+"\x00"+strconv.Itoa(nth)+"\x00"+strconv.FormatInt(term.ID, 10), lt.get(l, "id"))
			}
		}
	}
}

func (c *candidate) link(rel, id string) {
	if id != "" {
		c.links = append(c.links, idLink{rel: rel, id: id})
	}
}

func (im *importer) readSchedules(c *candidate, svcID string) {
	t := im.t["schedules.csv"]
	for _, s := range im.schedBySvc[svcID] {
		if isAllWeek(t, s) {
			c.l.Open247 = true
		}
		if d := t.get(s, "description"); d != "" && c.l.Hours == "" {
			c.l.Hours = d
		}
		c.link("schedule", t.get(s, "id"))
	}
}

// readTerms reads a service's areas, languages and attributes as filter terms. A value that
// matches none of the directory's terms is left out with a warning.
func (im *importer) readTerms(c *candidate, svcID string) {
	areaT, langT, attrT := im.t["service_areas.csv"], im.t["languages.csv"], im.t["attributes.csv"]
	for _, a := range im.areasBySvc[svcID] {
		name := areaT.get(a, "name")
		if t, ok := im.termByName("area", name); ok {
			c.l.Terms = append(c.l.Terms, t)
			c.link("service-area\x00"+strconv.FormatInt(t.ID, 10), areaT.get(a, "id"))
		} else if name != "" {
			im.leaveOut(areaT, a, fmt.Sprintf("the area %q is not one of this directory's areas", name))
		}
	}
	for _, l := range im.langsBySvc[svcID] {
		if t, ok := im.languageTerm(langT, l); ok {
			c.l.Terms = append(c.l.Terms, t)
			c.link("language\x00"+strconv.FormatInt(t.ID, 10), langT.get(l, "id"))
		} else if v := cmpOr(langT.get(l, "name"), langT.get(l, "code")); v != "" {
			im.leaveOut(langT, l, fmt.Sprintf("the language %q is not one of this directory's languages", v))
		}
	}
	for _, a := range im.attrsByLink[svcID] {
		tk, ok := im.attributeTerm(attrT, a)
		if ok && tk.taxonomy == kindTaxonomy {
			if k := directory.Kind(tk.code); slices.Contains(serviceKinds, k) {
				im.keepID(key("kind", tk.code), tk.id, im.m.ids.hash("kind", tk.code))
				c.link("attribute\x00"+im.published(key("kind", tk.code), tk.id), attrT.get(a, "id"))
			}
			continue
		}
		t, found := directory.Term{}, false
		if ok {
			t, found = im.termBySlug(tk.taxonomy, tk.code)
		}
		if found {
			im.keepID(key("term", t.ID), tk.id, im.m.ids.of("term", t.ID))
			c.link("attribute\x00"+im.published(key("term", t.ID), tk.id), attrT.get(a, "id"))
			if tk.taxonomy != "area" && tk.taxonomy != "language" {
				// areas and languages come from their own tables
				c.l.Terms = append(c.l.Terms, t)
			}
			continue
		}
		what := fmt.Sprintf("the term %q", attrT.get(a, "taxonomy_term_id"))
		if ok {
			what = fmt.Sprintf("the %s term %q", tk.taxonomy, tk.code)
		}
		im.leaveOut(attrT, a, what+" is not one of this directory's filter terms")
	}
	c.l.Terms = uniqueTerms(c.l.Terms)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (im *importer) languageTerm(t *rawTable, r rawRow) (directory.Term, bool) {
	if term, ok := im.termByName("language", t.get(r, "code")); ok {
		return term, true
	}
	return im.termByName("language", t.get(r, "name"))
}

// keepID records the upload's id of a record that already exists here (a term, a
// taxonomy), unless the record already has a kept id or the upload's id is ours.
func (im *importer) keepID(k, id, ours string) {
	if id == "" || id == ours {
		return
	}
	if _, ok := im.m.known[k]; ok {
		return
	}
	if _, ok := im.preview.keptIDs[k]; !ok {
		im.preview.keptIDs[k] = id
	}
}

// published is the id a record will be exported with after the import: the one already
// kept, or the upload's.
func (im *importer) published(k, uploadID string) string {
	if v, ok := im.m.known[k]; ok {
		return v
	}
	if v, ok := im.preview.keptIDs[k]; ok {
		return v
	}
	return uploadID
}

// keepTaxonomyIDs keeps the upload's ids of the taxonomies and terms that are Signpost's own.
func (im *importer) keepTaxonomyIDs() {
	for _, tk := range im.upTerms {
		if tk.taxonomy == kindTaxonomy {
			if slices.Contains(serviceKinds, directory.Kind(tk.code)) {
				im.keepID(key("kind", tk.code), tk.id, im.m.ids.hash("kind", tk.code))
			}
		} else if t, ok := im.termBySlug(tk.taxonomy, tk.code); ok {
			im.keepID(key("term", t.ID), tk.id, im.m.ids.of("term", t.ID))
		}
	}
	for id, name := range im.upTaxonomies {
		if slices.Contains(taxonomyNames, name) {
			im.keepID(key("taxonomy", name), id, im.m.ids.hash("taxonomy", name))
		}
	}
}

// readLocations reads the places a service is offered at (service_at_location.csv,
// locations.csv, addresses.csv).
func (im *importer) readLocations(c *candidate, svcID string) {
	salT := im.t["service_at_location.csv"]
	for _, sl := range im.salBySvc[svcID] {
		locID := salT.get(sl, "location_id")
		r, ok := im.locs[locID]
		if !ok {
			im.leaveOut(salT, sl, fmt.Sprintf("the location %q is not in locations.csv", locID))
			continue
		}
		if im.addLocation(c, r) {
			c.link("service-at-location\x00"+locID, salT.get(sl, "id"))
		}
	}
}

// readOrgLocations reads the places of an organization listed on its own.
func (im *importer) readOrgLocations(c *candidate, orgID string) {
	t := im.t["locations.csv"]
	if t == nil {
		return
	}
	for _, r := range t.rows {
		if t.get(r, "organization_id") == orgID {
			im.addLocation(c, r)
		}
	}
}

var stateCode = regexp.MustCompile(`^[A-Za-z]{2}$`)

// addLocation adds the location of row r (and its first physical address) to c. Virtual
// locations (a website) are not places and are left out.
func (im *importer) addLocation(c *candidate, r rawRow) bool {
	t, at := im.t["locations.csv"], im.t["addresses.csv"]
	if typ := strings.ToLower(t.get(r, "location_type")); typ == "virtual" {
		im.leaveOut(t, r, "a virtual location is left out: Signpost lists places")
		return false
	}
	id := t.get(r, "id")
	loc := directory.Location{Name: t.get(r, "name"), Private: t.get(r, "description") == privateNote}
	// The physical address, else the postal one (a place's address all the same).
	addrs := slices.Clone(im.addrsByLoc[id])
	slices.SortStableFunc(addrs, func(a, b rawRow) int {
		return boolInt(!strings.EqualFold(at.get(a, "address_type"), "physical")) - boolInt(!strings.EqualFold(at.get(b, "address_type"), "physical"))
	})
	for _, a := range addrs {
		if strings.EqualFold(at.get(a, "address_type"), "virtual") {
			continue
		}
		loc.Street, loc.Street2, loc.City = at.get(a, "address_1"), at.get(a, "address_2"), at.get(a, "city")
		loc.State, loc.PostalCode, loc.Country = at.get(a, "state_province"), at.get(a, "postal_code"), at.get(a, "country")
		if stateCode.MatchString(loc.Country) {
			loc.Country = strings.ToUpper(loc.Country)
		}
		c.link("address\x00"+strconv.Itoa(len(c.locations)), at.get(a, "id"))
		break
	}
	lat, errLat := strconv.ParseFloat(t.get(r, "latitude"), 64)
	lon, errLon := strconv.ParseFloat(t.get(r, "longitude"), 64)
	if errLat == nil && errLon == nil {
		loc.Latitude, loc.Longitude = &lat, &lon
	} else if t.get(r, "latitude")+t.get(r, "longitude") != "" {
		im.leaveOut(t, r, "the coordinates are left out: they are not two numbers")
	}
	if err := loc.Validate(); err != nil {
		if loc.Latitude != nil {
			loc.Latitude, loc.Longitude = nil, nil
			if loc.Validate() == nil {
				im.leaveOut(t, r, "the coordinates are left out: "+describe(err))
			}
		}
		if err := loc.Validate(); err != nil {
			im.leaveOut(t, r, "the location is left out: "+describe(err))
			return false
		}
	}
	c.link("location\x00"+strconv.Itoa(len(c.locations)), id)
	if c.locations == nil {
		c.locations = []directory.Location{}
	}
	c.locations = append(c.locations, loc)
	return true
}

// sameLocations reports whether two lists of places say the same.
func sameLocations(a, b []directory.Location) bool {
	if len(a) != len(b) {
		return false
	}
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	for i := range a {
		x, y := a[i], b[i]
		cx, cy := cmpOr(x.Country, "US"), cmpOr(y.Country, "US")
		if x.Name != y.Name || x.Street != y.Street || x.Street2 != y.Street2 || x.City != y.City || x.State != y.State ||
			x.PostalCode != y.PostalCode || cx != cy || f(x.Latitude) != f(y.Latitude) || f(x.Longitude) != f(y.Longitude) {
			return false
		}
	}
	return true
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

func (im *importer) termBySlug(taxonomy, slug string) (directory.Term, bool) {
	for _, t := range im.m.terms {
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
	for _, t := range im.m.terms {
		if t.Taxonomy == taxonomy && (strings.EqualFold(t.Name, s) || strings.EqualFold(t.Slug, s) ||
			taxonomy == "language" && strings.EqualFold(languageCode(t.Slug), s)) {
			return t, true
		}
	}
	return directory.Term{}, false
}

// newSlug makes a free slug of kind from a name, with the directory's one slug rule.
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
