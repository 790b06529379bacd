// Package app wires Signpost's packages into one HTTP handler: the one place that knows
// them all. The binary (cmd/signpost) and the tests (internal/webtest) both use it, so a
// test site is mounted exactly as the served one.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"signpost/internal/admin"
	"signpost/internal/config"
	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/internal/hsds/importscreen"
	"signpost/internal/i18n"
	"signpost/internal/ratelimit"
	"signpost/internal/store"
	"signpost/internal/web"
)

// Site is the wired site.
type Site struct {
	Web   *web.Server
	Staff *admin.Handler // nil on a read-only copy
}

// ServeHTTP serves the whole site; the staff area is reached through the public router.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Web.ServeHTTP(w, r) }

// Mounts are the areas that live in their own packages, by path prefix. origin is the
// public origin ("https://help.example.org"), which the open data names as its publisher;
// api limits the open data API per client.
func Mounts(log *slog.Logger, st *store.Store, origin string, api hsds.APIOptions) map[string]http.Handler {
	a := hsds.NewAPI(log, st, api)
	a.Origin = origin
	return map[string]http.Handler{
		// The open data API and its bulk download (internal/hsds).
		"/api/hsds": a,
	}
}

// New wires the site for cfg. origin is the public origin: cfg.Origin(), or the server's
// own loopback address when cfg has none. It is never taken from a request, so a forged
// Host header shows up in nothing served and costs no render.
func New(log *slog.Logger, st *store.Store, cfg config.Config, origin string, version string) (*Site, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	site := &Site{}
	// The staff area is made after the site, whose fingerprinted stylesheets it links to;
	// the site reaches it through this indirection.
	opts := web.Options{
		BaseURL:     origin,
		TrustProxy:  cfg.TrustProxy,
		AccessLog:   cfg.AccessLog,
		Version:     version,
		Admin:       http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { site.Staff.ServeHTTP(w, r) }),
		Corrections: st,
	}
	// The open data API is limited like search: one client cannot make the server build
	// answers all day, and the bulk download is built once per change (internal/hsds).
	api := hsds.APIOptions{ClientAddr: ratelimit.ClientAddr(cfg.TrustProxy)}
	if cfg.RateLimit {
		api.Limiter = ratelimit.New(ratelimit.Per(120, time.Minute), 60)
	}
	opts.Mounts = Mounts(log, st, origin, api)
	if cfg.RateLimit {
		// Generous, since many people can share one address (a mobile carrier's NAT, a
		// shelter's Wi-Fi): enough to stop one client hammering search or a form, not
		// enough to be felt by people.
		opts.SearchLimit = ratelimit.New(ratelimit.Per(120, time.Minute), 60)
		opts.CorrectionLimiter = ratelimit.New(ratelimit.Per(5, 10*time.Minute), 5)
	} else {
		// A nil limiter allows everything (the field's own nil would mean the default).
		opts.CorrectionLimiter = (*ratelimit.Limiter)(nil)
	}
	if cfg.ReadOnly {
		// No staff area: it writes (sessions, the audit log, every save). Staff sign in on
		// the server that writes the database; a proxy in front sends /admin there.
		opts.Admin = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			site.Web.Error(rw, r, directory.Errorf(directory.EREADONLY,
				"This server shows a read-only copy of the directory. Staff sign in on the main server."))
		})
	}
	if site.Web, err = web.New(log, st, cat, opts); err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		return site, nil
	}
	site.Staff, err = Staff(log, st, cat, site.Web, admin.Options{TrustProxy: cfg.TrustProxy, Origin: origin})
	if err != nil {
		return nil, err
	}
	return site, nil
}

// Staff makes the staff area (to be served at /admin) for the public site w. The options
// opts leaves empty are filled in as the binary serves them: the site's fingerprinted
// stylesheets, the edit screens' "Preview the page" (the real public page, marked, never
// cached) and the HSDS import screen at /admin/import. The binary and the tests
// (internal/webtest) both make the staff area here.
func Staff(log *slog.Logger, st *store.Store, cat *i18n.Catalog, w *web.Server, opts admin.Options) (*admin.Handler, error) {
	if opts.CSS == nil {
		opts.CSS = []string{w.AssetURL("css/site.css"), w.AssetURL("css/admin.css")}
	}
	if opts.PreviewListing == nil {
		opts.PreviewListing = w.PreviewListing
	}
	if opts.PreviewEntry == nil {
		opts.PreviewEntry = w.PreviewEntry
	}
	if opts.Import == nil {
		opts.Import = importScreen(log, st)
	}
	return admin.New(log, st, cat, opts)
}

// importScreen builds the HSDS import screen for the staff area: behind the staff sign-in,
// saving as the signed-in staff member.
func importScreen(log *slog.Logger, st *store.Store) func(admin.StaffAccess) http.Handler {
	return func(sa admin.StaffAccess) http.Handler {
		return importscreen.New(importscreen.Options{
			Store: ImportStore{st},
			Log:   log,
			Base:  "/admin/import",
			Actor: func(r *http.Request) (hsds.Actor, bool) {
				id, email, ok := sa.User(r)
				return hsds.Actor{ID: id, Email: email}, ok
			},
			CSRF: sa.FormToken,
			Page: sa.Page,
		})
	}
}

// ImportStore adapts the store to hsds.ImportStore: imports save through the normal write
// path, as revisions with action "import", so each can be undone.
type ImportStore struct{ *store.Store }

// CreateListing saves a new listing as an import revision.
func (s ImportStore) CreateListing(ctx context.Context, l *directory.Listing, by hsds.Actor) error {
	return s.Store.CreateListing(ctx, l, store.Actor(by), store.ActionImport)
}

// UpdateListing saves a changed listing as an import revision.
func (s ImportStore) UpdateListing(ctx context.Context, l *directory.Listing, by hsds.Actor) error {
	return s.Store.UpdateListing(ctx, l, store.Actor(by), store.ActionImport)
}
