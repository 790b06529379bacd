package store_test

import (
	"testing"
)

// TestEveryEntryHasARevisionOfItsVersion: after the migrations, each entry the seed loaded
// has a revision of its current version, the base an edit form opened now is merged from.
func TestEveryEntryHasARevisionOfItsVersion(t *testing.T) {
	s, ctx := openStore(t)
	var missing int
	err := s.DB().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM pages t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'pages' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM signs t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'signs' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM industries t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'industries' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM situations t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'situations' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM stats t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'stats' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM listings t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'listings' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = t.version)) +
		(SELECT count(*) FROM terms t WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'terms' AND r.entity_id = t.id AND r.lang = 'en' AND r.version = 1))`).Scan(&missing)
	if err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("%d entries have no revision of their current version", missing)
	}
	st, err := s.SettingsForStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := s.ListRevisions(ctx, "settings", 0, "en")
	if err != nil || len(revs) != 1 || revs[0].Version != st.Version || st.Version != 1 {
		t.Errorf("settings at version %d with %d revisions (%v): want one, of version 1", st.Version, len(revs), err)
	}
	terms, err := s.ListTerms(ctx, "", "en")
	if err != nil || len(terms) == 0 {
		t.Fatal(err)
	}
	if got, err := s.FindTermByID(ctx, terms[0].ID); err != nil || got.Version != 1 {
		t.Errorf("a seeded filter's version = %v (%v), want 1", got, err)
	}
}
