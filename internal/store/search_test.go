package store_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/synth"
)

func search(t testing.TB, s *store.Store, f directory.SearchFilter) *directory.SearchResult {
	t.Helper()
	if f.Lang == "" {
		f.Lang = "en"
	}
	res, err := s.Search(t.Context(), f)
	if err != nil {
		t.Fatalf("Search(%+v): %v", f, err)
	}
	return res
}

// hitNames lists a result's hits: a listing by its name, a page as "page:slug".
func hitNames(res *directory.SearchResult) []string {
	return hitsBy(res, func(l *directory.Listing) string { return l.Name })
}

// hitSlugs lists a result's hits: a listing by its slug, a page as "page:slug".
func hitSlugs(res *directory.SearchResult) []string {
	return hitsBy(res, func(l *directory.Listing) string { return l.Slug })
}

func hitsBy(res *directory.SearchResult, listing func(*directory.Listing) string) []string {
	var out []string
	for _, h := range res.Hits {
		if h.Listing != nil {
			out = append(out, listing(h.Listing))
		} else {
			out = append(out, "page:"+h.Page.Slug)
		}
	}
	return out
}

func TestSearchRanksAnExactNameAboveAMention(t *testing.T) {
	s := MustOpenStore(t)
	// Two listings: one named for the word, one that only mentions it, twice, in its body.
	for _, l := range []*directory.Listing{
		{Kind: directory.KindOrganization, Slug: "mentions", Name: "Harbor Services", Status: directory.StatusPublished,
			Body: "We work with Qiviut Weavers and refer people to Qiviut Weavers when they need it."},
		{Kind: directory.KindOrganization, Slug: "qiviut-weavers", Name: "Qiviut Weavers", Status: directory.StatusPublished,
			Summary: "A cooperative."},
	} {
		if err := s.CreateListing(t.Context(), l, editor, ""); err != nil {
			t.Fatal(err)
		}
	}
	got := hitNames(search(t, s, directory.SearchFilter{Query: "qiviut weavers"}))
	if want := []string{"Qiviut Weavers", "Harbor Services"}; !slices.Equal(got, want) {
		t.Errorf("results = %v, want %v", got, want)
	}
	// The seed: the organization named Polaris ranks above the hotline whose text names it.
	if got := hitNames(search(t, s, directory.SearchFilter{Query: "Polaris"})); len(got) < 2 || got[0] != "Polaris" {
		t.Errorf("Polaris results = %v, want Polaris first", got)
	}
}

func TestSearchPrefixCaseAndAccents(t *testing.T) {
	s := MustOpenStore(t)
	for _, q := range []string{"cyberti", "CYBERTIPLINE", "cybertípline", "national hot"} {
		if res := search(t, s, directory.SearchFilter{Query: q}); res.Total == 0 {
			t.Errorf("%q found nothing", q)
		}
	}
	// Spanish text with its accents, typed without them, and the other way round.
	for _, q := range []string{"linea gratuita", "línea gratuíta", "LINEA"} {
		res := search(t, s, directory.SearchFilter{Query: q, Lang: "es"})
		if !slices.Contains(hitNames(res), "National Human Trafficking Hotline") {
			t.Errorf("es %q = %v, want the national hotline", q, hitNames(res))
		}
	}
}

// A prefix finds every word it begins, accents and case folded, whether the search asks
// FTS5 for the prefix or spells it out as the words it begins (as it does when they are in
// many documents), and when it begins too many words to spell out.
func TestSearchPrefixFindsEveryWordItBegins(t *testing.T) {
	for _, spellOut := range []int{0, 1 << 30} {
		t.Run(fmt.Sprintf("spellOutDocs=%d", spellOut), func(t *testing.T) {
			defer store.SetSpellOutDocs(spellOut)()
			testSearchPrefix(t)
		})
	}
}

