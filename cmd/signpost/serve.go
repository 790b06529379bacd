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
	"strings"
	"time"

	"signpost/internal/admin"
	"signpost/internal/config"
	"signpost/internal/i18n"
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
		if err := os.MkdirAll(dir, 0o750); err != nil {
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
	start := time.Now()
	st, err := openStore(ctx, cfg.DB, log)
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
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "db", cfg.DB, "startup", time.Since(start).Round(time.Millisecond))
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

// newHandler wires the site's packages together: the one place that knows them all.
func newHandler(log *slog.Logger, st *store.Store, cfg config.Config) (http.Handler, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	// The staff area is made after the site, whose fingerprinted stylesheets it links to;
	// the site reaches it through this indirection.
	var staff *admin.Handler
	w, err := web.New(log, st, cat, web.Options{
		BaseURL:     cfg.BaseURL,
		TrustProxy:  cfg.TrustProxy,
		AccessLog:   cfg.AccessLog,
		Admin:       http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { staff.ServeHTTP(w, r) }),
		Corrections: st,
	})
	if err != nil {
		return nil, err
	}
	staff, err = admin.New(log, st, cat, admin.Options{
		TrustProxy: cfg.TrustProxy,
		Origin:     strings.TrimSuffix(cfg.BaseURL, "/"),
		CSS:        []string{w.AssetURL("css/site.css"), w.AssetURL("css/admin.css")},
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
