package directory

import "time"

// KindPage is the kind search gives the site's prose pages (About, Know it, …), beside the
// listing kinds.
const KindPage Kind = "page"

// SearchFilter is one search: the words typed and the filters chosen. Values within one filter
// combine with OR (two services: either); filters combine with AND.
type SearchFilter struct {
	Query string // as typed; the store makes it safe
	Lang  string
	// Kinds narrows results to these kinds (KindPage for prose pages).
	Kinds []Kind
	// Terms narrows results by taxonomy ("service") to listings with any of the slugs.
	Terms   map[string][]string
	Open247 bool
	// ModifiedAfter keeps listings changed at or after this time, and no pages (the open
	// data API).
	ModifiedAfter time.Time
	// ProvidedBy keeps the services of one organization, and no pages (the open data API;
	// see ListingFilter).
	ProvidedBy int64
	// Near keeps listings located in this town (a place slug) and those serving the whole
	// state, the town's first.
	Near   string
	Offset int
	Limit  int
}

// Active reports whether any filter (not the query) is set.
func (f SearchFilter) Active() bool {
	if len(f.Kinds) > 0 || f.Open247 || f.Near != "" {
		return true
	}
	for _, v := range f.Terms {
		if len(v) > 0 {
			return true
		}
	}
	return false
}

// SearchHit is one result: a listing or a page, with the passage that matched.
type SearchHit struct {
	Listing *Listing // set for listings
	Page    *Page    // set for pages
	// Snippet is a passage of the text with the matched words between SnippetOpen and
	// SnippetClose (private-use characters no text contains); the web layer escapes the text
	// and turns the markers into <mark>. Empty when only the name matched.
	Snippet string
}

// Snippet markers; see SearchHit.Snippet.
const (
	SnippetOpen  = "\uE000"
	SnippetClose = "\uE001"
)

// Facet is the counts of one filter's values for the current query and the other filters.
type Facet struct {
	Name   string // "kind", a taxonomy, or "open247"
	Values []FacetValue
}

// FacetValue is one value of a filter and how many results it would give.
type FacetValue struct {
	Value string // a kind, a term slug, or "1" for open247
	Label string
	// Count is how many results choosing the value gives; -1 when the search is too broad
	// to count (see SearchResult.Capped).
	Count    int
	Selected bool
}

// SearchResult is one page of results, the total, and the counts per filter value.
type SearchResult struct {
	Hits  []SearchHit
	Total int
	// Capped means the search matched more than Total: too broad to count exactly.
	Capped bool
	Facets []Facet
	// Corrected is what was searched for when a word typed was corrected ("trafficing" →
	// "trafficking"); empty otherwise.
	Corrected string
	// Near is the name of the place the search took the query to name ("Fairbanks"), its
	// listings first; empty otherwise.
	Near string
}
