package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/a-h/templ"
)

// genStore is a Store whose only working method is Generation.
type genStore struct {
	Store
	gen atomic.Uint64
}

func (g *genStore) Generation() uint64 { return g.gen.Load() }

func newTestServer() (*Server, *genStore) {
	st := &genStore{}
	return &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil)), store: st,
		cache: newPageCache(100, 1<<20), privateCache: newPageCache(100, 1<<20)}, st
}

// slowPage counts its builds and takes a while, as a page with many queries does.
func slowPage(builds *atomic.Int32) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		builds.Add(1)
		time.Sleep(50 * time.Millisecond)
		if err := r.Context().Err(); err != nil {
			return nil, err
		}
		return templ.Raw("<p>page " + r.URL.Path + "</p>"), nil
	}
}

func TestACrowdMissingTheCacheTogetherCausesOneRender(t *testing.T) {
	s, st := newTestServer()
	var builds atomic.Int32
	h := s.cached(slowPage(&builds))
	serveMany := func(n int) []int {
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/about", nil))
				codes[i] = rec.Code
			})
		}
		wg.Wait()
		return codes
	}
	for _, code := range serveMany(50) {
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("50 requests together built the page %d times, want 1", n)
	}
	st.gen.Add(1) // a staff save
	serveMany(50)
	if n := builds.Load(); n != 2 {
		t.Errorf("after a save, 50 requests built the page %d more times, want 1", n-1)
	}
}

func TestASharedRenderOutlivesTheVisitorWhoStartedIt(t *testing.T) {
	s, _ := newTestServer()
	var builds atomic.Int32
	h := s.cached(slowPage(&builds))
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, "/about", nil).WithContext(ctx)
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	var wg sync.WaitGroup
	var other *httptest.ResponseRecorder
	wg.Go(func() { h.ServeHTTP(httptest.NewRecorder(), req) })
	time.Sleep(5 * time.Millisecond)
	wg.Go(func() {
		other = httptest.NewRecorder()
		h.ServeHTTP(other, httptest.NewRequest(http.MethodGet, "/about", nil))
	})
	wg.Wait()
	if other.Code != http.StatusOK || !strings.Contains(other.Body.String(), "page /about") {
		t.Errorf("the visitor waiting on the render got %d", other.Code)
	}
}

func TestOnlyLinkedURLsAreCached(t *testing.T) {
	for q, want := range map[string]bool{"": true, "page=2": true, "page=1234567": true,
		"page=": false, "page=12345678": false, "page=2&x=1": false, "utm_source=x": false, "page=-1": false} {
		if got := cacheableQuery(q); got != want {
			t.Errorf("cacheableQuery(%q) = %v, want %v", q, got, want)
		}
	}
	s, _ := newTestServer()
	var builds atomic.Int32
	h := s.cached(slowPage(&builds))
	for range 3 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/about?utm_source=news", nil))
		if rec.Code != http.StatusOK || rec.Header().Get("ETag") != "" {
			t.Errorf("made-up query: status %d, ETag %q", rec.Code, rec.Header().Get("ETag"))
		}
	}
	if n := builds.Load(); n != 3 || len(s.cache.entries) != 0 {
		t.Errorf("made-up queries: %d builds, %d cached", n, len(s.cache.entries))
	}
}

func TestPageCacheStaysWithinItsBounds(t *testing.T) {
	c := newPageCache(10, 1000)
	for i := range 100 {
		c.put(pageKey{path: "/" + strings.Repeat("x", i)}, &rendered{body: make([]byte, 150)})
		if len(c.entries) > 10 || c.bytes > 1000 {
			t.Fatalf("after %d puts: %d entries, %d bytes", i+1, len(c.entries), c.bytes)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"":                           false,
		"gzip":                       true,
		"gzip, deflate, br, zstd":    true,
		"br;q=1.0, gzip;q=0.8":       true,
		"GZIP":                       true,
		"gzip;q=0":                   false,
		"gzip; q=0":                  false,
		"deflate, br":                false,
		"x-gzip":                     false,
		"identity":                   false,
		"gzip;q=0.001, identity;q=1": true,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", ae)
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}

func TestWriteSendsGzipOnlyToThoseWhoAskAndKeepsVary(t *testing.T) {
	p := &rendered{status: http.StatusOK, body: []byte(strings.Repeat("<p>hello</p>", 100))}
	if err := p.finish(); err != nil {
		t.Fatal(err)
	}
	for _, ae := range []string{"gzip", ""} {
		rec := httptest.NewRecorder()
		rec.Header().Set("Vary", "Accept-Language")
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", ae)
		p.write(rec, r, htmlCacheControl)
		if got := rec.Header().Get("Content-Encoding") == "gzip"; got != (ae == "gzip") {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", ae, rec.Header().Get("Content-Encoding"))
		}
		if got := rec.Header().Values("Vary"); strings.Join(got, ",") != "Accept-Encoding,Accept-Language" {
			t.Errorf("Vary %q", got)
		}
		if rec.Header().Get("Content-Length") != "" && rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
			t.Errorf("Content-Length %s for %d bytes", rec.Header().Get("Content-Length"), rec.Body.Len())
		}
	}
	// The shared header values are never written into.
	if hdrVaryEncoding[0] != "Accept-Encoding" || len(hdrVaryEncoding) != cap(hdrVaryEncoding) {
		t.Error("a shared header value was changed")
	}
}
