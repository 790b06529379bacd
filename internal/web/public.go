package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/markdown"
	"signpost/templates"
)

// pageFunc builds a public page's component from the request.
type pageFunc func(r *http.Request) (templ.Component, error)

// redirectError asks cached to answer with a permanent redirect (a renamed listing).
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "redirect to " + e.to }

// cached serves a public page from the rendered-page cache, rendering it on a miss. Pages
// are cached whole per URL (and per host, when no base URL is configured, so a forged Host
// header cannot put its links into what other visitors get).
func (s *Server) cached(fn pageFunc) http.HandlerFunc {
	return s.serveCached(s.cache, htmlCacheControl, cacheableQuery, fn)
}

// private serves a page that no browser or proxy may keep (search results: a shared phone
// must not hold what was searched for) from a server-side cache of its own, so that a crowd
// searching for the same words costs one render per content change. Only the URL is kept;
// nothing about who asked.
func (s *Server) private(fn pageFunc) http.HandlerFunc {
	return s.serveCached(s.privateCache, "no-store", func(q string) bool { return len(q) <= maxPrivateQuery }, fn)
}

// maxPrivateQuery is the longest query string a private page is cached for (the search box
// takes 200 characters).
const maxPrivateQuery = 1024

func (s *Server) serveCached(cache *pageCache, cacheControl string, cacheable func(rawQuery string) bool, fn pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		gen := s.store.Generation()
		key := pageKey{path: r.URL.Path, query: r.URL.RawQuery, post: isPostedSearch(r)}
		if s.opts.BaseURL == "" {
			// Links on the page are built from the request's origin.
			key.host, key.https = r.Host, s.isHTTPS(r)
		}
		if r.URL.Path == "/" {
			w.Header().Set("Vary", "Accept-Language")
			if offer := s.offerFor(r); offer != nil {
				key.offer = offer.Tag
			}
		}
		// Only the URLs the site links to are cached; a made-up query string is rendered
		// each time, so that nobody can fill the server's memory by inventing URLs.
		ok := cacheable(r.URL.RawQuery)
		if p := cache.get(key, gen); ok && p != nil {
			p.write(w, r, cacheControl)
			return
		}
		var p *rendered
		var err error
		if ok {
			p, err = s.renderShared(cache, key, gen, r, fn)
		} else {
			p, err = renderPage(r, fn)
		}
		var redirect *redirectError
		if errors.As(err, &redirect) {
			http.Redirect(w, r, redirect.to, http.StatusMovedPermanently)
			return
		} else if err != nil {
			s.Error(w, r, err)
			return
		}
		p.write(w, r, cacheControl)
	}
}

// renderPage builds and renders a page for r.
func renderPage(r *http.Request, fn pageFunc) (*rendered, error) {
	c, err := fn(r)
	if err != nil {
		return nil, err
	}
	return renderComponent(r.Context(), c, http.StatusOK)
}