func testSearchPrefix(t *testing.T) {
	s := MustOpenStore(t)
	add := func(slug, name string) {
		t.Helper()
		l := &directory.Listing{Kind: directory.KindOrganization, Slug: slug, Name: name, Status: directory.StatusPublished}
		if err := s.CreateListing(t.Context(), l, editor, ""); err != nil {
			t.Fatal(err)
		}
	}
	add("craft", "Qiviutcraft Circle")
	add("work", "Qiviutwork Collective")
	add("eria", "Qiviutería Cooperativa")
	add("strasse", "Straßenhilfe Verein")
	for q, want := range map[string][]string{
		"qiviut":   {"Qiviutcraft Circle", "Qiviutería Cooperativa", "Qiviutwork Collective"},
		"QÍVIUT":   {"Qiviutcraft Circle", "Qiviutería Cooperativa", "Qiviutwork Collective"},
		"qiviutc":  {"Qiviutcraft Circle"},
		"qiviuter": {"Qiviutería Cooperativa"},
		"qiviutér": {"Qiviutería Cooperativa"},
		"straßen":  {"Straßenhilfe Verein"},
		"qiviutz":  nil,
	} {
		got := hitNames(search(t, s, directory.SearchFilter{Query: q}))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q found %v, want %v", q, got, want)
		}
	}
	// More words than a prefix is spelled out as: FTS5's prefix query, same results.
	for i := range 20 {
		add(fmt.Sprintf("many-%d", i), "Umiakmaker"+strings.Repeat("x", i+1)+" Guild")
	}
	if res := search(t, s, directory.SearchFilter{Query: "umiakmak", Limit: 50}); res.Total != 20 {
		t.Errorf("umiakmak: %d results, want 20: %v", res.Total, hitNames(res))
	}
	if res := search(t, s, directory.SearchFilter{Query: "guild umiakmakerxx", Limit: 50}); res.Total != 19 {
		t.Errorf("guild umiakmakerxx: %d results, want 19", res.Total)
	}
}

