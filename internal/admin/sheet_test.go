package admin_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/admin"
	"signpost/internal/directory"
)

// uploadSheet posts a file to the spreadsheet import as a browser form would.
func (s *staffSite) uploadSheet(tb testing.TB, name, content string) (*http.Response, *goquery.Document) {
	tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", s.csrfToken(tb))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/admin/sheet", &body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	fromOwnPage(req, s.URL)
	resp, html := s.Do(tb, req)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		tb.Fatal(err)
	}
	return resp, doc
}

// mustMatch uploads a file and returns the matching step's path and form.
func (s *staffSite) mustMatch(tb testing.TB, name, content string) (string, url.Values) {
	tb.Helper()
	resp, doc := s.uploadSheet(tb, name, content)
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("upload: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
	path := resp.Header.Get("Location")
	doc = s.doc(tb, path, http.StatusOK)
	form := formValues(tb, doc, "form.admin-form")
	return path, form
}

// checkAndImport checks the matching step's form, then imports from the preview's own form,
// as staff do; it returns the import's page.
func (s *staffSite) checkAndImport(tb testing.TB, path string, form url.Values) string {
	tb.Helper()
	form.Set("step", "check")
	resp, doc := s.post(tb, path, form)
	if resp.StatusCode != http.StatusOK || doc.Find("#preview").Length() == 0 {
		tb.Fatalf("check: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
	form = formValues(tb, doc, "form.admin-form")
	form.Set("step", "apply")
	resp, _ = s.post(tb, path, form)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/sheet/imports/") {
		tb.Fatalf("import: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return resp.Header.Get("Location")
}

// listingNamed is the listing called name, drafts included, or nil.
func (s *staffSite) listingNamed(tb testing.TB, name string) *directory.Listing {
	tb.Helper()
	list, _, err := s.Store.ListListings(tb.Context(), directory.ListingFilter{Lang: "en", Drafts: true})
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range list {
		if l.Name == name {
			return l
		}
	}
	return nil
}

func TestSheetImportIsForAdminsOnly(t *testing.T) {
	site := mustStart(t, admin.Options{})
	if resp, _ := site.Get(t, "/admin/sheet"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want 303 to the sign-in", resp.StatusCode)
	}
	site.mustSignIn(t, editorEmail)
	site.wantStatus(t, "editor", http.StatusForbidden, "/admin/sheet", "/admin/sheet/template.csv")
}

func TestSheetTemplateHasThePlainHeadings(t *testing.T) {
	site := signedIn(t, adminEmail)
	doc := site.doc(t, "/admin/sheet", http.StatusOK)
	if doc.Find(`a[href="/admin/sheet/template.csv"]`).Length() != 1 || doc.Find(`nav a[href="/admin/sheet"]`).Length() == 0 {
		t.Error("the upload screen has no template link, or the menu no link to it")
	}
	resp, body := site.Get(t, "/admin/sheet/template.csv")
	want := "\ufeffName,Description,Phone,Text,Email,Website,Street,City,ZIP,Services,Who it serves,Area,Languages,Hours\r\n"
	if resp.StatusCode != http.StatusOK || body != want || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("template: status %d, %q", resp.StatusCode, body)
	}
}

func TestSheetImportFromASpreadsheetOfOurOwnPublishAndUndo(t *testing.T) {
	site := signedIn(t, adminEmail)
	// Semicolons, another file name, headings of its own, a bare web address.
	path, form := site.mustMatch(t, "Contacts (final) v2.txt", "\ufeffOrganization;Phone number;Web site;Town;Notes\n"+
		"North Star Legal Aid;(907) 555-0100;northstar.example.org;Anchorage;call first\n"+
		"Harbor Youth Shelter;907 555 0101;https://harbor.example.org/help;Juneau;\n"+
		"Tundra Workers Center;907-555-0102;;Bethel;\n")
	want := map[string]string{"col0": "name", "col1": "phone", "col2": "website", "col3": "city", "col4": ""}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("guess for %s: %q, want %q", k, form.Get(k), v)
		}
	}
	form.Set("step", "check")
	resp, doc := site.post(t, path, form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(text(doc.Find("#preview + p")), "3 to add, 0 to change") {
		t.Fatalf("check: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
	// "Import" after a choice changed shows the new preview and saves nothing.
	changed := formValues(t, doc, "form.admin-form")
	changed.Set("kind", "agency")
	changed.Set("step", "apply")
	resp, doc = site.post(t, path, changed)
	if resp.StatusCode != http.StatusOK || !strings.Contains(text(doc.Find("main")), "A choice changed since the last check") ||
		!strings.Contains(text(doc.Find("main")), "New agency, draft") || site.listingNamed(t, "North Star Legal Aid") != nil {
		t.Fatalf("import with a changed choice: status %d: %s", resp.StatusCode, text(doc.Find("main")))
	}
	imp := site.checkAndImport(t, path, form)
	l := site.listingNamed(t, "North Star Legal Aid")
	if l == nil || l.Status != directory.StatusDraft || l.Website != "https://northstar.example.org" || l.Slug != "north-star-legal-aid" ||
		len(l.Channels) != 1 || l.Channels[0].Number != "+19075550100" {
		t.Fatalf("imported listing: %+v", l)
	}
	// The upload is gone once imported.
	if resp, _ := site.Get(t, path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the upload after the import: status %d, want 404", resp.StatusCode)
	}
	// Not public until published; one button publishes the three.
	if resp, _ := site.Get(t, "/organizations/north-star-legal-aid"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a draft is public: %d", resp.StatusCode)
	}
	resp, _ = site.submit(t, site.doc(t, imp, http.StatusOK), imp+"/publish", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	pub := site.doc(t, "/organizations/north-star-legal-aid", http.StatusOK)
	if page := text(pub.Find("main")); !strings.Contains(page, "North Star Legal Aid") || !strings.Contains(page, "555-0100") {
		t.Errorf("public page: %s", page)
	}
	if pub.Find(`a[href="https://northstar.example.org"]`).Length() == 0 {
		t.Error("public page has no link to the website")
	}
	// The audit log names the file and the listings.
	var audit []string
	for _, e := range site.auditEntries(t, 10) {
		audit = append(audit, e.Action+": "+e.Detail)
	}
	if s := strings.Join(audit, "\n"); !strings.Contains(s, "published_a_spreadsheet_import: Contacts (final) v2.txt: published 3 (North Star Legal Aid") ||
		!strings.Contains(s, "imported_a_spreadsheet: Contacts (final) v2.txt: added 3 (North Star Legal Aid, Harbor Youth Shelter, Tundra Workers Center)") {
		t.Errorf("audit log:\n%s", s)
	}
	// Undo: the three leave the public site in one step.
	resp, _ = site.submit(t, site.doc(t, imp, http.StatusOK), imp+"/undo", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	site.wantStatus(t, "after the undo", http.StatusNotFound,
		"/organizations/north-star-legal-aid", "/organizations/harbor-youth-shelter", "/organizations/tundra-workers-center")
	auditDoc := site.doc(t, "/admin/audit", http.StatusOK)
	if got := text(auditDoc.Find("tbody tr").First()); !strings.Contains(got, "undid a spreadsheet import") ||
		!strings.Contains(got, "removed 3 (North Star Legal Aid, Harbor Youth Shelter, Tundra Workers Center); restored 0") ||
		auditDoc.Find(`tbody tr a[href="`+imp+`"]`).Length() == 0 {
		t.Errorf("the audit screen's line for the undo: %q", got)
	}
	if doc := site.doc(t, imp, http.StatusOK); !strings.Contains(text(doc.Find("main")), "Undone by "+adminEmail) ||
		doc.Find(`form[action$="/undo"]`).Length() != 0 {
		t.Errorf("the import after its undo: %s", text(doc.Find("main")))
	}
	if resp, _ := site.postWithToken(t, imp+"/undo", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("a second undo: %d, want 409", resp.StatusCode)
	}
}

func TestSheetImportChangesAListingAndUndoRestoresIt(t *testing.T) {
	site := signedIn(t, adminEmail)
	list, _, err := site.Store.ListListings(t.Context(), directory.ListingFilter{Kind: directory.KindOrganization, Lang: "en"})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	before := list[0]
	path, form := site.mustMatch(t, "update.csv", "Name,Website,City\n"+before.Name+",changed.example.org,Nome\n")
	imp := site.checkAndImport(t, path, form)
	after, _ := site.Store.FindListingByID(t.Context(), before.ID, "en")
	places, _ := site.Store.ListLocationsOf(t.Context(), before.ID)
	if after.Website != "https://changed.example.org" || after.Status != before.Status || len(places) == 0 || places[0].City != "Nome" {
		t.Fatalf("changed listing: website %q status %q places %+v", after.Website, after.Status, places)
	}
	if resp, _ := site.submit(t, site.doc(t, imp, http.StatusOK), imp+"/undo", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	restored, _ := site.Store.FindListingByID(t.Context(), before.ID, "en")
	places, _ = site.Store.ListLocationsOf(t.Context(), before.ID)
	if restored.Website != before.Website || !restored.DeletedAt.IsZero() || len(places) != 0 {
		t.Errorf("after the undo: website %q (want %q), trashed %v, places %+v", restored.Website, before.Website, !restored.DeletedAt.IsZero(), places)
	}
}

func TestSheetImportNamesRowAndColumnKeepsChoicesAndSavesNothing(t *testing.T) {
	site := signedIn(t, adminEmail)
	path, form := site.mustMatch(t, "list.csv", "Group,Tel,Services\n"+
		"Alpha Aid,907-555-0100,Legal help\n"+
		"Beta Aid,555-12,food bank\n")
	// "Group" is not guessed; "Tel" is. Staff choose Name for it.
	if form.Get("col0") != "" || form.Get("col1") != "phone" || form.Get("col2") != "services" {
		t.Errorf("guesses: %v", form)
	}
	form.Set("col0", "name")
	form.Set("step", "apply")
	resp, doc := site.post(t, path, form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	got := text(doc.Find(".error-summary"))
	for _, want := range []string{
		"Row 3, column 'Tel': '555-12' is not a phone number we can read. Write it like 907-555-0100, with the area code.",
		"Row 3, column 'Services': 'food bank' is not one of: Emergency help, Reporting, Shelter, Legal help,",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors %q\nwant %q", got, want)
		}
	}
	if v := doc.Find(`select[name="col0"] option[selected]`).AttrOr("value", ""); v != "name" {
		t.Errorf("the choice for column 1 was not kept: %q", v)
	}
	if site.listingNamed(t, "Alpha Aid") != nil {
		t.Error("a row was saved although another had a problem")
	}
}

func TestSheetUploadRefusesWhatItCannotReadInPlainWords(t *testing.T) {
	site := signedIn(t, adminEmail)
	resp, doc := site.uploadSheet(t, "contacts.xlsx", "PK\x03\x04binary")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(text(doc.Find(".error-summary")), "Save as") {
		t.Errorf("xlsx: status %d: %s", resp.StatusCode, text(doc.Find(".error-summary")))
	}
	// Another account cannot see an upload.
	path, _ := site.mustMatch(t, "a.csv", "Name\nAlpha\n")
	other2 := startOn(t, site.Store, admin.Options{})
	mustAddUser(t, site.Store, "other@example.org", directory.RoleAdmin)
	other2.mustSignIn(t, "other@example.org")
	if resp, _ := other2.Get(t, path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another admin opened the upload: %d", resp.StatusCode)
	}
}

func TestSheetImportKeepsStreetsPrivateWhenChosen(t *testing.T) {
	site := signedIn(t, adminEmail)
	path, form := site.mustMatch(t, "shelters.csv", "Name,Street,City\nQuiet Harbor Shelter,1 Example Street,Anchorage\n")
	if form.Get("private") != "" {
		t.Errorf("the default for street addresses: %q, want public", form.Get("private"))
	}
	form.Set("private", "1")
	form.Set("publish", "1")
	site.checkAndImport(t, path, form)
	l := site.listingNamed(t, "Quiet Harbor Shelter")
	if l == nil || l.Status != directory.StatusPublished {
		t.Fatalf("listing %+v: chosen to be published at once", l)
	}
	places, err := site.Store.ListLocationsOf(t.Context(), l.ID)
	if err != nil || len(places) != 1 || !places[0].Private {
		t.Fatalf("places %+v, %v", places, err)
	}
	if body := mustGet(t, site, "/organizations/"+l.Slug); strings.Contains(body, "1 Example Street") || !strings.Contains(body, "Anchorage") {
		t.Error("the public page shows the private street, or not the town")
	}
}

func mustGet(tb testing.TB, site *staffSite, path string) string {
	tb.Helper()
	resp, body := site.Get(tb, path)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return body
}
