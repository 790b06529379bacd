package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// MustOpenStore opens a new, migrated and seeded store in a temporary directory.
func MustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	s := openFile(tb, filepath.Join(tb.TempDir(), "signpost.db"), store.Options{})
	tb.Cleanup(func() { s.Close() })
	return s
}

// openFile opens the store at path with opts (a new file is migrated and seeded), failing
// the test if it cannot. The caller closes it.
func openFile(tb testing.TB, path string, opts store.Options) *store.Store {
	tb.Helper()
	s, err := store.Open(tb.Context(), path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// openStore opens a store as MustOpenStore does and returns it with the test's context, for
// a test that calls the store itself.
func openStore(t *testing.T) (*store.Store, context.Context) {
	t.Helper()
	return MustOpenStore(t), t.Context()
}

// saveStale saves first, then second: two edits made from the same stored version. The
// first must be saved and the second refused with ECONFLICT, as it would overwrite the
// first unseen.
func saveStale[T any](t *testing.T, save func(T) error, first, second T) {
	t.Helper()
	if err := save(first); err != nil {
		t.Fatal(err)
	}
	if err := save(second); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale save: err = %v, want a conflict", err)
	}
}

func TestOpenSeedsTheDirectory(t *testing.T) {
	s, ctx := openStore(t)
	for _, k := range directory.Kinds {
		list, total, err := s.ListListings(ctx, directory.ListingFilter{Kind: k, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 || len(list) != total {
			t.Errorf("%s: %d listed of %d", k, len(list), total)
		}
	}
	l, err := s.FindListing(ctx, directory.KindHotline, "national-human-trafficking-hotline", "en")
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, c := range l.PublicChannels() {
		numbers = append(numbers, c.Number)
	}
	if len(numbers) == 0 || numbers[0] != "+18883737888" {
		t.Errorf("hotline channels = %v, want +18883737888 first", numbers)
	}
	if l.OperatedBy == nil || l.OperatedBy.Slug != "polaris" {
		t.Errorf("hotline operated by %+v, want polaris", l.OperatedBy)
	}
	es, err := s.FindListing(ctx, directory.KindHotline, "national-human-trafficking-hotline", "es")
	if err != nil {
		t.Fatal(err)
	}
	if es.Summary == l.Summary {
		t.Errorf("Spanish summary is the English one: %q", es.Summary)
	}
}

func TestOpenTwiceKeepsContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signpost.db")
	ctx := t.Context()
	s := openFile(t, path, store.Options{})
	_, want, _ := s.ListListings(ctx, directory.ListingFilter{Lang: "en"})
	s.Close()
	s = openFile(t, path, store.Options{})
	defer s.Close()
	_, got, _ := s.ListListings(ctx, directory.ListingFilter{Lang: "en"})
	if got != want {
		t.Errorf("after reopening: %d listings, want %d", got, want)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signpost.db")
	s := openFile(t, path, store.Options{})
	if _, err := s.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := store.Open(t.Context(), path, store.Options{}); err == nil {
		t.Fatal("Open succeeded on a database from a newer version")
	}
}
