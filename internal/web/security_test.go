package web_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/i18n"
	"signpost/internal/ratelimit"
	"signpost/internal/store"
	"signpost/internal/web"
	"signpost/internal/webtest"
)

// syncBuffer is a log sink that server goroutines can write to while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// loggedSite is a site whose log the test can read.
type loggedSite struct {
	*httptest.Server
	Web   *web.Server
	Store *store.Store
	Log   *syncBuffer
}

func startLogged(t *testing.T, opts web.Options, newServer func(http.Handler) *httptest.Server) *loggedSite {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	buf := &syncBuffer{}
	st := webtest.MustOpenStore(t)
	w, err := web.New(slog.New(slog.NewTextHandler(buf, nil)), st, cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	if newServer == nil {
		newServer = httptest.NewServer
	}
	srv := newServer(w)
	t.Cleanup(srv.Close)
	return &loggedSite{Server: srv, Web: w, Store: st, Log: buf}
}

func (s *loggedSite) do(t *testing.T, method, path string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// testMounts are handlers mounted for these tests: one that panics, one that reads a form.
func testMounts() map[string]http.Handler {
	return map[string]http.Handler{
		"/test-panic": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("test panic") }),
		"/test-form":  formHandler(),
	}
}

// formHandler reads a posted form; the web package's error page answers a failure.
func formHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			w.Header().Set("X-Form-Error", err.Error())
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprintf(w, "read %d bytes", len(r.PostForm.Get("text")))
	})
}

// wantSecurityHeaders checks the headers every response must carry.
func wantSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %s", what, csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q allows %s", what, csp, bad)
		}
	}
	for k, want := range map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
		"Referrer-Policy":              "no-referrer",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	pp := h.Get("Permissions-Policy")
	for _, feature := range []string{"camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"} {
		if !strings.Contains(pp, feature) {
			t.Errorf("%s: Permissions-Policy %q lacks %s", what, pp, feature)
		}
	}
	if c := h.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s sets a cookie: %v", what, c)
	}
}

func TestEveryKindOfResponseCarriesTheSecurityHeaders(t *testing.T) {
	site := startLogged(t, web.Options{
		Mounts:      testMounts(),
		Admin:       http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "admin") }),
		SearchLimit: ratelimit.New(0, 1),
	}, nil)
	_, home := site.do(t, http.MethodGet, "/", nil, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(home))
	if err != nil {
		t.Fatal(err)
	}
	css := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/", http.StatusOK},
		{http.MethodHead, "/", http.StatusOK},
		{http.MethodGet, "/es/", http.StatusOK},
		{http.MethodHead, "/es/know-it", http.StatusOK},
		{http.MethodGet, "/organizations/polaris", http.StatusOK},
		{http.MethodGet, "/search?q=hotline", http.StatusOK},
		{http.MethodGet, "/search?q=again", http.StatusTooManyRequests},
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodGet, css, http.StatusOK},
		{http.MethodGet, "/static/nope.css", http.StatusNotFound},
		{http.MethodGet, "/healthz", http.StatusOK},
		{http.MethodGet, "/robots.txt", http.StatusOK},
		{http.MethodGet, "/sitemap.xml", http.StatusOK},
		{http.MethodGet, "/admin/", http.StatusOK},
		{http.MethodGet, "/test-panic", http.StatusInternalServerError},
	} {
		resp, _ := site.do(t, tt.method, tt.path, nil, nil)
		what := tt.method + " " + tt.path
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", what, resp.StatusCode, tt.status)
		}
		wantSecurityHeaders(t, what, resp.Header)
		if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s over plain HTTP sends HSTS %q", what, got)
		}
	}
}

