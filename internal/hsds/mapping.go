package hsds

import (
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
}

func (m *mapper) taxonomies() []Taxonomy {
	out := make([]Taxonomy, 0, len(taxonomyNames))
	for _, n := range taxonomyNames {
		out = append(out, Taxonomy{ID: m.ids.hash("taxonomy", n), Name: n, Description: taxonomyDescriptions[n]})
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
	return TaxonomyTerm{ID: m.ids.of("term", t.ID), Code: t.Slug, Name: t.Name, Description: t.Name,
		Taxonomy: t.Taxonomy, TaxonomyID: m.ids.hash("taxonomy", t.Taxonomy), Language: "en"}
}

func (m *mapper) kindTerm(k directory.Kind) TaxonomyTerm {
	return TaxonomyTerm{ID: m.ids.hash("kind", string(k)), Code: string(k), Name: kindNames[k], Description: kindNames[k],
		Taxonomy: kindTaxonomy, TaxonomyID: m.ids.hash("taxonomy", kindTaxonomy), Language: "en"}
}

// isOrganization reports whether l is published as an HSDS organization of its own.
func isOrganization(l *directory.Listing) bool {
	return l.Kind == directory.KindOrganization || l.Kind == directory.KindAgency ||
		l.Kind == directory.KindHotline && (l.OperatedBy == nil || l.OperatedBy.ID == 0)
}

// organizationIDOf returns the id of the organization that provides l's service.
func (m *mapper) organizationIDOf(l *directory.Listing) string {
	if l.Kind == directory.KindHotline && l.OperatedBy != nil && l.OperatedBy.ID != 0 {
		return m.ids.of("organization", l.OperatedBy.ID)
	}
	return m.ids.of("organization", l.ID)
}

func (m *mapper) organization(l *directory.Listing) Organization {
	o := Organization{ID: m.ids.of("organization", l.ID), Name: l.Name, Description: l.Summary,
		Email: l.Email, Website: l.Website, Phones: []Phone{}}
	for _, p := range m.phones(l) {
		p.ServiceID = ""
		p.OrganizationID = o.ID
		o.Phones = append(o.Phones, p)
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
	sid := m.ids.of("service", l.ID)
	var out []Phone
	for _, c := range l.PublicChannels() {
		if c.Type != directory.ChannelVoice && c.Type != directory.ChannelText {
			continue
		}
		pid := m.ids.of("phone", c.ID)
		p := Phone{ID: pid, ServiceID: sid, Number: c.Number, Type: string(c.Type), Description: c.Label, Languages: []Language{}}
		if isOrganization(l) {
			p.OrganizationID = m.ids.of("organization", l.ID)
		}
		for _, t := range l.TermsOf("language") {
			p.Languages = append(p.Languages, Language{ID: m.ids.hash("phone-language", c.ID, t.ID), PhoneID: pid,
				Name: t.Name, Code: languageCode(t.Slug)})
		}
		out = append(out, p)
	}
	return out
}

// allDays is every day of the week, for "open 24/7".
const allDays = "MO,TU,WE,TH,FR,SA,SU"

func (m *mapper) service(l *directory.Listing) Service {
	sid := m.ids.of("service", l.ID)
	s := Service{ID: sid, OrganizationID: m.organizationIDOf(l), Name: l.Name, Description: l.Summary,
		URL: l.Website, Email: l.Email, Status: "active",
		Phones: m.phones(l), Schedules: []Schedule{}, ServiceAreas: []ServiceArea{}, Languages: []Language{}, Attributes: []Attribute{}}
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
		s.Schedules = append(s.Schedules, Schedule{ID: m.ids.hash("schedule", l.ID), ServiceID: sid,
			Freq: "WEEKLY", Byday: allDays, OpensAt: "00:00", ClosesAt: "23:59", Description: l.Hours})
	case l.Hours != "":
		s.Schedules = append(s.Schedules, Schedule{ID: m.ids.hash("schedule", l.ID), ServiceID: sid, Description: l.Hours})
	}
	for _, t := range l.TermsOf("area") {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: m.ids.hash("service-area", l.ID, t.ID), ServiceID: sid, Name: t.Name})
	}
	for _, t := range l.TermsOf("language") {
		s.Languages = append(s.Languages, Language{ID: m.ids.hash("language", l.ID, t.ID), ServiceID: sid,
			Name: t.Name, Code: languageCode(t.Slug)})
	}
	for _, t := range l.Terms {
		tt := m.term(t)
		s.Attributes = append(s.Attributes, Attribute{ID: m.ids.hash("attribute", l.ID, tt.ID), LinkID: sid,
			LinkEntity: "service", TaxonomyTermID: tt.ID, TaxonomyTerm: &tt})
	}
	kt := m.kindTerm(l.Kind)
	s.Attributes = append(s.Attributes, Attribute{ID: m.ids.hash("attribute", l.ID, kt.ID), LinkID: sid,
		LinkEntity: "service", TaxonomyTermID: kt.ID, TaxonomyTerm: &kt})
	return s
}
