// Package hsds publishes the directory as open data in the Open Referral Human Services Data
// Specification (HSDS 3.x): a read-only JSON API, a bulk download of the tabular form (CSV
// files and a datapackage.json, zipped), and an import of the same format back in, previewed
// before anything is saved.
//
// The mapping: every hotline, organization and agency listing is an HSDS service; every
// organization and agency, and every hotline that no organization is recorded as running, is
// also an HSDS organization (a hotline run by an organization is a service of that
// organization). Phones come from the call and text channels, service areas from area terms,
// languages from language terms, schedules from the hours and "open 24/7", and every term
// (service, population, area, language, and the kind of listing) is an HSDS attribute
// linking the service to a taxonomy term. assured_date carries the last-verified date.
// Resources (publications, videos…) are not services and are not published here.
//
// The package depends on the domain only; the store is reached through the small interfaces
// it declares, wired in cmd/signpost.
package hsds

// Version is the HSDS version this API follows.
const Version = "3.1"

// Field names below are HSDS's own (schema/*.json of openreferral/specification); the tests
// check every key of every response against them.

// Organization is an HSDS organization.
type Organization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Email       string `json:"email,omitempty"`
	Website     string `json:"website,omitempty"`
	// Phones are the organization's own lines when it is a standalone hotline's organization
	// or a listing's; services carry theirs too.
	Phones     []Phone     `json:"phones"`
	Locations  []Location  `json:"locations,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
	// Services are the services it provides, on /organizations/{id} only (HSDS's
	// organization, full form).
	Services []Service `json:"services,omitempty"`
}

// Service is an HSDS service.
type Service struct {
	ID             string        `json:"id"`
	OrganizationID string        `json:"organization_id"`
	Name           string        `json:"name"`
	Description    string        `json:"description,omitempty"`
	URL            string        `json:"url,omitempty"`
	Email          string        `json:"email,omitempty"`
	Status         string        `json:"status"`
	AssuredDate    string        `json:"assured_date,omitempty"`
	LastModified   string        `json:"last_modified,omitempty"`
	Phones         []Phone       `json:"phones"`
	Schedules      []Schedule    `json:"schedules"`
	ServiceAreas   []ServiceArea `json:"service_areas"`
	Languages      []Language    `json:"languages"`
	Attributes     []Attribute   `json:"attributes"`
	// ServiceAtLocations are the places the service is offered at.
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations"`
	Organization       *Organization       `json:"organization,omitempty"`
}

// Location is an HSDS location: a place a listing can be found at. A private address
// (a shelter's) is published as its city and state only, with no address and no coordinates.
type Location struct {
	ID             string    `json:"id"`
	LocationType   string    `json:"location_type"`
	OrganizationID string    `json:"organization_id,omitempty"`
	Name           string    `json:"name,omitempty"`
	Description    string    `json:"description,omitempty"`
	Latitude       *float64  `json:"latitude,omitempty"`
	Longitude      *float64  `json:"longitude,omitempty"`
	Addresses      []Address `json:"addresses"`
}

// Address is an HSDS address of a location.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// ServiceAtLocation links a service to a location.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id"`
	LocationID string    `json:"location_id"`
	Location   *Location `json:"location,omitempty"`
	Service    *Service  `json:"service,omitempty"`
}

// Phone is an HSDS phone: a number to call (type "voice") or text (type "text").
type Phone struct {
	ID             string     `json:"id"`
	ServiceID      string     `json:"service_id,omitempty"`
	OrganizationID string     `json:"organization_id,omitempty"`
	Number         string     `json:"number"`
	Type           string     `json:"type"`
	Description    string     `json:"description,omitempty"`
	Languages      []Language `json:"languages"`
}

// Language is an HSDS language a service or phone is offered in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	PhoneID   string `json:"phone_id,omitempty"`
	Name      string `json:"name"`
	Code      string `json:"code,omitempty"`
}

// Schedule is an HSDS schedule. Signpost knows "open 24/7" and free-text hours only.
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id"`
	Freq        string `json:"freq,omitempty"`
	Byday       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// ServiceArea is an HSDS service area, named by an area term ("Statewide").
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Attribute links a service to a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id"`
	LinkEntity     string        `json:"link_entity"`
	TaxonomyTermID string        `json:"taxonomy_term_id"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// Taxonomy is an HSDS taxonomy: Signpost's service, population, area, language and kind.
type Taxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// TaxonomyTerm is an HSDS taxonomy term. Code is Signpost's slug.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy"`
	TaxonomyID  string `json:"taxonomy_id"`
	Language    string `json:"language"`
	ParentID    string `json:"parent_id,omitempty"`
}

// Page is HSDS's wrapper of a paginated list.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// Meta is the API's root: what it is and who publishes it.
type Meta struct {
	Version     string    `json:"version"`
	Profile     string    `json:"profile"`
	OpenapiURL  string    `json:"openapi_url"`
	Description string    `json:"description"`
	Publisher   Publisher `json:"publisher"`
}

// Publisher is who publishes the feed.
type Publisher struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Website string `json:"website,omitempty"`
}
