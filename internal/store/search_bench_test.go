package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/synth"
)

// benchVersion names the synthetic data's shape: change it when synth or the search
// migration changes, so that a cached benchmark database is rebuilt.
const benchVersion = 7

// benchStore opens a database with n synthetic listings besides the seed. It is built once
// and kept in testdata/ (git-ignored, *.db), since 100,000 listings take most of a minute
// to write.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	ctx := b.Context()
	path := filepath.Join("testdata", fmt.Sprintf("bench-%d-v%d.db", n, benchVersion))
	if _, err := os.Stat(path); err != nil {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			b.Fatal(err)
		}
		tmp := filepath.Join("testdata", fmt.Sprintf("building-%d.db", n))
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(f)
		}
		start := time.Now()
		st := openFile(b, tmp, store.Options{})
		if err := synth.Fill(ctx, st.DB(), synth.Options{Listings: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	}
	st := openFile(b, path, store.Options{})
	b.Cleanup(func() { st.Close() })
	return st
}

// benchSearches is a mix of what people type: a word, a place, a prefix being typed, two or
// three words, a filter with and without words, a page further on, Spanish.
var benchSearches = []directory.SearchFilter{
	{Query: "shelter"},
	{Query: "legal aid"},
	{Query: "anchorage"},
	{Query: "immig"},
	{Query: "labor rights clinic"},
	{Query: "youth shelter juneau"},
	{Query: "crisis line"},
	{Query: "counsel"},
	{Query: "kodiak safe house"},
	{Query: "wage"},
	{Query: "national human trafficking hotline"},
	{Query: "polaris"},
	{Query: "text"},
	{Query: "zzqxv"},
	{Query: "help", Offset: 40},
	{Query: "shelter", Kinds: []directory.Kind{directory.KindHotline}},
	{Query: "legal", Terms: map[string][]string{"service": {"legal-help"}, "area": {"statewide"}}},
	{Query: "fairbanks", Open247: true},
	{Kinds: []directory.Kind{directory.KindAgency}, Terms: map[string][]string{"population": {"children-youth"}}},
	{Query: "refugio", Lang: "es"},
	{Query: "ayuda legal", Lang: "es"},
	{Query: "trata de personas", Lang: "es"},
	// As people in trouble type: typos, sentences, numbers, other words.
	{Query: "trafficing"},
	{Query: "my boss took my passport"},
	{Query: "(888) 373-7888"},
	{Query: "lawyer"},
	{Query: "no me pagan", Lang: "es"},
	{Query: "H2B"},
}

// benchListings is n, or the size BENCH_LISTINGS names (1000 or 100000).
func benchListings(n int) int {
	switch os.Getenv("BENCH_LISTINGS") {
	case "1000":
		return 1_000
	case "100000":
		return 100_000
	}
	return n
}

// benchSearch is search i of the mix (wrapping round), in English unless it says, 20 to a
// page.
func benchSearch(i int) directory.SearchFilter {
	f := benchSearches[i%len(benchSearches)]
	if f.Lang == "" {
		f.Lang = "en"
	}
	f.Limit = 20
	return f
}

func benchmarkSearch(b *testing.B, n int) {
	st := benchStore(b, n)
	ctx := b.Context()
	var times, cpu []time.Duration
	defer lockThread()()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f := benchSearch(i)
		start := time.Now()
		startCPU, measured := threadCPU()
		if _, err := st.Search(ctx, f); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		if endCPU, ok := threadCPU(); ok && measured {
			cpu = append(cpu, endCPU-startCPU)
		}
	}
	pct := func(times []time.Duration, p float64) float64 {
		return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000
	}
	slices.Sort(times)
	b.ReportMetric(pct(times, 0.50), "p50-ms")
	b.ReportMetric(pct(times, 0.95), "p95-ms")
	b.ReportMetric(pct(times, 0.99), "p99-ms")
	// The same, in CPU time (Linux): what a search costs whatever the machine's load; on a
	// quiet machine the wall times above come close to it.
	if len(cpu) == len(times) {
		slices.Sort(cpu)
		b.ReportMetric(pct(cpu, 0.50), "cpu-p50-ms")
		b.ReportMetric(pct(cpu, 0.95), "cpu-p95-ms")
	}
}

func BenchmarkSearch1k(b *testing.B)   { benchmarkSearch(b, 1_000) }
func BenchmarkSearch100k(b *testing.B) { benchmarkSearch(b, 100_000) }

// BenchmarkSearchQueries reports each query of the mix alone at 100,000 listings, to find
// the slow ones.
func BenchmarkSearchQueries(b *testing.B) {
	st := benchStore(b, benchListings(100_000))
	ctx := b.Context()
	for i, f := range benchSearches {
		name := fmt.Sprintf("%s/%s/%v%v%v", f.Lang, f.Query, f.Kinds, f.Terms, f.Open247)
		b.Run(name, func(b *testing.B) {
			f := benchSearch(i)
			for b.Loop() {
				if _, err := st.Search(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
