package web

import (
	"net/http"

	"signpost/internal/directory"
)

// PreviewListing writes x's public page in the language tagged lang (the default language
// when there is none such), exactly as the public would see it but marked as a preview:
// a banner, no-store, noindex. It never enters the page cache. The staff screens call it for
// a draft or an unsaved edit; x is whatever they built, saved or not.
func (s *Server) PreviewListing(w http.ResponseWriter, r *http.Request, x *directory.Listing, lang string) {
	l := s.cat.Get(lang)
	if l == nil {
		l = s.cat.Default
	}
	c, err := s.listingComponent(r, l, x, true)
	if err != nil {
		s.log.Error("preview", "err", err)
		http.Error(w, "The preview could not be built. Nothing was saved or published.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	page, err := renderComponent(r.Context(), c, http.StatusOK)
	if err != nil {
		s.log.Error("preview", "err", err)
		http.Error(w, "The preview could not be built. Nothing was saved or published.", http.StatusInternalServerError)
		return
	}
	page.write(w, r, "no-store")
}
