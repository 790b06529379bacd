package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signpost/internal/directory"
)

func TestStaffPinAListingToTheTopOfItsList(t *testing.T) {
	s, l, edit := editorEditing(t, directory.KindOrganization, "end-slavery-now")
	// The place field and its button belong to the edit form (form, formaction).
	if doc := s.doc(t, edit, http.StatusOK); doc.Find(`input[name=pin][form="entry-form"]`).Length() == 0 ||
		doc.Find(`button[form="entry-form"][formaction$="/pin"]`).Length() == 0 {
		t.Fatal("the edit screen has no place field")
	}
	tok := s.csrfToken(t)
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST pin: %d", resp.StatusCode)
	}
	_, body := s.Get(t, "/organizations")
	if i, j := strings.Index(body, "/organizations/end-slavery-now"), strings.Index(body, "/organizations/polaris"); i < 0 || i > j {
		t.Error("the pinned organization is not first on /organizations")
	}
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.Pin != 1 || got.Version != l.Version {
		t.Errorf("pin %d version %d (from %d): want 1, unchanged", got.Pin, got.Version, l.Version)
	}
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {"first"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a place that is not a number: %d, want 400", resp.StatusCode)
	}
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {""}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("unpin: %d", resp.StatusCode)
	}
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.Pin != 0 {
		t.Errorf("pin %d after unpinning", got.Pin)
	}
}

// "Save place" posts the whole edit form: a summary typed but not yet saved is saved with
// the place, not dropped (issue 13), like Publish, Verify and Trash.
func TestSavePlaceKeepsUnsavedEdits(t *testing.T) {
	s, _, edit := editorEditing(t, directory.KindOrganization, "end-slavery-now")
	doc := s.doc(t, edit, http.StatusOK)
	f := formValues(t, doc, "form.admin-form")
	f.Set("summary", "A summary typed before saving the place.")
	f.Set("pin", "2") // the place field sits outside the form and belongs to it
	resp, _ := postAction(t, s, doc, "Save place", f)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Save place: %d", resp.StatusCode)
	}
	if got := text(s.doc(t, resp.Header.Get("Location"), http.StatusOK).Find(".flash")); !strings.Contains(got, "Saved.") || !strings.Contains(got, "number 2") {
		t.Errorf("flash after Save place with edits = %q", got)
	}
	got := mustListing(t, s, directory.KindOrganization, "end-slavery-now")
	if got.Summary != "A summary typed before saving the place." || got.Pin != 2 {
		t.Errorf("after Save place: summary %q pin %d, want the typed summary and 2", got.Summary, got.Pin)
	}
	if !strings.Contains(text(s.doc(t, "/organizations/end-slavery-now", http.StatusOK).Find("main")), "A summary typed before saving the place.") {
		t.Error("the public page does not show the summary saved with the place")
	}
	// Nothing typed: the place alone, no new version of the text.
	f = formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	f.Set("pin", "")
	s.mustPost(t, edit+"/pin", f, http.StatusSeeOther) // unpin
	if again := mustListing(t, s, directory.KindOrganization, "end-slavery-now"); again.Version != got.Version || again.Pin != 0 {
		t.Errorf("unpin with an unchanged form: version %d→%d, pin %d", got.Version, again.Version, again.Pin)
	}
}

// A mistyped place shows the edit screen again with a clear message, the place as typed and
// the unsaved edits, with status 400; nothing is saved.
func TestMistypedPlaceKeepsWhatWasTyped(t *testing.T) {
	s, l, edit := editorEditing(t, directory.KindOrganization, "end-slavery-now")
	f := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	f.Set("summary", "A summary typed before a mistyped place.")
	f.Set("pin", "abc")
	_, doc := s.mustPost(t, edit+"/pin", f, http.StatusBadRequest)
	if got := text(doc.Find(".error-summary")); !strings.Contains(got, "whole number from 1 to 999") {
		t.Errorf("error summary = %q", got)
	}
	if got := doc.Find(`input[name=pin]`).AttrOr("value", ""); got != "abc" {
		t.Errorf("the place shown again = %q, want what was typed", got)
	}
	if got := doc.Find(`textarea[name=summary], input[name=summary]`).First(); !strings.Contains(got.Text()+got.AttrOr("value", ""), "A summary typed before a mistyped place.") {
		t.Error("the unsaved summary is not shown again")
	}
	if doc.Find(`a[href="#f-pin"]`).Length() == 0 || doc.Find("#f-pin").Length() != 1 {
		t.Error("the error summary does not link to the place field")
	}
	if got := mustListing(t, s, directory.KindOrganization, "end-slavery-now"); got.Version != l.Version || got.Pin != l.Pin {
		t.Errorf("a mistyped place saved something: version %d→%d pin %d→%d", l.Version, got.Version, l.Pin, got.Pin)
	}
}
