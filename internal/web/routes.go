package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"signpost/internal/directory"
	"signpost/internal/i18n"
)

// routes is every route of the site, in one place: operational endpoints, static files,
// the public pages once per language (the default at the root, others under /<tag>), then
// the areas other packages serve.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	// GetHead answers HEAD with the GET handler (no body), as crawlers and link checkers expect.
	r.Use(s.recoverer, s.securityHeaders, s.limitBody, s.noIndexPrivate, s.accessLog, middleware.GetHead)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/robots.txt", s.handleRobots)
	r.Get("/sitemap.xml", s.handleSitemap)
	r.Handle("/static/*", s.assets)
	r.With(s.Limit(s.opts.SearchLimit)).Post("/search/click/{token}", s.handleSearchClick)

	s.registerPublicRoutes(r, s.cat.Default)
	for _, l := range s.cat.Others(s.cat.Default) {
		r.Route(l.Prefix(), func(r chi.Router) { s.registerPublicRoutes(r, l) })
	}

	if s.opts.Admin != nil {
		r.Mount("/admin", s.opts.Admin)
	}
	for prefix, h := range s.opts.Mounts {
		r.Mount(prefix, h)
	}
	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		s.Error(w, r, errMethodNotAllowed)
	})
	return r
}

// registerPublicRoutes registers the public pages for one language.
func (s *Server) registerPublicRoutes(r chi.Router, l *i18n.Locale) {
	for slug, page := range builtPages {
		r.Get(directory.PagePath(slug), s.cached(page(s, l)))
	}
	for _, slug := range prosePages {
		r.Get("/"+slug, s.cached(s.prosePage(l, slug)))
	}
	for _, k := range directory.Kinds {
		r.Get("/"+k.Section(), s.cached(s.listPage(l, k)))
		r.Get("/"+k.Section()+"/{slug}", s.cached(s.listingPage(l, k)))
		s.registerCorrectionRoutes(r, l, k)
	}
	r.With(s.Limit(s.opts.SearchLimit)).Get("/search", s.countSearches(l, s.private(s.searchPage(l))))
	// The search form posts, so the words typed stay out of the URL, the browser's history
	// and its saved session (see postedSearch).
	r.With(s.Limit(s.opts.SearchLimit)).Method(http.MethodPost, "/search", s.postedSearch(s.countSearches(l, s.private(s.searchPage(l)))))
}

// builtPages are the pages built by code of their own, by page slug. The routes serve each
// at its path (directory.PagePath), and a page's preview is built by the same code.
var builtPages = map[string]func(*Server, *i18n.Locale) pageFunc{
	"home":          (*Server).homePage,
	"know-it":       (*Server).knowItPage,
	"see-it":        (*Server).seeItPage,
	"report-it":     (*Server).reportItPage,
	"get-help":      (*Server).getHelpPage,
	"for-providers": (*Server).forProvidersPage,
	"statistics":    (*Server).statisticsPage,
}

// prosePages are the pages that are prose only.
var prosePages = []string{"when-you-call", "about", "browsing-safely", "open-data"}
