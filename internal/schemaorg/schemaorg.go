// Package schemaorg holds the few schema.org types Signpost describes its pages with, as Go
// values that encoding/json turns into JSON-LD. Pages never write JSON-LD by hand: a value is
// built from the same view model the page shows, and marshalled, so the markup always
// parses and can only say what the page says.
//
// Empty fields are left out. Types that appear at the top of a <script
// type="application/ld+json"> carry Context; nested ones do not need it.
package schemaorg

// Context is the JSON-LD context of every top-level value.
const Context = "https://schema.org"

// Organization is an Organization or a GovernmentOrganization (Type says which).
type Organization struct {
	Context          string          `json:"@context,omitempty"`
	Type             string          `json:"@type"`
	ID               string          `json:"@id,omitempty"`
	Name             string          `json:"name"`
	Description      string          `json:"description,omitempty"`
	URL              string          `json:"url,omitempty"` // the organization's own website
	Email            string          `json:"email,omitempty"`
	SameAs           []string        `json:"sameAs,omitempty"`
	MainEntityOfPage string          `json:"mainEntityOfPage,omitempty"` // the page that describes it
	AreaServed       []Place         `json:"areaServed,omitempty"`
	ContactPoint     []ContactPoint  `json:"contactPoint,omitempty"`
	Parent           *OrganizationID `json:"parentOrganization,omitempty"`
}

// OrganizationID refers to an organization described elsewhere, by name and page.
type OrganizationID struct {
	Type string `json:"@type"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name"`
}

// Organization types.
const (
	TypeOrganization           = "Organization"
	TypeGovernmentOrganization = "GovernmentOrganization"
)

// ContactPoint is one way to reach an organization: a telephone number (E.164 for full
// numbers; short numbers such as 911 have no E.164 form and are given as dialled), or an
// email address or web address.
type ContactPoint struct {
	Type              string                     `json:"@type"`
	Name              string                     `json:"name,omitempty"`
	ContactType       string                     `json:"contactType,omitempty"`
	Telephone         string                     `json:"telephone,omitempty"`
	Email             string                     `json:"email,omitempty"`
	URL               string                     `json:"url,omitempty"`
	HoursAvailable    *OpeningHoursSpecification `json:"hoursAvailable,omitempty"`
	AreaServed        []Place                    `json:"areaServed,omitempty"`
	AvailableLanguage []Language                 `json:"availableLanguage,omitempty"`
}

// OpeningHoursSpecification is when a line answers.
type OpeningHoursSpecification struct {
	Type      string   `json:"@type"`
	DayOfWeek []string `json:"dayOfWeek"`
	Opens     string   `json:"opens"`
	Closes    string   `json:"closes"`
}

// AllWeek is a line that answers every hour of every day: schema.org's way to say 24/7 is
// every day from 00:00 to 23:59.
func AllWeek() *OpeningHoursSpecification {
	return &OpeningHoursSpecification{
		Type: "OpeningHoursSpecification",
		DayOfWeek: []string{"https://schema.org/Monday", "https://schema.org/Tuesday", "https://schema.org/Wednesday",
			"https://schema.org/Thursday", "https://schema.org/Friday", "https://schema.org/Saturday", "https://schema.org/Sunday"},
		Opens:  "00:00",
		Closes: "23:59",
	}
}

// Place is an area served: a Country (Name is its ISO 3166-1 code) or an AdministrativeArea
// such as a state.
type Place struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// Language is a language a line answers in (AlternateName is its BCP 47 tag).
type Language struct {
	Type          string `json:"@type"`
	Name          string `json:"name"`
	AlternateName string `json:"alternateName,omitempty"`
}

// WebSite is the site, with the search box search engines may show under it.
type WebSite struct {
	Context         string        `json:"@context"`
	Type            string        `json:"@type"`
	ID              string        `json:"@id,omitempty"`
	Name            string        `json:"name"`
	Description     string        `json:"description,omitempty"`
	URL             string        `json:"url"`
	InLanguage      string        `json:"inLanguage,omitempty"`
	Publisher       *Organization `json:"publisher,omitempty"`
	PotentialAction *SearchAction `json:"potentialAction,omitempty"`
}

// SearchAction says how to search the site: Target's URL template holds
// {search_term_string}.
type SearchAction struct {
	Type       string     `json:"@type"`
	Target     EntryPoint `json:"target"`
	QueryInput string     `json:"query-input"`
}

// EntryPoint is a URL template.
type EntryPoint struct {
	Type        string `json:"@type"`
	URLTemplate string `json:"urlTemplate"`
}

// NewSearchAction returns the SearchAction for a search page at searchURL, which takes the
// query in the parameter q.
func NewSearchAction(searchURL string) *SearchAction {
	return &SearchAction{
		Type:       "SearchAction",
		Target:     EntryPoint{Type: "EntryPoint", URLTemplate: searchURL + "?q={search_term_string}"},
		QueryInput: "required name=search_term_string",
	}
}

// BreadcrumbList is the trail from the home page to the current page.
type BreadcrumbList struct {
	Context         string     `json:"@context"`
	Type            string     `json:"@type"`
	ItemListElement []ListItem `json:"itemListElement"`
}

// ListItem is one step of a BreadcrumbList; Position counts from 1.
type ListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// Crumb is a step of a trail: its name and absolute URL.
type Crumb struct{ Name, URL string }

// NewBreadcrumbList returns the trail through crumbs, in order.
func NewBreadcrumbList(crumbs []Crumb) *BreadcrumbList {
	b := &BreadcrumbList{Context: Context, Type: "BreadcrumbList"}
	for i, c := range crumbs {
		b.ItemListElement = append(b.ItemListElement, ListItem{Type: "ListItem", Position: i + 1, Name: c.Name, Item: c.URL})
	}
	return b
}
