package web

import (
	"net/http"

	"github.com/a-h/templ"

	"signpost/internal/i18n"
	"signpost/templates"
)

// searchPage builds /search. Routes serve it with private: results are never kept by a
// browser or proxy, nor indexed.
func (s *Server) searchPage(l *i18n.Locale) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		layout, err := s.layout(r, l, "/search")
		if err != nil {
			return nil, err
		}
		layout.Title = l.T("nav.search")
		layout.NoIndex = true
		layout.Query = r.URL.Query().Get("q")
		return templates.SearchPage(templates.SearchVM{Layout: layout}), nil
	}
}
