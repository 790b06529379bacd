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

	"signpost/internal/admin"
	"signpost/internal/app"
	"signpost/internal/directory"
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
	Web web.Options
	// Corrections serves the public "suggest a correction" form and files what is sent in
	// the site's store, as the binary does (web.Options.Corrections).
	Corrections bool
	// wrap replaces the handler: MustStartStaff mounts the staff area through it.
	wrap func(s *store.Store, w *web.Server) http.Handler
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
	return mustStartOn(tb, MustOpenStore(tb), opts)
}

// mustStartOn starts the site on the open store st.
func mustStartOn(tb testing.TB, st *store.Store, opts Options) *Site {
	tb.Helper()
	// The binary's own mounts (app.Mounts), except where the test brings its own.
	mounts := app.Mounts(discard, st, opts.Web.BaseURL, hsds.APIOptions{})
	for prefix, h := range opts.Web.Mounts {
		mounts[prefix] = h
	}
	opts.Web.Mounts = mounts
	if opts.Corrections {
		opts.Web.Corrections = st
	}
	w, err := web.New(discard, st, mustCatalog(tb), opts.Web)
	if err != nil {
		tb.Fatal(err)
	}
	var h http.Handler = w
	if opts.wrap != nil {
		h = opts.wrap(st, w)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return &Site{Server: srv, Store: st, Web: w, Client: NewClient()}
}

// NewClient is a browser for a test site: its own cookie jar, redirects not followed.
func NewClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// MustAddUser adds a staff account to st that signs in with password.
func MustAddUser(tb testing.TB, st *store.Store, email, password string, role directory.Role) *directory.User {
	tb.Helper()
	hash, err := admin.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	u := &directory.User{Email: email, Role: role, PasswordHash: hash}
	if err := st.CreateUser(tb.Context(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// StaffOptions adjust a test site with the staff area.
type StaffOptions struct {
	// Admin are the staff area's options, filled in by app.Staff as the binary's are, with
	// two defaults safe for tests: the background session cleanup is off (SessionCleanup
	// -1), and no account needs a second factor, so tests of other features sign in with
	// the password alone; the second-factor tests set SecondFactorRequired to the real
	// policy (admin.AdminsNeedSecondFactor).
	Admin admin.Options
	// CorrectionLimiter limits the public suggestions per client (nil: web's small default).
	CorrectionLimiter web.Limiter
	// Store is an open store to serve, for tests of a restart or of two servers on one
	// database; nil means a fresh seeded one.
	Store *store.Store
}

// MustStartStaff starts the site with the staff area at /admin, wired as the binary wires
// it (app.Staff), public suggestions filed in the store. The staff area is closed when the
// test ends.
func MustStartStaff(tb testing.TB, opts StaffOptions) (*Site, *admin.Handler) {
	tb.Helper()
	st := opts.Store
	if st == nil {
		st = MustOpenStore(tb)
	}
	if opts.Admin.SessionCleanup == 0 {
		opts.Admin.SessionCleanup = -1
	}
	if opts.Admin.SecondFactorRequired == nil {
		opts.Admin.SecondFactorRequired = func(*directory.User) bool { return false }
	}
	// The staff area links to the site's fingerprinted stylesheets, so it is made after the
	// site, which reaches it through this indirection (as in app.New).
	var adm *admin.Handler
	site := mustStartOn(tb, st, Options{
		Web: web.Options{
			Admin:             http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { adm.ServeHTTP(w, r) }),
			CorrectionLimiter: opts.CorrectionLimiter,
		},
		Corrections: true,
		wrap: func(st *store.Store, w *web.Server) http.Handler {
			var err error
			if adm, err = app.Staff(discard, st, mustCatalog(tb), w, opts.Admin); err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(adm.Close)
			return w
		},
	})
	return site, adm
}

// discard is the test sites' logger.
var discard = slog.New(slog.DiscardHandler)

func mustCatalog(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	cat, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
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
	cat := mustCatalog(tb)
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
	var out []string
	for _, p := range s.Walk(tb, start, 0, func(u *url.URL) bool {
		if strings.HasPrefix(u.Path, "/admin") || strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/static/") {
			return false
		}
		return inLang(u.Path) && (u.RawQuery == "" || strings.HasPrefix(u.RawQuery, "page="))
	}) {
		if p.Doc != nil {
			out = append(out, p.Path)
		}
	}
	return out
}

// A Page is an address a walk fetched that answered 200 OK.
type Page struct {
	Path   string
	Header http.Header
	Doc    *goquery.Document // nil when the answer is not HTML, whose links are not followed
}

// Walk fetches start and, breadth first, every address on this site that a fetched page
// links to and follow accepts (given the link's path and query as written), each once and
// at most max of them (0: no limit). It returns those that answered 200 OK; any other
// answer is a test error.
func (s *Site) Walk(tb testing.TB, start string, max int, follow func(u *url.URL) bool) []Page {
	tb.Helper()
	seen := map[string]bool{start: true}
	queue := []string{start}
	var out []Page
	for fetched := 0; len(queue) > 0 && (max == 0 || fetched < max); fetched++ {
		p := queue[0]
		queue = queue[1:]
		resp, body := s.Get(tb, p)
		if resp.StatusCode != http.StatusOK {
			tb.Errorf("crawl: GET %s: status %d", p, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			out = append(out, Page{Path: p, Header: resp.Header})
			continue
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Page{Path: p, Header: resp.Header, Doc: doc})
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			u, err := url.Parse(href)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") || !follow(u) {
				return
			}
			next := u.Path
			if u.RawQuery != "" {
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
