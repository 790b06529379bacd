package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// Issue 13: the quick exit goes only to another site, over https, with no name or password
// in the address; the form keeps what was typed and says why.
func TestQuickExitGoesOnlyToAnotherSiteOverHTTPS(t *testing.T) {
	s := signedIn(t, adminEmail)
	host := strings.TrimPrefix(s.URL, "http://")
	for _, bad := range []string{"http://www.weather.gov/", "https://user:secret@www.weather.gov/", "https://" + host + "/",
		"https://127.0.0.1/", "javascript:alert(1)", "//www.weather.gov/"} {
		doc := s.doc(t, "/admin/settings", http.StatusOK)
		f := formValues(t, doc, "form.admin-form")
		f.Set("exit_url", bad)
		f.Set("_action", "save")
		resp, got := s.post(t, "/admin/settings", f)
		if resp.StatusCode != http.StatusBadRequest || got.Find("#f-exit_url-error").Length() == 0 {
			t.Errorf("exit to %q: status %d, want 400 with a message by the field", bad, resp.StatusCode)
			continue
		}
		if v := got.Find("#f-exit_url").AttrOr("value", ""); v != bad {
			t.Errorf("exit to %q: the form kept %q", bad, v)
		}
	}
	if st, _ := s.Store.SettingsForStaff(t.Context()); st.ExitURL != "https://www.weather.gov/" {
		t.Errorf("exit URL is now %q", st.ExitURL)
	}
}

// Issue 13: changing the quick exit, the emergency number or the hotline on every page asks
// for a confirmation first, and the audit log records the old and new value.
func TestSafetySettingsChangeOnlyAfterAConfirmation(t *testing.T) {
	s := signedIn(t, adminEmail)
	ctx := t.Context()
	f := formValues(t, s.doc(t, "/admin/settings", http.StatusOK), "form.admin-form")
	f.Set("emergency_number", "112")
	f.Set("_action", "save")
	resp, doc := s.post(t, "/admin/settings", f)
	row := doc.Find("tbody tr")
	if resp.StatusCode != http.StatusOK || row.Length() != 1 || text(row.Find("th")) != "Emergency number" ||
		text(row.Find("td").First()) != "911" || text(row.Find("td").Last()) != "112" {
		t.Fatalf("first save: status %d, changes %q; want the confirmation with the change", resp.StatusCode, text(doc.Find("table")))
	}
	if st, _ := s.Store.SettingsForStaff(ctx); st.EmergencyNumber != "911" {
		t.Fatalf("changed before the confirmation: %q", st.EmergencyNumber)
	}
	confirm := formValues(t, doc, "form.confirm-form")
	resp, _ = s.post(t, "/admin/settings", confirm)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	if st, _ := s.Store.SettingsForStaff(ctx); st.EmergencyNumber != "112" {
		t.Errorf("after the confirmation the emergency number is %q", st.EmergencyNumber)
	}
	log := s.auditEntries(t, 10)
	found := false
	for _, e := range log {
		found = found || (e.Action == "safety_settings" && e.UserEmail == adminEmail && strings.Contains(e.Detail, "Emergency number: 911 → 112"))
	}
	if !found {
		t.Errorf("no audit line for the change: %+v", log)
	}
	// A change to anything else saves at once.
	f = formValues(t, s.doc(t, "/admin/settings", http.StatusOK), "form.admin-form")
	f.Set("tagline", "A new tagline")
	f.Set("_action", "save")
	if resp, _ := s.post(t, "/admin/settings", f); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("tagline save: status %d, want 303", resp.StatusCode)
	}
}

// Issue 13: the hotline on every page cannot be unpublished or trashed while it is that.
func TestPrimaryHotlineStaysPublished(t *testing.T) {
	s, h := editorOn(t, directory.KindHotline, "national-human-trafficking-hotline")
	for _, p := range []struct {
		path   string
		fields map[string]string
	}{
		{"/admin/hotlines/" + itoa(h.ID) + "/status", map[string]string{"status": "draft"}},
		{"/admin/hotlines/" + itoa(h.ID) + "/trash", map[string]string{"trash": "1"}},
	} {
		if resp, _ := s.postWithToken(t, p.path, p.fields); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST %s: status %d, want 400", p.path, resp.StatusCode)
		}
	}
	got, err := s.Store.FindListing(t.Context(), directory.KindHotline, "national-human-trafficking-hotline", "en")
	if err != nil || got.Status != directory.StatusPublished {
		t.Errorf("the primary hotline is no longer public: %v %+v", err, got)
	}
}
