package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signpost/internal/directory"
)

func TestEveryStaffScreenIsAccessibleAndNoindex(t *testing.T) {
	s := signedIn(t, adminEmail)
	pages := s.Walk(t, "/admin/", 400, func(u *url.URL) bool {
		return strings.HasPrefix(u.Path, "/admin/") && !strings.HasSuffix(u.Path, "/apply")
	})
	for _, pg := range pages {
		p, h, doc := pg.Path, pg.Header, pg.Doc
		if h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("X-Robots-Tag"), "noindex") {
			t.Errorf("%s: Cache-Control %q X-Robots-Tag %q", p, h.Get("Cache-Control"), h.Get("X-Robots-Tag"))
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if doc == nil {
			continue // a download (the sheet's CSV template)
		}
		if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
			t.Errorf("%s: no robots noindex meta", p)
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%s: %d h1", p, n)
		}
		if doc.Find("[style], style, script:not([src])").Length() > 0 {
			t.Errorf("%s: inline style or script (the CSP forbids them)", p)
		}
		for _, c := range unlabelled(doc, doc.Find("input, select, textarea").Not(`[type="hidden"]`)) {
			t.Errorf("%s: %s has no label", p, c)
		}
		for _, ids := range attrs(doc.Find("[aria-describedby]"), "aria-describedby") {
			for _, id := range strings.Fields(ids) {
				if doc.Find(`[id="`+id+`"]`).Length() == 0 {
					t.Errorf("%s: aria-describedby names missing %q", p, id)
				}
			}
		}
	}
	if len(pages) < 60 {
		t.Errorf("only %d staff screens reached", len(pages))
	}
}

func TestSignLifecycleReachesThePublicPage(t *testing.T) {
	s := signedIn(t, editorEmail)
	loc := s.saveForm(t, "/admin/signs/new", map[string]string{"text": "They are not allowed to leave the boat.", "status": "published", "position": "99"})
	if !strings.Contains(s.doc(t, "/see-it", http.StatusOK).Text(), "They are not allowed to leave the boat.") {
		t.Fatal("a new sign is not on See it")
	}
	s.saveForm(t, loc, map[string]string{"text": "They may not leave the boat."})
	if !strings.Contains(s.doc(t, "/see-it", http.StatusOK).Text(), "They may not leave the boat.") {
		t.Error("the edit is not on See it")
	}
	tok := s.csrfToken(t)
	s.mustPost(t, loc+"/trash", url.Values{"csrf": {tok}, "trash": {"1"}}, http.StatusSeeOther)
	if strings.Contains(s.doc(t, "/see-it", http.StatusOK).Text(), "leave the boat") {
		t.Error("a trashed sign is still public")
	}
	// Restore the first version from the history.
	hist := s.doc(t, "/admin/history/signs/"+loc[strings.LastIndex(loc, "/")+1:], http.StatusOK)
	last := hist.Find("section.revision").Last().Find("form").AttrOr("action", "")
	s.mustPost(t, last, url.Values{"csrf": {tok}}, http.StatusSeeOther)
	s.mustPost(t, loc+"/trash", url.Values{"csrf": {tok}, "trash": {"0"}}, http.StatusSeeOther)
	if !strings.Contains(s.doc(t, "/see-it", http.StatusOK).Text(), "They are not allowed to leave the boat.") {
		t.Error("the restored first version is not on See it")
	}
}

func TestFigureAndSettingsEdits(t *testing.T) {
	s := signedIn(t, editorEmail)
	s.saveForm(t, "/admin/stats/new", map[string]string{"year": "2023", "measure": "Calls from Alaska", "value": "1,234",
		"unit": "calls", "source_name": "Test source", "status": "published"})
	if !strings.Contains(s.doc(t, "/statistics", http.StatusOK).Text(), "Calls from Alaska") {
		t.Error("the figure is not on the Statistics page")
	}
	// A figure that is not a number is refused beside its field.
	f := s.openForm(t, "/admin/stats/new")
	f.Set("year", "2024")
	f.Set("measure", "Something")
	f.Set("value", "about a thousand")
	if resp, doc := s.post(t, "/admin/stats/new", f); resp.StatusCode != http.StatusBadRequest || doc.Find("#f-value-error").Length() == 0 {
		t.Errorf("a non-number figure: %d", resp.StatusCode)
	}

	// The settings are an admin's (issue 11).
	s.Client = newClient()
	s.mustSignIn(t, adminEmail)
	s.saveForm(t, "/admin/settings", map[string]string{"site_name": "Kodiak Anti-Trafficking Coalition", "verify_days": "90",
		"contact_email": "info@example.org"})
	if got := s.doc(t, "/about", http.StatusOK).Find(".brand-name").Text(); got != "Kodiak Anti-Trafficking Coalition" {
		t.Errorf("site name on a public page = %q", got)
	}
	st, _ := s.Store.SettingsForStaff(t.Context())
	if st.VerifyDays != 90 || st.ContactEmail != "info@example.org" {
		t.Errorf("settings = %+v", st)
	}
	if !strings.Contains(text(s.doc(t, "/admin/", http.StatusOK).Find("#unverified")), "90 days") {
		t.Error("the dashboard does not use the verification period setting")
	}
}

