package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"signpost/internal/app"
	"signpost/internal/config"
	"signpost/internal/store"
)

// serveHTTPS serves the site over HTTPS for cfg.Domain, with certificates from the ACME CA
// (Let's Encrypt unless --acme-directory says otherwise), obtained on the first visit and
// renewed 30 days before they expire by autocert. Plain HTTP on cfg.HTTPAddr answers the
// CA's http-01 checks and redirects everything else to HTTPS; HTTPS carries HSTS (the
// site's middleware adds it to every answer over TLS) and HTTP/2.
func serveHTTPS(ctx context.Context, log *slog.Logger, st *store.Store, cfg config.Config, start time.Time, stdout io.Writer) error {
	origin := cfg.Origin()
	site, err := app.New(log, st, cfg, origin, buildInfo())
	if err != nil {
		return err
	}
	if site.Staff != nil {
		defer site.Staff.Close()
	}
	if err := os.MkdirAll(cfg.CertDir, 0o700); err != nil { // #nosec G703 -- the operator's own --cert-dir
		return fmt.Errorf("cert-dir: %w", err)
	}
	client := &acme.Client{DirectoryURL: cfg.ACMEDirectory}
	if cfg.ACMECA != "" {
		pem, err := os.ReadFile(cfg.ACMECA) // #nosec G304 G703 -- the operator's own --acme-ca file
		if err != nil {
			return fmt.Errorf("acme-ca: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return fmt.Errorf("acme-ca %s: no PEM certificate in it", cfg.ACMECA)
		}
		client.HTTPClient = &http.Client{Timeout: time.Minute, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		}}
	}
	m := &autocert.Manager{
		Prompt: autocert.AcceptTOS,
		// Only the configured name: a request for any other name gets no certificate, so
		// nobody can make the server ask the CA for names it does not serve.
		HostPolicy: autocert.HostWhitelist(cfg.Domain),
		Cache:      autocert.DirCache(cfg.CertDir),
		Email:      cfg.ACMEEmail,
		Client:     client,
	}

	httpsLn, err := net.Listen("tcp", cfg.HTTPSAddr)
	if err != nil {
		return err
	}
	httpLn, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		_ = httpsLn.Close()
		return err
	}
	srv := newServer(site, log)
	srv.TLSConfig = m.TLSConfig() // h2, http/1.1, and acme-tls/1 for the tls-alpn-01 check
	srv.TLSConfig.MinVersion = tls.VersionTLS12

	redirect := newServer(m.HTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Always to the one public origin: the Host a request names is not trusted.
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, origin+r.URL.RequestURI(), http.StatusMovedPermanently) // #nosec G710 -- always to our own origin; only the path is the request's
	})), log)
	go func() {
		if err := redirect.Serve(httpLn); err != nil && err != http.ErrServerClosed {
			log.Error("http redirect", "err", err)
		}
	}()

	log.Info("serving", "https", httpsLn.Addr().String(), "http", httpLn.Addr().String(), "origin", origin,
		"acme", cfg.ACMEDirectory, "certs", cfg.CertDir, "db", cfg.DB, "version", buildInfo(),
		"startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Signpost is serving on %s\n", origin)
	return serveUntilDone(ctx, log, cfg.ShutdownTimeout, srv, func() error { return srv.ServeTLS(httpsLn, "", "") }, redirect)
}