func TestHSTSOnlyOverTLSOrFromATrustedProxy(t *testing.T) {
	plain := startLogged(t, web.Options{}, nil)
	resp, _ := plain.do(t, http.MethodGet, "/", nil, map[string]string{"X-Forwarded-Proto": "https"})
	if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("an untrusted X-Forwarded-Proto turned on HSTS: %q", got)
	}

	proxied := startLogged(t, web.Options{TrustProxy: true}, nil)
	resp, _ = proxied.do(t, http.MethodGet, "/", nil, map[string]string{"X-Forwarded-Proto": "https"})
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("behind a trusted proxy over HTTPS: HSTS %q", got)
	}
	resp, _ = proxied.do(t, http.MethodGet, "/", nil, map[string]string{"X-Forwarded-Proto": "http"})
	if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("behind a trusted proxy over plain HTTP: HSTS %q", got)
	}

	tlsSite := startLogged(t, web.Options{}, httptest.NewTLSServer)
	resp, _ = tlsSite.do(t, http.MethodGet, "/", nil, nil)
	if resp.TLS == nil {
		t.Fatal("not over TLS")
	}
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("over TLS: HSTS %q", got)
	}
	wantSecurityHeaders(t, "over TLS", resp.Header)
}

// wantFriendlyPage checks that an error page still gives a visitor a way out and the numbers.
func wantFriendlyPage(t *testing.T, what, body string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find("[data-exit]").Length() == 0 || doc.Find(`a[href="tel:911"]`).Length() == 0 {
		t.Errorf("%s: the page lacks the quick exit or the emergency number", what)
	}
	if doc.Find("h1").Length() != 1 {
		t.Errorf("%s: no heading", what)
	}
}

func TestAPanicGivesThe500PageAndALogLine(t *testing.T) {
	site := startLogged(t, web.Options{Mounts: testMounts()}, nil)
	resp, body := site.do(t, http.MethodGet, "/test-panic", nil, nil)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	wantFriendlyPage(t, "500", body)
	if strings.Contains(body, "test panic") {
		t.Error("the panic's message reached the visitor")
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("500 page Cache-Control %q, want no-store", got)
	}
	log := site.Log.String()
	if !strings.Contains(log, "msg=panic") || !strings.Contains(log, "test panic") || !strings.Contains(log, "path=/test-panic") {
		t.Errorf("no log line for the panic:\n%s", log)
	}
	// The server goes on serving.
	if resp, _ := site.do(t, http.MethodGet, "/", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after a panic, / answers %d", resp.StatusCode)
	}
}

func TestSearchIsRateLimitedPerAddressWithTheFriendlyPage(t *testing.T) {
	limit := ratelimit.New(ratelimit.Per(1, time.Hour), 3)
	site := startLogged(t, web.Options{SearchLimit: limit}, nil)
	for i := range 3 {
		if resp, _ := site.do(t, http.MethodGet, fmt.Sprintf("/search?q=x%d", i), nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("search %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp, body := site.do(t, http.MethodGet, "/search?q=x", nil, nil)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth search: status %d, want 429", resp.StatusCode)
	}
	if ra := resp.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	wantFriendlyPage(t, "429", body)
	if !strings.Contains(body, "Please wait a moment") {
		t.Error("the 429 page does not say to wait")
	}
	// Spanish visitors get it in Spanish.
	if resp, body := site.do(t, http.MethodGet, "/es/search?q=x", nil, nil); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Espere un momento") {
		t.Errorf("Spanish 429: status %d", resp.StatusCode)
	}
	// Pages other than search are not limited.
	if resp, _ := site.do(t, http.MethodGet, "/organizations", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/organizations after the search limit: %d", resp.StatusCode)
	}
	// A forwarded address means nothing without --trust-proxy: still this client.
	if resp, _ := site.do(t, http.MethodGet, "/search?q=x", nil, map[string]string{"X-Forwarded-For": "203.0.113.9"}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For escaped the limit without trust-proxy: %d", resp.StatusCode)
	}
	if strings.Contains(site.Log.String(), "127.0.0.1") {
		t.Errorf("the client address reached the log:\n%s", site.Log.String())
	}
}

