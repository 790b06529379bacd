package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"signpost/internal/webtest"
)

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark measures the handler
// and not a recorder's buffers.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// benchmarkPage serves path from the handler directly (no network), as a browser asks for it.
func benchmarkPage(b *testing.B, path string) {
	site := webtest.MustStart(b, webtest.Options{})
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	rec := httptest.NewRecorder()
	site.Web.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d", path, rec.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			site.Web.ServeHTTP(w, req)
		}
	})
}

func BenchmarkHomePage(b *testing.B)       { benchmarkPage(b, "/") }
func BenchmarkListPage(b *testing.B)       { benchmarkPage(b, "/organizations") }
func BenchmarkListingPage(b *testing.B)    { benchmarkPage(b, "/organizations/polaris") }
func BenchmarkRepeatedSearch(b *testing.B) { benchmarkPage(b, "/search?q=hotline") }

// Pages rendered on every request (a query string the cache does not keep): the cost of a
// cache miss, as after every staff save.
func BenchmarkRenderHomePage(b *testing.B)    { benchmarkPage(b, "/?render") }
func BenchmarkRenderListPage(b *testing.B)    { benchmarkPage(b, "/organizations?render") }
func BenchmarkRenderListingPage(b *testing.B) { benchmarkPage(b, "/organizations/polaris?render") }
