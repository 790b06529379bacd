package admin_test

import (
	"context"
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

func TestPreviewShowsTheUnsavedPageAsThePublicWouldSeeIt(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	doc := s.doc(t, edit, http.StatusOK)
	if doc.Find(`button[value="preview_page"]`).Length() < 2 {
		t.Fatal("the edit screen offers no page preview in each language")
	}
	form := formValues(t, doc, "form.admin-form")
	form.Set("summary", "A new summary, typed and not saved.")
	form.Set("_action", "preview_page")
	resp, page := s.post(t, edit+"?lang=en", form)
	previewIsMarked(t, resp, page, "Preview — not published")
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
	ctx := context.Background()
	if err := s.Store.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{
		"summary": "Resumen guardado en español.", "body": "Texto guardado en español."}, false, s.actor()); err != nil {
		t.Fatal(err)
	}
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	form.Set("summary", "A changed summary.")
	form.Set("_action", "preview_page")
	resp, page := s.post(t, edit+"?lang=es", form)
	previewIsMarked(t, resp, page, "Vista previa — no publicada")
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
	s, l, _ := editorOnPolaris(t)
	ctx := context.Background()
	if err := s.Store.SetListingStatus(ctx, l.ID, directory.StatusDraft, s.actor()); err != nil {
		t.Fatal(err)
	}
	s.doc(t, "/organizations/polaris", http.StatusNotFound)
	s.doc(t, "/es/organizations/polaris", http.StatusNotFound)

	path := "/admin/organizations/" + itoa(l.ID) + "/preview"
	resp, body := s.Get(t, path+"?lang=es")
	page, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	previewIsMarked(t, resp, page, "Vista previa")
	if !strings.Contains(page.Find("h1").First().Text(), l.Name) {
		t.Error("the draft's preview does not show the listing")
	}
	// Still not public after it was previewed (nothing was cached).
	s.doc(t, "/organizations/polaris", http.StatusNotFound)

	// Signed out, there is no preview.
	anon, err := newClient().Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	_ = anon.Body.Close()
	if anon.StatusCode == http.StatusOK {
		t.Error("a signed-out visitor sees the draft's preview")
	}
}
