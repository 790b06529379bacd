package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"signpost/internal/directory"
)

// MaxSearchLimit bounds a page of search results.
const MaxSearchLimit = 100

// facetTaxonomies are the term filters search offers, in the order it shows them.
var facetTaxonomies = directory.Taxonomies

// Search finds published listings and pages matching f.Query (every word, as a prefix, case
// and accents ignored; see MatchExpression) and f's filters, best first (bm25, names weighted
// over summaries over bodies). With no query words it lists what the filters select, by
// name. Alongside one page of hits it returns the total and, for each filter, how many
// results each value would give with the query and the other filters.
//
// Searching in a language other than English searches that language's text, with English
// standing in for what is not translated yet. Unknown kinds or term slugs are an EINVALID
// error.
func (s *Store) Search(ctx context.Context, f directory.SearchFilter) (*directory.SearchResult, error) {
	lang := f.Lang
	if lang == "" {
		lang = DefaultLang
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxSearchLimit {
		limit = MaxSearchLimit
	}
	offset := max(f.Offset, 0)

	terms, err := s.ListTerms(ctx, "", lang)
	if err != nil {
		return nil, err
	}
	termIDs := map[string][]any{} // taxonomy → ids selected
	for tax, slugs := range f.Terms {
		if !slices.Contains(facetTaxonomies, tax) {
			return nil, directory.Errorf(directory.EINVALID, "There is no filter called %q.", tax)
		}
		for _, slug := range slugs {
			i := slices.IndexFunc(terms, func(t directory.Term) bool { return t.Taxonomy == tax && t.Slug == slug })
			if i < 0 {
				return nil, directory.Errorf(directory.EINVALID, "There is no %s called %q to filter by.", tax, slug)
			}
			termIDs[tax] = append(termIDs[tax], terms[i].ID)
		}
	}
	for _, k := range f.Kinds {
		if !k.Valid() && k != directory.KindPage {
			return nil, directory.Errorf(directory.EINVALID, "There is no kind of entry called %q.", k)
		}
	}

	near, query, err := s.searchNear(ctx, f, terms) // a town chosen or named: searchplaces.go
	if err != nil {
		return nil, err
	}
	plan, lex, err := s.planSearch(ctx, query, lang)
	if err != nil {
		return nil, err
	}
	if len(plan.groups) == 0 && strings.TrimSpace(query) != "" {
		// Only punctuation or symbols, or words no entry holds in any form: nothing can
		// match.
		s.noteSearchFound(lang, f.Query, false)
		return &directory.SearchResult{Facets: emptyFacets(f, terms), Corrected: plan.corrected}, nil
	}
	q := searchQuery{rank: "0.0", near: near}
	if len(plan.groups) > 0 {
		// bm25, weighed by the entry's standing (search_docs.prior); an entry named exactly
		// what was typed first of all; for help-seeking words, the hotline every page shows.
		hotline := int64(-1)
		if plan.help || plan.broad {
			hotline = lex.hotlineID
		}
		named, err := s.namedExactly(ctx, strings.TrimSpace(f.Query), plan.exact)
		if err != nil {
			return nil, err
		}
		// The rank is bm25 with the lexicon's counts of each phrase's documents (see
		// signpost_rank): the same for plan.all() and plan.any(), which list the same
		// phrases in the same order.
		q.rank = `(` + rankFunc + ` * d.prior
			- CASE WHEN d.id IN (SELECT value FROM json_each(?)) THEN 1000.0 ELSE 0.0 END
			- CASE WHEN d.entity = 'listings' AND d.entity_id = ? THEN 500.0 ELSE 0.0 END)`
		q.rankArgs = []any{lex.phraseHits(plan.all()), named, hotline}
		if plan.broad {
			// Every word searched for is in half the documents or more ("trafficking",
			// "human trafficking" on an anti-trafficking site): bm25 gives such a word no
			// weight, and the order would be left to the rarer forms searched with it
			// ("trafficked") and to documents' lengths. The visitor has named the site's
			// subject and nothing narrower, so the site's own answer comes first, as for
			// help-seeking words: the hotline every page shows, then the site's pages (what
			// it is, the signs, how to report it, help), then the listings, bm25 ordering
			// each part. A word that narrows the search keeps bm25's order (see
			// searchPlan.broad).
			q.rank = `(` + q.rank + ` - CASE WHEN d.entity = 'pages' THEN ` + broadPageWeight + ` ELSE 0.0 END)`
		}
	}
	res, err := s.searchWith(ctx, f, lang, terms, termIDs, plan.all(), q, offset, limit)
	if err != nil {
		return nil, err
	}
	if res.Total == 0 && len(plan.groups) > 1 {
		// Not every word can match together: rank by how many do.
		counts, err := s.groupCounts(ctx, plan.groups)
		if err != nil {
			return nil, err
		}
		q.rank = `(` + q.rank + ` - 100.0 * coalesce(json_extract(?, '$.d' || d.id), 0))`
		q.rankArgs = append(q.rankArgs, counts)
		if res, err = s.searchWith(ctx, f, lang, terms, termIDs, plan.any(), q, offset, limit); err != nil {
			return nil, err
		}
	}
	res.Corrected, res.Near = plan.corrected, near.name
	s.noteSearchFound(lang, f.Query, res.Total > 0)
	return res, nil
}

// namedExactly returns, as a JSON array, the documents of the entries named exactly what
// was typed: a listing by its name (case aside, through listings_name_nocase), a page by
// its title (punctuation aside; there are a few pages).
func (s *Store) namedExactly(ctx context.Context, typed, exact string) (string, error) {
	ids := []int64{}
	rows, err := s.reader().QueryContext(ctx, `SELECT d.id, '' FROM listings l
			CROSS JOIN search_docs d ON d.entity = 'listings' AND d.entity_id = l.id
			WHERE l.name = ? COLLATE NOCASE
		UNION ALL
		SELECT d.id, coalesce(t.value, p.title) FROM pages p
			JOIN search_docs d ON d.entity = 'pages' AND d.entity_id = p.id
			LEFT JOIN translations t ON t.entity = 'pages' AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'title'`, typed)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			_ = rows.Close()
			return "", err
		}
		if title == "" || strings.Join(foldWords(title), " ") == exact {
			ids = append(ids, id)
		}
	}
	if err := closeRows(rows); err != nil {
		return "", err
	}
	b, err := json.Marshal(ids)
	return string(b), err
}

