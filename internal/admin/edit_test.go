package admin_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signpost/internal/directory"
	"signpost/internal/store"
)

func mustListing(tb testing.TB, s *staffSite, kind directory.Kind, slug string) *directory.Listing {
	tb.Helper()
	l, err := s.Store.FindListing(tb.Context(), kind, slug, "en")
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// editorOnPolaris starts a site with an editor signed in, and returns the Polaris listing
// and the address of its edit form.
func editorOnPolaris(t *testing.T) (s *staffSite, l *directory.Listing, edit string) {
	t.Helper()
	s, l = editorOn(t, directory.KindOrganization, "polaris")
	return s, l, "/admin/organizations/" + itoa(l.ID)
}

// editorOn starts a site with an editor signed in, and returns the listing of kind with
// slug.
func editorOn(t *testing.T, kind directory.Kind, slug string) (*staffSite, *directory.Listing) {
	t.Helper()
	s := signedIn(t, editorEmail)
	return s, mustListing(t, s, kind, slug)
}

func TestListingEditReachesThePublicPage(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	// Load the public page first, so it is in the page cache.
	s.doc(t, "/organizations/polaris", http.StatusOK)

	if loc := s.saveForm(t, edit, map[string]string{"summary": "A new summary typed by staff."}); loc != edit {
		t.Fatalf("save: to %q", loc)
	}
	if got := text(s.doc(t, edit, http.StatusOK).Find(".flash")); got != "Saved." {
		t.Errorf("flash after save = %q", got)
	}
	pub := s.doc(t, "/organizations/polaris", http.StatusOK)
	if !strings.Contains(text(pub.Find("main")), "A new summary typed by staff.") {
		t.Error("the public page does not show the edit")
	}
	// Nothing else changed: channels and terms survive a save of the unchanged form.
	got := mustListing(t, s, directory.KindOrganization, "polaris")
	if len(got.Channels) != len(l.Channels) || len(got.Terms) != len(l.Terms) || got.Website != l.Website {
		t.Errorf("save changed other fields: channels %d→%d terms %d→%d website %q→%q",
			len(l.Channels), len(got.Channels), len(l.Terms), len(got.Terms), l.Website, got.Website)
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")
	if len(revs) < 2 || revs[0].UserEmail != editorEmail {
		t.Errorf("newest revision by %q, want the editor", revs[0].UserEmail)
	}
}

func TestNewHotlineWithChannels(t *testing.T) {
	s := signedIn(t, editorEmail)
	loc := s.saveForm(t, "/admin/hotlines/new", map[string]string{
		"name": "Kodiak Crisis Line", "summary": "Help on Kodiak Island.", "status": "published",
		"channels.0.type": "voice", "channels.0.number": "(907) 486-3625",
		"channels.1.type": "voice", "channels.1.number": "1-800-THE-LOST",
		"channels.2.type": "text", "channels.2.number": "233733", "channels.2.keyword": "HELP",
	})
	l := mustListing(t, s, directory.KindHotline, "kodiak-crisis-line")
	var numbers, vanity []string
	for _, c := range l.Channels {
		numbers = append(numbers, c.Number)
		vanity = append(vanity, c.Vanity)
	}
	if strings.Join(numbers, " ") != "+19074863625 +18008435678 233733" || vanity[1] != "1-800-THE-LOST" {
		t.Errorf("numbers %v vanity %v", numbers, vanity)
	}
	// The edit form shows the three ways, no blank rows, and offers to add another.
	doc := s.doc(t, loc, http.StatusOK)
	if n := doc.Find("fieldset.channel").Length(); n != 3 {
		t.Errorf("%d channel rows, want the 3 filled", n)
	}
	if n := doc.Find(`button[name="add-way"]`).Length(); n != 4 {
		t.Errorf("%d \"Add another way\" buttons, want one per kind (4)", n)
	}
}

func TestInvalidInputKeepsWhatWasTyped(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	form := s.openForm(t, edit)
	form.Set("name", "")
	form.Set("summary", "Typed summary that must survive.")
	form.Set("website", "javascript:alert(1)")
	form.Set("channels.0.number", "call me maybe")
	_, doc := s.mustPost(t, edit, form, http.StatusBadRequest)
	for _, f := range []string{"name", "website", "channels.0.number"} {
		id := "f-" + f
		in := doc.Find(`[id="` + id + `"]`)
		if !strings.Contains(in.AttrOr("aria-describedby", ""), id+"-error") {
			t.Errorf("%s: not described by its error (%q)", f, in.AttrOr("aria-describedby", ""))
		}
		if doc.Find(`[id="`+id+`-error"]`).Length() == 0 {
			t.Errorf("%s: no error beside the field", f)
		}
		if doc.Find(`.error-summary a[href="#`+id+`"]`).Length() == 0 {
			t.Errorf("%s: not in the error summary", f)
		}
	}
	if got := doc.Find("#f-summary").Text(); got != "Typed summary that must survive." {
		t.Errorf("summary kept = %q", got)
	}
	if got := doc.Find(`[id="f-channels.0.number"]`).AttrOr("value", ""); got != "call me maybe" {
		t.Errorf("number kept = %q", got)
	}
	if got := mustListing(t, s, directory.KindOrganization, "polaris"); got.Summary != l.Summary {
		t.Error("an invalid form was saved")
	}
}

func TestMarkdownPreviewDoesNotSave(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	form := s.openForm(t, edit)
	form.Set("body", "## Who we are\n\nWe **help**.\n\n<script>alert(1)</script>")
	form.Set("_action", "preview")
	_, doc := s.mustPost(t, edit, form, http.StatusOK)
	if doc.Find(".preview h2").Length() == 0 || doc.Find(".preview strong").Text() != "help" {
		t.Error("preview does not show the rendered Markdown")
	}
	if doc.Find(".preview script").Length() != 0 {
		t.Error("preview runs script")
	}
	if !strings.Contains(doc.Find("#f-body").Text(), "We **help**.") {
		t.Error("the typed Markdown is not kept in the form")
	}
	if got := mustListing(t, s, directory.KindOrganization, "polaris"); got.Body != l.Body {
		t.Error("preview saved")
	}
}

func TestConflictingSaveIsRefusedWithNothingLost(t *testing.T) {
	s, _, edit := editorOnPolaris(t)
	// Two staff open the same form; the first saves.
	second := s.openForm(t, edit)
	s.saveForm(t, edit, map[string]string{"summary": "First editor's summary."})
	second.Set("summary", "Second editor's summary.")
	_, doc := s.mustPost(t, edit, second, http.StatusConflict)
	if got := mustListing(t, s, directory.KindOrganization, "polaris"); got.Summary != "First editor's summary." {
		t.Errorf("stored summary = %q: the second save overwrote the first", got.Summary)
	}
	// Both versions are on the page: theirs in the comparison, mine in the form.
	conflict := text(doc.Find(".conflict"))
	if !strings.Contains(conflict, "First editor's summary.") || !strings.Contains(conflict, "Second editor's summary.") {
		t.Errorf("conflict table = %q", conflict)
	}
	if got := doc.Find("#f-summary").Text(); got != "Second editor's summary." {
		t.Errorf("form keeps %q", got)
	}
	// Saving again, deliberately, after seeing theirs, goes through.
	s.mustPost(t, edit, formOn(t, doc), http.StatusSeeOther)
	if got := mustListing(t, s, directory.KindOrganization, "polaris"); got.Summary != "Second editor's summary." {
		t.Errorf("after the deliberate save: %q", got.Summary)
	}
}

func TestRevisionRestoredFromHistory(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	s.saveForm(t, edit, map[string]string{"name": "Polaris Renamed", "slug": "polaris-renamed"})
	// The old address keeps working.
	if resp, _ := s.Get(t, "/organizations/polaris"); resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("old slug: %d, want 301", resp.StatusCode)
	}
	hist := s.doc(t, "/admin/history/listings/"+itoa(l.ID), http.StatusOK)
	newest := hist.Find("section.revision").First()
	if !strings.Contains(text(newest), "Polaris Renamed") || !strings.Contains(text(newest.Find("th")), "Name") {
		t.Errorf("newest revision does not show the name change: %q", text(newest))
	}
	// Restore the version before.
	restore := hist.Find("section.revision").Eq(1).Find("form")
	action := restore.AttrOr("action", "")
	s.mustPost(t, action, url.Values{"csrf": {s.csrfToken(t)}}, http.StatusSeeOther)
	got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en")
	if got.Name != l.Name || got.Slug != "polaris" {
		t.Errorf("after restore: %q %q", got.Name, got.Slug)
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")
	if revs[0].Action != store.ActionRestore {
		t.Errorf("newest revision action = %q", revs[0].Action)
	}
}

func TestPublishUnpublishTrashAndRestore(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	tok := s.csrfToken(t)
	step := func(path string, form url.Values, public int) {
		t.Helper()
		form.Set("csrf", tok)
		if resp, _ := s.post(t, path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
		if resp, _ := s.Get(t, "/organizations/polaris"); resp.StatusCode != public {
			t.Errorf("after %s %v: public page %d, want %d", path, form, resp.StatusCode, public)
		}
	}
	step(edit+"/status", url.Values{"status": {"draft"}}, http.StatusNotFound)
	step(edit+"/status", url.Values{"status": {"published"}}, http.StatusOK)
	step(edit+"/trash", url.Values{"trash": {"1"}}, http.StatusNotFound)
	if !strings.Contains(text(s.doc(t, "/admin/trash", http.StatusOK).Find("main")), l.Name) {
		t.Error("the trash does not list the listing")
	}
	step(edit+"/trash", url.Values{"trash": {"0"}}, http.StatusOK)

	step(edit+"/verify", url.Values{}, http.StatusOK)
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.LastVerified.IsZero() || got.Version != l.Version+4 {
		t.Errorf("verified %v version %d (from %d)", got.LastVerified, got.Version, l.Version)
	}
	entries, _ := s.Store.ListAudit(t.Context(), 20, 0)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"publish", "unpublish", "delete", "restore", "verify"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log has no %q: %v", want, actions)
		}
	}
}

// Saving any entry's form unchanged changes nothing but its version: no field the form
// shows or hides is lost on the way.
func TestUnchangedFormsSaveEveryEntryAsItWas(t *testing.T) {
	s := signedIn(t, editorEmail)
	ctx := t.Context()
	list, _, err := s.Store.ListListings(ctx, directory.ListingFilter{Lang: "en", Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	norm := func(l *directory.Listing) string {
		c := *l
		c.Version, c.UpdatedAt = 0, time.Time{}
		b, _ := json.Marshal(c)
		return string(b)
	}
	for _, l := range list {
		before, _ := s.Store.FindListingByID(ctx, l.ID, "en")
		s.saveForm(t, "/admin/"+l.Kind.Section()+"/"+itoa(l.ID), nil)
		after, _ := s.Store.FindListingByID(ctx, l.ID, "en")
		if norm(before) != norm(after) {
			t.Errorf("%s %s changed on an unchanged save:\n%s\n%s", l.Kind, l.Slug, norm(before), norm(after))
		}
	}
	for _, section := range []string{"pages", "signs", "industries", "situations", "stats", "filters"} {
		doc := s.doc(t, "/admin/"+section, http.StatusOK)
		for _, href := range attrs(doc.Find("tbody a"), "href") {
			before := formValues(t, s.doc(t, href, http.StatusOK), "form.admin-form")
			s.saveForm(t, href, nil)
			after := formValues(t, s.doc(t, href, http.StatusOK), "form.admin-form")
			before.Del("version")
			after.Del("version")
			before.Del("csrf")
			after.Del("csrf")
			if before.Encode() != after.Encode() {
				t.Errorf("%s changed on an unchanged save:\n%s\n%s", href, before.Encode(), after.Encode())
			}
		}
	}
	// The settings are an admin's (issue 11).
	s.Client = newClient()
	s.mustSignIn(t, adminEmail)
	s.saveForm(t, "/admin/settings", nil)
}
