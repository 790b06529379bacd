package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"signpost/internal/directory"
)

// Places in search. A visitor types a town with what they look for ("shelter fairbanks",
// "help in Bethel", "Mat Su"): the town is not a word listings must hold, it says where.
// Search takes the place's words out of what must match, and ranks listings by how well
// they fit the place: located there (or mentioning it) first, then located elsewhere in its
// borough, then those serving the whole state (area statewide), then national ones. The
// "Near" filter (SearchFilter.Near) keeps listings located in a town and statewide ones.
//
// The places are seeds/places.json (migration 00261), read once per store: nobody edits
// them while the site runs.

// Tier weights: subtracted from a listing's rank (lower ranks first). They outweigh bm25
// (a few units) but stay under "the hotline every page shows" for help words (500) and an
// entry named exactly what was typed (1000), so need first still holds in a town.
const (
	tierHere      = 300
	tierNearby    = 250
	tierStatewide = 200
	tierNational  = 100
)

// placeIndex is the places, ready to be found in typed words.
type placeIndex struct {
	bySlug  map[string]*placeEntry
	phrases map[string]*placeEntry // folded words of a name or alias, space between
	maxLen  int                    // most words in a phrase
	single  []string               // one-word phrases of towns and boroughs, for typos
}

// placeEntry is one place with what search needs of it.
type placeEntry struct {
	directory.Place
	cities  []string // lower-case city names that put a listing in it (its towns')
	nearby  []string // a town's: the other towns of its borough
	mention string   // FTS5 phrases of its own names, for a listing's text that names it ("" for regions)
}

// placeCache holds a store's placeIndex once read.
type placeCache struct {
	mu sync.Mutex
	ix *placeIndex
}

func (s *Store) placeIndex(ctx context.Context) (*placeIndex, error) {
	c := &s.places
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != nil {
		return c.ix, nil
	}
	places, err := s.ListPlaces(ctx)
	if err != nil {
		return nil, err
	}
	c.ix = buildPlaceIndex(places)
	return c.ix, nil
}

// ListPlaces returns every place search knows, regions, then boroughs, then towns, each
// by name.
func (s *Store) ListPlaces(ctx context.Context) ([]directory.Place, error) {
	return queryAll(ctx, s.reader(), func(sc scanner) (p directory.Place, err error) {
		var aliases string
		err = sc.Scan(&p.Slug, &p.Kind, &p.Name, &p.Parent, &aliases, &p.Source)
		if aliases != "" {
			p.Aliases = strings.Split(aliases, "|")
		}
		return p, err
	}, `SELECT slug, kind, name, parent, aliases, source FROM places
		ORDER BY CASE kind WHEN 'region' THEN 0 WHEN 'borough' THEN 1 ELSE 2 END, name`)
}

func buildPlaceIndex(places []directory.Place) *placeIndex {
	ix := &placeIndex{bySlug: map[string]*placeEntry{}, phrases: map[string]*placeEntry{}}
	for _, p := range places {
		ix.bySlug[p.Slug] = &placeEntry{Place: p}
	}
	// The towns of each borough and region.
	townsOf := map[string][]*placeEntry{}
	for _, e := range ix.bySlug {
		if e.Kind != directory.PlaceTown {
			continue
		}
		townsOf[e.Parent] = append(townsOf[e.Parent], e)
		if b := ix.bySlug[e.Parent]; b != nil && b.Parent != "" {
			townsOf[b.Parent] = append(townsOf[b.Parent], e)
		}
	}
	cityNames := func(e *placeEntry) []string {
		var out []string
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if n = strings.ToLower(n); !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		return out
	}
	for _, e := range ix.bySlug {
		var names []string // folded phrases
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			w := foldWords(n)
			if len(w) == 0 {
				continue
			}
			ph := strings.Join(w, " ")
			if _, taken := ix.phrases[ph]; !taken || e.Kind == directory.PlaceTown {
				ix.phrases[ph] = e // a town wins a name it shares ("Kodiak")
			}
			ix.maxLen = max(ix.maxLen, len(w))
			if !slices.Contains(names, ph) {
				names = append(names, ph)
			}
			if len(w) == 1 && e.Kind != directory.PlaceRegion && !slices.Contains(ix.single, ph) {
				ix.single = append(ix.single, ph)
			}
		}
		switch e.Kind {
		case directory.PlaceTown:
			e.cities = cityNames(e)
			for _, t := range townsOf[e.Parent] {
				if t != e {
					e.nearby = append(e.nearby, cityNames(t)...)
				}
			}
		default:
			for _, t := range townsOf[e.Slug] {
				e.cities = append(e.cities, cityNames(t)...)
			}
		}
		if e.Kind != directory.PlaceRegion {
			var q []string
			for _, n := range names {
				q = append(q, `"`+n+`"`) // folded words: letters and digits only
			}
			e.mention = strings.Join(q, " OR ")
		}
		slices.Sort(e.cities)
		slices.Sort(e.nearby)
	}
	slices.Sort(ix.single)
	return ix
}

