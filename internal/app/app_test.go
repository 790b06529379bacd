package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"signpost/internal/app"
	"signpost/internal/config"
	"signpost/internal/store"
)

// startSite serves the site wired as `signpost serve` wires it for args, on a fresh
// database, and returns its URL.
func startSite(t *testing.T, args ...string) (*app.Site, string) {
	t.Helper()
	cfg, err := config.Parse(append([]string{"--db", filepath.Join(t.TempDir(), "signpost.db"), "--rate-limit=false"}, args...),
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	origin := cfg.Origin()
	if origin == "" {
		origin = "http://" + ln.Addr().String() // as serve does on a loopback address
	}
	site, err := app.New(slog.New(slog.NewTextHandler(io.Discard, nil)), st, cfg, origin, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Staff.Close)
	srv := httptest.NewUnstartedServer(site)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return site, srv.URL
}

func getWithHost(t *testing.T, url, host string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s (Host %s): %d", url, host, resp.StatusCode)
	}
	return string(b)
}

// A forged Host header must never show up in anything served (canonical link, Open Graph,
// JSON-LD, sitemap, robots.txt, the open data's publisher), nor cost a render: 1,000
// requests with 1,000 different Hosts render each page once. Before the fix the default
// `signpost serve` built every link from the Host and rendered (and cached) each page once
// per Host: 1,000 renders for the home page alone.
func TestForgedHostsShowUpNowhereAndCostNoRender(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		origin string
	}{
		{"loopback, no public address", []string{"--addr", "127.0.0.1:0"}, "http://127.0.0.1:"},
		{"behind a proxy", []string{"--addr", "127.0.0.1:0", "--base-url", "https://help.example.org"}, "https://help.example.org"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site, url := startSite(t, tt.args...)
			paths := []string{"/", "/organizations/polaris", "/sitemap.xml", "/robots.txt", "/api/hsds/"}
			for i := range 1000 {
				host := fmt.Sprintf("evil-%d.example", i)
				body := getWithHost(t, url+paths[i%len(paths)], host)
				if strings.Contains(body, "evil-") {
					t.Fatalf("GET %s with Host %s: the forged host is in what was served:\n%.400s", paths[i%len(paths)], host, body)
				}
				if i < len(paths) && !strings.Contains(body, tt.origin) {
					t.Errorf("GET %s: the public origin %s is not in it", paths[i], tt.origin)
				}
			}
			// The home page, a listing and the sitemap are rendered into the cache once each.
			if got := site.Web.Renders(); got > 3 {
				t.Errorf("1,000 requests with 1,000 Hosts rendered %d pages, want at most 3 (one per page)", got)
			}
		})
	}
}

// BenchmarkDistinctHosts serves the home page to requests that each name a new Host: what a
// scanner or an attacker sends. "request Host" is the old behaviour (links built from the
// Host, one cached copy per Host, so every request renders); "public origin" is the server's.
func BenchmarkDistinctHosts(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "signpost.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	for _, bb := range []struct{ name, origin string }{{"request Host", ""}, {"public origin", "https://help.example.org"}} {
		b.Run(bb.name, func(b *testing.B) {
			site, err := app.New(slog.New(slog.NewTextHandler(io.Discard, nil)), st, config.Config{}, bb.origin, "bench")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(site.Staff.Close)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.Host = fmt.Sprintf("h%d.example", i)
				w := httptest.NewRecorder()
				site.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
			b.ReportMetric(float64(site.Web.Renders())/float64(b.N), "renders/op")
		})
	}
}
