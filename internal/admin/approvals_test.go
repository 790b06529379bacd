package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// Two people for contact changes (issue 13): a new number on a published listing goes live
// only when a second staff member approves it.

// asOther is a second browser on the same site, signed in as email.
func (s *staffSite) asOther(tb testing.TB, email string) *staffSite {
	tb.Helper()
	o := s.otherBrowser()
	o.mustSignIn(tb, email)
	return o
}

// proposeHotlineText changes the national hotline's BEFREE text number to number on the
// edit form, as s, and returns the response and the listing.
func proposeHotlineText(t *testing.T, s *staffSite, number string, set map[string]string) (*http.Response, *directory.Listing) {
	t.Helper()
	l := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	edit := "/admin/hotlines/" + itoa(l.ID)
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	form.Set(channelKey(t, form, "BEFREE")+"number", number)
	for k, v := range set {
		form.Set(k, v)
	}
	form.Set("_action", "save")
	resp, doc := s.post(t, edit, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d: %s", resp.StatusCode, text(doc.Find(".error-summary")))
	}
	return resp, l
}

// publicText is every word of path's page (the bar on every page, the listing).
func publicText(t *testing.T, s *staffSite, path string) string {
	t.Helper()
	return text(s.doc(t, path, http.StatusOK).Find("body"))
}

// textNumbersOnEveryPage are the sms: links of the help bar on path.
func textNumberOnEveryPage(t *testing.T, s *staffSite, path string) string {
	t.Helper()
	return s.doc(t, path, http.StatusOK).Find(`.helpbar a[href^="sms:"]`).First().AttrOr("href", "")
}

// waitingCount is the number beside "Contact changes to approve" in the menu.
func waitingCount(t *testing.T, s *staffSite) string {
	t.Helper()
	return text(s.doc(t, "/admin/", http.StatusOK).Find(`.admin-nav a[href="/admin/approvals"] .nav-count`).First().Contents().First())
}

