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
	s, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "signpost.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// openStore opens a store as MustOpenStore does and returns it with the test's context, for
// a test that calls the store itself.
func openStore(t *testing.T) (*store.Store, context.Context) {
	t.Helper()
	return MustOpenStore(t), t.Context()
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
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := s.ListListings(ctx, directory.ListingFilter{Lang: "en"})
	s.Close()
	s, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, got, _ := s.ListListings(ctx, directory.ListingFilter{Lang: "en"})
	if got != want {
		t.Errorf("after reopening: %d listings, want %d", got, want)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signpost.db")
	ctx := t.Context()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := store.Open(ctx, path, store.Options{}); err == nil {
		t.Fatal("Open succeeded on a database from a newer version")
	}
}
