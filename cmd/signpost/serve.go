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
	"time"

	"signpost/internal/app"
	"signpost/internal/config"
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
// lets in-flight requests finish before it returns. With --domain it serves HTTPS itself
// (serveHTTPS); otherwise plain HTTP on a loopback address, or behind a proxy with
// --base-url.
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

	if cfg.Domain != "" {
		return serveHTTPS(ctx, log, st, cfg, start, stdout)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	// With no --base-url the address is loopback (config refuses any other), and links name
	// the address itself: never a Host header, which anyone can set.
	origin := cfg.Origin()
	if origin == "" {
		origin = "http://" + displayAddr(ln.Addr())
	}
	site, err := app.New(log, st, cfg, origin, buildInfo())
	if err != nil {
		_ = ln.Close()
		return err
	}
	if site.Staff != nil {
		defer site.Staff.Close()
	}
	srv := newServer(site, log)
	log.Info("serving", "addr", ln.Addr().String(), "origin", origin, "db", cfg.DB, "read_only", cfg.ReadOnly,
		"version", buildInfo(), "startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Signpost is serving on http://%s\n", displayAddr(ln.Addr()))
	return serveUntilDone(ctx, log, cfg.ShutdownTimeout, srv, func() error { return srv.Serve(ln) })
}

// newServer is the HTTP server with the timeouts every listener gets.
func newServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
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
}

// serveUntilDone runs serveFn until it fails or ctx is cancelled, then shuts the servers
// down, giving in-flight requests timeout to finish.
func serveUntilDone(ctx context.Context, log *slog.Logger, timeout time.Duration, srv *http.Server, serveFn func() error, others ...*http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- serveFn() }()
	select {
	case err := <-errc:
		for _, o := range others {
			_ = o.Close()
		}
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for _, o := range others {
		_ = o.Shutdown(sctx)
	}
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
