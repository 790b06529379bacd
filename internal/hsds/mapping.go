package hsds

import (
	"strconv"
	"time"

	"signpost/internal/directory"
)

// kindTaxonomy is the taxonomy that records which kind of listing a service is, so that a
// round trip through HSDS brings back a hotline as a hotline and an agency as an agency.
const kindTaxonomy = "kind"

// taxonomyNames are the taxonomies published, in order.
var taxonomyNames = append(append([]string{}, directory.Taxonomies...), kindTaxonomy)

var taxonomyDescriptions = map[string]string{
	"service":    "What a listing offers: shelter, legal help, reporting… (Signpost's own taxonomy).",
	"population": "Who a listing serves (Signpost's own taxonomy).",
	"area":       "The area a listing serves: local, statewide, national, international (Signpost's own taxonomy).",
	"language":   "Languages a listing works in (Signpost's own taxonomy).",
	kindTaxonomy: "Which kind of listing this is in Signpost: hotline, organization or agency.",
}

// serviceKinds are the listing kinds published as services.
var serviceKinds = []directory.Kind{directory.KindHotline, directory.KindOrganization, directory.KindAgency}

var kindNames = map[directory.Kind]string{
	directory.KindHotline: "Hotline", directory.KindOrganization: "Organization", directory.KindAgency: "Agency",
}

// languageCodes maps language term slugs that are not ISO 639 codes themselves.
var languageCodes = map[string]string{"multilingual": "mul"}

// mapper turns listings and terms into HSDS records.
type mapper struct {
	ids   ids
	terms []directory.Term // every term, in English
	// known are the ids kept from imported data, by record key (see key); byID is the
	// reverse. A record with no kept id gets the id ids derives.
	known map[string]string
	byID  map[string]string
	// locations are the listings' places, by listing id.
	locations map[int64][]directory.Location
	// codes are the published taxonomy term codes, by term id: the slug, or "taxonomy:slug"
	// where two taxonomies share a slug (HSDS wants codes unique).
	codes map[int64]string
}

func newMapperFrom(ns string, terms []directory.Term, known map[string]string, locs map[int64][]directory.Location) *mapper {
	m := &mapper{ids: ids{ns: ns}, terms: terms, known: known, byID: map[string]string{}, locations: locs, codes: map[int64]string{}}
	for k, v := range known {
		m.byID[v] = k
	}
	taken := map[string]int{}
	for _, t := range terms {
		taken[t.Slug]++
	}
	for _, k := range serviceKinds {
		taken[string(k)]++
	}
	for _, t := range terms {
		m.codes[t.ID] = t.Slug
		if taken[t.Slug] > 1 {
			m.codes[t.ID] = t.Taxonomy + ":" + t.Slug
		}
	}
	return m
}

// key names a record in Signpost's own terms: its type and the row ids (or names) it is
// made of ("service:12", "language:12:40").
func key(typ string, parts ...any) string {
	s := typ
	for _, p := range parts {
		s += ":"
		switch v := p.(type) {
		case int64:
			s += strconv.FormatInt(v, 10)
		case string:
			s += v
		}
	}
	return s
}

// of returns the id of the record typ of row id: the one kept from imported data, or ours.
func (m *mapper) of(typ string, id int64) string {
	if v, ok := m.known[key(typ, id)]; ok {
		return v
	}
	return m.ids.of(typ, id)
}

// hash returns the id of a record made of several parts: the one kept, or ours.
func (m *mapper) hash(typ string, parts ...any) string {
	if v, ok := m.known[key(typ, parts...)]; ok {
		return v
	}
	return m.ids.hash(append([]any{typ}, parts...)...)
}

