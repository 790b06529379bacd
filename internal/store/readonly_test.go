package store_test

import (
	"path/filepath"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// A read-only store reads what another store writes to the file, and refuses every write
// with EREADONLY.
func TestReadOnlyStoreReadsAndRefusesWrites(t *testing.T) {
	ctx := t.Context()
	w, ro := openTwo(t, store.Options{ReadOnly: true})
	if !ro.ReadOnly() || w.ReadOnly() {
		t.Fatal("ReadOnly() is wrong")
	}
	polaris, err := ro.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ro.Search(ctx, directory.SearchFilter{Query: "polaris", Lang: "en"}); err != nil || res.Total == 0 {
		t.Fatalf("search on the copy: %v, %v", res, err)
	}

	writes := map[string]error{
		"create a listing": ro.CreateListing(ctx, &directory.Listing{Kind: directory.KindOrganization, Slug: "x", Name: "X",
			Status: directory.StatusPublished}, editor, ""),
		"file a suggestion": ro.CreateCorrection(ctx, &directory.Correction{ListingID: polaris.ID, Field: "name", Message: "A fix."}),
		"record a failure":  ro.RecordLoginFailure(ctx, "ip:x"),
	}
	for what, err := range writes {
		if directory.ErrorCode(err) != directory.EREADONLY {
			t.Errorf("%s on a read-only store: %v, want EREADONLY", what, err)
		}
	}

	// What the writer saves, the copy shows within a couple of seconds, and its generation
	// moves on so that cached pages go.
	gen := ro.Generation()
	if err := w.CreateListing(ctx, &directory.Listing{Kind: directory.KindOrganization, Slug: "kodiak-net-menders",
		Name: "Kodiak Net Menders", Status: directory.StatusPublished}, editor, ""); err != nil {
		t.Fatal(err)
	}
	waitForNewGeneration(t, ro, gen, "the copy's generation did not change after a write to the file")
	if _, err := ro.FindListing(ctx, directory.KindOrganization, "kodiak-net-menders", "en"); err != nil {
		t.Errorf("the copy does not show the new listing: %v", err)
	}
}

// A read-only store does not migrate: a database at another schema version is refused with
// a message that says what to do, and so is a file that is not there.
func TestReadOnlyStoreRefusesAnotherSchema(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	if _, err := store.Open(ctx, filepath.Join(dir, "missing.db"), store.Options{ReadOnly: true}); err == nil {
		t.Error("opened a read-only copy that does not exist")
	}
	path := filepath.Join(dir, "old.db")
	w := openFile(t, path, store.Options{})
	if _, err := w.DB().Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "expects") {
		t.Errorf("opening an older schema read-only: %v, want a refusal", err)
	}
}
