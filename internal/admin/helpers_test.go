package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/admin"
	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/web"
	"signpost/internal/webtest"
)

// Test accounts. Passwords are long enough and not on the common list.
const (
	adminEmail  = "ada@example.org"
	editorEmail = "eddie@example.org"
	password    = "correct horse staple battery"
)

// staffSite is the real site with the staff area mounted, on a fresh seeded database.
type staffSite struct {
	*webtest.Site
	Admin *admin.Handler
}

func mustStart(tb testing.TB, opts admin.Options) *staffSite {
	return mustStartLimited(tb, opts, nil)
}

// mustStartLimited is mustStart with a rate limiter for public suggestions. The site is
// wired as the binary's (webtest.MustStartStaff): no second factor unless opts sets the
// policy, no background session cleanup.
func mustStartLimited(tb testing.TB, opts admin.Options, limiter web.Limiter) *staffSite {
	tb.Helper()
	site, adm := webtest.MustStartStaff(tb, webtest.StaffOptions{Admin: opts, CorrectionLimiter: limiter})
	mustAddUser(tb, site.Store, adminEmail, directory.RoleAdmin)
	mustAddUser(tb, site.Store, editorEmail, directory.RoleEditor)
	return &staffSite{Site: site, Admin: adm}
}

func mustAddUser(tb testing.TB, st *store.Store, email string, role directory.Role) *directory.User {
	tb.Helper()
	return webtest.MustAddUser(tb, st, email, password, role)
}

// newClient is a second browser: its own cookie jar, redirects not followed.
func newClient() *http.Client { return webtest.NewClient() }

// signIn signs the site's client in and returns the response to the sign-in POST.
func (s *staffSite) signIn(tb testing.TB, email, pw string) *http.Response {
	tb.Helper()
	resp, _ := s.PostForm(tb, "/admin/login", url.Values{"email": {email}, "password": {pw}})
	return resp
}

// signedIn starts a site with the default options and signs email in.
func signedIn(tb testing.TB, email string) *staffSite {
	tb.Helper()
	s := mustStart(tb, admin.Options{})
	s.mustSignIn(tb, email)
	return s
}

func (s *staffSite) mustSignIn(tb testing.TB, email string) {
	tb.Helper()
	if resp := s.signIn(tb, email, password); resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d", email, resp.StatusCode)
	}
}

// doc fetches path and parses it, requiring status.
func (s *staffSite) doc(tb testing.TB, path string, status int) *goquery.Document {
	tb.Helper()
	return s.MustDoc(tb, path, status)
}

