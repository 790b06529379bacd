// Package web serves Signpost's public site over HTTP: routing, the public handlers, the
// security headers every response carries, the cache of rendered pages, and error pages.
// Staff screens live in internal/admin and are mounted here under /admin.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/ratelimit"
)

// Store is what the public site reads. *store.Store implements it.
type Store interface {
	Generation() uint64
	Ping(ctx context.Context) error
	Settings(ctx context.Context, lang string) (directory.Settings, error)
	FindPage(ctx context.Context, slug, lang string) (*directory.Page, error)
	ListListings(ctx context.Context, f directory.ListingFilter) ([]*directory.Listing, int, error)
	FindListing(ctx context.Context, kind directory.Kind, slug, lang string) (*directory.Listing, error)
	FindSlugRedirect(ctx context.Context, kind directory.Kind, slug string) (string, error)
	ListLocationsOf(ctx context.Context, listingID int64) ([]directory.Location, error)
	ListSigns(ctx context.Context, lang string) ([]directory.Sign, error)
	ListIndustries(ctx context.Context, lang string) ([]directory.Industry, error)
	ListSituations(ctx context.Context, lang string) ([]directory.Situation, error)
	ListStats(ctx context.Context, lang string, withEmpty bool) ([]directory.Stat, error)
	ListSitemapListings(ctx context.Context) ([]directory.SitemapEntry, error)
	LastChange(ctx context.Context, table string) (time.Time, error)
	Search(ctx context.Context, f directory.SearchFilter) (*directory.SearchResult, error)
	ListNearPlaces(ctx context.Context) ([]directory.Place, error)
	CountSearch(lang, text string)
	CountClick(lang, text string)
}

// Options configure the server.
type Options struct {
	// BaseURL is the public origin ("https://example.org"). The binary always sets it, so
	// that no Host header a request sends reaches a page or the page cache; empty (tests
	// only) means the request's own.
	BaseURL string
	// Version is the build ("v1.2.0 (commit …, built …)"), shown on /healthz.
	Version string
	// TrustProxy believes X-Forwarded-Proto from a reverse proxy (for HSTS and base URLs).
	TrustProxy bool
	// AccessLog logs every request (method, path, status, duration; never the address).
	AccessLog bool
	// SearchLimit throttles /search per client address; nil means no limit. See Server.Limit.
	SearchLimit *ratelimit.Limiter
	// Admin, when set, serves everything under /admin.
	Admin http.Handler
	// Corrections, when set, serves the public "suggest a correction" form of every listing
	// and files what visitors send; CorrectionLimiter limits it per client address (nil: a
	// small in-memory limit).
	Corrections       CorrectionStore
	CorrectionLimiter Limiter
	// Mounts are further handlers by path prefix ("/api/hsds", "/search"), for areas that
	// live in their own packages.
	Mounts map[string]http.Handler
}

// Server is the public site. It is an http.Handler.
type Server struct {
	log    *slog.Logger
	store  Store
	cat    *i18n.Catalog
	opts   Options
	assets *assets
	cache  *pageCache
	// privateCache holds pages served with no-store (search results), apart from the
	// public pages so that many searches cannot push those out.
	privateCache *pageCache
	router       http.Handler

	// fallbackLimiter limits suggestions when Options.CorrectionLimiter is nil.
	fallbackLimiter Limiter

	// lastGood holds the last page frame built per language, for error pages when the
	// database is down.
	lastGood lastGoodLayouts
	// langs remembers which language each Accept-Language header matches.
	langs langMemo
	// flight renders each cached page once however many requests miss it together.
	flight singleflight.Group
	// renders counts the pages rendered into the caches, for tests and benchmarks.
	renders atomic.Uint64
	// clicks names the searches that result links' pings count (searchcount.go).
	clicks clickTokens
	// preview marks the Server that renders a staff preview (preview.go).
	preview bool
}

// New returns the site's handler.
func New(log *slog.Logger, store Store, cat *i18n.Catalog, opts Options) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{log: log, store: store, cat: cat, opts: opts, assets: a, cache: newPageCache(4096, 32<<20),
		privateCache: newPageCache(2048, 16<<20)}
	s.router = s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Renders returns how many pages were rendered into the page caches since start: a
// request served from the cache adds nothing.
func (s *Server) Renders() uint64 { return s.renders.Load() }

// Catalog returns the server's languages, for packages that render within its frame.
func (s *Server) Catalog() *i18n.Catalog { return s.cat }

// AssetURL returns the fingerprinted URL of a static file ("css/admin.css"), for packages
// that render their own pages (the staff screens).
func (s *Server) AssetURL(name string) string { return s.assets.URL(name) }
