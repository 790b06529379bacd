package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
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

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openStore opens the database at path, creating its folder if needed.
func openStore(ctx context.Context, path string, log *slog.Logger) (*store.Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil { // #nosec G703 -- the operator's own --db path
			return nil, err
		}
	}
	return store.Open(ctx, path, store.Options{Logger: log})
}

// serve migrates the database and serves until ctx is cancelled (SIGINT or SIGTERM), then
// lets in-flight requests finish before it returns.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	tuneRuntime(getenv)
	start := time.Now()
	var st *store.Store
	if cfg.ReadOnly {
		// Nothing to create or migrate: the copy's writer does that.
		st, err = store.Open(ctx, cfg.DB, store.Options{Logger: log, ReadOnly: true})
	} else {
		st, err = openStore(ctx, cfg.DB, log)
	}
	if err != nil {
		return err
	}
	defer st.Close()

	h, err := newHandler(log, st, cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: h,
		// Timeouts keep slow or stalled clients from holding connections open forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// net/http's own messages can name the client ("TLS handshake error from
		// 203.0.113.9:51234"); web.ErrorLog removes addresses before they reach the log.
		ErrorLog: web.ErrorLog(log),
	}
	log.Info("serving", "addr", ln.Addr().String(), "db", cfg.DB, "read_only", cfg.ReadOnly, "startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Signpost is serving on http://%s\n", displayAddr(ln.Addr()))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// tuneRuntime adjusts the Go runtime for serving a crowd from a small machine, except
// where the operator set GOGC, GOMEMLIMIT or GOMAXPROCS.
//
// Garbage collection: it trades memory the server does not otherwise use for CPU. The live heap is small (the rendered pages, a few MB), so
// at Go's default GOGC=100 a crowd's garbage (net/http allocates for every request) starts a
// collection many times a second. Measured with wrk on the cached /organizations page:
// 24-25 us of CPU per request at the default, 21 us with GOGC=400, and peak RSS 74 MB instead
// of 45 MB. The 64 MiB soft limit keeps the heap from growing past that whatever GOGC allows.
//
// Processors: on a machine with fewer than four CPUs the server shares them (a TLS proxy in
// front, Litestream, the OS). With one P per CPU, a P whose thread the kernel has set aside
// leaves its goroutines waiting for the thread's next time slice. Measured with wrk on a
// 2-core machine, four Ps took p90 from 6 ms to 2.5 ms and p99 from 12-13 ms to 8-9 ms for
// the same CPU per request. Not when a CPU quota (cgroup) already lowered GOMAXPROCS below
// the CPU count: threads past the quota would only be throttled.
func tuneRuntime(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
	if getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) == runtime.NumCPU() && runtime.NumCPU() < 4 {
		runtime.GOMAXPROCS(4)
	}
}

// newHandler wires the site's packages together: the one place that knows them all.
func newHandler(log *slog.Logger, st *store.Store, cfg config.Config) (http.Handler, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	// The staff area is made after the site, whose fingerprinted stylesheets it links to;
	// the site reaches it through this indirection.
	var staff *admin.Handler
	// The open data API is limited like search: one client cannot make the server build
	// answers all day, and the bulk download is built once per change (internal/hsds).
	var apiLimit *ratelimit.Limiter
	if cfg.RateLimit {
		apiLimit = ratelimit.New(ratelimit.Per(120, time.Minute), 60)
	}
	opts := web.Options{
		BaseURL:     cfg.BaseURL,
		TrustProxy:  cfg.TrustProxy,
		AccessLog:   cfg.AccessLog,
		Admin:       http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { staff.ServeHTTP(w, r) }),
		Corrections: st,
		Mounts: map[string]http.Handler{
			// The open data API and its bulk download (internal/hsds).
			"/api/hsds": hsds.NewAPI(log, st, hsds.APIOptions{Limiter: apiLimit, ClientAddr: ratelimit.ClientAddr(cfg.TrustProxy)}),
		},
	}
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
	var w *web.Server
	if cfg.ReadOnly {
		// No staff area: it writes (sessions, the audit log, every save). Staff sign in on
		// the server that writes the database; a proxy in front sends /admin there.
		opts.Admin = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			w.Error(rw, r, directory.Errorf(directory.EREADONLY,
				"This server shows a read-only copy of the directory. Staff sign in on the main server."))
		})
	}
	w, err = web.New(log, st, cat, opts)
	if err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		return w, nil
	}
	staff, err = admin.New(log, st, cat, admin.Options{
		TrustProxy: cfg.TrustProxy,
		Origin:     strings.TrimSuffix(cfg.BaseURL, "/"),
		CSS:        []string{w.AssetURL("css/site.css"), w.AssetURL("css/admin.css")},
		// The HSDS import screen, at /admin/import behind the staff sign-in.
		Import: func(sa admin.StaffAccess) http.Handler {
			return importscreen.New(importscreen.Options{
				Store: importStore{st},
				Log:   log,
				Base:  "/admin/import",
				Actor: func(r *http.Request) (hsds.Actor, bool) {
					id, email, ok := sa.User(r)
					return hsds.Actor{ID: id, Email: email}, ok
				},
				CSRF: sa.FormToken,
				Page: sa.Page,
			})
		},
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
