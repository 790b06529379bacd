package directory

import (
	"strings"
	"unicode/utf8"
)

// Location is a place where a listing can be found: an office, a drop-in centre.
type Location struct {
	ID         int64
	ListingID  int64
	Position   int
	Name       string // optional: "Main office"
	Street     string
	Street2    string
	City       string
	State      string // two-letter code in the US ("AK")
	PostalCode string
	Country    string // ISO 3166-1 alpha-2, "US" when empty
	// Latitude and Longitude are optional; both or neither.
	Latitude, Longitude *float64
	// Private keeps the street address and the coordinates for staff only (a shelter's
	// address): the public site and the open data show the city and state alone.
	Private bool
}

// HasAddress reports whether l has enough of an address to be published as one.
func (l *Location) HasAddress() bool {
	return l.Street != "" && l.City != "" && l.State != "" && l.PostalCode != ""
}

// Validate checks l before it is saved. It returns an EINVALID *Error whose Fields name each
// problem ("city", "latitude"), or nil.
func (l *Location) Validate() error {
	f := map[string]string{}
	for field, v := range map[string]string{"name": l.Name, "street": l.Street, "street2": l.Street2, "city": l.City,
		"state": l.State, "postal_code": l.PostalCode, "country": l.Country} {
		switch {
		case !utf8.ValidString(v):
			f[field] = "This has characters we cannot read."
		case utf8.RuneCountInString(v) > MaxShort:
			f[field] = "This is too long."
		}
	}
	if strings.TrimSpace(l.City) == "" && strings.TrimSpace(l.Street) == "" && strings.TrimSpace(l.Name) == "" {
		f["city"] = "Give at least a city."
	}
	if (l.Latitude == nil) != (l.Longitude == nil) {
		f["latitude"] = "Give both latitude and longitude, or neither."
	}
	if l.Latitude != nil && (*l.Latitude < -90 || *l.Latitude > 90) {
		f["latitude"] = "A latitude is between -90 and 90."
	}
	if l.Longitude != nil && (*l.Longitude < -180 || *l.Longitude > 180) {
		f["longitude"] = "A longitude is between -180 and 180."
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}
