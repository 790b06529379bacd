package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// publishAs posts the Publish button of edit as s and returns the edit screen's flash.
func publishAs(t *testing.T, s *staffSite, edit string) string {
	t.Helper()
	resp, doc := s.postWithToken(t, edit+"/status", map[string]string{"status": "published"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
	return text(s.doc(t, edit, http.StatusOK).Find(".flash"))
}

// A number changed while a listing was a draft cannot go live by publishing it again:
// it publishes with the number it had when last published, and the new one waits.
func TestANumberChangedWhileUnpublishedWaitsWhenPublishedAgain(t *testing.T) {
	s, l := editorOn(t, directory.KindHotline, "national-human-trafficking-hotline")
	ctx := t.Context()
	const oldSMS, newSMS = "sms:233733?&body=BEFREE", "sms:233711?&body=BEFREE"
	s.mustDraft(t, l.ID)
	edit := "/admin/hotlines/" + itoa(l.ID)
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	form.Set(channelKey(t, form, "BEFREE")+"number", "233711")
	form.Set("_action", "save")
	if resp, doc := s.post(t, edit, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the draft: status %d: %s", resp.StatusCode, text(doc.Find(".error-summary")))
	}
	if c, _ := s.Store.WaitingContactChange(ctx, l.ID); c != nil {
		t.Fatal("a draft's number waits for approval")
	}
	if d, err := s.Store.FindListingByID(ctx, l.ID, "en"); err != nil || !strings.Contains(d.Channels[channelIndex(d, "BEFREE")].Number, "233711") {
		t.Fatalf("the draft's new number was not saved at once: %v", err)
	}

	flash := publishAs(t, s, edit)
	if !strings.HasPrefix(flash, "Published, with the contact details it had when it was last published.") ||
		!strings.Contains(flash, "goes live when another staff member approves it") {
		t.Errorf("flash = %q", flash)
	}
	for _, path := range []string{"/", "/es/", nationalHotline, "/es" + nationalHotline} {
		if got := textNumberOnEveryPage(t, s, path); got != oldSMS {
			t.Errorf("%s: text button %q after publishing again, want %q", path, got, oldSMS)
		}
		if strings.Contains(publicText(t, s, path), "233711") {
			t.Errorf("%s shows the number changed while a draft", path)
		}
	}
	if got := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline"); got.Status != directory.StatusPublished {
		t.Errorf("status = %q, want published", got.Status)
	}
	if got := waitingCount(t, s); got != "1" {
		t.Errorf("menu count = %q, want 1", got)
	}
	if !auditHas(t, s, "proposed_contact_change", editorEmail, "233711") {
		t.Error("no audit line for the number held at publishing")
	}

	approveWaiting(t, s, l.ID)
	for _, path := range []string{"/", "/es/"} {
		if got := textNumberOnEveryPage(t, s, path); got != newSMS {
			t.Errorf("%s: text button %q after approval, want %q", path, got, newSMS)
		}
	}
}

// A listing never published before has nothing live to protect: it publishes as it is.
func TestANewDraftPublishesAtOnce(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "polaris")
	ctx := t.Context()
	l.ID, l.Slug, l.Name, l.Status = 0, "polaris-new-office", "Polaris new office", directory.StatusDraft
	l.Website = "https://example.org/new-office"
	if err := s.Store.CreateListing(ctx, l, s.actor(), ""); err != nil {
		t.Fatal(err)
	}
	if flash := publishAs(t, s, "/admin/organizations/"+itoa(l.ID)); flash != "Published: the public can see it now." {
		t.Errorf("flash = %q", flash)
	}
	got, err := s.Store.FindListingByID(ctx, l.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != directory.StatusPublished || got.Website != "https://example.org/new-office" {
		t.Errorf("after publishing: status %q, website %q", got.Status, got.Website)
	}
	if c, _ := s.Store.WaitingContactChange(ctx, l.ID); c != nil {
		t.Error("a new listing's details wait for approval")
	}
}

// channelIndex is the index of l's line with keyword kw.
func channelIndex(l *directory.Listing, kw string) int {
	for i, c := range l.Channels {
		if c.Keyword == kw {
			return i
		}
	}
	return 0
}
