package directory

// PlaceKind is what sort of place a Place is.
type PlaceKind string

// The kinds of places: a town (a city or a community), a borough or census area, and a
// region people name (the Interior, the Y-K Delta), which holds boroughs.
const (
	PlaceTown    PlaceKind = "town"
	PlaceBorough PlaceKind = "borough"
	PlaceRegion  PlaceKind = "region"
)

// Place is a place in the directory's state that search and the "Near" filter know: a
// listing is "in" a town when one of its locations names that town as its city.
type Place struct {
	Slug    string
	Kind    PlaceKind
	Name    string
	Parent  string   // a town's borough, a borough's region (slugs); "" for none
	Aliases []string // other names people type for it
	Source  string
}