// formValues reads every control of the form matching sel as a browser would submit it
// (checked boxes only, selected options), for posting it back changed.
func formValues(tb testing.TB, doc *goquery.Document, sel string) url.Values {
	tb.Helper()
	form := doc.Find(sel)
	if form.Length() == 0 {
		tb.Fatalf("no form %q", sel)
	}
	v := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case goquery.NodeName(s) == "select":
			if o := s.Find("option[selected]"); o.Length() > 0 {
				v.Add(name, o.AttrOr("value", ""))
			} else {
				v.Add(name, s.Find("option").First().AttrOr("value", ""))
			}
		case s.AttrOr("type", "") == "checkbox":
			if _, checked := s.Attr("checked"); checked {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// post sends form to path as a same-origin browser form would.
func (s *staffSite) post(tb testing.TB, path string, form url.Values) (*http.Response, *goquery.Document) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, body := s.Do(tb, req)
	return resp, parseDoc(tb, body)
}

// parseDoc parses a page's HTML.
func parseDoc(tb testing.TB, body string) *goquery.Document {
	tb.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

// csrfToken returns the session's form token from any staff page.
func (s *staffSite) csrfToken(tb testing.TB) string {
	tb.Helper()
	tok := s.doc(tb, "/admin/", http.StatusOK).Find(`input[name="csrf"]`).First().AttrOr("value", "")
	if tok == "" {
		tb.Fatal("no form token on the dashboard")
	}
	return tok
}

func text(sel *goquery.Selection) string { return strings.Join(strings.Fields(sel.Text()), " ") }

// startOn serves the site with the staff area on an open store (for restart tests).
func startOn(tb testing.TB, st *store.Store, opts admin.Options) *staffSite {
	tb.Helper()
	site, adm := webtest.MustStartStaff(tb, webtest.StaffOptions{Admin: opts, Store: st})
	return &staffSite{Site: site, Admin: adm}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// actor is a store actor for changes tests make directly.
func (s *staffSite) actor() store.Actor { return store.Actor{Email: "test@example.org"} }

// openForm is the entry form at path as its Save button would send it back unchanged.
func (s *staffSite) openForm(tb testing.TB, path string) url.Values {
	tb.Helper()
	return formOn(tb, s.doc(tb, path, http.StatusOK))
}

// formOn is the entry form on doc (an edit screen, or one shown again after a conflict or a
// mistake) as its Save button would send it.
func formOn(tb testing.TB, doc *goquery.Document) url.Values {
	tb.Helper()
	f := formValues(tb, doc, "form.admin-form")
	f.Set("_action", "save")
	return f
}

// mustPost posts form to path and requires the status want; when the status is another,
// it stops the test with what the page said (its error summary or conflict).
func (s *staffSite) mustPost(tb testing.TB, path string, form url.Values, want int) (*http.Response, *goquery.Document) {
	tb.Helper()
	resp, doc := s.post(tb, path, form)
	if resp.StatusCode != want {
		tb.Fatalf("POST %s: status %d, want %d: %s", path, resp.StatusCode, want, text(doc.Find(".error-summary, .conflict")))
	}
	return resp, doc
}

// editPath is the address of a listing's edit form.
func editPath(l *directory.Listing) string { return "/admin/" + l.Kind.Section() + "/" + itoa(l.ID) }

// editorEditing starts a site with an editor signed in, and returns the listing of kind
// with slug and the address of its edit form.
func editorEditing(t *testing.T, kind directory.Kind, slug string) (*staffSite, *directory.Listing, string) {
	t.Helper()
	s, l := editorOn(t, kind, slug)
	return s, l, editPath(l)
}

// postAction clicks one of the edit screen's action buttons: it posts the whole edit form
// (with what was typed) to the button's formaction, with the button's own name and value.
func postAction(t *testing.T, s *staffSite, doc *goquery.Document, button string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	b := doc.Find(`button[form="entry-form"]`).FilterFunction(func(_ int, b *goquery.Selection) bool { return text(b) == button })
	if b.Length() != 1 {
		t.Fatalf("no %q button posting the edit form", button)
	}
	if name, ok := b.Attr("name"); ok {
		form.Set(name, b.AttrOr("value", ""))
	}
	return s.post(t, b.AttrOr("formaction", ""), form)
}

// unlabelled describes each of controls that no label names by its id, as
// <input name="x">, for the checks that every field has a label.
func unlabelled(doc *goquery.Document, controls *goquery.Selection) []string {
	var out []string
	controls.Each(func(_ int, el *goquery.Selection) {
		if id := el.AttrOr("id", ""); id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0 {
			out = append(out, "<"+goquery.NodeName(el)+" name="+strconv.Quote(el.AttrOr("name", ""))+">")
		}
	})
	return out
}

// attrs is the value of the attribute name on each element of sel, in order.
func attrs(sel *goquery.Selection, name string) []string {
	return sel.Map(func(_ int, el *goquery.Selection) string { return el.AttrOr(name, "") })
}

// texts is the text of each element of sel, white space folded, in order.
func texts(sel *goquery.Selection) []string {
	return sel.Map(func(_ int, el *goquery.Selection) string { return text(el) })
}

// setAll sets each field in set on form.
func setAll(form url.Values, set map[string]string) {
	for k, v := range set {
		form.Set(k, v)
	}
}

// editorOnHotline is editorEditing on the hotline with slug, in a group of one: a changed
// number goes live at once (a second person's approval is approvals_test.go's).
func editorOnHotline(t *testing.T, slug string) (*staffSite, *directory.Listing, string) {
	t.Helper()
	s, l, edit := editorEditing(t, directory.KindHotline, slug)
	contactsAtOnce(t, s)
	return s, l, edit
}