func auditHas(t *testing.T, s *staffSite, action, email, detail string) bool {
	t.Helper()
	for _, e := range s.auditEntries(t, 100) {
		if e.Action == action && e.UserEmail == email && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

func TestANewHotlineNumberGoesLiveOnlyWhenASecondStaffMemberApproves(t *testing.T) {
	s := signedIn(t, editorEmail)
	const oldSMS, newSMS = "sms:233733?&body=BEFREE", "sms:233744?&body=BEFREE"
	if got := textNumberOnEveryPage(t, s, "/"); got != oldSMS {
		t.Fatalf("before: the text button on every page is %q", got)
	}

	resp, l := proposeHotlineText(t, s, "233744", map[string]string{"summary": "A new summary, saved at once."})
	edit := "/admin/hotlines/" + itoa(l.ID)
	if resp.Header.Get("Location") != edit {
		t.Errorf("save went to %q", resp.Header.Get("Location"))
	}
	doc := s.doc(t, edit, http.StatusOK)
	if got := text(doc.Find(".flash")); got != "Saved. The new text number goes live when another staff member approves it. Until then the public keeps seeing the current details." {
		t.Errorf("flash = %q", got)
	}
	pending := doc.Find("section.pending")
	if !strings.Contains(text(pending), "233744") || !strings.Contains(text(pending), editorEmail) {
		t.Errorf("the edit screen does not show the waiting change: %q", text(pending))
	}
	// The form shows the live value, so saving something else keeps the proposal waiting.
	if got := formValues(t, doc, "form.admin-form"); got.Get(channelKey(t, got, "BEFREE")+"number") != "233733" {
		t.Errorf("the form shows the proposed number, not the live one")
	}

	// The public keeps the approved number, in both languages; the other change is live.
	for _, path := range []string{"/", "/es/", nationalHotline, "/es" + nationalHotline} {
		if got := textNumberOnEveryPage(t, s, path); got != oldSMS {
			t.Errorf("%s: text button %q while the change waits, want %q", path, got, oldSMS)
		}
		if body := publicText(t, s, path); strings.Contains(body, "233744") {
			t.Errorf("%s shows the number waiting for approval", path)
		}
	}
	if !strings.Contains(publicText(t, s, nationalHotline), "A new summary, saved at once.") {
		t.Error("the summary saved with the number is not live")
	}
	if got := waitingCount(t, s); got != "1" {
		t.Errorf("menu count = %q, want 1", got)
	}
	if got := text(s.doc(t, "/admin/", http.StatusOK).Find(`main a[href="/admin/approvals"]`)); got != "1 contact change is waiting for a second staff member" {
		t.Errorf("dashboard notice = %q", got)
	}
	if !auditHas(t, s, "proposed_contact_change", editorEmail, "233744") {
		t.Error("no audit line for the proposal")
	}

	// The person who proposed it cannot approve it: no button, and a refusal if they try.
	mine := s.doc(t, "/admin/approvals", http.StatusOK)
	if mine.Find(`form[action$="/approve"]`).Length() != 0 {
		t.Error("the proposer is offered Approve")
	}
	if !strings.Contains(text(mine.Find("section.approval")), "another staff member must approve it") {
		t.Errorf("the proposer is not told why: %q", text(mine.Find("section.approval")))
	}
	c, err := s.Store.WaitingContactChange(t.Context(), l.ID)
	if err != nil || c == nil {
		t.Fatalf("no waiting change: %v", err)
	}
	approve := "/admin/approvals/" + itoa(c.ID) + "/approve"
	resp, page := s.postWithToken(t, approve, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the proposer approving: status %d, want 403", resp.StatusCode)
	}
	if !strings.Contains(text(page.Find("main")), "another staff member must approve it") {
		t.Errorf("refusal message = %q", text(page.Find("main")))
	}
	if got := textNumberOnEveryPage(t, s, "/"); got != oldSMS {
		t.Errorf("after the proposer tried to approve: %q", got)
	}

	// A second staff member sees the diff, in English and in Spanish, and approves.
	a := s.asOther(t, adminEmail)
	doc = a.doc(t, "/admin/approvals", http.StatusOK)
	item := doc.Find("section.approval")
	if item.Length() != 1 {
		t.Fatalf("%d changes waiting on the screen, want 1", item.Length())
	}
	en, es := text(item.Find(`td.after[lang="en"]`)), text(item.Find(`td.after[lang="es"]`))
	if !strings.Contains(en, "BEFREE to 233744") || !strings.Contains(es, "BEFREE al 233744") {
		t.Errorf("the public line after approval: en %q, es %q", en, es)
	}
	if before := text(item.Find(`td.before[lang="es"]`)); !strings.Contains(before, "BEFREE al 233733") {
		t.Errorf("the Spanish line now: %q", before)
	}
	if !strings.Contains(text(item.Find("td.before").First()), "233733") || !strings.Contains(text(item.Find("td.after").First()), "233744") {
		t.Errorf("the values: %q → %q", text(item.Find("td.before").First()), text(item.Find("td.after").First()))
	}
	if resp, _ := a.submit(t, doc, approve, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: status %d", resp.StatusCode)
	}
	if got := text(a.doc(t, "/admin/approvals", http.StatusOK).Find(".flash")); !strings.HasPrefix(got, "Approved") {
		t.Errorf("flash after approve = %q", got)
	}
	for _, path := range []string{"/", "/es/", nationalHotline, "/es" + nationalHotline} {
		if got := textNumberOnEveryPage(t, s, path); got != newSMS {
			t.Errorf("%s after approval: text button %q, want %q", path, got, newSMS)
		}
	}
	if !strings.Contains(publicText(t, s, nationalHotline), "A new summary, saved at once.") {
		t.Error("approving lost the summary saved before it")
	}
	if got := waitingCount(t, a); got != "" {
		t.Errorf("menu count after approval = %q, want none", got)
	}
	if !auditHas(t, s, "approved_contact_change", adminEmail, "233744") {
		t.Error("no audit line for the approval")
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")
	if len(revs) == 0 || revs[0].Action != store.ActionApproveContacts || revs[0].UserEmail != adminEmail {
		t.Errorf("newest revision: %+v", revs[0])
	}
	// Decided once: a second approval does nothing.
	if resp, _ := a.postWithToken(t, approve, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("approving twice: status %d, want 400", resp.StatusCode)
	}
}

func TestARefusedContactChangeLeavesTheOldNumber(t *testing.T) {
	s := signedIn(t, editorEmail)
	_, l := proposeHotlineText(t, s, "233799", nil)
	a := s.asOther(t, adminEmail)
	c, _ := s.Store.WaitingContactChange(t.Context(), l.ID)
	refuse := "/admin/approvals/" + itoa(c.ID) + "/refuse"
	note := map[string]string{"note": "The hotline's own site still gives 233733."}
	if resp, _ := a.submit(t, a.doc(t, "/admin/approvals", http.StatusOK), refuse, note); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: status %d", resp.StatusCode)
	}
	for _, path := range []string{"/", "/es/"} {
		if got := textNumberOnEveryPage(t, s, path); got != "sms:233733?&body=BEFREE" {
			t.Errorf("%s after refusal: %q", path, got)
		}
	}
	if !auditHas(t, s, "refused_contact_change", adminEmail, "still gives 233733") {
		t.Error("no audit line for the refusal, with why")
	}
	// The proposer sees it was refused, and why; nothing waits any more.
	doc := s.doc(t, "/admin/approvals", http.StatusOK)
	if got := text(doc.Find(".decided")); !strings.Contains(got, "refused by "+adminEmail) || !strings.Contains(got, "still gives 233733") {
		t.Errorf("decided list = %q", got)
	}
	edit := s.doc(t, "/admin/hotlines/"+itoa(l.ID), http.StatusOK)
	if doc.Find("section.approval").Length() != 0 || edit.Find("section.pending").Length() != 0 {
		t.Error("a refused change still shows as waiting")
	}
	if got := text(edit.Find(".refused")); !strings.Contains(got, "were refused by "+adminEmail) || !strings.Contains(got, "still gives 233733") {
		t.Errorf("the edit screen does not say the change was refused, and why: %q", got)
	}
	// The dashboard said a change was waiting; now it does not.
	if strings.Contains(text(s.doc(t, "/admin/", http.StatusOK).Find("main")), "waiting for a second staff member") {
		t.Error("the dashboard still says a contact change is waiting")
	}
}

func TestContactChangesGoLiveAtOnceWhenTheSettingIsOff(t *testing.T) {
	s := signedIn(t, adminEmail)
	// Turning it off is a safety setting: confirmed, then in the audit log.
	f := formValues(t, s.doc(t, "/admin/settings", http.StatusOK), "form.admin-form")
	if f.Get("contact_approval") != "1" {
		t.Fatalf("the setting is not on by default: %q", f.Get("contact_approval"))
	}
	f.Del("contact_approval")
	resp, doc := s.post(t, "/admin/settings", f)
	row := doc.Find("table tbody tr")
	if resp.StatusCode != http.StatusOK || text(row.Find("th")) != "Contact changes need a second staff member" ||
		text(row.Find("td").First()) != "on" || text(row.Find("td").Last()) != "off" {
		t.Fatalf("no confirmation: status %d, %q", resp.StatusCode, text(doc.Find("table")))
	}
	if resp, _ := s.post(t, "/admin/settings", formValues(t, doc, "form.confirm-form")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", resp.StatusCode)
	}
	if !auditHas(t, s, "safety_settings", adminEmail, "Contact changes need a second staff member: on → off") {
		t.Error("no audit line for turning it off")
	}

	e := s.asOther(t, editorEmail)
	_, l := proposeHotlineText(t, e, "233755", nil)
	if got := text(e.doc(t, "/admin/hotlines/"+itoa(l.ID), http.StatusOK).Find(".flash")); got != "Saved." {
		t.Errorf("flash = %q", got)
	}
	for _, path := range []string{"/", "/es/"} {
		if got := textNumberOnEveryPage(t, s, path); got != "sms:233755?&body=BEFREE" {
			t.Errorf("%s with the setting off: %q", path, got)
		}
	}
	if c, _ := s.Store.WaitingContactChange(t.Context(), l.ID); c != nil {
		t.Error("a change waits with the setting off")
	}
	if !strings.Contains(text(e.doc(t, "/admin/approvals", http.StatusOK).Find("main")), "turned off in Settings") {
		t.Error("the approvals screen does not say the check is off")
	}
}

func TestADraftsNumberChangesAtOnce(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "polaris")
	s.mustDraft(t, l.ID)
	edit := "/admin/organizations/" + itoa(l.ID)
	s.saveForm(t, edit, map[string]string{"website": "https://example.org/polaris"})
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.Website != "https://example.org/polaris" {
		t.Errorf("a draft's website waits: %q", got.Website)
	}
	if c, _ := s.Store.WaitingContactChange(t.Context(), l.ID); c != nil {
		t.Error("a draft's change waits for approval")
	}
}

// An approval applies only the values it changes: an edit made since stays, and a change
// to the same line since is refused with nothing applied.
func TestAnApprovalKeepsEditsMadeSince(t *testing.T) {
	s := signedIn(t, editorEmail)
	a := s.asOther(t, adminEmail)
	_, l := proposeHotlineText(t, s, "233766", nil)
	edit := "/admin/hotlines/" + itoa(l.ID)
	a.saveForm(t, edit, map[string]string{"summary": "Edited after the proposal."})
	c, _ := s.Store.WaitingContactChange(t.Context(), l.ID)
	approve := "/admin/approvals/" + itoa(c.ID) + "/approve"
	if resp, _ := a.postWithToken(t, approve, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: status %d", resp.StatusCode)
	}
	got := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	if got.Summary != "Edited after the proposal." {
		t.Errorf("the approval overwrote the summary: %q", got.Summary)
	}
	if textNumberOnEveryPage(t, s, "/") != "sms:233766?&body=BEFREE" {
		t.Error("the approved number is not live")
	}

	// The same line changed since (here by a restore): refused, nothing applied.
	_, _ = proposeHotlineText(t, s, "233777", nil)
	c, _ = s.Store.WaitingContactChange(t.Context(), l.ID)
	cur := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	for i := range cur.Channels {
		if cur.Channels[i].Keyword == "BEFREE" {
			cur.Channels[i].Label = "Texts, day and night"
		}
	}
	if err := s.Store.UpdateListing(t.Context(), cur, s.actor(), ""); err != nil {
		t.Fatal(err)
	}
	approve = "/admin/approvals/" + itoa(c.ID) + "/approve"
	resp, page := a.postWithToken(t, approve, nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(text(page.Find("main")), "Nothing was applied") {
		t.Errorf("approving over a changed line: status %d, %q", resp.StatusCode, text(page.Find("main")))
	}
	if textNumberOnEveryPage(t, s, "/") != "sms:233766?&body=BEFREE" {
		t.Error("a refused approval changed the number")
	}
	if w, _ := s.Store.WaitingContactChange(t.Context(), l.ID); w == nil {
		t.Error("the change no longer waits after a failed approval")
	}
}

// approveWaiting approves, as another staff member (admin), the change waiting for
// listing id, for tests of what comes after.
func approveWaiting(t *testing.T, s *staffSite, id int64) {
	t.Helper()
	c, err := s.Store.WaitingContactChange(t.Context(), id)
	if err != nil || c == nil {
		t.Fatalf("no change waiting for listing %d: %v", id, err)
	}
	a := s.asOther(t, adminEmail)
	if resp, doc := a.postWithToken(t, "/admin/approvals/"+itoa(c.ID)+"/approve", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
}

// contactsAtOnce turns off the second person for contact changes (a group of one), for
// tests of other features that change numbers.
func contactsAtOnce(t *testing.T, s *staffSite) {
	t.Helper()
	ctx := t.Context()
	st, err := s.Store.SettingsForStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.ContactsWithoutApproval = true
	if err := s.Store.UpdateSettings(ctx, &st, s.actor(), ""); err != nil {
		t.Fatal(err)
	}
}

// Restoring an earlier version cannot put an old number back without a second person.
func TestARestoredOldNumberWaitsForApproval(t *testing.T) {
	s := signedIn(t, editorEmail)
	_, l := proposeHotlineText(t, s, "233788", nil)
	approveWaiting(t, s, l.ID)
	revs, err := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	var old int64 // the version saved with the proposal: the old number still live
	for _, r := range revs {
		if r.Action == store.ActionUpdate {
			old = r.ID
			break
		}
	}
	if old == 0 {
		t.Fatal("no revision with the old number")
	}

	if resp, _ := s.postWithToken(t, "/admin/revisions/"+itoa(old)+"/restore", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: status %d", resp.StatusCode)
	}
	if got := textNumberOnEveryPage(t, s, "/"); got != "sms:233788?&body=BEFREE" {
		t.Errorf("after restoring the old number: %q, want the approved one", got)
	}
	doc := s.doc(t, "/admin/hotlines/"+itoa(l.ID), http.StatusOK)
	if !strings.Contains(text(doc.Find("section.pending")), "233733") {
		t.Errorf("the edit screen does not show the restored number waiting: %q", text(doc.Find("section.pending")))
	}
	if !auditHas(t, s, "proposed_contact_change", editorEmail, "earlier version") {
		t.Error("no audit line for the restored number")
	}
}
