package store_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"signpost/internal/directory"
	"signpost/internal/store"
)

func TestSearchEntriesMatchesNamesLiterallyAcrossKinds(t *testing.T) {
	s, ctx := openStore(t)
	got, err := s.SearchEntries(ctx, "polaris", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Entity != "listings" || got[0].Kind != directory.KindOrganization {
		t.Fatalf("search for polaris = %+v", got)
	}
	// % and _ are what staff typed, not wildcards.
	for _, q := range []string{"%", "_", `\`, "%%_"} {
		got, err := s.SearchEntries(ctx, q, 100)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		for _, it := range got {
			if !strings.Contains(it.Name, q) {
				t.Errorf("%q found %q", q, it.Name)
			}
		}
	}
	// A trashed entry is found, and says so.
	l, err := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.TrashListing(ctx, l.ID, store.Actor{Email: "t@example.org"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchEntries(ctx, "Polaris", 100); len(got) == 0 || got[0].Detail != "trash" {
		t.Errorf("trashed Polaris = %+v", got)
	}
	if n, _ := s.SearchEntries(ctx, "a", 3); len(n) != 3 {
		t.Errorf("limit 3 gave %d", len(n))
	}
}

func TestEntryNameNamesWhatTheAuditLogPointsAt(t *testing.T) {
	s, ctx := openStore(t)
	l, err := s.FindListing(ctx, directory.KindHotline, "national-human-trafficking-hotline", "en")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.EntryName(ctx, "listings", l.ID)
	if err != nil || got.Name != l.Name || got.Kind != directory.KindHotline {
		t.Errorf("EntryName = %+v, %v", got, err)
	}
	if _, err := s.EntryName(ctx, "listings", 1<<40); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("a gone entry: %v", err)
	}
	if _, err := s.EntryName(ctx, "sqlite_master", 1); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("an unknown table: %v", err)
	}
}

// FuzzFindEntries: whatever staff type in the search box, the search answers without an
// error, and only with entries whose name holds what was typed (ignoring ASCII case).
func FuzzFindEntries(f *testing.F) {
	for _, seed := range []string{"polaris", "%", "_a", `\%`, "'; DROP TABLE listings; --", "línea", "  "} {
		f.Add(seed)
	}
	s := MustOpenStore(f)
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		got, err := s.SearchEntries(t.Context(), q, 20)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		// A NUL is dropped (no name holds one); the rest must be in the name.
		want := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(q, "\x00", "")))
		for _, it := range got {
			if !strings.Contains(strings.ToLower(it.Name), want) && it.Entity != "listings" && it.Entity != "pages" {
				t.Errorf("%q found %q", q, it.Name)
			}
		}
	})
}
