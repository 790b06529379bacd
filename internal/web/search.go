package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/templates"
)

// Search page limits. A URL asking for more is a clear 400, never a slow page.
const (
	searchPerPage    = 20
	maxSearchPage    = 500
	maxFilterValues  = 20
	maxShownQueryLen = 200 // runes of the query echoed back in the box
)

// searchParams are the filters a search URL can carry, in the order the page shows them.
var searchParams = append([]string{"kind"}, directory.Taxonomies...)

// searchPage builds /search: the query and filters of a plain GET form, results with the
// matched words marked, counts per filter value, and stable page URLs. Routes serve it with
// private: results are never kept by a browser or proxy (a shared device should not keep
// what someone looked for) nor indexed, while the server keeps each rendered result until
// the content changes, so a crowd searching the same words costs one search.
func (s *Server) searchPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		f, page, err := parseSearch(r.URL.Query())
		if err != nil {
			return nil, err
		}
		f.Lang = l.Tag
		layout, err := s.layout(r, l, "/search")
		if err != nil {
			return nil, err
		}
		// The title never holds the words searched for: a browser keeps titles in its
		// history and its saved session, and shows them in the tab list.
		layout.Title = l.T("nav.search")
		layout.Description = l.T("search.description")
		layout.Query = f.Query
		// The search page itself may be indexed; its results never are (they are endless,
		// thin, and would compete with the listings' own pages).
		layout.NoIndex = r.URL.RawQuery != ""
		vm := templates.SearchVM{Layout: layout, Posted: isPostedSearch(r)}
		if f.Query != "" || f.Active() {
			layout.Title = l.T("search.title.results")
			vm.Layout = layout
		}

		if strings.TrimSpace(f.Query) != "" || f.Active() {
			f.Limit, f.Offset = searchPerPage, (page-1)*searchPerPage
			res, err := s.store.Search(r.Context(), f)
			if err != nil {
				return nil, err
			}
			pages := max(1, (res.Total+searchPerPage-1)/searchPerPage)
			if page > pages {
				return nil, directory.Errorf(directory.EINVALID, "There is no page %d of these results.", page)
			}
			vm.Searched = true
			vm.Total = res.Total
			vm.Capped = res.Capped
			vm.Corrected = res.Corrected
			ping := ""
			if f.Query != "" {
				// Absolute: HTML allows only http(s) URLs in ping. The page cache keys on the
				// origin when the base URL is the request's.
				ping = s.baseURL(r) + "/search/click/" + s.clicks.token(l.Tag, f.Query)
			}
			vm.Hits = searchHits(l, res.Hits, ping)
			vm.Facets = searchFacets(l, res.Facets)
			if vm.NearTowns, err = s.store.ListNearPlaces(r.Context()); err != nil {
				return nil, err
			}
			vm.Near, vm.NearName = f.Near, res.Near
			vm.FiltersActive = f.Active()
			vm.Pager = templates.Pager{Page: page, Pages: pages, Total: res.Total}
			base := l.Path("/search")
			if page > 1 {
				vm.Pager.Prev = searchURL(base, f, page-1)
			}
			if page < pages {
				vm.Pager.Next = searchURL(base, f, page+1)
			}
			if f.Active() {
				vm.ClearFilters = searchURL(base, directory.SearchFilter{Query: f.Query}, 1)
			}
		}
		return templates.SearchPage(vm), nil
	}
}

// postedSearchKey marks a request as a posted search (see postedSearch).
type postedSearchKey struct{}

// isPostedSearch reports whether r is a search sent by the posted form.
func isPostedSearch(r *http.Request) bool {
	return r.Context().Value(postedSearchKey{}) != nil
}

