package web

import (
	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/phone"
	"signpost/internal/schemaorg"
	"signpost/templates"
)

// This file builds each page's schema.org description from the same values the page shows,
// so the JSON-LD can never say something the page does not. No page is marked up as a
// FAQPage: the prose pages have a few question-shaped headings, but none is a list of
// questions and answers, and search engines penalise FAQ markup on pages that are not.

// addBreadcrumbs adds a BreadcrumbList for the page's visible trail: Home, then p.Crumbs.
func addBreadcrumbs(p *templates.Layout) {
	if len(p.Crumbs) == 0 {
		return
	}
	crumbs := []schemaorg.Crumb{{Name: p.L.T("nav.home"), URL: p.BaseURL + p.L.Path("/")}}
	for _, c := range p.Crumbs {
		u := p.Canonical
		if c.Path != "" {
			u = p.BaseURL + c.Path
		}
		crumbs = append(crumbs, schemaorg.Crumb{Name: c.Name, URL: u})
	}
	p.JSONLD = append(p.JSONLD, schemaorg.NewBreadcrumbList(crumbs))
}

// websiteJSONLD describes the site and the working group that runs it, with the search box,
// for the home page of each language.
func websiteJSONLD(p templates.Layout) *schemaorg.WebSite {
	home := p.BaseURL + p.L.Path("/")
	group := &schemaorg.Organization{
		Type:  schemaorg.TypeOrganization,
		ID:    p.BaseURL + "/#organization",
		Name:  p.Site.SiteName,
		URL:   home,
		Email: p.Site.ContactEmail,
	}
	if p.Site.Region != "" {
		group.AreaServed = []schemaorg.Place{{Type: "AdministrativeArea", Name: p.Site.Region}}
	}
	return &schemaorg.WebSite{
		Context:         schemaorg.Context,
		Type:            "WebSite",
		ID:              p.BaseURL + "/#website",
		Name:            p.Site.SiteName,
		Description:     p.Description,
		URL:             home,
		InLanguage:      p.L.Tag,
		Publisher:       group,
		PotentialAction: schemaorg.NewSearchAction(p.BaseURL + p.L.Path("/search")),
	}
}

// organizationType is the schema.org type for an organization or agency listing.
func organizationType(k directory.Kind) string {
	if k == directory.KindAgency {
		return schemaorg.TypeGovernmentOrganization
	}
	return schemaorg.TypeOrganization
}

// listingJSONLD describes a hotline, organization or agency page; resources get none. An
// organization or agency is described with its own contact lines. A hotline is described
// as its operator (named on the page) with the hotline's lines as contact points, or, when
// the operator is unknown, as an organization of the hotline's own name.
func listingJSONLD(p templates.Layout, x *directory.Listing) *schemaorg.Organization {
	if x.Kind == directory.KindResource {
		return nil
	}
	page := p.BaseURL + p.L.Path(x.Path())
	org := &schemaorg.Organization{
		Context: schemaorg.Context,
		Type:    organizationType(x.Kind),
		ID:      page + "#organization",
		Name:    x.Name,
	}
	lines := contactPoints(p.L, x, p.Site.Region)
	if x.Kind == directory.KindHotline {
		if op := x.OperatedBy; op != nil {
			opPage := p.BaseURL + p.L.Path(op.Path())
			org.Type = organizationType(op.Kind)
			org.ID = opPage + "#organization"
			org.Name = op.Name
			org.MainEntityOfPage = opPage
		} else {
			org.MainEntityOfPage = page
		}
		for i := range lines {
			lines[i].Name = x.Name
		}
		org.ContactPoint = lines
		return org
	}
	org.Description = x.Summary
	org.URL = x.Website
	org.Email = x.Email
	org.MainEntityOfPage = page
	org.AreaServed = areasServed(x, p.Site.Region)
	org.ContactPoint = lines
	if op := x.OperatedBy; op != nil {
		opPage := p.BaseURL + p.L.Path(op.Path())
		org.Parent = &schemaorg.OrganizationID{Type: organizationType(op.Kind), ID: opPage + "#organization", Name: op.Name}
	}
	return org
}

// contactPoints turns a listing's phone lines and email addresses into contact points, each
// named as the page shows it. Text lines are left out: schema.org has no way to say "send
// a text message", and a short code is not a telephone number.
func contactPoints(l *i18n.Locale, x *directory.Listing, region string) []schemaorg.ContactPoint {
	var hours *schemaorg.OpeningHoursSpecification
	if x.Open247 {
		hours = schemaorg.AllWeek()
	}
	areas := areasServed(x, region)
	langs := languages(x)
	var out []schemaorg.ContactPoint
	for _, c := range x.PublicChannels() {
		cp := schemaorg.ContactPoint{Type: "ContactPoint", HoursAvailable: hours, AreaServed: areas, AvailableLanguage: langs}
		switch c.Type {
		case directory.ChannelVoice:
			// Stored numbers are E.164 already; short numbers (911) have no E.164 form.
			cp.Telephone = c.Number
			cp.ContactType = orDefault(c.Purpose(), l.T("line.call"))
		case directory.ChannelEmail:
			cp.Email = c.Address
			cp.ContactType = orDefault(c.Purpose(), l.T("line.email"))
		default:
			continue
		}
		out = append(out, cp)
	}
	return out
}

// areasServed maps a listing's area terms to places. International means anywhere, which
// schema.org says by leaving areaServed out. National is the country the site's phone
// numbers belong to; statewide and local lines serve the working group's region.
func areasServed(x *directory.Listing, region string) []schemaorg.Place {
	var national, inRegion bool
	for _, t := range x.TermsOf("area") {
		switch t.Slug {
		case "international":
			return nil
		case "national":
			national = true
		case "statewide", "local":
			inRegion = true
		}
	}
	switch {
	case national:
		return []schemaorg.Place{{Type: "Country", Name: phone.DefaultRegion}}
	case inRegion && region != "":
		return []schemaorg.Place{{Type: "AdministrativeArea", Name: region}}
	}
	return nil
}

// languages lists the languages a listing names, by name as the page shows it and by tag.
// "Many languages" names none in particular and is left out.
func languages(x *directory.Listing) []schemaorg.Language {
	var out []schemaorg.Language
	for _, t := range x.TermsOf("language") {
		if t.Slug == "multilingual" {
			continue
		}
		out = append(out, schemaorg.Language{Type: "Language", Name: t.Name, AlternateName: t.Slug})
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
