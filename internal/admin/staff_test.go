package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// TestDashboardPutsHotlinesFirstInPlainWords: each section groups its lines by kind,
// hotlines first, and names fields as staff say them, never by their column or setting name.
func TestDashboardPutsHotlinesFirstInPlainWords(t *testing.T) {
	// An admin: the site settings to fill in are theirs (editors cannot open them).
	s := signedIn(t, adminEmail)
	doc := s.doc(t, "/admin/", http.StatusOK)
	groups := doc.Find("#unverified").Closest("section").Find(".dash-group h3")
	if groups.Length() == 0 || !strings.HasPrefix(text(groups.First()), "Hotlines (") {
		t.Errorf("first group to verify = %q, want Hotlines", text(groups.First()))
	}
	todo := text(doc.Find("#todo").Closest("section"))
	for _, bad := range []string{"contact_email", "a email", "channel (", "channel:"} {
		if strings.Contains(todo, bad) {
			t.Errorf("the to-fill-in list says %q: %q", bad, todo)
		}
	}
	if !strings.Contains(todo, "missing: contact email") {
		t.Errorf("the site's contact email is not asked for in plain words: %q", todo)
	}
	if !strings.Contains(todo, "missing: email address") && !strings.Contains(todo, "missing: web address") {
		t.Errorf("a way to reach a listing still to fill in is not named plainly: %q", todo)
	}
	// A group to verify links to its list, filtered and sorted for bulk verification.
	if doc.Find(`a[href="/admin/hotlines?state=unverified&sort=verified"]`).Length() == 0 {
		t.Error("no link from the hotlines to verify to their list")
	}
}

// TestMenuCountsSuggestionsWaiting: the menu says how many suggestions wait.
func TestMenuCountsSuggestionsWaiting(t *testing.T) {
	s, l := editorOn(t, directory.KindHotline, "national-human-trafficking-hotline")
	for range 2 {
		if err := s.Store.CreateCorrection(t.Context(), &directory.Correction{ListingID: l.ID, Message: "The hours changed."}); err != nil {
			t.Fatal(err)
		}
	}
	doc := s.doc(t, "/admin/hotlines", http.StatusOK)
	got := text(doc.Find(`.admin-nav-wide a[href="/admin/corrections"]`))
	if got != "Suggestions 2 waiting" {
		t.Errorf("menu item = %q, want the count of suggestions waiting", got)
	}
	if got := text(doc.Find(".admin-nav-narrow summary")); got != "Menu (2 waiting)" {
		t.Errorf("folded phone menu = %q", got)
	}
}

// TestSearchBoxFindsEveryKindByName: one box in the header finds listings, pages, signs and
// filters by part of their name, each linked to its edit screen.
func TestSearchBoxFindsEveryKindByName(t *testing.T) {
	s := signedIn(t, editorEmail)
	if s.doc(t, "/admin/", http.StatusOK).Find(`header form[action="/admin/search"] input[name="q"]`).Length() == 0 {
		t.Fatal("no search box in the header")
	}
	l := mustListing(t, s, directory.KindOrganization, "polaris")
	doc := s.doc(t, "/admin/search?q=POLAR", http.StatusOK)
	if doc.Find(`main a[href="/admin/organizations/`+itoa(l.ID)+`"]`).Length() == 0 {
		t.Errorf("Polaris not found by part of its name in capitals: %q", text(doc.Find("main")))
	}
	kinds := map[string]bool{}
	doc = s.doc(t, "/admin/search?q=a", http.StatusOK)
	doc.Find("main tbody tr td:nth-child(2)").Each(func(_ int, td *goquery.Selection) {
		kind, _, _ := strings.Cut(strings.TrimSpace(td.Text()), " (")
		kinds[kind] = true
	})
	for _, want := range []string{"Hotline", "Page", "Sign", "Filter"} {
		if !kinds[want] {
			t.Errorf("search for \"a\" found no %s: kinds %v", want, kinds)
		}
	}
	// What is typed is matched literally: % is not a wildcard.
	if got := text(s.doc(t, "/admin/search?q=%25%25", http.StatusOK).Find("main")); !strings.Contains(got, "Nothing is named like") {
		t.Errorf("a search for %%%% found something: %q", got)
	}
}

