package store_test

import (
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

var editor = store.Actor{ID: 0, Email: "editor@example.org"}

func TestCreateAndUpdateListingWritesRevisions(t *testing.T) {
	s, ctx := openStore(t)
	l := &directory.Listing{Kind: directory.KindOrganization, Slug: "kodiak-shelter", Name: "Kodiak Shelter",
		Status:   directory.StatusPublished,
		Channels: []directory.Channel{{Type: directory.ChannelVoice, Number: "+19074860000", Label: "Call"}},
		Terms:    []directory.Term{{Taxonomy: "service", Slug: "shelter"}, {Taxonomy: "area", Slug: "local"}}}
	if err := s.CreateListing(ctx, l, editor, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindListing(ctx, directory.KindOrganization, "kodiak-shelter", "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Channels) != 1 || len(got.Terms) != 2 {
		t.Fatalf("channels %v terms %v", got.Channels, got.Terms)
	}

	got.Name = "Kodiak Safe House"
	got.Slug = "kodiak-safe-house"
	if err := s.UpdateListing(ctx, got, editor, ""); err != nil {
		t.Fatal(err)
	}
	// The old address redirects to the new one.
	if to, err := s.FindSlugRedirect(ctx, directory.KindOrganization, "kodiak-shelter"); err != nil || to != "kodiak-safe-house" {
		t.Errorf("redirect = %q, %v", to, err)
	}
	revs, err := s.ListRevisions(ctx, "listings", l.ID, "en")
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions = %d, %v", len(revs), err)
	}
	// Restoring the first revision brings the old name back, as a third revision.
	restored, err := s.RestoreListingRevision(ctx, revs[1].ID, editor)
	if err != nil {
		t.Fatal(err)
	}
	if restored.Name != "Kodiak Shelter" {
		t.Errorf("restored name = %q", restored.Name)
	}
	if revs, _ = s.ListRevisions(ctx, "listings", l.ID, "en"); len(revs) != 3 || revs[0].Action != store.ActionRestore {
		t.Errorf("after restore: %d revisions, newest %q", len(revs), revs[0].Action)
	}
}

func TestStaleSaveIsRefusedAndChangesNothing(t *testing.T) {
	s, ctx := openStore(t)
	a, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	b, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	a.Summary, b.Summary = "First editor's summary.", "Second editor's summary."
	saveStale(t, func(l *directory.Listing) error { return s.UpdateListing(ctx, l, editor, "") }, a, b)
	got, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if got.Summary != "First editor's summary." {
		t.Errorf("summary = %q: the stale save overwrote the first", got.Summary)
	}
}

func TestInvalidListingIsRefusedWithFieldMessages(t *testing.T) {
	s := MustOpenStore(t)
	l := &directory.Listing{Kind: directory.KindHotline, Slug: "Bad Slug", Name: "", Website: "javascript:alert(1)",
		Channels: []directory.Channel{{Type: directory.ChannelVoice, Number: "call me"}}}
	err := s.CreateListing(t.Context(), l, editor, "")
	var e *directory.Error
	if directory.ErrorCode(err) != directory.EINVALID {
		t.Fatalf("err = %v, want invalid", err)
	}
	e = err.(*directory.Error)
	for _, f := range []string{"name", "slug", "website", "channels.0.number"} {
		if e.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, e.Fields)
		}
	}
	dup := &directory.Listing{Kind: directory.KindOrganization, Slug: "polaris", Name: "Another Polaris"}
	if err := s.CreateListing(t.Context(), dup, editor, ""); err == nil || err.(*directory.Error).Fields["slug"] == "" {
		t.Errorf("a taken slug: err = %v", err)
	}
}

func TestTrashHidesAndUntrashRestores(t *testing.T) {
	s, ctx := openStore(t)
	l, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err := s.TrashListing(ctx, l.ID, editor); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindListing(ctx, directory.KindOrganization, "polaris", "en"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("a trashed listing is still public: %v", err)
	}
	if err := s.UntrashListing(ctx, l.ID, editor); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindListing(ctx, directory.KindOrganization, "polaris", "en"); err != nil {
		t.Errorf("untrashed listing: %v", err)
	}
}

func TestSpanishEditShowsOnSpanishOnly(t *testing.T) {
	s, ctx := openStore(t)
	l, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err := s.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": "Resumen nuevo."}, false, editor); err != nil {
		t.Fatal(err)
	}
	es, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "es")
	en, _ := s.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if es.Summary != "Resumen nuevo." || en.Summary == "Resumen nuevo." {
		t.Errorf("es %q, en %q", es.Summary, en.Summary)
	}
	// Removing the translation falls back to English, marked as untranslated.
	if err := s.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": ""}, false, editor); err != nil {
		t.Fatal(err)
	}
	es, _ = s.FindListing(ctx, directory.KindOrganization, "polaris", "es")
	if es.Summary != en.Summary || !es.Untranslated["summary"] {
		t.Errorf("fallback: %q untranslated=%v", es.Summary, es.Untranslated)
	}
}