// renderShared renders a page into the cache once, however many requests miss it at the
// same moment. After a staff save under a crowd, every visitor of the home page would
// otherwise render it at once (about 2 ms each: BenchmarkRenderHomePage); they wait for one
// render instead.
func (s *Server) renderShared(cache *pageCache, key pageKey, gen uint64, r *http.Request, fn pageFunc) (*rendered, error) {
	flightKey := fmt.Sprintf("%p %d %t %q %q %q %q %t", cache, gen, key.https, key.host, key.path, key.query, key.offer, key.post)
	v, err, _ := s.flight.Do(flightKey, func() (any, error) {
		// Others may be waiting on this render: it must not stop if the visitor who
		// started it goes away.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
		defer cancel()
		s.renders.Add(1)
		p, err := renderPage(r.WithContext(ctx), fn)
		if err != nil {
			return nil, err
		}
		if err := p.finish(); err != nil {
			return nil, err
		}
		p.gen = gen
		cache.put(key, p)
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*rendered), nil
}

// cacheableQuery reports whether a public page's query string is one the site links to:
// none, a list's page number, and either after order=az.
func cacheableQuery(q string) bool {
	if q == "" || q == "order=az" {
		return true
	}
	q = strings.TrimPrefix(q, "order=az&")
	n, ok := strings.CutPrefix(q, "page=")
	if !ok || n == "" || len(n) > 7 {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// offerFor returns the language to offer a visitor at "/", if their browser prefers one
// other than the default. Visitors are never redirected: search engines and shared links
// must see stable pages.
func (s *Server) offerFor(r *http.Request) *i18n.Locale {
	if r.URL.Path != "/" {
		return nil
	}
	l, confident := s.langs.match(s.cat, r.Header.Get("Accept-Language"))
	if !confident || l == s.cat.Default {
		return nil
	}
	return l
}

// pageVM loads the page slug and the frame for path.
func (s *Server) pageVM(r *http.Request, l *i18n.Locale, slug, path string) (templates.PageVM, error) {
	layout, err := s.layout(r, l, path)
	if err != nil {
		return templates.PageVM{}, err
	}
	page, err := s.store.FindPage(r.Context(), slug, l.Tag)
	if err != nil {
		return templates.PageVM{}, err
	}
	layout.Title = page.Title
	layout.Description = page.Description
	layout.Untranslated = len(page.Untranslated) > 0
	if path != "/" {
		layout.Crumbs = []templates.Crumb{{Name: page.Title}}
		addBreadcrumbs(&layout)
	}
	return templates.PageVM{
		Layout: layout,
		Page:   page,
		Body:   templates.Prose{HTML: markdown.ToHTML(page.Body), Untranslated: page.Untranslated["body"]},
	}, nil
}

func (s *Server) homePage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "home", "/")
		if err != nil {
			return nil, err
		}
		vm.Offer = s.offerFor(r)
		vm.JSONLD = append(vm.JSONLD, websiteJSONLD(vm.Layout))
		situations, err := s.store.ListSituations(r.Context(), l.Tag)
		if err != nil {
			return nil, err
		}
		return templates.HomePage(templates.HomeVM{PageVM: vm, Situations: situations}), nil
	}
}

func (s *Server) prosePage(l *i18n.Locale, slug string) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, slug, "/"+slug)
		if err != nil {
			return nil, err
		}
		return templates.ProsePage(vm), nil
	}
}

func (s *Server) knowItPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "know-it", "/know-it")
		if err != nil {
			return nil, err
		}
		industries, err := s.store.ListIndustries(r.Context(), l.Tag)
		if err != nil {
			return nil, err
		}
		for _, x := range industries {
			vm.Untranslated = vm.Untranslated || len(x.Untranslated) > 0
		}
		return templates.KnowItPage(templates.KnowItVM{PageVM: vm, Industries: industries}), nil
	}
}

func (s *Server) seeItPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "see-it", "/see-it")
		if err != nil {
			return nil, err
		}
		signs, err := s.store.ListSigns(r.Context(), l.Tag)
		if err != nil {
			return nil, err
		}
		for _, x := range signs {
			vm.Untranslated = vm.Untranslated || len(x.Untranslated) > 0
		}
		// The opening of the body introduces the signs, so it goes before them.
		intro, rest := splitIntro(vm.Page.Body)
		out := templates.SeeItVM{PageVM: vm, Signs: signs}
		out.Intro = templates.Prose{HTML: markdown.ToHTML(intro), Untranslated: vm.Body.Untranslated}
		out.Body = templates.Prose{HTML: markdown.ToHTML(rest), Untranslated: vm.Body.Untranslated}
		return templates.SeeItPage(out), nil
	}
}

func (s *Server) reportItPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "report-it", "/report-it")
		if err != nil {
			return nil, err
		}
		situations, err := s.store.ListSituations(r.Context(), l.Tag)
		if err != nil {
			return nil, err
		}
		for _, x := range situations {
			vm.Untranslated = vm.Untranslated || len(x.Untranslated) > 0
		}
		return templates.ReportItPage(templates.ReportItVM{PageVM: vm, Situations: situations}), nil
	}
}

// helpServices are the services that Get help lists places for.
var helpServices = []string{"service/survivor-support", "service/shelter", "service/legal-help",
	"service/case-management", "service/counseling", "service/immigration-relief"}