// TestListFiltersAndSortsByLastVerified: a list shows only drafts, or only listings not
// verified lately, oldest check first.
func TestListFiltersAndSortsByLastVerified(t *testing.T) {
	s, polaris := editorOn(t, directory.KindOrganization, "polaris")
	s.mustDraft(t, polaris.ID)
	drafts := s.doc(t, "/admin/organizations?state=draft", http.StatusOK).Find("main tbody tr")
	if drafts.Length() != 1 || !strings.Contains(text(drafts), polaris.Name) {
		t.Errorf("drafts = %q, want Polaris alone", text(drafts))
	}
	all := s.doc(t, "/admin/organizations", http.StatusOK).Find("main tbody tr").Length()
	unverified := s.doc(t, "/admin/organizations?state=unverified&sort=verified", http.StatusOK).Find("main tbody tr")
	if unverified.Length() != all-1 {
		t.Errorf("%d not verified lately, want every published one (%d)", unverified.Length(), all-1)
	}
	// Verify the first: it leaves the filtered list, and sorts last by last verified.
	first := unverified.First().Find("td a").AttrOr("href", "")
	if resp, _ := s.postWithToken(t, first+"/verify", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	if s.doc(t, "/admin/organizations?state=unverified", http.StatusOK).Find(`main tbody a[href="`+first+`"]`).Length() != 0 {
		t.Error("a listing verified today is still listed as not verified lately")
	}
	rows := s.doc(t, "/admin/organizations?sort=verified", http.StatusOK).Find("main tbody tr")
	if got := rows.Last().Find("td a").AttrOr("href", ""); got != first {
		t.Errorf("last by last verified = %s, want the one verified today (%s)", got, first)
	}
}

// TestBulkPublishAsksFirstThenSavesEachAsARevision: ticking entries and choosing an action
// shows exactly what will change and changes nothing; confirming changes each entry as its
// own button would, with a revision and an audit line each.
func TestBulkPublishAsksFirstThenSavesEachAsARevision(t *testing.T) {
	s := signedIn(t, adminEmail)
	ctx := t.Context()
	a := mustListing(t, s, directory.KindOrganization, "polaris")
	b := mustListing(t, s, directory.KindOrganization, "free-the-girls")
	s.mustDraft(t, a.ID)
	s.mustDraft(t, b.ID)
	list := s.doc(t, "/admin/organizations", http.StatusOK)
	if list.Find(`input[type="checkbox"][name="id"][form="bulk"]`).Length() == 0 {
		t.Fatal("no boxes to tick")
	}
	f := formValues(t, list, "form#bulk")
	f.Set("action", "publish")
	f.Set("scope", "ticked")
	f.Add("id", itoa(a.ID))
	f.Add("id", itoa(b.ID))
	f.Add("id", "999999") // not an entry: ignored
	revsBefore, _ := s.Store.ListRevisions(ctx, "listings", a.ID, "")
	resp, confirm := s.post(t, "/admin/organizations/bulk", f)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("bulk: %d", resp.StatusCode)
	}
	if got := text(confirm.Find("h1")); got != "Publish 2 organizations?" {
		t.Errorf("confirmation heading = %q", got)
	}
	for _, l := range []*directory.Listing{a, b} {
		if !strings.Contains(text(confirm.Find("main")), l.Name) {
			t.Errorf("the confirmation does not name %s", l.Name)
		}
		if got, _ := s.Store.FindListingByID(ctx, l.ID, "en"); got.Status != directory.StatusDraft {
			t.Errorf("%s changed before it was confirmed", l.Name)
		}
	}
	resp, _ = s.post(t, "/admin/organizations/bulk", formValues(t, confirm, "main form"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	for _, l := range []*directory.Listing{a, b} {
		if got, _ := s.Store.FindListingByID(ctx, l.ID, "en"); got.Status != directory.StatusPublished {
			t.Errorf("%s is %s after the bulk publish", l.Name, got.Status)
		}
	}
	if revs, _ := s.Store.ListRevisions(ctx, "listings", a.ID, ""); len(revs) != len(revsBefore)+1 {
		t.Errorf("%d revisions after the bulk publish, want %d", len(revs), len(revsBefore)+1)
	}
	if flash := text(s.doc(t, "/admin/organizations", http.StatusOK).Find(".flash")); flash != "Published: 2 organizations." {
		t.Errorf("flash = %q", flash)
	}
	audit := text(s.doc(t, "/admin/audit", http.StatusOK).Find("tbody"))
	if strings.Count(audit, "published") < 2 || !strings.Contains(audit, a.Name) || !strings.Contains(audit, b.Name) {
		t.Errorf("the audit log does not show both publications by name: %q", audit)
	}
	// Again: nothing to change, said so, nothing written.
	f.Set("action", "publish")
	if resp, _ := s.post(t, "/admin/organizations/bulk", f); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("publishing what is published: %d", resp.StatusCode)
	}
	if flash := text(s.doc(t, "/admin/organizations", http.StatusOK).Find(".flash")); !strings.Contains(flash, "already") {
		t.Errorf("flash = %q", flash)
	}
}

// TestHeadingsAndTrashUsePlainEnglish: "Add an agency", the trash names kinds as staff do.
func TestHeadingsAndTrashUsePlainEnglish(t *testing.T) {
	s := signedIn(t, editorEmail)
	if got := text(s.doc(t, "/admin/agencies/new", http.StatusOK).Find("h1")); got != "Add an agency" {
		t.Errorf("new agency heading = %q", got)
	}
	if got := text(s.doc(t, "/admin/agencies", http.StatusOK).Find("main a.button")); got != "Add an agency" {
		t.Errorf("new agency button = %q", got)
	}
	l := mustListing(t, s, directory.KindOrganization, "polaris")
	if err := s.Store.TrashListing(t.Context(), l.ID, s.actor()); err != nil {
		t.Fatal(err)
	}
	trash := text(s.doc(t, "/admin/trash", http.StatusOK).Find("main tbody"))
	if !strings.Contains(trash, "(organization)") || strings.Contains(trash, "(listings)") {
		t.Errorf("trash = %q", trash)
	}
}

// TestBulkTrashTakesEveryEntryShown: "all shown" takes exactly the filtered list; each entry
// goes to the trash with its own audit line, and a wrong action changes nothing.
func TestBulkTrashTakesEveryEntryShown(t *testing.T) {
	s := signedIn(t, adminEmail)
	polaris := mustListing(t, s, directory.KindOrganization, "polaris")
	s.mustDraft(t, polaris.ID)
	before := s.doc(t, "/admin/organizations", http.StatusOK).Find("main tbody tr").Length()
	list := s.doc(t, "/admin/organizations?state=draft", http.StatusOK)
	f := formValues(t, list, "form#bulk")
	f.Set("action", "no-such-action")
	f.Set("scope", "all")
	if resp, _ := s.post(t, "/admin/organizations/bulk", f); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("an unknown action: %d", resp.StatusCode)
	}
	f.Set("action", "trash")
	resp, confirm := s.post(t, "/admin/organizations/bulk", f)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("bulk: %d", resp.StatusCode)
	}
	if got := text(confirm.Find("h1")); got != "Move 1 organization to the trash?" {
		t.Errorf("confirmation = %q", got)
	}
	if resp, _ := s.post(t, "/admin/organizations/bulk", formValues(t, confirm, "main form")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	if got := s.doc(t, "/admin/organizations", http.StatusOK).Find("main tbody tr").Length(); got != before-1 {
		t.Errorf("%d organizations listed after trashing one of %d", got, before)
	}
	if !strings.Contains(text(s.doc(t, "/admin/trash", http.StatusOK).Find("main tbody")), polaris.Name) {
		t.Error("Polaris is not in the trash")
	}
	if audit := text(s.doc(t, "/admin/audit", http.StatusOK).Find("tbody")); !strings.Contains(audit, "moved to the trash") {
		t.Errorf("no audit line for the trashing: %q", audit)
	}
}
