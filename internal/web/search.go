package web

import (
	"net/http"

	"signpost/internal/i18n"
	"signpost/templates"
)

// searchPage serves /search. Search results are never cached or indexed.
func (s *Server) searchPage(l *i18n.Locale) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		layout, err := s.layout(r, l, "/search")
		if err != nil {
			s.Error(w, r, err)
			return
		}
		layout.Title = l.T("nav.search")
		layout.Description = l.T("search.description")
		layout.Query = r.URL.Query().Get("q")
		// The search page itself may be indexed; its results never are (they are endless,
		// thin, and would compete with the listings' own pages).
		layout.NoIndex = r.URL.RawQuery != ""
		p, err := renderComponent(r.Context(), templates.SearchPage(templates.SearchVM{Layout: layout}), http.StatusOK)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.write(w, r, "no-store")
	}
}
