package store

import (
	"math"
	"path/filepath"
	"testing"
)

// signpost_rank is bm25 with the lexicon's counts: for every document a search matches, the
// same number bm25 gives, for words, their forms and synonyms, prefixes, codes, Spanish, and
// with the filters' tags in the expression.
func TestSignpostRankIsBM25(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "signpost.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	queries := []struct{ lang, text, tags string }{
		{"en", "shelter", ""}, {"en", "legal aid", ""}, {"en", "immig", ""}, {"en", "youth shelter juneau", ""},
		{"en", "national human trafficking hotline", ""}, {"en", "trafficing", ""}, {"en", "my boss took my passport", ""},
		{"en", "(888) 373-7888", ""}, {"en", "H2B", ""}, {"en", "lawyer", ""}, {"en", "help", ` AND {tags}: ("khotline" OR "kagency")`},
		{"es", "ayuda legal", ""}, {"es", "no me pagan", ""}, {"es", "trata de personas", ` AND {tags}: "open247"`}, {"en", "l", ""},
	}
	for _, q := range queries {
		plan, lex, err := s.planSearch(ctx, q.text, q.lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.groups) == 0 {
			t.Errorf("%q: nothing to search for", q.text)
			continue
		}
		expr := `{name summary body extra}: (` + plan.all() + `)` + q.tags
		rows, err := s.reader().QueryContext(ctx, `SELECT rowid, bm25(search_fts, `+rankWeights+`), `+rankFunc+`
			FROM search_fts WHERE search_fts MATCH ?`, lex.phraseHits(plan.all()), expr)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id int64
			var want, got float64
			if err := rows.Scan(&id, &want, &got); err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%q, document %d: signpost_rank %v, bm25 %v", q.text, id, got, want)
			}
			n++
		}
		if err := closeRows(rows); err != nil {
			t.Fatal(err)
		}
		if n == 0 && q.tags == "" {
			t.Errorf("%q (%s) matches nothing", q.text, expr)
		}
	}
}
