package store_test

import (
	"testing"

	"signpost/internal/directory"
)

// Staff see a phrase only once it was searched 3 times in a week; it comes with how many
// of those searches found nothing and how many results were opened, and nothing else.
func TestSearchLogShowsOnlyPhrasesSearchedThreeTimes(t *testing.T) {
	s, ctx := openStore(t)
	searchAndCount := func(lang, q string) {
		t.Helper()
		search(t, s, directory.SearchFilter{Query: q, Lang: lang})
		s.CountSearch(lang, q)
	}
	searchAndCount("en", "Zzqxv Kayak")
	searchAndCount("en", "zzqxv kayak")
	searchAndCount("en", "my secret name") // once: never shown
	if err := s.FlushSearchLog(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.ListSearchLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 0 {
		t.Fatalf("after 2 searches, rows = %+v, want none", rows)
	}
	var words int
	s.DB().QueryRow(`SELECT count(*) FROM search_log WHERE phrase <> ''`).Scan(&words)
	if words != 0 {
		t.Errorf("%d rows keep words searched fewer than 3 times", words)
	}

	searchAndCount("en", "zzqxv  KAYAK!")
	searchAndCount("en", "nail salon")
	searchAndCount("en", "nail salon")
	searchAndCount("en", "nail salon")
	s.CountClick("en", "nail salon")
	if err := s.FlushSearchLog(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err = s.ListSearchLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// "nail salon" found something and was clicked: not a problem to show.
	if len(rows) != 1 {
		t.Fatalf("rows = %+v, want the one phrase that found nothing", rows)
	}
	got := rows[0]
	if got.Phrase != "zzqxv kayak" || got.Searches != 3 || got.Empty != 3 || got.Clicks != 0 || got.Lang != "en" || len(got.Week) != 10 {
		t.Errorf("row = %+v", got)
	}
}
