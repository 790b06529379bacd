package store

import (
	"context"
	"database/sql"
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

	match := MatchExpression(f.Query)
	res := &directory.SearchResult{}
	if match == "" && strings.TrimSpace(f.Query) != "" {
		// Only punctuation or symbols: nothing can match.
		res.Facets = emptyFacets(f, terms)
		return res, nil
	}

	var args []any
	var m string
	switch {
	case match == "":
		m = `SELECT 'listings' AS entity, id AS entity_id, 0.0 AS rank, NULL AS doc FROM listings
			WHERE status = 'published' AND deleted_at IS NULL
			UNION ALL SELECT 'pages', id, 0.0, NULL FROM pages`
	case lang == DefaultLang:
		m = `SELECT d.entity, d.entity_id, search_fts.rank AS rank, d.id AS doc
			FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ? AND d.lang = 'en'`
		args = append(args, match)
	default:
		// An entry translated into lang has a document in lang and one in English: the best
		// of the two stands for it (min() makes SQLite take doc from that same row).
		m = `SELECT d.entity, d.entity_id, min(search_fts.rank) AS rank, d.id AS doc
			FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ? AND d.lang IN (?, 'en')
			GROUP BY d.entity, d.entity_id`
		args = append(args, match, lang)
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

	q := `WITH m AS MATERIALIZED (` + m + `),
	base AS MATERIALIZED (
		SELECT m.entity, m.entity_id, m.rank, m.doc,
			CASE WHEN m.entity = 'pages' THEN 'page' ELSE l.kind END AS kind,
			coalesce(l.open_24_7, 0) AS o247,
			coalesce(l.name, p.title) AS name,
			` + strings.Join(flagCols, ",\n\t\t\t") + `
		FROM m
		LEFT JOIN listings l ON m.entity = 'listings' AND l.id = m.entity_id
		LEFT JOIN pages p ON m.entity = 'pages' AND p.id = m.entity_id
	)
	SELECT 'kind', kind, count(*), 0, 0.0, '' FROM base WHERE ` + allBut("kind") + ` GROUP BY kind
	UNION ALL
	SELECT t.taxonomy, t.slug, count(*), 0, 0.0, '' FROM base
		JOIN listing_terms lt ON base.entity = 'listings' AND lt.listing_id = base.entity_id
		JOIN terms t ON t.id = lt.term_id
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
	args = append(args, limit, offset)

	type hitRow struct {
		entity string
		id     int64
		doc    int64
		rank   float64
		name   string
	}
	var hits []hitRow
	counts := map[string]map[string]int{}
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var typ, value string
		var n, doc int64
		var rank float64
		var name sql.NullString
		if err := rows.Scan(&typ, &value, &n, &doc, &rank, &name); err != nil {
			rows.Close()
			return nil, err
		}
		switch typ {
		case "hit":
			hits = append(hits, hitRow{entity: value, id: n, doc: doc, rank: rank, name: strings.ToLower(name.String)})
		case "total":
			res.Total = int(n)
		default:
			if counts[typ] == nil {
				counts[typ] = map[string]int{}
			}
			counts[typ][value] = int(n)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	res.Facets = buildFacets(f, terms, counts)
	// The hits arrive in order already; sorting again costs nothing and does not lean on
	// the order of a compound SELECT's arms.
	slices.SortStableFunc(hits, func(a, b hitRow) int {
		if a.rank != b.rank {
			if a.rank < b.rank {
				return -1
			}
			return 1
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
	var listingIDs, pageIDs, docIDs []int64
	for _, h := range hits {
		if h.entity == "pages" {
			pageIDs = append(pageIDs, h.id)
		} else {
			listingIDs = append(listingIDs, h.id)
		}
		if h.doc != 0 {
			docIDs = append(docIDs, h.doc)
		}
	}
	listings := map[int64]*directory.Listing{}
	if len(listingIDs) > 0 {
		list, err := queryListings(ctx, s.reader, lang, `SELECT `+listingColumns+` FROM listings l
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
	snippets, err := s.snippets(ctx, match, docIDs)
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

// snippetTokens is about how many words a snippet shows.
const snippetTokens = 24

// snippets returns, per document, a passage of its summary or body with the matched words
// between the snippet markers; documents whose match is only in the name get none.
func (s *Store) snippets(ctx context.Context, match string, docs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if match == "" || len(docs) == 0 {
		return out, nil
	}
	args := []any{directory.SnippetOpen, directory.SnippetClose, snippetTokens,
		directory.SnippetOpen, directory.SnippetClose, snippetTokens, match}
	args = append(args, int64Args(docs)...)
	rows, err := s.reader.QueryContext(ctx, `SELECT rowid,
		snippet(search_fts, 1, ?, ?, '…', ?), snippet(search_fts, 2, ?, ?, '…', ?)
		FROM search_fts WHERE search_fts MATCH ? AND rowid IN (`+placeholders(len(docs))+`)`, args...)
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
	rows, err := s.reader.QueryContext(ctx, `SELECT id, slug, title, description, body, updated_at, version
		FROM pages WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p directory.Page
		var updated sql.NullString
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &p.Body, &updated, &p.Version); err != nil {
			rows.Close()
			return nil, err
		}
		p.UpdatedAt = parseTime(updated)
		p.Lang = lang
		out[p.ID] = &p
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	tr, err := loadTranslations(ctx, s.reader, "pages", lang, ids)
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
	kind := directory.Facet{Name: "kind"}
	for _, k := range searchKinds {
		kind.Values = append(kind.Values, directory.FacetValue{Value: string(k), Count: counts["kind"][string(k)],
			Selected: slices.Contains(f.Kinds, k)})
	}
	out := []directory.Facet{kind}
	for _, tax := range facetTaxonomies {
		fc := directory.Facet{Name: tax}
		for _, t := range terms {
			if t.Taxonomy == tax {
				fc.Values = append(fc.Values, directory.FacetValue{Value: t.Slug, Label: t.Name,
					Count: counts[tax][t.Slug], Selected: slices.Contains(f.Terms[tax], t.Slug)})
			}
		}
		out = append(out, fc)
	}
	out = append(out, directory.Facet{Name: "open247", Values: []directory.FacetValue{
		{Value: "1", Count: counts["open247"]["1"], Selected: f.Open247}}})
	return out
}

func emptyFacets(f directory.SearchFilter, terms []directory.Term) []directory.Facet {
	return buildFacets(f, terms, nil)
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
