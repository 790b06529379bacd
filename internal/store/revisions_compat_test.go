package store_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestRestoreRevisionsWrittenBefore restores revisions as the code of December 2026 wrote
// them (testdata/revisions, one per kind of entry, keyed by the Go field names of the time)
// and checks that every field comes back. A field renamed without keeping its JSON name
// would come back empty, and this test would say which.
func TestRestoreRevisionsWrittenBefore(t *testing.T) {
	s, ctx := openStore(t)
	// Fields that change with every save, or that a restore keeps from the entry as it is.
	skip := map[string]bool{"Version": true, "UpdatedAt": true, "CreatedAt": true, "Untranslated": true, "Lang": true}
	for _, entity := range []string{"listings", "signs", "industries", "situations", "stats", "pages", "terms", "settings"} {
		t.Run(entity, func(t *testing.T) {
			old, err := os.ReadFile(filepath.Join("testdata", "revisions", entity+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(old, &want); err != nil {
				t.Fatal(err)
			}
			id := int64(0)
			if v, ok := want["ID"].(float64); ok {
				id = int64(v)
			}
			revID, err := s.AddRevisionForTest(ctx, entity, id, old)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RestoreRevision(ctx, revID, editor); err != nil {
				t.Fatalf("restore: %v", err)
			}
			revs, err := s.ListRevisions(ctx, entity, id, "en")
			if err != nil || len(revs) == 0 {
				t.Fatalf("revisions after the restore: %v", err)
			}
			var got map[string]any
			if err := json.Unmarshal(revs[0].Data, &got); err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				if skip[k] {
					continue
				}
				if !holds(got[k], w) {
					gb, _ := json.Marshal(got[k])
					wb, _ := json.Marshal(w)
					t.Errorf("%s after the restore: %s, want %s", k, gb, wb)
				}
			}
		})
	}
}

// holds reports whether got has every value of want: equal, or, for an object, holding
// each of want's keys with its value. Fields added since the revision was written (a
// nested listing's new columns) may stand beside the old ones.
func holds(got, want any) bool {
	if w, ok := want.(map[string]any); ok {
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			if !holds(g[k], v) {
				return false
			}
		}
		return true
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	return string(gb) == string(wb)
}
