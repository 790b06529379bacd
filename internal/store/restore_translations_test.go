package store_test

import (
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// textEntry is one kind of entry reduced to one translated field, for the restore tests.
type textEntry struct {
	entity, field string
	id            int64
	set           func(t *testing.T, english string) // saves the English
}

func textEntries(t *testing.T, s *store.Store) []textEntry {
	ctx := t.Context()
	pages, err := s.ListPagesForStaff(ctx)
	if err != nil || len(pages) == 0 {
		t.Fatal("no pages", err)
	}
	page := pages[0].ID
	sign := &directory.Sign{Slug: "restore-test", Text: "First text.", Position: 50, Status: directory.StatusPublished}
	if err := s.SaveSign(ctx, sign, editor, ""); err != nil {
		t.Fatal(err)
	}
	return []textEntry{
		{"pages", "title", page, func(t *testing.T, en string) {
			p, err := s.FindPageByID(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			p.Title = en
			if err := s.UpdatePage(ctx, p, editor, ""); err != nil {
				t.Fatal(err)
			}
		}},
		{"signs", "text", sign.ID, func(t *testing.T, en string) {
			x, err := s.FindSignByID(ctx, sign.ID)
			if err != nil {
				t.Fatal(err)
			}
			x.Text = en
			if err := s.SaveSign(ctx, x, editor, ""); err != nil {
				t.Fatal(err)
			}
		}},
		{"settings", "tagline", 0, func(t *testing.T, en string) {
			st, err := s.SettingsForStaff(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st.Tagline = en
			if err := s.UpdateSettings(ctx, &st, editor, ""); err != nil {
				t.Fatal(err)
			}
		}},
	}
}

// newestEnglishRevision returns the id of e's newest English revision.
func newestEnglishRevision(t *testing.T, s *store.Store, e textEntry) int64 {
	t.Helper()
	revs, err := s.ListRevisions(t.Context(), e.entity, e.id, "en")
	if err != nil || len(revs) == 0 {
		t.Fatal("no English revision", err)
	}
	return revs[0].ID
}

// Restoring an English version of any kind of entry brings back the Spanish made from it;
// restoring one never translated leaves the Spanish flagged (its source is not the live
// English). Also with revisions written before sources were recorded (legacy: the
// translation is taken as made from the English of its time).
func TestRestoringEnglishRealignsTranslations(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		s := MustOpenStore(t)
		ctx := t.Context()
		for _, e := range textEntries(t, s) {
			name := e.entity
			if legacy {
				name += " (revisions without sources)"
			}
			t.Run(name, func(t *testing.T) {
				translate := func(en, es string) {
					t.Helper()
					if err := s.SaveTranslationsFrom(ctx, e.entity, e.id, "es", map[string]string{e.field: es},
						map[string]string{e.field: en}, false, editor); err != nil {
						t.Fatal(err)
					}
				}
				e.set(t, "Untranslated English")
				untranslated := newestEnglishRevision(t, s, e)
				e.set(t, "Call 233734")
				old := newestEnglishRevision(t, s, e)
				translate("Call 233734", "Llame al 233734")
				e.set(t, "Call 233735")
				translate("Call 233735", "Llame al 233735")
				if legacy {
					if _, err := s.DB().ExecContext(ctx, `UPDATE revisions SET source = NULL`); err != nil {
						t.Fatal(err)
					}
				}
				res, err := s.RestoreVersion(ctx, old, editor)
				if err != nil {
					t.Fatal(err)
				}
				tr, _, _ := s.Translations(ctx, e.entity, e.id, "es")
				src, _ := s.TranslationSources(ctx, e.entity, e.id, "es")
				if tr[e.field] != "Llame al 233734" || src[e.field] != "Call 233734" {
					t.Errorf("after restoring the English of 233734: Spanish %q made from %q", tr[e.field], src[e.field])
				}
				if len(res.Langs) != 1 || res.Langs[0].Lang != "es" || len(res.Langs[0].Restored) != 1 || res.Langs[0].Restored[0].Field != e.field {
					t.Errorf("the restore reports %+v", res.Langs)
				}

				if _, err := s.RestoreVersion(ctx, untranslated, editor); err != nil {
					t.Fatal(err)
				}
				tr, _, _ = s.Translations(ctx, e.entity, e.id, "es")
				src, _ = s.TranslationSources(ctx, e.entity, e.id, "es")
				if src[e.field] == "Untranslated English" || tr[e.field] == "" {
					t.Errorf("after restoring English never translated: Spanish %q made from %q, want it kept and flagged", tr[e.field], src[e.field])
				}
				// Each restore of a translation is a version of it, which can be undone.
				revs, _ := s.ListRevisions(ctx, e.entity, e.id, "es")
				if len(revs) < 3 || revs[0].Action != store.ActionRestore {
					t.Errorf("the Spanish history after the restore: %d versions, newest %q", len(revs), revs[0].Action)
				}
			})
		}
	}
}

// A translation whose English was never recorded is taken as made from the English before
// the restore: after restoring other English, it is flagged, not shown as if current.
func TestRestoreFlagsATranslationOfUnknownSource(t *testing.T) {
	s, ctx := openStore(t)
	e := textEntries(t, s)[1] // a sign
	e.set(t, "First English")
	first := newestEnglishRevision(t, s, e)
	e.set(t, "Second English")
	if err := s.SaveTranslations(ctx, e.entity, e.id, "es", map[string]string{e.field: "Segundo"}, false, editor); err != nil {
		t.Fatal(err)
	}
	if src, _ := s.TranslationSources(ctx, e.entity, e.id, "es"); src[e.field] != "" {
		t.Fatalf("a translation saved without its English has source %q", src[e.field])
	}
	if _, err := s.DB().ExecContext(ctx, `UPDATE revisions SET source = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RestoreVersion(ctx, first, editor); err != nil {
		t.Fatal(err)
	}
	signs, _ := s.ListSigns(ctx, "es")
	found := false
	for _, x := range signs {
		if x.ID == e.id {
			found = true
			if x.Text != "First English" || !x.Untranslated[e.field] {
				t.Errorf("the Spanish sign after the restore = %q (untranslated %v), want the English, marked", x.Text, x.Untranslated[e.field])
			}
		}
	}
	if !found {
		t.Error("the sign is not listed in Spanish")
	}
}
