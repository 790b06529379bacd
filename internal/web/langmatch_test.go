package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"signpost/internal/webtest"
)

// uniqueAcceptLanguage is a long made-up Accept-Language header, different for each i.
func uniqueAcceptLanguage(i, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "x-%08d;q=0.9", i)
	for b.Len() < size {
		b.WriteString(", en;q=0.1")
	}
	return b.String()
}

// heapAfterGC returns the live heap, after a collection.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Finding 6 of issue 11: the Accept-Language memo kept 1,024 headers of up to 64 KB each and
// never let go, so made-up headers held tens of megabytes and left real visitors' headers
// out of it.
func TestAttackUniqueLanguageHeadersDoNotGrowMemory(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	serve := func(header string) int {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", header)
		rec := httptest.NewRecorder()
		site.Web.ServeHTTP(rec, req)
		return rec.Code
	}
	serve("en")
	before := heapAfterGC()
	const n, size = 3000, 32 << 10
	for i := range n {
		if code := serve(uniqueAcceptLanguage(i, size)); code != http.StatusOK {
			t.Fatalf("header %d: status %d", i, code)
		}
	}
	held := int64(heapAfterGC()) - int64(before)
	t.Logf("%d unique %d KB Accept-Language headers: live heap %+d KB", n, size>>10, held>>10)
	if held > 4<<20 {
		t.Errorf("the server holds %d KB more after made-up headers, want under 4 MB", held>>10)
	}
	// A real visitor's Spanish browser is still offered Spanish.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9")
	rec := httptest.NewRecorder()
	site.Web.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `<p class="lang-offer wrap" lang="es">`) {
		t.Error("a Spanish browser is no longer offered Spanish")
	}
	// And a hostile header is matched on its first preferences only.
	if code := serve("es-MX,es;q=0.9," + strings.Repeat("x-made-up;q=0.1,", 4096)); code != http.StatusOK {
		t.Errorf("a 64 KB header: status %d", code)
	}
}

// BenchmarkHomePageMadeUpLanguages serves the cached home page to requests that each send a
// new 1 KB Accept-Language header (compare BenchmarkHomePage).
func BenchmarkHomePageMadeUpLanguages(b *testing.B) {
	site := webtest.MustStart(b, webtest.Options{})
	headers := make([]string, 4096)
	for i := range headers {
		headers[i] = uniqueAcceptLanguage(i, 1<<10)
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		req.Header.Set("Accept-Language", headers[i%len(headers)])
		clear(w.h)
		site.Web.ServeHTTP(w, req)
	}
}
