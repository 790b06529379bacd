package web

import (
	"net/http"
	"sync"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/templates"
)

// baseURL is the public origin for absolute links: the configured one, or the request's.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http"
	if s.isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// layout builds the frame of a page at path (in the default language's form, "/about").
func (s *Server) layout(r *http.Request, l *i18n.Locale, path string) (templates.Layout, error) {
	ctx := r.Context()
	site, err := s.store.Settings(ctx, l.Tag)
	if err != nil {
		return templates.Layout{}, err
	}
	var hotline *directory.Listing
	if site.PrimaryHotline != "" {
		hotline, err = s.store.FindListing(ctx, directory.KindHotline, site.PrimaryHotline, l.Tag)
		if err != nil && !isNotFound(err) {
			return templates.Layout{}, err
		}
	}
	stats, err := s.store.ListStats(ctx, l.Tag, false)
	if err != nil {
		return templates.Layout{}, err
	}
	base := s.baseURL(r)
	p := templates.Layout{
		L:         l,
		Path:      path,
		BaseURL:   base,
		Canonical: base + l.Path(path),
		Others:    s.cat.Others(l),
		Site:      site,
		Hotline:   hotline,
		Emergency: site.EmergencyNumber,
		CSS:       s.assets.URL("css/site.css"),
		JS:        s.assets.URL("js/exit.js"),
		OGImage:   base + s.assets.URL("img/share.png"),
		Active:    path,
		ShowStats: len(stats) > 0,
	}
	for _, x := range s.cat.Locales {
		p.Alternates = append(p.Alternates, templates.Alternate{Lang: x.Tag, Href: base + x.Path(path)})
	}
	p.Alternates = append(p.Alternates, templates.Alternate{Lang: "x-default", Href: base + s.cat.Default.Path(path)})
	s.lastGood.Store(l.Tag, p)
	return p, nil
}

// layoutOrFallback is layout for error pages: if the database cannot answer, the page is
// framed with the last frame that worked (or built-in defaults), so that even a 500 page
// carries the exit, the emergency number and the hotline.
func (s *Server) layoutOrFallback(r *http.Request, l *i18n.Locale, path string) templates.Layout {
	if p, err := s.layout(r, l, path); err == nil {
		return p
	}
	if v, ok := s.lastGood.Load(l.Tag); ok {
		return v.(templates.Layout)
	}
	return templates.Layout{
		L: l, Path: path, Others: s.cat.Others(l), Emergency: "911",
		Site: directory.Settings{SiteName: "Signpost", ExitURL: defaultExitURL, EmergencyNumber: "911"},
		CSS:  s.assets.URL("css/site.css"), JS: s.assets.URL("js/exit.js"),
	}
}

// defaultExitURL is where the quick exit goes when the settings cannot be read.
const defaultExitURL = "https://www.weather.gov/"

// lastGoodLayouts remembers the last frame built per language.
type lastGoodLayouts = sync.Map