// placeConnectors are the words that tie a place to the rest ("help in Bethel", "cerca de
// Palmer"); placeTrailers, those after it ("Fairbanks area", "Nome, AK").
var (
	placeConnectors = map[string]bool{"in": true, "near": true, "around": true, "at": true, "from": true,
		"en": true, "cerca": true, "de": true, "del": true}
	placeTrailers = map[string]bool{"area": true, "alaska": true, "ak": true, "borough": true, "region": true}
)

// find returns the first place named in text (any case, accents aside; a misspelt town
// when the word is no word of the index: known reports whether it is) and text without
// the place's words and the little words around it. It returns nil when no place is named.
func (ix *placeIndex) find(text, lang string, known func(string) bool) (*placeEntry, string) {
	tokens := QueryTokens(text)
	words := make([]string, len(tokens))
	for i, t := range tokens {
		words[i] = fold(t)
	}
	at, n := -1, 0
	var found *placeEntry
	for i := 0; i < len(words) && found == nil; i++ {
		for l := min(ix.maxLen, len(words)-i); l >= 1; l-- {
			if e := ix.phrases[strings.Join(words[i:i+l], " ")]; e != nil {
				found, at, n = e, i, l
				break
			}
		}
	}
	if found == nil {
		// A misspelt town: one letter off (two in a long name), for a word the index does
		// not hold, long enough not to be another short word.
		for i, w := range words {
			r := []rune(w)
			if len(r) < 6 || known(w) || isStopWord(lang, w) {
				continue
			}
			limit := 1
			if len(r) >= 9 {
				limit = 2
			}
			best := limit + 1
			for _, name := range ix.single {
				if d := editDistance(r, []rune(name), limit); d < best {
					best, found, at, n = d, ix.phrases[name], i, 1
				}
			}
			if found != nil {
				break
			}
		}
	}
	if found == nil {
		return nil, text
	}
	lo, hi := at, at+n
	for lo > 0 && placeConnectors[words[lo-1]] {
		lo--
	}
	for hi < len(words) && placeTrailers[words[hi]] {
		hi++
	}
	rest := append(append([]string(nil), tokens[:lo]...), tokens[hi:]...)
	allLittle := true
	for _, w := range rest {
		allLittle = allLittle && isStopWord(lang, fold(w))
	}
	if allLittle {
		return found, ""
	}
	return found, strings.Join(rest, " ")
}

// findPlaces turns looking for a town in the words typed on (a variable for benchmarks).
var findPlaces = true

// nearPlace is how one search weighs and filters by a place: SQL over the document d, with
// no arguments (every value in it is a number or a quoted name from the places table).
type nearPlace struct {
	tier string // how well d fits the place, 0 to tierHere; "" when no place is named
	cond string // " AND …" keeping only the documents that fit; "" for all
	name string // the place's name, when the query named it
}

// ranked returns rank with the place's tier taken off (lower ranks first).
func (n nearPlace) ranked(rank string) string {
	if n.tier == "" {
		return rank
	}
	return `(` + rank + ` - ` + n.tier + `)`
}

// searchNear finds the place of a search, f.Near (chosen in the filter: listings there and
// statewide ones) or else a place named in f.Query (every document, ranked by how well it
// fits; with nothing but the place typed, as the filter), and returns what is left of the
// query to match as words. A Near that is no town is EINVALID.
func (s *Store) searchNear(ctx context.Context, f directory.SearchFilter, terms []directory.Term) (nearPlace, string, error) {
	if f.Near == "" && (!findPlaces || utf8.RuneCountInString(f.Query) < 3) {
		return nearPlace{}, f.Query, nil
	}
	ix, err := s.placeIndex(ctx)
	if err != nil {
		return nearPlace{}, "", err
	}
	area := map[string]int64{}
	for _, t := range terms {
		if t.Taxonomy == "area" {
			area[t.Slug] = t.ID
		}
	}
	if f.Near != "" {
		e := ix.bySlug[f.Near]
		if e == nil || e.Kind != directory.PlaceTown {
			return nearPlace{}, "", directory.Errorf(directory.EINVALID, "There is no town called %q to filter by.", f.Near)
		}
		n, _, err := s.near(ctx, e, area, true)
		n.name = ""
		return n, f.Query, err
	}
	lex, err := s.searchLexicon(ctx)
	if err != nil {
		return nearPlace{}, "", err
	}
	lang := f.Lang
	if lang == "" {
		lang = DefaultLang
	}
	e, rest := ix.find(f.Query, lang, func(w string) bool { return lex.docs[w] > 0 })
	if e == nil {
		return nearPlace{}, f.Query, nil
	}
	n, ok, err := s.near(ctx, e, area, rest == "")
	if !ok {
		return nearPlace{tier: n.tier, name: n.name}, f.Query, err
	}
	return n, rest, err
}

