package store

import (
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
		// Migration 00140's columns, read by hydrateNeedFirst (the seed migration reads
		// listings before they exist) and written by SetListingPin and migration 00141.
		"Pin": "pin", "WorksIn": "works_in", "SourceDate": "source_date",
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