// groupCounts returns, as a JSON object {"d<doc id>": n}, how many of the groups each
// document matches (counting up to groupCountLimit documents a group), for ranking a
// search whose words cannot all match together.
func (s *Store) groupCounts(ctx context.Context, groups []string) (string, error) {
	counts := map[string]int{}
	for _, g := range groups {
		rows, err := s.reader().QueryContext(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?`,
			`{name summary body extra}: (`+g+`)`, groupCountLimit)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				_ = rows.Close()
				return "", err
			}
			counts[fmt.Sprintf("d%d", id)]++
		}
		if err := closeRows(rows); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(counts)
	return string(b), err
}

// broadPageWeight is what a page gains in a search of words bm25 gives no weight (see
// Search): more than such a search's bm25 (about 10 at most on the seeded directory, from
// the rarer forms), less than the hotline's 500, an exact name's 1000 or one more group
// matched when not every group can (100).
const broadPageWeight = `50.0`

// groupCountLimit bounds the documents groupCounts reads per group.
const groupCountLimit = 2000

// searchWith runs Search with the words as match (an FTS5 expression, "" for none) ranked
// by q.rank.
func (s *Store) searchWith(ctx context.Context, f directory.SearchFilter, lang string, terms []directory.Term,
	termIDs map[string][]any, match string, q searchQuery, offset, limit int) (*directory.SearchResult, error) {
	res := &directory.SearchResult{}
	// The words, as an FTS5 expression on the text columns, and the filters as tags.
	expr := ""
	if match != "" {
		expr = `{name summary body extra}: (` + match + `)`
	}
	var tagParts []string
	if len(f.Kinds) > 0 {
		var alt []string
		for _, k := range f.Kinds {
			alt = append(alt, `"k`+string(k)+`"`)
		}
		tagParts = append(tagParts, `{tags}: (`+strings.Join(alt, " OR ")+`)`)
	}
	for _, tax := range facetTaxonomies {
		if ids := termIDs[tax]; len(ids) > 0 {
			var alt []string
			for _, id := range ids {
				alt = append(alt, fmt.Sprintf(`"t%d"`, id))
			}
			tagParts = append(tagParts, `{tags}: (`+strings.Join(alt, " OR ")+`)`)
		}
	}
	if f.Open247 {
		tagParts = append(tagParts, `{tags}: "open247"`)
	}
	filtered := strings.Join(append(nonEmpty(expr), tagParts...), " AND ")
	// The language: its own documents, and English ones of entries not translated into it.
	docCond, docArgs := `d.lang = 'en'`, []any(nil)
	if lang != DefaultLang {
		docCond, docArgs = `(d.lang = ? OR d.lang = 'en' AND instr(d.has, ?) = 0)`, []any{lang, " " + lang + " "}
	}
	// The open data API's conditions on listings: a lookup for each match, which only its
	// consumers pay.
	var listingConds []string
	if !f.ModifiedAfter.IsZero() {
		listingConds = append(listingConds, `ml.updated_at >= ?`)
		docArgs = append(docArgs, f.ModifiedAfter.UTC().Format(timeFormat))
	}
	if f.ProvidedBy != 0 {
		listingConds = append(listingConds, providedBy("ml"))
		docArgs = append(docArgs, f.ProvidedBy, f.ProvidedBy)
	}
	if len(listingConds) > 0 {
		docCond += ` AND d.entity = 'listings' AND EXISTS (SELECT 1 FROM listings ml
			WHERE ml.id = d.entity_id AND ` + strings.Join(listingConds, " AND ") + `)`
	}
	q.docCond, q.docArgs = docCond+q.near.cond, docArgs
	if match == "" {
		q.rank, q.rankArgs = "0.0", nil // listing by filters only: by name
	}

	// How many documents the words alone match, counted up to one more than the window: at
	// most the window, and the counts per filter value are exact; more, and the search is
	// too broad to count every way, so it reports "more than" and ranks within the window.
	// With words, one read of the index gives the count and the matches ranked (see
	// matchWindow): all of them for exactSearch, or, for a broad search without filters on
	// the tags, the window to rank.
	var window []hitRow
	var n int
	var err error
	if expr != "" {
		window, err = s.matchWindow(ctx, q, expr)
		n = len(window)
	} else {
		n, err = s.countWindow(ctx, q, expr)
	}
	if err != nil {
		return nil, err
	}
	var hits []hitRow
	counts := map[string]map[string]int{}
	if n > SearchWindow {
		if filtered == expr {
			hits, res.Total, err = s.pageOfWindow(ctx, window, offset, limit)
		} else {
			hits, res.Total, err = s.rankWindow(ctx, q, filtered, offset, limit)
		}
		if err != nil {
			return nil, err
		}
		if res.Total > SearchWindow {
			res.Total, res.Capped = SearchWindow, true
		}
		counts = nil
	} else {
		if err := s.exactSearch(ctx, f, q, expr, window, termIDs, func(typ, value string, n, doc int64, rank float64, name string) {
			switch typ {
			case "hit":
				hits = append(hits, hitRow{entity: value, id: n, doc: doc, rank: rank, name: strings.ToLower(name)})
			case "total":
				res.Total = int(n)
			default:
				if counts[typ] == nil {
					counts[typ] = map[string]int{}
				}
				counts[typ][value] = int(n)
			}
		}); err != nil {
			return nil, err
		}
	}
	res.Facets = buildFacets(f, terms, counts) // counts nil: not counted
	// Best first: the hits arrive in order already, and sorting them again costs nothing and
	// does not lean on the order of a compound SELECT's arms.
	slices.SortStableFunc(hits, func(a, b hitRow) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := strings.Compare(a.entity, b.entity); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})

	// The page of hits: their entries in lang, and the passages that matched.
	listingIDs, pageIDs := entryIDs(hits)
	var docIDs []int64
	for _, h := range hits {
		if h.doc != 0 {
			docIDs = append(docIDs, h.doc)
		}
	}
	listings := map[int64]*directory.Listing{}
	if len(listingIDs) > 0 {
		list, err := queryListings(ctx, s.reader(), lang, `SELECT `+listingColumns+` FROM listings l
			WHERE l.id IN (`+placeholders(len(listingIDs))+`)`, int64Args(listingIDs)...)
		if err != nil {
			return nil, err
		}
		for _, l := range list {
			listings[l.ID] = l
		}
	}
	pages, err := s.pagesByID(ctx, lang, pageIDs)
	if err != nil {
		return nil, err
	}
	var snippets map[int64]string
	if match != "" {
		snippets, err = s.snippets(ctx, filtered, docIDs)
	}
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		hit := directory.SearchHit{Snippet: snippets[h.doc]}
		if h.entity == "pages" {
			hit.Page = pages[h.id]
		} else {
			hit.Listing = listings[h.id]
		}
		if hit.Page != nil || hit.Listing != nil {
			res.Hits = append(res.Hits, hit)
		}
	}
	return res, nil
}

// hitRow is one match before its entry is loaded.
type hitRow struct {
	entity string
	id     int64
	doc    int64
	rank   float64
	name   string // lower case, for ordering
}

// searchQuery is what every statement of one search shares: how to rank, and which
// documents it searches (those in its language, changed since ModifiedAfter if set).
type searchQuery struct {
	rank     string // an expression of search_fts.rank and d, or "0.0" with no words
	rankArgs []any  // rank's arguments
	docCond  string // which documents of search_docs d: the language's, maybe fewer
	docArgs  []any
	near     nearPlace // a town's weight and filter, added to rank and docCond
}

// from returns the FROM and WHERE of the documents matching expr (every document in the
// language when expr is empty), and their arguments.
func (q searchQuery) from(expr string) (string, []any) {
	if expr == "" {
		return `search_docs d WHERE ` + q.docCond, q.docArgs
	}
	return `search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND ` + q.docCond,
		append([]any{expr}, q.docArgs...)
}

// countWindow returns how many documents match expr (every document in the language when
// expr is empty), counted up to SearchWindow+1.
func (s *Store) countWindow(ctx context.Context, q searchQuery, expr string) (int, error) {
	from, args := q.from(expr)
	var n int
	// #nosec G202 -- from is a fixed fragment (searchQuery); the words are bound
	err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+from+` LIMIT ?)`,
		append(args, SearchWindow+1)...).Scan(&n)
	return n, err
}

// rankWindow ranks the first SearchWindow matches of expr in the index's order and returns
// one page of them (offset, limit), best first, and how many documents match, counted up
// to SearchWindow+1. bm25 is computed for the window's rows only, and only the page leaves
// SQLite (in no order: Search sorts it).
func (s *Store) rankWindow(ctx context.Context, q searchQuery, expr string, offset, limit int) ([]hitRow, int, error) {
	rank, from, args := q.rankedFrom(expr)
	byName := rank == "0.0"
	rank = q.near.ranked(rank)
	// row_number() without an order numbers the window's rows as they come; which one of
	// SearchWindow+1 is left out is of no matter, as long as one is.
	window := `SELECT x.*, row_number() OVER () AS i, count(*) OVER () AS n
		FROM (SELECT d.entity, d.entity_id, d.id, ` + rank + ` AS rank FROM ` + from + ` LIMIT ?) x`
	// Ranked, ties (rare with bm25) go by entity, and only the page's names are looked up.
	// Unranked (filters alone), the window is listed by name.
	order := `rank, entity, entity_id`
	if byName {
		window = `SELECT w.*, coalesce(l.name, p.title) AS name FROM (` + window + `) w ` + entryJoins("w")
		order = `rank, name COLLATE NOCASE, entity, entity_id`
	}
	// #nosec G202 -- rank, from and order are fixed fragments (searchQuery); the words are
	// bound
	rows, err := s.reader().QueryContext(ctx, `SELECT w.entity, w.entity_id, w.id, w.rank,
			coalesce(l.name, p.title), w.n
		FROM (SELECT * FROM (`+window+`) WHERE i <= ? ORDER BY `+order+` LIMIT ? OFFSET ?) w `+entryJoins("w"),
		append(args, SearchWindow+1, SearchWindow, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []hitRow
	total := 0
	for rows.Next() {
		var h hitRow
		var name sql.NullString
		if err := rows.Scan(&h.entity, &h.id, &h.doc, &h.rank, &name, &total); err != nil {
			return nil, 0, err
		}
		h.name = strings.ToLower(name.String)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		// A page past the end says nothing of the total: count it.
		total, err = s.countWindow(ctx, q, expr)
	}
	return out, total, err
}

// matchWindow returns the first SearchWindow+1 documents matching expr (not empty), in the
// index's order, ranked: as many as countWindow counts, and, when they are more than
// SearchWindow, the same window that rankWindow ranks for expr (for pageOfWindow).
func (s *Store) matchWindow(ctx context.Context, q searchQuery, expr string) ([]hitRow, error) {
	from, args := q.from(expr)
	args = append(append(append([]any(nil), q.rankArgs...), args...), SearchWindow+1)
	// #nosec G202 -- rank, the place's tier and from are fixed fragments (searchQuery); the
	// words are bound
	rows, err := s.reader().QueryContext(ctx, `SELECT d.entity, d.entity_id, d.id, `+q.near.ranked(q.rank)+` FROM `+from+` LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]hitRow, 0, SearchWindow+1)
	for rows.Next() {
		var h hitRow
		if err := rows.Scan(&h.entity, &h.id, &h.doc, &h.rank); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// pageOfWindow is rankWindow for a window matchWindow has read already (more than
// SearchWindow documents): its first SearchWindow ranked, one page of them with their
// entries' names, and the total (SearchWindow+1).
func (s *Store) pageOfWindow(ctx context.Context, window []hitRow, offset, limit int) ([]hitRow, int, error) {
	total := len(window)
	w := slices.Clone(window[:min(len(window), SearchWindow)])
	slices.SortFunc(w, func(a, b hitRow) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := strings.Compare(a.entity, b.entity); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	if offset >= len(w) {
		return nil, total, nil
	}
	page := w[offset:min(len(w), offset+limit)]
	listingIDs, pageIDs := entryIDs(page)
	// #nosec G202 -- only "?" placeholders are concatenated; every value is bound
	rows, err := s.reader().QueryContext(ctx, `SELECT 'listings', id, name FROM listings WHERE id IN (`+placeholders(len(listingIDs))+`)
		UNION ALL SELECT 'pages', id, title FROM pages WHERE id IN (`+placeholders(len(pageIDs))+`)`,
		append(int64Args(listingIDs), int64Args(pageIDs)...)...)
	if err != nil {
		return nil, 0, err
	}
	names := map[string]map[int64]string{}
	for rows.Next() {
		var entity, name string
		var id int64
		if err := rows.Scan(&entity, &id, &name); err != nil {
			_ = rows.Close()
			return nil, 0, err
		}
		if names[entity] == nil {
			names[entity] = map[int64]string{}
		}
		names[entity][id] = strings.ToLower(name)
	}
	if err := closeRows(rows); err != nil {
		return nil, 0, err
	}
	for i := range page {
		page[i].name = names[page[i].entity][page[i].id]
	}
	return page, total, nil
}

// entryJoins joins the listing (l) or page (p) that each row of alias (entity, entity_id)
// is a document of.
func entryJoins(alias string) string {
	return `LEFT JOIN listings l ON ` + alias + `.entity = 'listings' AND l.id = ` + alias + `.entity_id
		LEFT JOIN pages p ON ` + alias + `.entity = 'pages' AND p.id = ` + alias + `.entity_id`
}

// snippetTokens is about how many words a snippet shows.
const snippetTokens = 24

// snippets returns, per document, a passage of its summary or body with the matched words
// between the snippet markers; documents whose match is only in the name get none.
//
// expr is the search's whole expression, filters included (a tag never shows in a
// snippet): the documents are among its first SearchWindow+1 matches, so one scan of its
// matches in their rowid range reads at most that many. "rowid IN (…)" alone would make
// FTS5 evaluate expr once per document, a seek in the list of every word, which for common
// words costs more than the scan (the unary + keeps SQLite from handing the IN to FTS5).
func (s *Store) snippets(ctx context.Context, expr string, docs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if expr == "" || len(docs) == 0 {
		return out, nil
	}
	lo, hi := slices.Min(docs), slices.Max(docs)
	args := []any{directory.SnippetOpen, directory.SnippetClose, snippetTokens,
		directory.SnippetOpen, directory.SnippetClose, snippetTokens, expr, lo, hi}
	args = append(args, int64Args(docs)...)
	// #nosec G202 -- only "?" placeholders are concatenated; every value is bound
	rows, err := s.reader().QueryContext(ctx, `SELECT rowid,
		snippet(search_fts, 1, ?, ?, '…', ?), snippet(search_fts, 2, ?, ?, '…', ?)
		FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?
		AND +rowid IN (`+placeholders(len(docs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var summary, body string
		if err := rows.Scan(&id, &summary, &body); err != nil {
			return nil, err
		}
		switch {
		case strings.Contains(summary, directory.SnippetOpen):
			out[id] = summary
		case strings.Contains(body, directory.SnippetOpen):
			out[id] = body
		}
	}
	return out, rows.Err()
}

// pagesByID returns pages by id, in lang.
func (s *Store) pagesByID(ctx context.Context, lang string, ids []int64) (map[int64]*directory.Page, error) {
	out := map[int64]*directory.Page{}
	if len(ids) == 0 {
		return out, nil
	}
	// #nosec G202 -- only "?" placeholders are concatenated; every value is bound
	rows, err := s.reader().QueryContext(ctx, `SELECT id, slug, title, description, body, updated_at, version
		FROM pages WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p directory.Page
		var updated sql.NullString
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &p.Body, &updated, &p.Version); err != nil {
			_ = rows.Close()
			return nil, err
		}
		p.UpdatedAt = parseTime(updated)
		p.Lang = lang
		out[p.ID] = &p
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	tr, err := loadTranslations(ctx, s.reader(), "pages", lang, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		t := tr.for_(lang, p.ID)
		t.apply("title", &p.Title)
		t.apply("description", &p.Description)
		t.apply("body", &p.Body)
		p.Untranslated = t.untranslated
	}
	return out, nil
}

// searchKinds is the kind facet's order: the listing kinds, then pages.
var searchKinds = append(append([]directory.Kind{}, directory.Kinds...), directory.KindPage)

func buildFacets(f directory.SearchFilter, terms []directory.Term, counts map[string]map[string]int) []directory.Facet {
	count := func(facet, value string) int {
		if counts == nil {
			return -1
		}
		return counts[facet][value]
	}
	kind := directory.Facet{Name: "kind"}
	for _, k := range searchKinds {
		kind.Values = append(kind.Values, directory.FacetValue{Value: string(k), Count: count("kind", string(k)),
			Selected: slices.Contains(f.Kinds, k)})
	}
	out := []directory.Facet{kind}
	for _, tax := range facetTaxonomies {
		fc := directory.Facet{Name: tax}
		for _, t := range terms {
			if t.Taxonomy == tax {
				fc.Values = append(fc.Values, directory.FacetValue{Value: t.Slug, Label: t.Name,
					Count: count(tax, t.Slug), Selected: slices.Contains(f.Terms[tax], t.Slug)})
			}
		}
		out = append(out, fc)
	}
	out = append(out, directory.Facet{Name: "open247", Values: []directory.FacetValue{
		{Value: "1", Count: count("open247", "1"), Selected: f.Open247}}})
	return out
}

func emptyFacets(f directory.SearchFilter, terms []directory.Term) []directory.Facet {
	return buildFacets(f, terms, map[string]map[string]int{})
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// SearchWindow is how many matches a search counts and ranks exactly. Below it, totals and
// the counts beside each filter value are exact and every match is ranked; above it the
// search is too broad for that to be quick (bm25 over tens of thousands of entries takes
// longer than the whole page should), so it says "more than SearchWindow", ranks the first
// SearchWindow matches (with the filters applied) and leaves the filter values uncounted.
// A directory the size of one working group's never reaches it. (It was 500; since search
// also matches lines, terms, other forms and synonyms, searches match more entries, and
// counting every way for 500 of them cost a quarter of the search's time.)
const SearchWindow = 200

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// exactSearch runs a search whose matches (expr, without the filters) number at most
// SearchWindow: one statement that reads the matches once and yields the counts per filter
// value ("kind", a taxonomy, "open247"), the total, and the page of hits ("hit": entity,
// id, doc, rank, name).
//
// window, when not nil, is every match of expr, ranked (matchWindow): the statement then
// reads them instead of the index, and yields every hit that passes the filters, which
// are sorted and paged here as the statement would.
func (s *Store) exactSearch(ctx context.Context, f directory.SearchFilter, sq searchQuery, expr string, window []hitRow,
	termIDs map[string][]any, yield func(typ, value string, n, doc int64, rank float64, name string)) error {
	limit := f.Limit
	if limit <= 0 || limit > MaxSearchLimit {
		limit = MaxSearchLimit
	}
	rank, from, args := sq.rankedFrom(expr)
	rank = sq.near.ranked(rank)
	var ranks map[int64]float64 // document → rank, with window
	if window != nil {
		ranks = make(map[int64]float64, len(window))
		docs := make([]int64, len(window))
		for i, h := range window {
			ranks[h.doc], docs[i] = h.rank, h.doc
		}
		b, err := json.Marshal(docs)
		if err != nil {
			return err
		}
		rank, from, args = "0.0", `json_each(?) j CROSS JOIN search_docs d ON d.id = j.value`, []any{string(b)}
	}
	// Each filter becomes a 0/1 column of base, so that each facet can count with every
	// filter but its own.
	flag := map[string]string{}
	if len(f.Kinds) > 0 {
		flag["kind"] = `(CASE WHEN m.entity = 'pages' THEN 'page' ELSE l.kind END) IN (` + placeholders(len(f.Kinds)) + `)`
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	} else {
		flag["kind"] = "1"
	}
	for _, tax := range facetTaxonomies {
		ids := termIDs[tax]
		if len(ids) == 0 {
			flag[tax] = "1"
			continue
		}
		flag[tax] = `(m.entity = 'listings' AND EXISTS (SELECT 1 FROM listing_terms lt
			WHERE lt.listing_id = m.entity_id AND lt.term_id IN (` + placeholders(len(ids)) + `)))`
		args = append(args, ids...)
	}
	if f.Open247 {
		flag["open247"] = "coalesce(l.open_24_7, 0) = 1"
	} else {
		flag["open247"] = "1"
	}
	names := append([]string{"kind", "open247"}, facetTaxonomies...)
	var flagCols []string
	for _, n := range names {
		flagCols = append(flagCols, flag[n]+" AS f_"+n)
	}
	allBut := func(except string) string {
		var c []string
		for _, n := range names {
			if n != except {
				c = append(c, "f_"+n)
			}
		}
		return strings.Join(c, " AND ")
	}
	var termCase strings.Builder
	termCase.WriteString("CASE t.taxonomy")
	for _, tax := range facetTaxonomies {
		termCase.WriteString(" WHEN '" + tax + "' THEN " + allBut(tax))
	}
	termCase.WriteString(" ELSE 0 END")

	// The term counts join with CROSS JOIN, which SQLite takes as "in this order": from the
	// matches to their terms. Left to itself, the planner may start from the terms and walk
	// every listing_terms row, whatever the query matched (20 ms at 100,000 listings even
	// for a query that matches two).
	// #nosec G202 -- built from fixed fragments, fixed taxonomy names and "?" placeholders;
	// every value is bound
	q := `WITH m AS MATERIALIZED (
		SELECT d.entity, d.entity_id, ` + rank + ` AS rank, d.id AS doc FROM ` + from + `),
	base AS MATERIALIZED (
		SELECT m.entity, m.entity_id, m.rank, m.doc,
			CASE WHEN m.entity = 'pages' THEN 'page' ELSE l.kind END AS kind,
			coalesce(l.open_24_7, 0) AS o247,
			coalesce(l.name, p.title) AS name,
			` + strings.Join(flagCols, ",\n\t\t\t") + `
		FROM m
		` + entryJoins("m") + `
	)
	SELECT 'kind', kind, count(*), 0, 0.0, '' FROM base WHERE ` + allBut("kind") + ` GROUP BY kind
	UNION ALL
	SELECT t.taxonomy, t.slug, count(*), 0, 0.0, '' FROM base
		CROSS JOIN listing_terms lt ON base.entity = 'listings' AND lt.listing_id = base.entity_id
		CROSS JOIN terms t ON t.id = lt.term_id
		WHERE ` + termCase.String() + `
		GROUP BY t.id
	UNION ALL
	SELECT 'open247', '1', count(*), 0, 0.0, '' FROM base WHERE o247 = 1 AND ` + allBut("open247") + `
	UNION ALL
	SELECT 'total', '', count(*), 0, 0.0, '' FROM base WHERE ` + allBut("") + `
	UNION ALL
	SELECT * FROM (SELECT 'hit', entity, entity_id, coalesce(doc, 0), rank, name FROM base
		WHERE ` + allBut("") + `
		ORDER BY rank, name COLLATE NOCASE, entity, entity_id LIMIT ? OFFSET ?)`
	if window != nil {
		args = append(args, -1, 0) // every hit: sorted and paged below
	} else {
		args = append(args, limit, max(f.Offset, 0))
	}
	rows, err := s.reader().QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var hits []hitRow
	for rows.Next() {
		var typ, value string
		var n, doc int64
		var rank float64
		var name sql.NullString
		if err := rows.Scan(&typ, &value, &n, &doc, &rank, &name); err != nil {
			return err
		}
		if window != nil && typ == "hit" {
			hits = append(hits, hitRow{entity: value, id: n, doc: doc, rank: ranks[doc], name: name.String})
			continue
		}
		yield(typ, value, n, doc, rank, name.String)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// As ORDER BY rank, name COLLATE NOCASE, entity, entity_id LIMIT limit OFFSET offset.
	slices.SortFunc(hits, func(a, b hitRow) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := strings.Compare(asciiLower(a.name), asciiLower(b.name)); c != 0 {
			return c
		}
		if c := strings.Compare(a.entity, b.entity); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	for _, h := range hits[min(len(hits), max(f.Offset, 0)):min(len(hits), max(f.Offset, 0)+limit)] {
		yield("hit", h.entity, h.id, h.doc, h.rank, h.name)
	}
	return nil
}

// asciiLower folds ASCII letters only, as SQLite's NOCASE does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// entryIDs splits hits into the ids of their listings and of their pages.
func entryIDs(hits []hitRow) (listingIDs, pageIDs []int64) {
	for _, h := range hits {
		if h.entity == "pages" {
			pageIDs = append(pageIDs, h.id)
		} else {
			listingIDs = append(listingIDs, h.id)
		}
	}
	return listingIDs, pageIDs
}

// rankedFrom returns the rank of a match of expr (none without words: "0.0"), what it is
// selected from, and the arguments of both, in order.
func (q searchQuery) rankedFrom(expr string) (rank, from string, args []any) {
	from, args = q.from(expr)
	if expr == "" {
		return "0.0", from, args
	}
	return q.rank, from, append(append([]any(nil), q.rankArgs...), args...)
}
