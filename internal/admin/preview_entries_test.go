package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// previewDoc gets a stored entry's preview as the signed-in client.
func previewDoc(t *testing.T, s *staffSite, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	resp, body := s.Get(t, path)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

func TestPagePreviewShowsTheTypedPageInEachLanguage(t *testing.T) {
	s := signedIn(t, editorEmail)
	ctx := context.Background()
	p, err := s.Store.FindPage(ctx, "about", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SaveTranslations(ctx, "pages", p.ID, "es", map[string]string{
		"title": "Sobre el grupo", "body": "Texto guardado en español."}, false, s.actor()); err != nil {
		t.Fatal(err)
	}
	edit := "/admin/pages/" + itoa(p.ID)
	doc := s.doc(t, edit, http.StatusOK)
	if doc.Find(`button[value="preview_page"]`).Length() < 2 {
		t.Fatal("the page's edit screen offers no page preview in each language")
	}
	form := formValues(t, doc, "form.admin-form")
	form.Set("body", "A new paragraph, typed and not saved.")
	form.Set("_action", "preview_page")
	resp, page := s.post(t, edit+"?lang=en", form)
	previewIsMarked(t, resp, page, "Preview — not published")
	if !strings.Contains(text(page.Find("main")), "A new paragraph, typed and not saved.") {
		t.Error("the preview does not show the typed text")
	}
	if got := text(page.Find("h1").First()); got != p.Title {
		t.Errorf("h1 = %q, want %q", got, p.Title)
	}

	// In Spanish the stored translation stands for the title, which was not changed; the
	// changed text shows as typed.
	resp, page = s.post(t, edit+"?lang=es", form)
	previewIsMarked(t, resp, page, "Vista previa")
	if got := text(page.Find("h1").First()); got != "Sobre el grupo" {
		t.Errorf("Spanish h1 = %q, want the stored translation", got)
	}
	if !strings.Contains(text(page.Find("main")), "A new paragraph, typed and not saved.") {
		t.Error("the Spanish preview does not show the changed text")
	}

	// Stored, in Spanish.
	resp, page = previewDoc(t, s, edit+"/preview?lang=es")
	previewIsMarked(t, resp, page, "Vista previa")
	if !strings.Contains(text(page.Find("main")), "Texto guardado en español.") {
		t.Error("the stored Spanish preview does not show the translation")
	}

	// Nothing was saved or cached: the public page is as before, with no banner.
	pub := s.doc(t, "/about", http.StatusOK)
	if strings.Contains(text(pub.Find("main")), "typed and not saved") || pub.Find(".preview-banner").Length() != 0 {
		t.Error("the public page shows the preview")
	}
	if pub.Find(`meta[name="robots"][content="noindex"]`).Length() != 0 {
		t.Error("the public page became noindex after a preview")
	}
}

func TestDraftSignPreviewsOnSeeItButIsNotPublic(t *testing.T) {
	s := signedIn(t, editorEmail)
	ctx := context.Background()
	x := &directory.Sign{Slug: "sleeps-at-work", Text: "Sleeps where they work, and is never alone.", Status: directory.StatusDraft}
	if err := s.Store.SaveSign(ctx, x, s.actor(), ""); err != nil {
		t.Fatal(err)
	}
	path := "/admin/signs/" + itoa(x.ID)
	for _, lang := range []string{"en", "es"} {
		resp, page := previewDoc(t, s, path+"/preview?lang="+lang)
		previewIsMarked(t, resp, page, map[string]string{"en": "Preview", "es": "Vista previa"}[lang])
		if !strings.Contains(text(page.Find("main")), x.Text) {
			t.Errorf("%s: the draft sign is not on the See it preview", lang)
		}
		if page.Find("html").AttrOr("lang", "") != lang {
			t.Errorf("%s: html lang %q", lang, page.Find("html").AttrOr("lang", ""))
		}
	}
	if strings.Contains(text(s.doc(t, "/see-it", http.StatusOK).Find("main")), x.Text) {
		t.Error("the draft sign is public")
	}

	// A new sign, typed and not saved.
	form := formValues(t, s.doc(t, "/admin/signs/new", http.StatusOK), "form.admin-form")
	form.Set("text", "Has no money of their own, typed only.")
	form.Set("_action", "preview_page")
	resp, page := s.post(t, "/admin/signs/new?lang=en", form)
	previewIsMarked(t, resp, page, "Preview")
	if !strings.Contains(text(page.Find("main")), "Has no money of their own, typed only.") {
		t.Error("the new sign is not on the preview")
	}
	if strings.Contains(text(s.doc(t, "/see-it", http.StatusOK).Find("main")), "typed only") {
		t.Error("the typed sign is public")
	}
}

func TestEveryEntryOnAPublicPageHasAPreview(t *testing.T) {
	s := signedIn(t, editorEmail)
	ctx := context.Background()
	for _, c := range []struct{ section, field, public string }{
		{"industries", "name", "/know-it"},
		{"situations", "title", "/report-it"},
		{"stats", "measure", "/statistics"},
	} {
		ids, err := s.Store.ListEntryIDs(ctx, c.section)
		if err != nil || len(ids) == 0 {
			t.Fatalf("%s: %v %v", c.section, ids, err)
		}
		edit := "/admin/" + c.section + "/" + itoa(ids[0])
		form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
		form.Set(c.field, "Typed for the preview only")
		if c.section == "stats" {
			form.Set("value", "12")
		}
		form.Set("_action", "preview_page")
		resp, page := s.post(t, edit+"?lang=en", form)
		previewIsMarked(t, resp, page, "Preview")
		if !strings.Contains(text(page.Find("main")), "Typed for the preview only") {
			t.Errorf("%s: the typed entry is not on the %s preview", c.section, c.public)
		}
		if got := page.Find(`link[rel="canonical"]`).AttrOr("href", ""); !strings.HasSuffix(got, c.public) {
			t.Errorf("%s: the preview is of %q, want %s", c.section, got, c.public)
		}
		if strings.Contains(text(s.doc(t, c.public, http.StatusOK).Find("main")), "Typed for the preview only") {
			t.Errorf("%s: the typed entry is public", c.section)
		}
	}
}