func TestDashboardListsWorkToDo(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "polaris")
	if err := s.Store.SetListingStatus(t.Context(), l.ID, directory.StatusDraft, s.actor()); err != nil {
		t.Fatal(err)
	}
	doc := s.doc(t, "/admin/", http.StatusOK)
	main := doc.Find("main")
	drafts := doc.Find("#drafts").Parent()
	if !strings.Contains(text(drafts), l.Name) {
		t.Errorf("drafts list = %q", text(drafts))
	}
	if doc.Find(`a[href="/admin/organizations/`+itoa(l.ID)+`"]`).Length() == 0 {
		t.Error("no link to the draft's edit screen")
	}
	for _, want := range []string{"Not verified in the last 180 days", "To fill in", "Español: needs review", "Español: not yet translated"} {
		if !strings.Contains(text(main), want) {
			t.Errorf("dashboard has no %q", want)
		}
	}
}

func TestAuditLogShowsWhoDidWhat(t *testing.T) {
	s := signedIn(t, adminEmail)
	l := mustListing(t, s, directory.KindOrganization, "polaris")
	s.saveForm(t, editPath(l), map[string]string{"summary": "Audited change."})
	doc := s.doc(t, "/admin/audit", http.StatusOK)
	got := text(doc.Find("tbody"))
	// Plain words, and the entry by its kind and name, never "listings 12".
	for _, want := range []string{"signed in", "saved", "organization " + l.Name, adminEmail} {
		if !strings.Contains(got, want) {
			t.Errorf("audit log has no %q: %q", want, got)
		}
	}
	if strings.Contains(got, "127.0.0.1") {
		t.Error("the audit log holds a client address")
	}
	if strings.Contains(got, "listings "+itoa(l.ID)) {
		t.Errorf("the audit log names an entry by its table and id: %q", got)
	}
}

func TestFilterCreatedRenamedAndTranslated(t *testing.T) {
	s := signedIn(t, editorEmail)
	loc := s.saveForm(t, "/admin/filters/new", map[string]string{"taxonomy": "service", "name": "Food assistance"})
	terms, _ := s.Store.ListTerms(t.Context(), "service", "en")
	var id int64
	for _, tm := range terms {
		if tm.Slug == "food-assistance" {
			id = tm.ID
		}
	}
	if id == 0 || !strings.HasSuffix(loc, "/"+itoa(id)) {
		t.Fatalf("new filter not found (%s)", loc)
	}
	// Put it on a listing, then rename it: the listing's page shows the new name.
	edit := editPath(mustListing(t, s, directory.KindOrganization, "polaris"))
	f := s.openForm(t, edit)
	f.Add("terms", "service/food-assistance")
	s.mustPost(t, edit, f, http.StatusSeeOther)
	s.saveForm(t, loc, map[string]string{"name": "Food and groceries"})
	if !strings.Contains(s.doc(t, "/organizations/polaris", http.StatusOK).Text(), "Food and groceries") {
		t.Error("the listing does not show the renamed filter")
	}
	s.mustPost(t, "/admin/translate/terms/"+itoa(id)+"/es", url.Values{"csrf": {s.csrfToken(t)}, "version": {"0"}, "t.name": {"Alimentos"}}, http.StatusSeeOther)
	if !strings.Contains(s.doc(t, "/es/organizations/polaris", http.StatusOK).Text(), "Alimentos") {
		t.Error("the Spanish listing does not show the translated filter")
	}
	// History and restore work for filters too.
	hist := s.doc(t, "/admin/history/terms/"+itoa(id), http.StatusOK)
	action := hist.Find("section.revision").Last().Find("form").AttrOr("action", "")
	s.mustPost(t, action, url.Values{"csrf": {s.csrfToken(t)}}, http.StatusSeeOther)
	if got, _ := s.Store.FindTermByID(t.Context(), id); got.Name != "Food assistance" {
		t.Errorf("restored name = %q", got.Name)
	}
}

func TestListsFindByName(t *testing.T) {
	s := signedIn(t, editorEmail)
	doc := s.doc(t, "/admin/organizations?q=polaris", http.StatusOK)
	if n := doc.Find("tbody tr").Length(); n != 1 || !strings.Contains(text(doc.Find("tbody")), "Polaris") {
		t.Errorf("find polaris: %d rows: %q", n, text(doc.Find("tbody")))
	}
	if got := doc.Find("#find-q").AttrOr("value", ""); got != "polaris" {
		t.Errorf("search box keeps %q", got)
	}
}