// parse returns the row id that s names as a record of typ, kept or ours.
func (m *mapper) parse(typ, s string) (int64, bool) {
	if k, ok := m.byID[s]; ok {
		rest, found := cutPrefix(k, typ+":")
		if !found {
			return 0, false
		}
		n, err := strconv.ParseInt(rest, 10, 64)
		return n, err == nil
	}
	return m.ids.parse(typ, s)
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

func (m *mapper) taxonomyID(name string) string { return m.hash("taxonomy", name) }

func (m *mapper) taxonomies() []Taxonomy {
	out := make([]Taxonomy, 0, len(taxonomyNames))
	for _, n := range taxonomyNames {
		out = append(out, Taxonomy{ID: m.taxonomyID(n), Name: n, Description: taxonomyDescriptions[n]})
	}
	return out
}

// taxonomyTerms returns every term, the kinds last.
func (m *mapper) taxonomyTerms() []TaxonomyTerm {
	var out []TaxonomyTerm
	for _, t := range m.terms {
		out = append(out, m.term(t))
	}
	for _, k := range serviceKinds {
		out = append(out, m.kindTerm(k))
	}
	return out
}

func (m *mapper) term(t directory.Term) TaxonomyTerm {
	code := m.codes[t.ID]
	if code == "" {
		code = t.Slug
	}
	return TaxonomyTerm{ID: m.of("term", t.ID), Code: code, Name: t.Name, Description: t.Name,
		Taxonomy: t.Taxonomy, TaxonomyID: m.taxonomyID(t.Taxonomy), Language: "en"}
}

func (m *mapper) kindTerm(k directory.Kind) TaxonomyTerm {
	return TaxonomyTerm{ID: m.hash("kind", string(k)), Code: string(k), Name: kindNames[k], Description: kindNames[k],
		Taxonomy: kindTaxonomy, TaxonomyID: m.taxonomyID(kindTaxonomy), Language: "en"}
}

// isOrganization reports whether l is published as an HSDS organization of its own.
func isOrganization(l *directory.Listing) bool {
	return l.Kind == directory.KindOrganization || l.Kind == directory.KindAgency ||
		l.Kind == directory.KindHotline && (l.OperatedBy == nil || l.OperatedBy.ID == 0)
}

// organizationIDOf returns the id of the organization that provides l's service.
func (m *mapper) organizationIDOf(l *directory.Listing) string {
	if l.Kind == directory.KindHotline && l.OperatedBy != nil && l.OperatedBy.ID != 0 {
		return m.of("organization", l.OperatedBy.ID)
	}
	return m.of("organization", l.ID)
}

func (m *mapper) organization(l *directory.Listing) Organization {
	// HSDS requires a description; a listing with no summary yet is described by its name.
	desc := l.Summary
	if desc == "" {
		desc = l.Name
	}
	o := Organization{ID: m.of("organization", l.ID), Name: l.Name, Description: desc,
		Email: l.Email, Website: l.Website, Phones: []Phone{}}
	for _, p := range m.phones(l) {
		p.ServiceID = ""
		p.OrganizationID = o.ID
		o.Phones = append(o.Phones, p)
	}
	for _, loc := range m.listingLocations(l) {
		loc.OrganizationID = o.ID
		o.Locations = append(o.Locations, loc)
	}
	return o
}

func languageCode(slug string) string {
	if c, ok := languageCodes[slug]; ok {
		return c
	}
	if len(slug) == 2 || len(slug) == 3 {
		return slug
	}
	return ""
}

// phones returns l's call and text lines as HSDS phones of its service. The phone of an
// organization's own listing also names the organization.
func (m *mapper) phones(l *directory.Listing) []Phone {
	sid := m.of("service", l.ID)
	var out []Phone
	for _, c := range l.PublicChannels() {
		if c.Type != directory.ChannelVoice && c.Type != directory.ChannelText {
			continue
		}
		pid := m.of("phone", c.ID)
		p := Phone{ID: pid, ServiceID: sid, Number: c.Number, Type: string(c.Type), Description: c.Label, Languages: []Language{}}
		if isOrganization(l) {
			p.OrganizationID = m.of("organization", l.ID)
		}
		for _, t := range l.TermsOf("language") {
			p.Languages = append(p.Languages, Language{ID: m.hash("phone-language", c.ID, t.ID), PhoneID: pid,
				Name: t.Name, Code: languageCode(t.Slug)})
		}
		out = append(out, p)
	}
	return out
}

// listingLocations returns l's places as HSDS locations. A private address is published as
// its city and state: no street, no coordinates.
func (m *mapper) listingLocations(l *directory.Listing) []Location {
	var out []Location
	for _, x := range m.locations[l.ID] {
		loc := Location{ID: m.of("location", x.ID), LocationType: "physical", Name: x.Name, Addresses: []Address{}}
		if loc.Name == "" {
			loc.Name = placeName(x)
		}
		if x.Private {
			loc.Description = privateNote
		} else {
			loc.Latitude, loc.Longitude = x.Latitude, x.Longitude
			if x.HasAddress() {
				country := x.Country
				if country == "" {
					country = "US"
				}
				loc.Addresses = append(loc.Addresses, Address{ID: m.of("address", x.ID), LocationID: loc.ID,
					Address1: x.Street, Address2: x.Street2, City: x.City, StateProvince: x.State,
					PostalCode: x.PostalCode, Country: country, AddressType: "physical"})
			}
		}
		out = append(out, loc)
	}
	return out
}

// privateNote describes a place whose address is kept private; an import of Signpost's own
// export reads it back as the private flag.
const privateNote = "The address is kept private."

// placeName names a place by its city and state ("Anchorage, AK").
func placeName(x directory.Location) string {
	switch {
	case x.City != "" && x.State != "":
		return x.City + ", " + x.State
	case x.City != "":
		return x.City
	}
	return x.State
}

// allDays is every day of the week, for "open 24/7".
const allDays = "MO,TU,WE,TH,FR,SA,SU"

func (m *mapper) service(l *directory.Listing) Service {
	sid := m.of("service", l.ID)
	s := Service{ID: sid, OrganizationID: m.organizationIDOf(l), Name: l.Name, Description: l.Summary,
		URL: l.Website, Email: l.Email, Status: "active",
		Phones: m.phones(l), Schedules: []Schedule{}, ServiceAreas: []ServiceArea{}, Languages: []Language{}, Attributes: []Attribute{},
		ServiceAtLocations: []ServiceAtLocation{}}
	if s.Phones == nil {
		s.Phones = []Phone{}
	}
	if !l.LastVerified.IsZero() {
		s.AssuredDate = l.LastVerified.UTC().Format(time.DateOnly)
	}
	if !l.UpdatedAt.IsZero() {
		s.LastModified = l.UpdatedAt.UTC().Format(time.RFC3339)
	}
	switch {
	case l.Open247:
		// Table Schema's time is HH:MM:SS; the last second of the day closes it.
		s.Schedules = append(s.Schedules, Schedule{ID: m.hash("schedule", l.ID), ServiceID: sid,
			Freq: "WEEKLY", Byday: allDays, OpensAt: "00:00:00", ClosesAt: "23:59:59", Description: l.Hours})
	case l.Hours != "":
		s.Schedules = append(s.Schedules, Schedule{ID: m.hash("schedule", l.ID), ServiceID: sid, Description: l.Hours})
	}
	for _, t := range l.TermsOf("area") {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: m.hash("service-area", l.ID, t.ID), ServiceID: sid, Name: t.Name})
	}
	for _, t := range l.TermsOf("language") {
		s.Languages = append(s.Languages, Language{ID: m.hash("language", l.ID, t.ID), ServiceID: sid,
			Name: t.Name, Code: languageCode(t.Slug)})
	}
	for _, t := range l.Terms {
		tt := m.term(t)
		s.Attributes = append(s.Attributes, Attribute{ID: m.hash("attribute", l.ID, tt.ID), LinkID: sid,
			LinkEntity: "service", TaxonomyTermID: tt.ID, TaxonomyTerm: &tt})
	}
	kt := m.kindTerm(l.Kind)
	s.Attributes = append(s.Attributes, Attribute{ID: m.hash("attribute", l.ID, kt.ID), LinkID: sid,
		LinkEntity: "service", TaxonomyTermID: kt.ID, TaxonomyTerm: &kt})
	for _, loc := range m.listingLocations(l) {
		loc := loc
		s.ServiceAtLocations = append(s.ServiceAtLocations, ServiceAtLocation{ID: m.hash("service-at-location", l.ID, loc.ID),
			ServiceID: sid, LocationID: loc.ID, Location: &loc})
	}
	return s
}
