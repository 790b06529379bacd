package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// relevanceQuery is one search typed the way a visitor types it, and the entries that
// answer it: "page:slug" for a page, the listing's slug for a listing. Any one of them in
// the first three results answers the visitor.
type relevanceQuery struct {
	lang, q string
	want    []string
}

// readRelevanceQueries reads the realistic searches of testdata/relevance.txt (the file
// says how they were written and how a line is laid out): data that whoever knows what
// visitors type can add to without touching Go.
func readRelevanceQueries(t *testing.T) []relevanceQuery {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "relevance.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []relevanceQuery
	for i, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 3 || (parts[0] != "en" && parts[0] != "es") || parts[1] == "" || len(strings.Fields(parts[2])) == 0 {
			t.Fatalf("testdata/relevance.txt:%d: want \"en|es | search | entries\", got %q", i+1, line)
		}
		out = append(out, relevanceQuery{lang: parts[0], q: parts[1], want: strings.Fields(parts[2])})
	}
	return out
}

// relevanceFloor is the share of the relevance searches that must be answered in the first three.
const relevanceFloor = 0.90

// TestSearchAnswersVisitorsInTheFirstThree runs every realistic query against the seeded
// directory and fails when fewer than relevanceFloor are answered in the first three
// results. It prints the figure and every miss, with what came first instead.
func TestSearchAnswersVisitorsInTheFirstThree(t *testing.T) {
	s := MustOpenStore(t)
	queries := readRelevanceQueries(t)
	answered := 0
	var misses []string
	for _, rq := range queries {
		res := search(t, s, directory.SearchFilter{Query: rq.q, Lang: rq.lang, Limit: 3})
		got := hitSlugs(res)[:min(3, len(res.Hits))]
		ok := slices.ContainsFunc(got, func(id string) bool { return slices.Contains(rq.want, id) })
		if ok {
			answered++
			continue
		}
		misses = append(misses, fmt.Sprintf("  [%s] %q: got %v, want one of %v", rq.lang, rq.q, got, rq.want))
	}
	share := float64(answered) / float64(len(queries))
	t.Logf("relevance: %d of %d queries (%.0f%%) answered in the first three results", answered, len(queries), 100*share)
	if len(misses) > 0 {
		t.Logf("misses:\n%s", strings.Join(misses, "\n"))
	}
	if len(queries) < 80 {
		t.Errorf("only %d relevance queries; at least 80 keep the figure honest", len(queries))
	}
	if share < relevanceFloor {
		t.Errorf("%.0f%% answered in the first three, want at least %.0f%%", 100*share, 100*relevanceFloor)
	}
}