// postedSearch serves the search form's POST: the same page as GET /search with the form's
// fields as its query string, so that one rendering (and one server-side cache entry) serves
// both. The words typed never reach a URL the browser sees: not the address bar, the
// history, the tab's saved session or the HTTP cache (search pages are no-store). The
// results page marks itself posted, so its "next page" and "without filters" are buttons
// that post the form again rather than links holding the words. A "clear" field drops the
// filters. Search only reads, so it needs no cross-origin check.
func (s *Server) postedSearch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.Error(w, r, err)
			return
		}
		v := url.Values{}
		for k, vals := range r.PostForm {
			if k == "clear" || r.PostForm.Has("clear") && k != "q" {
				continue
			}
			v[k] = vals
		}
		r2 := r.WithContext(context.WithValue(r.Context(), postedSearchKey{}, true))
		u := *r.URL
		u.RawQuery = v.Encode()
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// parseSearch reads a search URL's query string. Text is cleaned, never refused: invalid
// UTF-8 and control characters become spaces. Malformed pages and filters are EINVALID.
func parseSearch(v url.Values) (directory.SearchFilter, int, error) {
	var f directory.SearchFilter
	f.Query = cleanQuery(v.Get("q"))
	for _, name := range searchParams {
		vals := v[name]
		if len(vals) > maxFilterValues {
			return f, 0, directory.Errorf(directory.EINVALID, "Too many filters were chosen at once.")
		}
		for _, x := range vals {
			x = strings.TrimSpace(x)
			if x == "" {
				continue
			}
			if !utf8.ValidString(x) || len(x) > 100 {
				return f, 0, directory.Errorf(directory.EINVALID, "That filter is not one we know.")
			}
			if name == "kind" {
				f.Kinds = append(f.Kinds, directory.Kind(x))
				continue
			}
			if f.Terms == nil {
				f.Terms = map[string][]string{}
			}
			f.Terms[name] = append(f.Terms[name], x)
		}
	}
	if f.Near = strings.TrimSpace(v.Get("near")); len(f.Near) > 100 || !utf8.ValidString(f.Near) {
		return f, 0, directory.Errorf(directory.EINVALID, "That filter is not one we know.")
	}
	switch v.Get("open247") {
	case "":
	case "1", "on", "true":
		f.Open247 = true
	default:
		return f, 0, directory.Errorf(directory.EINVALID, "That filter is not one we know.")
	}
	page := 1
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxSearchPage {
			return f, 0, directory.Errorf(directory.EINVALID, "The page number is not valid.")
		}
		page = n
	}
	return f, page, nil
}

// cleanQuery makes typed text safe to echo and search: valid UTF-8, no control characters,
// spaces folded, at most maxShownQueryLen characters.
func cleanQuery(q string) string {
	if len(q) > 4*maxShownQueryLen {
		q = q[:4*maxShownQueryLen]
	}
	q = strings.ToValidUTF8(q, " ")
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\uFFFD' || unicode.Is(unicode.Co, r) {
			return ' '
		}
		return r
	}, q)
	q = strings.Join(strings.Fields(q), " ")
	if utf8.RuneCountInString(q) > maxShownQueryLen {
		q = string([]rune(q)[:maxShownQueryLen])
	}
	return q
}

// searchURL is the stable URL of a search: parameters in a fixed order, empty ones left out.
func searchURL(base string, f directory.SearchFilter, page int) string {
	v := url.Values{}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	for _, k := range f.Kinds {
		v.Add("kind", string(k))
	}
	for _, tax := range directory.Taxonomies {
		for _, slug := range f.Terms[tax] {
			v.Add(tax, slug)
		}
	}
	if f.Open247 {
		v.Set("open247", "1")
	}
	if f.Near != "" {
		v.Set("near", f.Near)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// searchHits builds the results; ping is the address each link pings when followed ("" for
// none).
func searchHits(l *i18n.Locale, hits []directory.SearchHit, ping string) []templates.SearchHitVM {
	out := make([]templates.SearchHitVM, 0, len(hits))
	for _, h := range hits {
		vm := templates.SearchHitVM{Snippet: h.Snippet, Ping: ping}
		if h.Listing != nil {
			vm.Listing = h.Listing
			vm.Title = h.Listing.Name
			vm.URL = l.Path(h.Listing.Path())
			vm.Kind = l.T("search.kind." + string(h.Listing.Kind))
			vm.Summary = h.Listing.Summary
		} else {
			vm.Title = h.Page.Title
			vm.URL = l.Path(h.Page.Path())
			vm.Kind = l.T("search.kind.page")
			vm.Summary = h.Page.Description
		}
		out = append(out, vm)
	}
	return out
}

func searchFacets(l *i18n.Locale, facets []directory.Facet) []templates.FacetVM {
	var out []templates.FacetVM
	for _, fc := range facets {
		vm := templates.FacetVM{Param: fc.Name, Legend: l.T("search.filter." + fc.Name)}
		for _, v := range fc.Values {
			// Values that would give nothing are left out, unless chosen (so they can be
			// unchosen), to keep the form short on a phone.
			if v.Count == 0 && !v.Selected {
				continue
			}
			label := v.Label
			switch fc.Name {
			case "kind":
				label = l.T("search.kind." + v.Value)
			case "open247":
				label = l.T("search.filter.open247.value")
			}
			vm.Values = append(vm.Values, templates.FacetValueVM{Value: v.Value, Label: label, Count: v.Count, Selected: v.Selected})
		}
		if len(vm.Values) > 0 {
			out = append(out, vm)
		}
	}
	return out
}
