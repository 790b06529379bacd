package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"signpost/internal/i18n"
	"signpost/internal/store"
	"signpost/internal/web"
)

// benchmarkSearchPage measures the whole /search answer (router, store, rendering, gzip)
// on the database the store benchmarks build; run `make bench-search` first.
func benchmarkSearchPage(b *testing.B, n int) {
	// The newest of the databases the store benchmarks keep (bench-N-vK.db).
	found, _ := filepath.Glob(fmt.Sprintf("../store/testdata/bench-%d-v*.db", n))
	if len(found) == 0 {
		b.Skipf("no ../store/testdata/bench-%d-v*.db: run make bench-search first", n)
	}
	slices.SortFunc(found, func(a, c string) int { return len(a) - len(c) })
	path := found[len(found)-1]
	for _, f := range found {
		if len(f) == len(path) && f > path {
			path = f
		}
	}
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cat, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(slog.New(slog.NewTextHandler(io.Discard, nil)), st, cat, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	paths := []string{"/search?q=shelter", "/search?q=legal+aid", "/search?q=immig", "/search?q=crisis+line",
		"/search?q=kodiak+safe+house", "/search?q=polaris", "/search?q=help&page=3", "/search?q=shelter&kind=hotline",
		"/es/search?q=refugio", "/search?q=zzqxv"}
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		// A parameter search ignores makes each URL new: the server keeps rendered results
		// (private), and this measures a search, not a cache hit.
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("%s&run=%d", paths[i%len(paths)], i), nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", req.URL, rec.Code)
		}
	}
	slices.Sort(times)
	pct := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

func BenchmarkSearchPage1k(b *testing.B)   { benchmarkSearchPage(b, 1_000) }
func BenchmarkSearchPage100k(b *testing.B) { benchmarkSearchPage(b, 100_000) }
