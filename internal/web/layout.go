package web

import (
	"context"
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

// frame is what a page's frame needs from the database in one language: the same for every
// page until the content changes, so it is loaded once per language and generation.
type frame struct {
	gen       uint64
	site      directory.Settings
	hotline   *directory.Listing // shared, read only
	showStats bool
}

// frameFor returns the frame data of l, from the last load if nothing was written since.
func (s *Server) frameFor(ctx context.Context, l *i18n.Locale) (*frame, error) {
	// The generation is read before the queries: a write during them leaves this frame
	// marked older than the content, and the next request loads it again.
	gen := s.store.Generation()
	if v, ok := s.lastGood.Load(l.Tag); ok && v.(*frame).gen == gen {
		return v.(*frame), nil
	}
	f := &frame{gen: gen}
	var err error
	if f.site, err = s.store.Settings(ctx, l.Tag); err != nil {
		return nil, err
	}
	if f.site.PrimaryHotline != "" {
		f.hotline, err = s.store.FindListing(ctx, directory.KindHotline, f.site.PrimaryHotline, l.Tag)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
	}
	stats, err := s.store.ListStats(ctx, l.Tag, false)
	if err != nil {
		return nil, err
	}
	f.showStats = len(stats) > 0
	s.lastGood.Store(l.Tag, f)
	return f, nil
}

// layout builds the frame of a page at path (in the default language's form, "/about").
func (s *Server) layout(r *http.Request, l *i18n.Locale, path string) (templates.Layout, error) {
	f, err := s.frameFor(r.Context(), l)
	if err != nil {
		return templates.Layout{}, err
	}
	p := s.layoutFrom(r, l, path, f)
	p.Preview, p.NoIndex = s.preview, p.NoIndex || s.preview // a staff preview: preview.go
	return p, nil
}

func (s *Server) layoutFrom(r *http.Request, l *i18n.Locale, path string, f *frame) templates.Layout {
	base := s.baseURL(r)
	p := templates.Layout{
		L:         l,
		Path:      path,
		BaseURL:   base,
		Canonical: base + l.Path(path),
		Others:    s.cat.Others(l),
		Site:      f.site,
		Hotline:   f.hotline,
		Emergency: f.site.EmergencyNumber,
		CSS:       s.assets.URL("css/site.css"),
		JS:        s.assets.URL("js/exit.js"),
		OGImage:   base + s.assets.URL("img/share.png"),
		Active:    path,
		ShowStats: f.showStats,
	}
	for _, x := range s.cat.Locales {
		p.Alternates = append(p.Alternates, templates.Alternate{Lang: x.Tag, Href: base + x.Path(path)})
	}
	p.Alternates = append(p.Alternates, templates.Alternate{Lang: "x-default", Href: base + s.cat.Default.Path(path)})
	return p
}

// layoutOrFallback is layout for error pages: if the database cannot answer, the page is
// framed with the last frame that worked (or built-in defaults), so that even a 500 page
// carries the exit, the emergency number and the hotline.
func (s *Server) layoutOrFallback(r *http.Request, l *i18n.Locale, path string) templates.Layout {
	if p, err := s.layout(r, l, path); err == nil {
		return p
	}
	if v, ok := s.lastGood.Load(l.Tag); ok {
		return s.layoutFrom(r, l, path, v.(*frame))
	}
	return templates.Layout{
		L: l, Path: path, Others: s.cat.Others(l), Emergency: "911",
		Site: directory.Settings{SiteName: "Signpost", ExitURL: defaultExitURL, EmergencyNumber: "911"},
		CSS:  s.assets.URL("css/site.css"), JS: s.assets.URL("js/exit.js"),
	}
}

// defaultExitURL is where the quick exit goes when the settings cannot be read.
const defaultExitURL = "https://www.weather.gov/"

// lastGoodLayouts holds the last frame loaded per language (*frame by tag): the current one
// while nothing changes, and after a failure the last one that worked.
type lastGoodLayouts = sync.Map