func (s *Server) getHelpPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "get-help", "/get-help")
		if err != nil {
			return nil, err
		}
		all, _, err := s.store.ListListings(r.Context(), directory.ListingFilter{Lang: l.Tag, AnyTerms: helpServices, Limit: 200})
		if err != nil {
			return nil, err
		}
		var list []*directory.Listing
		for _, x := range all {
			if x.Kind != directory.KindResource {
				list = append(list, x)
			}
		}
		situations, err := s.store.ListSituations(r.Context(), l.Tag)
		if err != nil {
			return nil, err
		}
		newNeedRanker(vm.Site, situations).sort(list)
		for _, x := range list {
			vm.Untranslated = vm.Untranslated || len(x.Untranslated) > 0
		}
		return templates.ProseListPage(templates.ProseExtra{PageVM: vm, ListKey: "list.gethelp", Listings: list}), nil
	}
}

func (s *Server) forProvidersPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "for-providers", "/for-providers")
		if err != nil {
			return nil, err
		}
		list, _, err := s.store.ListListings(r.Context(), directory.ListingFilter{Lang: l.Tag,
			Kind: directory.KindResource, ResourceTypes: []string{"training", "toolkit"}, Limit: 200})
		if err != nil {
			return nil, err
		}
		return templates.ProseListPage(templates.ProseExtra{PageVM: vm, ListKey: "list.providers", Listings: list}), nil
	}
}

func (s *Server) statisticsPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.pageVM(r, l, "statistics", "/statistics")
		if err != nil {
			return nil, err
		}
		stats, err := s.store.ListStats(r.Context(), l.Tag, false)
		if err != nil {
			return nil, err
		}
		// With no figures the page is out of the navigation and the sitemap; keep it out of
		// search engines too.
		vm.NoIndex = vm.NoIndex || len(stats) == 0
		return templates.StatisticsPage(templates.StatsVM{PageVM: vm, Stats: stats, Chart: statsChart(l, stats)}), nil
	}
}

// perPage is how many listings a list page shows.
const perPage = 50

// resourceGroups is the order resources are grouped in on /resources.
var resourceGroups = []string{"publication", "report", "video", "toolkit", "training", "flyer", "sign", "data", "expert"}

// maxGrouped is the most resources shown grouped on one page; beyond it the list pages.
const maxGrouped = 300

func (s *Server) listPage(l *i18n.Locale, kind directory.Kind) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		page := 1
		if v := r.URL.Query().Get("page"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1_000_000 {
				return nil, directory.Errorf(directory.EINVALID, "The page number %q is not valid.", v)
			}
			page = n
		}
		// Hotlines, organizations and agencies are in need-first order, under headings;
		// ?order=az lists them by name instead, a page at a time.
		byName := false
		switch r.URL.Query().Get("order") {
		case "":
		case "az":
			byName = kind != directory.KindResource
		default:
			return nil, directory.Errorf(directory.EINVALID, "That order is not one we know.")
		}
		vm, err := s.pageVM(r, l, kind.Section(), "/"+kind.Section())
		if err != nil {
			return nil, err
		}
		f := directory.ListingFilter{Kind: kind, Lang: l.Tag, Limit: perPage, Offset: (page - 1) * perPage}
		if !byName && page == 1 {
			f.Limit = maxGrouped
		}
		list, total, err := s.store.ListListings(r.Context(), f)
		if err != nil {
			return nil, err
		}
		out := templates.ListVM{PageVM: vm, Kind: kind}
		base := l.Path("/" + kind.Section())
		if kind != directory.KindResource {
			out.OrderNeed, out.OrderAZ, out.ByName = base, base+"?order=az", byName
		}
		for _, x := range list {
			out.Untranslated = out.Untranslated || len(x.Untranslated) > 0
		}
		if !byName && total <= maxGrouped {
			if page > 1 {
				return nil, errNotFound
			}
			if kind == directory.KindResource {
				out.Groups = groupResources(list)
			} else {
				situations, err := s.store.ListSituations(r.Context(), l.Tag)
				if err != nil {
					return nil, err
				}
				out.Groups = newNeedRanker(vm.Site, situations).group(list)
			}
			out.Pager.Total = total
			return templates.ListPage(out), nil
		}
		if !byName {
			// Too many to group: page through them like any other list.
			f.Limit = perPage
			if list, total, err = s.store.ListListings(r.Context(), f); err != nil {
				return nil, err
			}
		}
		pages := max(1, (total+perPage-1)/perPage)
		if page > pages {
			return nil, errNotFound
		}
		out.Listings = list
		out.Pager = templates.Pager{Page: page, Pages: pages, Total: total}
		pageURL := func(n int) string {
			v := url.Values{}
			if byName {
				v.Set("order", "az")
			}
			if n > 1 {
				v.Set("page", strconv.Itoa(n))
			}
			if len(v) == 0 {
				return base
			}
			return base + "?" + v.Encode()
		}
		if page > 1 {
			out.Pager.Prev = pageURL(page - 1)
		}
		if page < pages {
			out.Pager.Next = pageURL(page + 1)
		}
		// The same listings in another order are the same page to a search engine: the
		// canonical URL is the list in need-first order (or its page).
		if page > 1 && !byName {
			out.Canonical += fmt.Sprintf("?page=%d", page)
		}
		return templates.ListPage(out), nil
	}
}

