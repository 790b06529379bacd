package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// previewIsMarked checks what makes a preview a preview: the public layout with its banner,
// never stored by a cache, never indexed.
func previewIsMarked(t *testing.T, resp *http.Response, doc *goquery.Document, banner string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: status %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if got := resp.Header.Get("X-Robots-Tag"); got != "noindex" {
		t.Errorf("X-Robots-Tag = %q, want noindex", got)
	}
	if doc.Find(`meta[name="robots"][content="noindex"]`).Length() == 0 {
		t.Error("no robots noindex meta")
	}
	if got := text(doc.Find(".preview-banner")); !strings.Contains(got, banner) {
		t.Errorf("banner = %q, want it to say %q", got, banner)
	}
	// The public layout: the quick exit and the site header, not the staff screens.
	if doc.Find(".exitbar .exit").Length() == 0 || doc.Find("header.site-header").Length() == 0 {
		t.Error("the preview is not the public page layout")
	}
	if doc.Find("form.admin-form").Length() != 0 {
		t.Error("the preview shows the staff form")
	}
}

// typedPreview presses the page preview in lang on the edit screen doc (at path) with the
// fields in set typed, and returns the page, checked to be a preview with banner.
func (s *staffSite) typedPreview(t *testing.T, path string, doc *goquery.Document, set map[string]string, lang, banner string) *goquery.Document {
	t.Helper()
	form := formValues(t, doc, "form.admin-form")
	setAll(form, set)
	form.Set("_action", "preview_page")
	resp, page := s.post(t, path+"?lang="+lang, form)
	previewIsMarked(t, resp, page, banner)
	return page
}

// storedPreview gets the preview of the stored entry at path in lang as the signed-in
// client, and returns the page, checked to be a preview with banner.
func (s *staffSite) storedPreview(t *testing.T, path, lang, banner string) *goquery.Document {
	t.Helper()
	resp, body := s.Get(t, path+"/preview?lang="+lang)
	page := parseDoc(t, body)
	previewIsMarked(t, resp, page, banner)
	return page
}

// offersPagePreviews requires the edit screen doc to offer a page preview in each language.
func offersPagePreviews(t *testing.T, doc *goquery.Document) {
	t.Helper()
	if doc.Find(`button[value="preview_page"]`).Length() < 2 {
		t.Fatal("the edit screen offers no page preview in each language")
	}
}

func TestPreviewShowsTheUnsavedPageAsThePublicWouldSeeIt(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	doc := s.doc(t, edit, http.StatusOK)
	offersPagePreviews(t, doc)
	page := s.typedPreview(t, edit, doc, map[string]string{"summary": "A new summary, typed and not saved."}, "en", "Preview — not published")
	if !strings.Contains(text(page.Find("main")), "A new summary, typed and not saved.") {
		t.Error("the preview does not show the typed summary")
	}
	if got := page.Find("h1").First().Text(); !strings.Contains(got, l.Name) {
		t.Errorf("h1 = %q, want the listing's name", got)
	}

	// Nothing was saved, and the public page still shows the old summary.
	if got := mustListing(t, s, directory.KindOrganization, "polaris"); got.Summary != l.Summary {
		t.Error("preview saved")
	}
	pub := s.doc(t, "/organizations/polaris", http.StatusOK)
	if strings.Contains(text(pub.Find("main")), "typed and not saved") || pub.Find(".preview-banner").Length() != 0 {
		t.Error("the public page shows the preview")
	}
	if !strings.Contains(text(pub.Find("main")), strings.Join(strings.Fields(l.Summary), " ")) {
		t.Error("the public page does not show the saved summary")
	}
}

func TestPreviewInSpanishKeepsStoredTranslations(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	if err := s.Store.SaveTranslations(t.Context(), "listings", l.ID, "es", map[string]string{
		"summary": "Resumen guardado en español.", "body": "Texto guardado en español."}, false, s.actor()); err != nil {
		t.Fatal(err)
	}
	page := s.typedPreview(t, edit, s.doc(t, edit, http.StatusOK), map[string]string{"summary": "A changed summary."}, "es", "Vista previa — no publicada")
	main := text(page.Find("main"))
	if !strings.Contains(main, "Texto guardado en español.") {
		t.Error("the Spanish preview does not use the stored translation of an unchanged field")
	}
	if !strings.Contains(main, "A changed summary.") {
		t.Error("the Spanish preview does not show the changed summary")
	}
	if got := page.Find("html").AttrOr("lang", ""); got != "es" {
		t.Errorf("html lang = %q, want es", got)
	}
}

