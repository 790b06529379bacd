package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"

	"signpost/internal/directory"
)

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	// The base URL may come from the Host header; as text/plain with nosniff it cannot run.
	_, _ = fmt.Fprintf(w, "User-agent: *\nDisallow: /admin\nDisallow: /api/\n\nSitemap: %s/sitemap.xml\n", s.baseURL(r)) // #nosec G705 -- text/plain, nosniff
}

// sitemap XML shapes, with hreflang alternates (xhtml:link) for every language version.
type (
	urlset struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		XHTML   string       `xml:"xmlns:xhtml,attr"`
		URLs    []sitemapURL `xml:"url"`
	}
	sitemapURL struct {
		Loc     string        `xml:"loc"`
		LastMod string        `xml:"lastmod,omitempty"`
		Links   []sitemapLink `xml:"xhtml:link"`
	}
	sitemapLink struct {
		Rel      string `xml:"rel,attr"`
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
)

// staticPages are the public pages besides listings, each with the table whose changes
// date it (for lastmod).
var staticPages = []struct{ path, table string }{
	{"/", "pages"}, {"/know-it", "industries"}, {"/see-it", "signs"}, {"/report-it", "situations"},
	{"/get-help", "listings"}, {"/for-providers", "listings"}, {"/when-you-call", "pages"},
	{"/about", "pages"}, {"/browsing-safely", "pages"}, {"/open-data", "pages"},
	{"/hotlines", "listings"}, {"/organizations", "listings"}, {"/agencies", "listings"},
	{"/resources", "listings"}, {"/statistics", "stats"},
}

// PublicPaths returns every published public path in the default language with its last
// change, for the sitemap and for tests that walk the whole site.
func (s *Server) PublicPaths(ctx context.Context) ([]directory.SitemapEntry, error) {
	stats, err := s.store.ListStats(ctx, s.cat.Default.Tag, false)
	if err != nil {
		return nil, err
	}
	changed := map[string]time.Time{}
	var out []directory.SitemapEntry
	for _, p := range staticPages {
		if p.path == "/statistics" && len(stats) == 0 {
			continue
		}
		mod, ok := changed[p.table]
		if !ok {
			if mod, err = s.store.LastChange(ctx, p.table); err != nil {
				return nil, err
			}
			changed[p.table] = mod
		}
		out = append(out, directory.SitemapEntry{Path: p.path, LastMod: mod})
	}
	listings, err := s.store.ListSitemapListings(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, listings...), nil
}

// handleSitemap lists every published public URL in every language, with lastmod from the
// content's last change and hreflang alternates. Nothing else: no drafts, admin, search or API.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	entries, err := s.PublicPaths(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	base := s.baseURL(r)
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	for _, e := range entries {
		var links []sitemapLink
		for _, l := range s.cat.Locales {
			links = append(links, sitemapLink{Rel: "alternate", Hreflang: l.Tag, Href: base + l.Path(e.Path)})
		}
		links = append(links, sitemapLink{Rel: "alternate", Hreflang: "x-default", Href: base + e.Path})
		for _, l := range s.cat.Locales {
			u := sitemapURL{Loc: base + l.Path(e.Path), Links: links}
			if !e.LastMod.IsZero() {
				u.LastMod = e.LastMod.UTC().Format("2006-01-02")
			}
			set.URLs = append(set.URLs, u)
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	if err := enc.Encode(set); err != nil {
		s.log.Error("sitemap", "err", err)
	}
}
