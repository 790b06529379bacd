package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// placesStore is the seeded directory with a few shelters that have places: one in
// Fairbanks (its address private), one in Wasilla, one in Anchorage, and one serving the
// whole state from Juneau.
func placesStore(t *testing.T) *store.Store {
	t.Helper()
	s, ctx := openStore(t)
	add := func(slug, name, area, city string, private bool) {
		t.Helper()
		l := &directory.Listing{Kind: directory.KindOrganization, Slug: slug, Name: name,
			Summary: "A safe place to stay for people leaving trafficking.", Status: directory.StatusPublished,
			Terms: []directory.Term{{Taxonomy: "service", Slug: "shelter"}, {Taxonomy: "area", Slug: area}}}
		if err := s.CreateListing(ctx, l, editor, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveLocations(ctx, l.ID, []directory.Location{{Street: "1 Quiet Road", City: city, State: "AK", Private: private}}); err != nil {
			t.Fatal(err)
		}
	}
	add("golden-heart-house", "Golden Heart House", "local", "Fairbanks", true)
	add("valley-haven", "Valley Haven", "local", "Wasilla", false)
	add("midtown-refuge", "Midtown Refuge", "local", "anchorage ", false)
	add("safe-harbor-alaska", "Safe Harbor Alaska", "statewide", "Juneau", false)
	return s
}

func searchSlugs(t *testing.T, s *store.Store, f directory.SearchFilter) []string {
	t.Helper()
	return hitSlugs(search(t, s, f))
}

// before reports whether a is in list, before b (or with no b).
func before(list []string, a, b string) bool {
	i, j := slices.Index(list, a), slices.Index(list, b)
	return i >= 0 && (j < 0 || i < j)
}

func TestSearchNamingATownRanksItsListingsFirstThenStatewide(t *testing.T) {
	s := placesStore(t)
	for _, tc := range []struct {
		q, first, second string
	}{
		{"shelter fairbanks", "golden-heart-house", "safe-harbor-alaska"},
		{"Shelter in FAIRBANKS", "golden-heart-house", "safe-harbor-alaska"},
		{"Fairbanks", "golden-heart-house", "safe-harbor-alaska"},
		{"fairbnks shelter", "golden-heart-house", "safe-harbor-alaska"},
		{"shelter near Wasilla", "valley-haven", "safe-harbor-alaska"},
		{"Mat Su", "valley-haven", "safe-harbor-alaska"},
		{"refugio en Wasilla", "valley-haven", "safe-harbor-alaska"},
		{"shelter anchorage", "midtown-refuge", "safe-harbor-alaska"},
		{"shelter in the Interior", "golden-heart-house", "safe-harbor-alaska"},
	} {
		got := searchSlugs(t, s, directory.SearchFilter{Query: tc.q, Lang: map[bool]string{true: "es", false: "en"}[tc.q == "refugio en Wasilla"]})
		if !before(got, tc.first, tc.second) || got[0] != tc.first || !before(got, tc.second, "national-human-trafficking-hotline") {
			t.Errorf("%q: got %v, want %s first, then %s (statewide) before national listings", tc.q, got, tc.first, tc.second)
		}
	}
	// Palmer is in the Mat-Su, as Wasilla is: Wasilla's shelter is near, before statewide.
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "shelter palmer"}); len(got) < 2 || got[0] != "valley-haven" {
		t.Errorf("shelter palmer: got %v, want the Wasilla shelter first", got)
	}
	// A town with no listing: statewide ones first, then national ones.
	got := searchSlugs(t, s, directory.SearchFilter{Query: "help in Bethel"})
	if len(got) == 0 || !slices.Contains(got[:min(3, len(got))], "national-human-trafficking-hotline") {
		t.Errorf("help in Bethel: got %v, want the national hotline in the first three", got)
	}
	// The town alone: its listings and statewide ones, as the Near filter.
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "Bethel"}); !slices.Contains(got, "safe-harbor-alaska") ||
		slices.Contains(got, "golden-heart-house") || slices.Contains(got, "national-human-trafficking-hotline") || slices.Contains(got, "page:home") {
		t.Errorf("Bethel: got %v, want statewide listings and nothing else", got)
	}
	// A word near a town's name that the directory holds is not taken for the town.
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "shelter"}); len(got) == 0 {
		t.Error("shelter: nothing found")
	}
}