func groupResources(list []*directory.Listing) []templates.ListGroup {
	by := map[string][]*directory.Listing{}
	for _, x := range list {
		by[x.ResourceType] = append(by[x.ResourceType], x)
	}
	var groups []templates.ListGroup
	seen := map[string]bool{}
	for _, t := range resourceGroups {
		seen[t] = true
		if len(by[t]) > 0 {
			groups = append(groups, templates.ListGroup{Key: "rtype." + t, ID: "type-" + t, Listings: by[t]})
		}
	}
	for t, xs := range by {
		if !seen[t] {
			groups = append(groups, templates.ListGroup{Key: "rtype.publication", ID: "type-other-" + t, Listings: xs})
		}
	}
	return groups
}

func (s *Server) listingPage(l *i18n.Locale, kind directory.Kind) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		slug := chi.URLParam(r, "slug")
		x, err := s.store.FindListing(r.Context(), kind, slug, l.Tag)
		if isNotFound(err) {
			// A renamed listing's old URL keeps working.
			if to, rerr := s.store.FindSlugRedirect(r.Context(), kind, slug); rerr == nil {
				return nil, &redirectError{to: l.Path("/" + kind.Section() + "/" + to)}
			}
			return nil, err
		} else if err != nil {
			return nil, err
		}
		return s.listingComponent(r, l, x, false)
	}
}

// listingComponent is a listing's public page in l: the page /hotlines/{slug} etc. serve,
// and (marked as a preview, never indexed) the staff's preview of a draft or unsaved edit.
func (s *Server) listingComponent(r *http.Request, l *i18n.Locale, x *directory.Listing, preview bool) (templ.Component, error) {
	kind := x.Kind
	layout, err := s.layout(r, l, x.Path())
	if err != nil {
		return nil, err
	}
	layout.Preview = preview
	layout.NoIndex = layout.NoIndex || preview
	section, err := s.store.FindPage(r.Context(), kind.Section(), l.Tag)
	if err != nil {
		return nil, err
	}
	layout.Title = x.Name
	layout.Description = x.Summary
	layout.Untranslated = len(x.Untranslated) > 0
	layout.Active = "/" + kind.Section()
	layout.Crumbs = []templates.Crumb{{Name: section.Title, Path: l.Path("/" + kind.Section())}, {Name: x.Name}}
	if org := listingJSONLD(layout, x); org != nil {
		layout.JSONLD = append(layout.JSONLD, org)
	}
	addBreadcrumbs(&layout)
	places, err := s.store.ListLocationsOf(r.Context(), x.ID)
	if err != nil {
		return nil, err
	}
	return templates.ListingPage(templates.ListingVM{
		Layout:     layout,
		Listing:    x,
		Body:       templates.Prose{HTML: markdown.ToHTML(x.Body), Untranslated: x.Untranslated["body"]},
		Correction: s.correctionPath(l, x),
		Places:     places,
	}), nil
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
	if s.opts.Version != "" {
		fmt.Fprintln(w, "signpost", s.opts.Version)
	}
}

// splitIntro cuts Markdown before its first level-2 heading: the opening paragraphs, and
// the rest (empty when there is no such heading).
func splitIntro(md string) (intro, rest string) {
	if strings.HasPrefix(md, "## ") {
		return "", md
	}
	if i := strings.Index(md, "\n## "); i >= 0 {
		return md[:i+1], md[i+1:]
	}
	return md, ""
}