func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	s, ctx := openStore(t)
	l := &directory.Listing{Kind: directory.KindAgency, Slug: "kuskokwim-office", Name: "Kuskokwim Office",
		Summary: "Helps with wages.", Status: directory.StatusDraft}
	if err := s.CreateListing(ctx, l, editor, ""); err != nil {
		t.Fatal(err)
	}
	found := func(q, lang string) bool {
		return slices.Contains(hitNames(search(t, s, directory.SearchFilter{Query: q, Lang: lang})), l.Name)
	}
	if found("kuskokwim", "en") {
		t.Error("a draft is found")
	}
	if err := s.SetListingStatus(ctx, l.ID, directory.StatusPublished, editor); err != nil {
		t.Fatal(err)
	}
	if !found("kuskokwim", "en") {
		t.Error("published, not found")
	}
	// An edit replaces the old words.
	cur, _ := s.FindListingByID(ctx, l.ID, "en")
	cur.Summary = "Helps with unpaid overtime."
	if err := s.UpdateListing(ctx, cur, editor, ""); err != nil {
		t.Fatal(err)
	}
	if found("wages", "en") || !found("overtime", "en") {
		t.Error("the index kept the old summary")
	}
	// A translation is searchable in its language only, and leaves when removed.
	if err := s.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": "Ayuda con horas extra impagas."}, true, editor); err != nil {
		t.Fatal(err)
	}
	if !found("impagas", "es") || found("impagas", "en") {
		t.Error("the Spanish summary is not searchable in Spanish only")
	}
	if !found("kuskokwim", "es") {
		t.Error("the untranslated name is not searchable in Spanish")
	}
	if err := s.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": ""}, true, editor); err != nil {
		t.Fatal(err)
	}
	if found("impagas", "es") {
		t.Error("a removed translation is still found")
	}
	// Trash takes it out; untrash brings it back.
	if err := s.TrashListing(ctx, l.ID, editor); err != nil {
		t.Fatal(err)
	}
	if found("kuskokwim", "en") || found("kuskokwim", "es") {
		t.Error("a trashed listing is found")
	}
	if err := s.UntrashListing(ctx, l.ID, editor); err != nil {
		t.Fatal(err)
	}
	if !found("kuskokwim", "en") {
		t.Error("untrashed, not found")
	}
	// A raw SQL write (as the sqlite3 shell or another package might do) is indexed too.
	if _, err := s.DB().ExecContext(ctx, `UPDATE pages SET body = body || ' Zyxwvut.' WHERE slug = 'about'`); err != nil {
		t.Fatal(err)
	}
	if got := hitNames(search(t, s, directory.SearchFilter{Query: "zyxwvut"})); !slices.Equal(got, []string{"page:about"}) {
		t.Errorf("page edit: %v", got)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM listings WHERE id = ?`, l.ID); err != nil {
		t.Fatal(err)
	}
	var docs int
	s.DB().QueryRow(`SELECT count(*) FROM search_docs WHERE entity = 'listings' AND entity_id = ?`, l.ID).Scan(&docs)
	if docs != 0 {
		t.Errorf("a deleted listing keeps %d documents", docs)
	}
}

func TestSearchFacetCountsMatchFilteredTotals(t *testing.T) {
	s := MustOpenStore(t)
	base := directory.SearchFilter{Query: "trafficking"}
	all := search(t, s, base)
	checked := 0
	for _, fc := range all.Facets {
		for _, v := range fc.Values {
			if v.Count == 0 {
				continue
			}
			f := base
			switch fc.Name {
			case "kind":
				f.Kinds = []directory.Kind{directory.Kind(v.Value)}
			case "open247":
				f.Open247 = true
			default:
				f.Terms = map[string][]string{fc.Name: {v.Value}}
			}
			if got := search(t, s, f).Total; got != v.Count {
				t.Errorf("%s=%s: %d results, facet said %d", fc.Name, v.Value, got, v.Count)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("only %d facet values had results", checked)
	}
}

func TestSearchRefusesUnknownFilters(t *testing.T) {
	s := MustOpenStore(t)
	for _, f := range []directory.SearchFilter{
		{Query: "x", Kinds: []directory.Kind{"spaceship"}},
		{Query: "x", Terms: map[string][]string{"service": {"teleportation"}}},
		{Query: "x", Terms: map[string][]string{"colour": {"red"}}},
	} {
		_, err := s.Search(t.Context(), f)
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("%+v: err = %v, want EINVALID", f, err)
		}
	}
}

// hostileQueries seed both fuzz targets; they run in every plain `go test`.
var hostileQueries = []string{
	"", " ", `"`, `""`, `"unbalanced`, `(((`, `)) OR ((`, `NEAR(a b, 3)`, `name:polaris`,
	`{name summary}: x`, `* ^ - + : AND OR NOT`, `polaris*`, `'; DROP TABLE listings; --`,
	"<script>alert(1)</script>", strings.Repeat("trafficking ", 1000), "a\x00b\x01c\x7f",
	"\xff\xfe\xfd", "\xc3\x28", "\uE000polaris\uE001", "\u0301\u0301", "e\u0301", "ﬁ", "İ",
	"🙂 help", "٣٤٥", "NOT polaris", "-polaris", "^polaris", "polaris OR", "AND", "\"\"*",
}

var matchShape = regexp.MustCompile(`^("[^"\x00-\x1f]+"( "[^"\x00-\x1f]+")*\*)?$`)

// FuzzMatchExpression checks the parser alone: whatever is typed, the expression is a list of
// quoted prefix words, within the limits.
func FuzzMatchExpression(f *testing.F) {
	for _, q := range hostileQueries {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		m := store.MatchExpression(q)
		if !matchShape.MatchString(m) {
			t.Fatalf("MatchExpression(%q) = %q: not a list of quoted words", q, m)
		}
		if !utf8.ValidString(m) {
			t.Fatalf("MatchExpression(%q) = %q: invalid UTF-8", q, m)
		}
		if n := strings.Count(m, `"`) / 2; n > store.MaxQueryTokens {
			t.Fatalf("MatchExpression(%q): %d words", q, n)
		}
		if strings.ContainsAny(m, "\uE000\uE001") {
			t.Fatalf("MatchExpression(%q) = %q carries snippet markers", q, m)
		}
	})
}

// FuzzSearch runs the real search, on a real database, with whatever is typed, in either
// language, with or without filters: it must never fail.
func FuzzSearch(f *testing.F) {
	for i, q := range hostileQueries {
		f.Add(q, i%2 == 0, uint8(i))
	}
	// Words with accents and capitals, whole and cut short, for the spelled-out prefixes.
	for i, q := range []string{"Línea Gratuita", "inmigració", "TRÁFICO de pers", "niñ", "Cybertípl", "ßtraße", "Ǆemal"} {
		f.Add(q, i%2 == 1, uint8(0))
	}
	s := MustOpenStore(f)
	f.Fuzz(func(t *testing.T, q string, spanish bool, filters uint8) {
		sf := directory.SearchFilter{Query: q, Lang: "en", Limit: 5}
		if spanish {
			sf.Lang = "es"
		}
		if filters&1 != 0 {
			sf.Kinds = []directory.Kind{directory.KindHotline, directory.KindPage}
		}
		if filters&2 != 0 {
			sf.Terms = map[string][]string{"service": {"reporting", "shelter"}}
		}
		if filters&4 != 0 {
			sf.Terms = map[string][]string{"area": {"national"}, "language": {"es"}}
		}
		sf.Open247 = filters&8 != 0
		res, err := s.Search(t.Context(), sf)
		if err != nil {
			t.Fatalf("Search(%+v): %v", sf, err)
		}
		if len(res.Hits) > 5 || res.Total < len(res.Hits) {
			t.Fatalf("Search(%+v): %d hits of %d", sf, len(res.Hits), res.Total)
		}
		// Spelling the last word's prefix out as the words it begins (as a big directory
		// does) finds the same entries: the same total and the same count by every filter.
		restore := store.SetSpellOutDocs(0)
		spelled, err := s.Search(t.Context(), sf)
		restore()
		if err != nil {
			t.Fatalf("Search(%+v), spelled out: %v", sf, err)
		}
		if spelled.Total != res.Total || !reflect.DeepEqual(spelled.Facets, res.Facets) {
			t.Fatalf("Search(%+v): %d results, spelled out %d", sf, res.Total, spelled.Total)
		}
	})
}

func TestBroadSearchIsCappedRankedAndFiltered(t *testing.T) {
	s := MustOpenStore(t)
	if err := synth.Fill(t.Context(), s.DB(), synth.Options{Listings: 2 * store.SearchWindow, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	res := search(t, s, directory.SearchFilter{Query: "help", Limit: 20})
	if !res.Capped || res.Total != store.SearchWindow || len(res.Hits) != 20 {
		t.Fatalf("broad search: capped %v, total %d, %d hits", res.Capped, res.Total, len(res.Hits))
	}
	for _, fc := range res.Facets {
		for _, v := range fc.Values {
			if v.Count != -1 {
				t.Fatalf("%s=%s counted (%d) in a capped search", fc.Name, v.Value, v.Count)
			}
		}
	}
	// Filters still apply, through the index's tags.
	f := directory.SearchFilter{Query: "help", Limit: 50, Kinds: []directory.Kind{directory.KindHotline},
		Terms: map[string][]string{"area": {"statewide"}}}
	for _, h := range search(t, s, f).Hits {
		if h.Listing == nil || h.Listing.Kind != directory.KindHotline || !slices.ContainsFunc(h.Listing.Terms, func(x directory.Term) bool {
			return x.Taxonomy == "area" && x.Slug == "statewide"
		}) {
			t.Fatalf("filtered broad search returned %+v", h.Listing)
		}
	}
	// Pages of a capped search follow one order: no hit twice, none past the window.
	seen := map[string]bool{}
	for offset := 0; offset < store.SearchWindow; offset += 100 {
		page := search(t, s, directory.SearchFilter{Query: "help", Limit: 100, Offset: offset})
		if len(page.Hits) != 100 || !page.Capped {
			t.Fatalf("page at %d: %d hits, capped %v", offset, len(page.Hits), page.Capped)
		}
		for _, h := range page.Hits {
			key := "page:"
			if h.Listing != nil {
				key = h.Listing.Slug
			} else {
				key += h.Page.Slug
			}
			if seen[key] {
				t.Fatalf("page at %d repeats %q", offset, key)
			}
			seen[key] = true
		}
	}
	if past := search(t, s, directory.SearchFilter{Query: "help", Limit: 100, Offset: store.SearchWindow}); len(past.Hits) != 0 || !past.Capped || past.Total != store.SearchWindow {
		t.Errorf("page past the window: %d hits, capped %v, total %d", len(past.Hits), past.Capped, past.Total)
	}
	// A name match still ranks first within the window.
	if got := search(t, s, directory.SearchFilter{Query: "crisis line"}); len(got.Hits) > 0 && !strings.Contains(got.Hits[0].Listing.Name, "Crisis Line") {
		t.Errorf("first hit for 'crisis line' = %q", got.Hits[0].Listing.Name)
	}
}

// TestSearchForTheSitesSubjectAnswersWithTheHotlineAndPages: on this directory nearly
// every entry says "trafficking", so bm25 gives the word no weight. Searching for it (or
// "human trafficking", or a typo of it) is answered by the hotline every page shows, then
// the site's own pages; a word that narrows the search is ranked by bm25 as before.
func TestSearchForTheSitesSubjectAnswersWithTheHotlineAndPages(t *testing.T) {
	s := MustOpenStore(t)
	for _, q := range []string{"trafficking", "human trafficking", "human traficking", "Trafficking "} {
		got := hitSlugs(search(t, s, directory.SearchFilter{Query: q, Limit: 3}))
		if len(got) != 3 || got[0] != "national-human-trafficking-hotline" ||
			!strings.HasPrefix(got[1], "page:") || !strings.HasPrefix(got[2], "page:") {
			t.Errorf("%q: got %v, want the hotline, then two of the site's pages", q, got)
		}
	}
	// With the kind filter, the hotlines alone, the primary one first.
	got := hitSlugs(search(t, s, directory.SearchFilter{Query: "trafficking", Kinds: []directory.Kind{directory.KindHotline}, Limit: 3}))
	if len(got) == 0 || got[0] != "national-human-trafficking-hotline" {
		t.Errorf("trafficking, hotlines: got %v, want the primary hotline first", got)
	}
	// A name narrows the search: bm25 decides, and the entry named comes first.
	got = hitSlugs(search(t, s, directory.SearchFilter{Query: "polaris trafficking", Limit: 3}))
	if len(got) == 0 || got[0] != "polaris" {
		t.Errorf("polaris trafficking: got %v, want polaris first", got)
	}
}

func TestSearchDoesNotFindTheSearchPageItself(t *testing.T) {
	s := MustOpenStore(t)
	res, err := s.Search(t.Context(), directory.SearchFilter{Query: "wages", Lang: "en", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Fatal("nothing found for wages")
	}
	for _, h := range res.Hits {
		if h.Page != nil && h.Page.Slug == "search" {
			t.Errorf("the search page is a result: %+v", h)
		}
	}
}

// The open data API's search with modified_after: listings changed since, and no pages.
func TestSearchModifiedAfter(t *testing.T) {
	s, ctx := openStore(t)
	for _, slug := range []string{"old-narwhal", "new-narwhal"} {
		l := &directory.Listing{Kind: directory.KindOrganization, Slug: slug, Name: "Narwhal Aid " + slug,
			Status: directory.StatusPublished}
		if err := s.CreateListing(ctx, l, editor, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DB().ExecContext(ctx, `UPDATE listings SET updated_at = '2020-01-01T00:00:00Z' WHERE slug = 'old-narwhal'`); err != nil {
		t.Fatal(err)
	}
	for after, want := range map[string][]string{
		"2019-06-01": {"Narwhal Aid new-narwhal", "Narwhal Aid old-narwhal"},
		"2021-06-01": {"Narwhal Aid new-narwhal"},
		"2999-01-01": nil,
	} {
		since, _ := time.Parse(time.DateOnly, after)
		got := hitNames(search(t, s, directory.SearchFilter{Query: "narwhal", ModifiedAfter: since}))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("narwhal changed since %s: %v, want %v", after, got, want)
		}
	}
	// Pages are not listings: none is ever "changed since" for the API.
	for _, h := range search(t, s, directory.SearchFilter{Query: "hotline", ModifiedAfter: time.Unix(0, 0)}).Hits {
		if h.Page != nil {
			t.Errorf("page %q in a search with ModifiedAfter", h.Page.Slug)
		}
	}
}
