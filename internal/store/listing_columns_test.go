package store

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"signpost/internal/directory"
)

// Every field of a listing is stored: in listingPlain, or by the code named here. A field
// added to directory.Listing fails this test until its column line is written.
func TestEveryListingFieldIsStored(t *testing.T) {
	elsewhere := map[string]string{
		"ID": "id", "Kind": "kind", "Status": "status", "Todo": "todo", "LastVerified": "last_verified",
		"CreatedAt": "created_at", "UpdatedAt": "updated_at", "DeletedAt": "deleted_at", "Version": "version",
		"OperatedBy": "writeListingParts", "Channels": "writeListingParts", "Terms": "writeListingParts",
		"Operates": "read from other listings", "Lang": "not stored", "Untranslated": "not stored",
		"Pin": "pin (a placement, not content: written by SetListingPin only)",
	}
	var l directory.Listing
	plain := map[uintptr]bool{}
	for _, c := range listingPlain(&l) {
		plain[reflect.ValueOf(c.ptr).Pointer()] = true
	}
	v := reflect.ValueOf(&l).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if _, ok := elsewhere[name]; !ok && !plain[v.Field(i).Addr().Pointer()] {
			t.Errorf("Listing.%s has no column: add it to listingPlain (and a migration)", name)
		}
	}
}

// A database an earlier Signpost made, before migration 00140 added pin, works_in and
// source_date, opens with them read and saved like every other column; the values 00141
// fills from the seeds are in a revision, so a restore of an older one loses nothing; and
// a revision written before the columns existed leaves them as they are.
func TestListingColumnsAddedAfterTheSeed(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "signpost.db")
	db, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{writer: db}
	p, err := old.provider()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 130); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.FindListing(ctx, directory.KindOrganization, "agape-international-missions", "en")
	if err != nil {
		t.Fatal(err)
	}
	if l.WorksIn != "Cambodia" {
		t.Fatalf("works in %q after the migrations, want Cambodia", l.WorksIn)
	}
	revs, err := s.ListRevisions(ctx, "listings", l.ID, "en")
	if err != nil || len(revs) < 2 {
		t.Fatalf("%d revisions (%v), want the seed's and one with works_in", len(revs), err)
	}
	seedRev, withWorksIn := revs[len(revs)-1], revs[0]

	// A revision from before the column: works_in stays.
	var snap map[string]any
	if err := json.Unmarshal(seedRev.Data, &snap); err != nil {
		t.Fatal(err)
	}
	delete(snap, "WorksIn")
	delete(snap, "SourceDate")
	delete(snap, "Pin")
	b, _ := json.Marshal(snap)
	revID, err := s.AddRevisionForTest(ctx, "listings", l.ID, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RestoreRevision(ctx, revID, SystemActor); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindListingByID(ctx, l.ID, "en"); got.WorksIn != "Cambodia" {
		t.Errorf("works in %q after restoring a revision that did not know the field, want Cambodia", got.WorksIn)
	}

	// A staff save writes works_in and source_date with the rest.
	cur, _ := s.FindListingByID(ctx, l.ID, "en")
	cur.WorksIn, cur.SourceDate = "Cambodia and Thailand", "2024-05-01"
	if err := s.UpdateListing(ctx, cur, SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindListingByID(ctx, l.ID, "en"); got.WorksIn != "Cambodia and Thailand" || got.SourceDate != "2024-05-01" {
		t.Errorf("after a save: works in %q, source date %q", got.WorksIn, got.SourceDate)
	}

	// The revision 00270 wrote brings the seeded value back.
	if err := s.RestoreRevision(ctx, withWorksIn.ID, SystemActor); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindListingByID(ctx, l.ID, "en"); got.WorksIn != "Cambodia" {
		t.Errorf("works in %q after restoring revision %d, want Cambodia", got.WorksIn, withWorksIn.ID)
	}
}