// near returns the place's weight and, with filter, the condition that keeps the listings
// located in it (or in its town's borough, or naming it) and those serving the whole state.
// The condition looks its candidates up by index (the town's name, the statewide term, the
// words naming it), so that it never weighs every document of the directory.
//
// A directory far bigger than a working group's (more candidates than search ranks
// exactly, SearchWindow) keeps the town's located listings alone, since the window would
// take its candidates in no order and could leave the town's own out; with none there, ok
// is false, and the place's words are searched as typed, ranked by the weight.
func (s *Store) near(ctx context.Context, e *placeEntry, area map[string]int64, filter bool) (n nearPlace, ok bool, err error) {
	n = nearPlace{tier: e.tierSQL(area), name: e.Name}
	if !filter {
		return n, true, nil
	}
	located := `SELECT listing_id FROM locations WHERE lower(trim(city)) IN (` + sqlStrings(append(e.cities, e.nearby...)) + `)`
	parts := []string{located}
	if id, ok := area["statewide"]; ok {
		parts = append(parts, fmt.Sprintf(`SELECT listing_id FROM listing_terms WHERE term_id = %d`, id))
	}
	if e.mention != "" {
		parts = append(parts, `SELECT entity_id FROM search_docs WHERE entity = 'listings' AND id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH `+
			sqlStrings([]string{`{name summary body extra}: (` + e.mention + `)`})+`)`)
	}
	all := strings.Join(parts, ` UNION ALL `)
	var found int
	// #nosec G202 -- built from fixed fragments, numbers and quoted names from the places table
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM (`+all+` LIMIT ?)`, SearchWindow+1).Scan(&found); err != nil {
		return n, false, err
	}
	if found <= SearchWindow {
		n.cond = fmt.Sprintf(` AND d.entity = 'listings' AND d.entity_id IN (%s) AND %s >= %d`, all, n.tier, tierStatewide)
		return n, true, nil
	}
	// #nosec G202 -- as above
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM (`+located+` LIMIT 1)`).Scan(&found); err != nil {
		return n, false, err
	}
	n.cond = ` AND d.entity = 'listings' AND d.entity_id IN (` + located + `)`
	return n, found > 0, nil
}

// tierSQL is the SQL of how well document d fits the place: tierHere for a listing with a
// location in it (or in one of its towns) or whose text names it, tierNearby for one
// located elsewhere in a town's borough, then tierStatewide and tierNational by the area
// terms of a listing that is not a resource, 0 for anything else.
func (e *placeEntry) tierSQL(area map[string]int64) string {
	var b strings.Builder
	in := func(cities []string) string {
		return `EXISTS (SELECT 1 FROM locations lo WHERE lo.listing_id = d.entity_id
			AND upper(trim(lo.state)) IN ('AK', 'ALASKA', '') AND lower(trim(lo.city)) IN (` + sqlStrings(cities) + `))`
	}
	b.WriteString(`(CASE WHEN d.entity <> 'listings' THEN 0`)
	here := in(e.cities)
	if e.mention != "" {
		// The listings whose own text names the place, once for the whole statement.
		here += ` OR d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ` +
			sqlStrings([]string{`{name summary body extra}: (` + e.mention + `)`}) + `)`
	}
	fmt.Fprintf(&b, ` WHEN %s THEN %d`, here, tierHere)
	if len(e.nearby) > 0 {
		fmt.Fprintf(&b, ` WHEN %s THEN %d`, in(e.nearby), tierNearby)
	}
	// Serving the state or the country is said of services: a publication filed under an
	// area is about it, and waits behind the town's and the state's services.
	b.WriteString(` WHEN (SELECT kind FROM listings WHERE id = d.entity_id) = 'resource' THEN 0`)
	for _, t := range []struct {
		slug string
		tier int
	}{{"statewide", tierStatewide}, {"national", tierNational}} {
		if id, ok := area[t.slug]; ok {
			fmt.Fprintf(&b, ` WHEN EXISTS (SELECT 1 FROM listing_terms lt WHERE lt.listing_id = d.entity_id AND lt.term_id = %d) THEN %d`, id, t.tier)
		}
	}
	b.WriteString(` ELSE 0 END)`)
	return b.String()
}

// sqlStrings quotes strings as SQL literals, comma between ("" matches nothing as a list,
// so an empty list is one empty string).
func sqlStrings(xs []string) string {
	if len(xs) == 0 {
		return `''`
	}
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = `'` + strings.ReplaceAll(x, `'`, `''`) + `'`
	}
	return strings.Join(q, ", ")
}

// ListNearPlaces returns the towns that published listings are located in, by name: the
// choices of the "Near" filter.
func (s *Store) ListNearPlaces(ctx context.Context) ([]directory.Place, error) {
	ix, err := s.placeIndex(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT DISTINCT lower(trim(lo.city)) FROM locations lo
		JOIN listings l ON l.id = lo.listing_id
		WHERE l.status = 'published' AND l.deleted_at IS NULL AND upper(trim(lo.state)) IN ('AK', 'ALASKA', '')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []directory.Place
	for rows.Next() {
		var city string
		if err := rows.Scan(&city); err != nil {
			return nil, err
		}
		for _, e := range ix.bySlug {
			if e.Kind == directory.PlaceTown && !seen[e.Slug] && slices.Contains(e.cities, city) {
				seen[e.Slug] = true
				out = append(out, e.Place)
			}
		}
	}
	slices.SortFunc(out, func(a, b directory.Place) int { return strings.Compare(a.Name, b.Name) })
	return out, rows.Err()
}
