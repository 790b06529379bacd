// Package webtest starts the real Signpost site on a real SQLite file for tests: the same
// wiring as the binary, over httptest. It is imported only by tests.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/app"
	"signpost/internal/hsds"
	"signpost/internal/i18n"
	"signpost/internal/store"
	"signpost/internal/web"
)

// Site is a running test site.
type Site struct {
	*httptest.Server
	Store  *store.Store
	Web    *web.Server
	Client *http.Client // a cookie jar, redirects not followed
}

// Options adjust a test site.
type Options struct {
	Web  web.Options
	Wrap func(s *store.Store, w *web.Server) http.Handler // replaces the handler, for tests wiring more packages
}

// MustOpenStore opens a new, migrated and seeded store in a temporary directory.
func MustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "signpost.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// MustStart starts the site on a fresh seeded database.
func MustStart(tb testing.TB, opts Options) *Site {
	tb.Helper()
	st := MustOpenStore(tb)
	cat, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// The binary's own mounts (app.Mounts), except where the test brings its own.
	mounts := app.Mounts(log, st, opts.Web.BaseURL, hsds.APIOptions{})
	for prefix, h := range opts.Web.Mounts {
		mounts[prefix] = h
	}
	opts.Web.Mounts = mounts
	w, err := web.New(log, st, cat, opts.Web)
	if err != nil {
		tb.Fatal(err)
	}
	var h http.Handler = w
	if opts.Wrap != nil {
		h = opts.Wrap(st, w)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &Site{Server: srv, Store: st, Web: w, Client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Get fetches path and returns the response with its body read.
func (s *Site) Get(tb testing.TB, path string) (*http.Response, string) {
	tb.Helper()
	return s.Do(tb, mustRequest(tb, http.MethodGet, s.URL+path, nil))
}

// PostForm posts form values to path.
func (s *Site) PostForm(tb testing.TB, path string, form url.Values) (*http.Response, string) {
	tb.Helper()
	req := mustRequest(tb, http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.Do(tb, req)
}

// Do sends req with the site's client.
func (s *Site) Do(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	resp, err := s.Client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, string(b)
}

// MustDoc fetches path, requires status, and parses the HTML.
func (s *Site) MustDoc(tb testing.TB, path string, status int) *goquery.Document {
	tb.Helper()
	resp, body := s.Get(tb, path)
	if resp.StatusCode != status {
		tb.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func mustRequest(tb testing.TB, method, url string, body io.Reader) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// Text returns the visible text of a document with white space folded.
func Text(doc *goquery.Document) string {
	return strings.Join(strings.Fields(doc.Find("body").Text()), " ")
}

// Crawl walks every same-site page reachable from start in start's language (GET only, no
// query strings beyond pagination, admin and API excluded) and returns their paths.
func (s *Site) Crawl(tb testing.TB, start string) []string {
	tb.Helper()
	cat, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	lang := cat.Default
	for _, l := range cat.Others(cat.Default) {
		if strings.HasPrefix(start, l.Prefix()+"/") {
			lang = l
		}
	}
	inLang := func(p string) bool {
		for _, l := range cat.Others(cat.Default) {
			if p == l.Prefix() || strings.HasPrefix(p, l.Prefix()+"/") {
				return l == lang
			}
		}
		return lang == cat.Default
	}
	seen := map[string]bool{start: true}
	queue := []string{start}
	var out []string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		resp, body := s.Get(tb, p)
		if resp.StatusCode != http.StatusOK {
			tb.Errorf("crawl: GET %s: status %d", p, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		out = append(out, p)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			u, err := url.Parse(href)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				return
			}
			if strings.HasPrefix(u.Path, "/admin") || strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/static/") {
				return
			}
			if !inLang(u.Path) {
				return
			}
			next := u.Path
			if u.RawQuery != "" {
				if !strings.HasPrefix(u.RawQuery, "page=") {
					return
				}
				next += "?" + u.RawQuery
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		})
	}
	return out
}