func TestSearchNearFilterKeepsTheTownAndStatewide(t *testing.T) {
	s := placesStore(t)
	got := searchSlugs(t, s, directory.SearchFilter{Near: "fairbanks"})
	if len(got) == 0 || got[0] != "golden-heart-house" || !slices.Contains(got, "safe-harbor-alaska") {
		t.Errorf("near Fairbanks: got %v, want the Fairbanks shelter, then the statewide one", got)
	}
	if slices.Contains(got, "valley-haven") || slices.Contains(got, "national-human-trafficking-hotline") {
		t.Errorf("near Fairbanks keeps listings elsewhere: %v", got)
	}
	got = searchSlugs(t, s, directory.SearchFilter{Near: "wasilla", Query: "shelter"})
	if len(got) != 2 || got[0] != "valley-haven" {
		t.Errorf("shelter near Wasilla: got %v", got)
	}
	_, err := s.Search(t.Context(), directory.SearchFilter{Near: "atlantis", Lang: "en"})
	var e *directory.Error
	if !errors.As(err, &e) || e.Code != directory.EINVALID {
		t.Errorf("an unknown town: err %v, want EINVALID", err)
	}
	towns, err := s.ListNearPlaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range towns {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"Anchorage", "Fairbanks", "Juneau", "Wasilla"}) {
		t.Errorf("towns with listings: %v", names)
	}
}

func TestPlacesSeedNamesEverySource(t *testing.T) {
	s := MustOpenStore(t)
	places, err := s.ListPlaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]directory.Place{}
	for _, p := range places {
		bySlug[p.Slug] = p
		if p.Source == "" {
			t.Errorf("%s names no source", p.Slug)
		}
	}
	for slug, parent := range map[string]string{"wasilla": "mat-su", "palmer": "mat-su", "bethel": "bethel-census-area",
		"fairbanks": "fairbanks-north-star", "juneau": "juneau-borough", "nome": "nome-census-area"} {
		if bySlug[slug].Parent != parent {
			t.Errorf("%s is in %q, want %q", slug, bySlug[slug].Parent, parent)
		}
	}
	if bySlug["bethel-census-area"].Parent != "yk-delta" || bySlug["mat-su"].Kind != directory.PlaceBorough {
		t.Error("the Y-K Delta or the Mat-Su is not as seeded")
	}
}

// BenchmarkSearchPlaces1k runs BenchmarkSearch1k's mix (which names Anchorage, Juneau,
// Kodiak and Fairbanks) with towns found in the words and without, one after the other, so
// that a busy machine slows both alike.
func BenchmarkSearchPlaces1k(b *testing.B) {
	st := benchStore(b, 1_000)
	ctx := b.Context()
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "without", true: "with"}[on], func(b *testing.B) {
			defer store.SetFindPlaces(on)()
			for i := 0; b.Loop(); i++ {
				if _, err := st.Search(ctx, benchSearch(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchPlaceQueries runs each query of the mix that names a town, with towns
// found and without, at 1,000 listings (BENCH_LISTINGS=100000: 100,000).
func BenchmarkSearchPlaceQueries(b *testing.B) {
	st := benchStore(b, benchListings(1_000))
	ctx := b.Context()
	for i, f := range benchSearches {
		if !slices.Contains([]string{"anchorage", "youth shelter juneau", "kodiak safe house", "fairbanks"}, f.Query) {
			continue
		}
		for _, on := range []bool{false, true} {
			b.Run(f.Query+map[bool]string{false: "/without", true: "/with"}[on], func(b *testing.B) {
				defer store.SetFindPlaces(on)()
				f := benchSearch(i)
				for b.Loop() {
					if _, err := st.Search(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestSearchATownInABigDirectoryKeepsItsOwnListings: with more statewide listings than
// search ranks exactly, the town alone keeps the town's own located listings (the window
// would take its candidates in no order), and a town nobody is located in is searched as
// the words typed.
func TestSearchATownInABigDirectoryKeepsItsOwnListings(t *testing.T) {
	s := placesStore(t)
	ctx := t.Context()
	for i := range store.SearchWindow + 5 {
		l := &directory.Listing{Kind: directory.KindAgency, Slug: fmt.Sprintf("state-office-%d", i), Name: fmt.Sprintf("State Office %d", i),
			Status: directory.StatusPublished, Terms: []directory.Term{{Taxonomy: "area", Slug: "statewide"}}}
		if err := s.CreateListing(ctx, l, editor, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "Fairbanks", Limit: 20}); len(got) != 1 || got[0] != "golden-heart-house" {
		t.Errorf("Fairbanks: got %v, want the Fairbanks shelter alone", got)
	}
	if got := searchSlugs(t, s, directory.SearchFilter{Near: "wasilla", Limit: 20}); len(got) != 1 || got[0] != "valley-haven" {
		t.Errorf("near Wasilla: got %v, want the Wasilla shelter alone", got)
	}
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "shelter fairbanks", Limit: 3}); len(got) == 0 || got[0] != "golden-heart-house" {
		t.Errorf("shelter fairbanks: got %v, want the Fairbanks shelter first", got)
	}
	if got := searchSlugs(t, s, directory.SearchFilter{Query: "Bethel", Limit: 20}); len(got) != 0 {
		t.Errorf("Bethel, which no listing names or is in: got %v, want nothing", got)
	}
}
