package store

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/seeds"
)

// FuzzFindPlace feeds any text to the place finder: it never panics, and what it leaves to
// search is always words of the text, in their order.
func FuzzFindPlace(f *testing.F) {
	b, err := fs.ReadFile(seeds.FS, "places.json")
	if err != nil {
		f.Fatal(err)
	}
	var list []seedPlace
	if err := json.Unmarshal(b, &list); err != nil {
		f.Fatal(err)
	}
	var places []directory.Place
	for _, p := range list {
		places = append(places, directory.Place{Slug: p.Slug, Kind: directory.PlaceKind(p.Kind), Name: p.Name, Parent: p.In, Aliases: p.Aliases})
	}
	ix := buildPlaceIndex(places)
	for _, s := range []string{"shelter fairbanks", "help in Bethel", "Mat Su", "cerca de Wasilla, AK", "fairbnks", "Utqiaġvik", "in", "", "y-k delta area"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, rest := ix.find(text, "en", func(string) bool { return false })
		if e == nil && rest != text {
			t.Fatalf("no place in %q, yet the text became %q", text, rest)
		}
		if e == nil {
			return
		}
		words := QueryTokens(text)
		i := 0
		for _, w := range strings.Fields(rest) {
			j := slices.Index(words[i:], w)
			if j < 0 {
				t.Fatalf("%q left %q: %q is not a word of the text in order", text, rest, w)
			}
			i += j + 1
		}
	})
}