func TestBehindATrustedProxyEachForwardedAddressHasItsOwnLimit(t *testing.T) {
	limit := ratelimit.New(ratelimit.Per(1, time.Hour), 1)
	site := startLogged(t, web.Options{SearchLimit: limit, TrustProxy: true, AccessLog: true}, nil)
	a := map[string]string{"X-Forwarded-For": "203.0.113.9"}
	b := map[string]string{"X-Forwarded-For": "198.51.100.4"}
	for _, tt := range []struct {
		hdr  map[string]string
		want int
	}{{a, 200}, {a, 429}, {b, 200}, {b, 429}} {
		if resp, _ := site.do(t, http.MethodGet, "/search?q=x", nil, tt.hdr); resp.StatusCode != tt.want {
			t.Errorf("%v: status %d, want %d", tt.hdr, resp.StatusCode, tt.want)
		}
	}
	log := site.Log.String()
	for _, addr := range []string{"203.0.113.9", "198.51.100.4", "127.0.0.1"} {
		if strings.Contains(log, addr) {
			t.Errorf("the access log holds a client address (%s):\n%s", addr, log)
		}
	}
	if !strings.Contains(log, "status=429") {
		t.Errorf("the access log does not record the throttled request:\n%s", log)
	}
}

func TestRequestBodiesAreLimited(t *testing.T) {
	site := startLogged(t, web.Options{
		Mounts: testMounts(),
		Admin: web.MaxBody(web.AdminBodyLimit)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				return
			}
			fmt.Fprintf(w, "read %d bytes", n)
		})),
	}, nil)
	post := func(path string, n int) (*http.Response, string) {
		form := url.Values{"text": {strings.Repeat("a", n)}}.Encode()
		return site.do(t, http.MethodPost, path, strings.NewReader(form), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	if resp, body := post("/test-form", 1000); resp.StatusCode != http.StatusOK || body != "read 1000 bytes" {
		t.Errorf("small public form: %d %q", resp.StatusCode, body)
	}
	if resp, _ := post("/test-form", web.PublicBodyLimit); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("public form over %d bytes: status %d, want 413", web.PublicBodyLimit, resp.StatusCode)
	}
	if resp, body := post("/admin/import", 5<<20); resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "read ") {
		t.Errorf("5 MB staff upload: %d %q", resp.StatusCode, body)
	}
	if resp, _ := post("/admin/import", web.AdminBodyLimit); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("staff upload over %d bytes: status %d, want 413", web.AdminBodyLimit, resp.StatusCode)
	}
}

func TestTooLargeBodyGivesThe413Page(t *testing.T) {
	var site *loggedSite
	site = startLogged(t, web.Options{Mounts: map[string]http.Handler{
		"/test-form": web.MaxBody(100)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil {
				site.Web.Error(w, r, err)
				return
			}
		})),
	}}, nil)
	resp, body := site.do(t, http.MethodPost, "/test-form", strings.NewReader("text="+strings.Repeat("a", 200)),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	wantFriendlyPage(t, "413", body)
	if !strings.Contains(body, "too much to send") {
		t.Error("the 413 page does not say what went wrong")
	}
}

func TestServerErrorLogNeverNamesAClient(t *testing.T) {
	buf := &syncBuffer{}
	l := web.ErrorLog(slog.New(slog.NewTextHandler(buf, nil)))
	l.Print("http: TLS handshake error from 203.0.113.9:51234: EOF")
	l.Print("http: TLS handshake error from [2001:db8::1]:443: EOF")
	l.Print("http: panic serving 2001:db8:0:1::5: boom")
	got := buf.String()
	for _, addr := range []string{"203.0.113.9", "2001:db8", "51234"} {
		if strings.Contains(got, addr) {
			t.Errorf("log holds %s:\n%s", addr, got)
		}
	}
	if !strings.Contains(got, "TLS handshake error from [address]") || !strings.Contains(got, "level=WARN") {
		t.Errorf("log lost its message:\n%s", got)
	}
}