func TestDraftPreviewsButIsNotPublic(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	if err := s.Store.SetListingStatus(t.Context(), l.ID, directory.StatusDraft, s.actor()); err != nil {
		t.Fatal(err)
	}
	s.doc(t, "/organizations/polaris", http.StatusNotFound)
	s.doc(t, "/es/organizations/polaris", http.StatusNotFound)

	page := s.storedPreview(t, edit, "es", "Vista previa")
	if !strings.Contains(page.Find("h1").First().Text(), l.Name) {
		t.Error("the draft's preview does not show the listing")
	}
	// Still not public after it was previewed (nothing was cached).
	s.doc(t, "/organizations/polaris", http.StatusNotFound)

	// Signed out, there is no preview.
	anon, err := newClient().Get(s.URL + edit + "/preview")
	if err != nil {
		t.Fatal(err)
	}
	_ = anon.Body.Close()
	if anon.StatusCode == http.StatusOK {
		t.Error("a signed-out visitor sees the draft's preview")
	}
}

func TestPagePreviewShowsTheTypedPageInEachLanguage(t *testing.T) {
	s := signedIn(t, editorEmail)
	ctx := t.Context()
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
	offersPagePreviews(t, doc)
	typed := map[string]string{"body": "A new paragraph, typed and not saved."}
	page := s.typedPreview(t, edit, doc, typed, "en", "Preview — not published")
	if !strings.Contains(text(page.Find("main")), "A new paragraph, typed and not saved.") {
		t.Error("the preview does not show the typed text")
	}
	if got := text(page.Find("h1").First()); got != p.Title {
		t.Errorf("h1 = %q, want %q", got, p.Title)
	}

	// In Spanish the stored translation stands for the title, which was not changed; the
	// changed text shows as typed.
	page = s.typedPreview(t, edit, doc, typed, "es", "Vista previa")
	if got := text(page.Find("h1").First()); got != "Sobre el grupo" {
		t.Errorf("Spanish h1 = %q, want the stored translation", got)
	}
	if !strings.Contains(text(page.Find("main")), "A new paragraph, typed and not saved.") {
		t.Error("the Spanish preview does not show the changed text")
	}

	// Stored, in Spanish.
	page = s.storedPreview(t, edit, "es", "Vista previa")
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
	x := &directory.Sign{Slug: "sleeps-at-work", Text: "Sleeps where they work, and is never alone.", Status: directory.StatusDraft}
	if err := s.Store.SaveSign(t.Context(), x, s.actor(), ""); err != nil {
		t.Fatal(err)
	}
	path := "/admin/signs/" + itoa(x.ID)
	for _, lang := range []string{"en", "es"} {
		page := s.storedPreview(t, path, lang, map[string]string{"en": "Preview", "es": "Vista previa"}[lang])
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
	page := s.typedPreview(t, "/admin/signs/new", s.doc(t, "/admin/signs/new", http.StatusOK),
		map[string]string{"text": "Has no money of their own, typed only."}, "en", "Preview")
	if !strings.Contains(text(page.Find("main")), "Has no money of their own, typed only.") {
		t.Error("the new sign is not on the preview")
	}
	if strings.Contains(text(s.doc(t, "/see-it", http.StatusOK).Find("main")), "typed only") {
		t.Error("the typed sign is public")
	}
}

func TestEveryEntryOnAPublicPageHasAPreview(t *testing.T) {
	s := signedIn(t, editorEmail)
	for _, c := range []struct{ section, field, public string }{
		{"industries", "name", "/know-it"},
		{"situations", "title", "/report-it"},
		{"stats", "measure", "/statistics"},
	} {
		ids, err := s.Store.ListEntryIDs(t.Context(), c.section)
		if err != nil || len(ids) == 0 {
			t.Fatalf("%s: %v %v", c.section, ids, err)
		}
		edit := "/admin/" + c.section + "/" + itoa(ids[0])
		typed := map[string]string{c.field: "Typed for the preview only"}
		if c.section == "stats" {
			typed["value"] = "12"
		}
		page := s.typedPreview(t, edit, s.doc(t, edit, http.StatusOK), typed, "en", "Preview")
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
