package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// payload is what an attacker (or a careless paste) might type into any text field.
const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>"'><svg onload=alert(1)>`

// saveForm loads the form at path, sets fields, saves, and requires a 303.
func (s *staffSite) saveForm(tb testing.TB, path string, set map[string]string) string {
	tb.Helper()
	doc := s.doc(tb, path, http.StatusOK)
	f := formValues(tb, doc, "form.admin-form")
	for k, v := range set {
		f.Set(k, v)
	}
	f.Set("_action", "save")
	resp, doc := s.post(tb, path, f)
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("save %s: status %d: %s", path, resp.StatusCode, text(doc.Find(".error-summary")))
	}
	return resp.Header.Get("Location")
}

func TestScriptInEveryTextFieldIsInertOnThePublicSite(t *testing.T) {
	s := signedIn(t, adminEmail)
	polaris := mustListing(t, s, directory.KindOrganization, "polaris")
	s.saveForm(t, "/admin/organizations/"+itoa(polaris.ID), map[string]string{
		"name": "Polaris " + payload, "summary": payload, "body": "Some text\n\n" + payload + "\n\n[click](javascript:alert(1))",
		"social": payload, "hours": payload,
		"channels.0.type": "voice", "channels.0.label": payload, "channels.0.hours": payload, "channels.0.vanity": "1-800-<b>x</b>", "channels.0.todo": "1",
	})
	hotline := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	s.saveForm(t, "/admin/hotlines/"+itoa(hotline.ID), map[string]string{"channels.1.keyword": "<img src=x onerror=1>", "channels.0.label": payload})
	res := firstSlug(t, s, directory.KindResource)
	r := mustListing(t, s, directory.KindResource, res)
	s.saveForm(t, "/admin/resources/"+itoa(r.ID), map[string]string{"publisher": payload, "published": payload, "name": payload})

	pages, _ := s.Store.ListPagesForStaff(t.Context())
	for _, p := range pages {
		if p.Slug == "about" || p.Slug == "home" {
			s.saveForm(t, "/admin/pages/"+itoa(p.ID), map[string]string{"title": "About " + payload, "description": payload, "body": payload})
		}
	}
	s.saveForm(t, "/admin/signs/new", map[string]string{"text": payload, "slug": "injected", "status": "published"})
	s.saveForm(t, "/admin/industries/new", map[string]string{"name": payload, "slug": "injected", "status": "published"})
	s.saveForm(t, "/admin/situations/new", map[string]string{"title": payload, "detail": payload, "slug": "injected", "status": "published",
		"line": "hotline/national-human-trafficking-hotline"})
	s.saveForm(t, "/admin/stats/new", map[string]string{"year": "2023", "measure": payload, "value": "5", "unit": "<img src=x onerror=1>",
		"source_name": payload, "source_url": "https://example.org/?q=%3Cscript%3E", "status": "published"})
	s.saveForm(t, "/admin/settings", map[string]string{"site_name": "Group " + payload, "region": payload, "tagline": payload})
	// And a translation.
	resp, _ := s.postWithToken(t, "/admin/translate/listings/"+itoa(polaris.ID)+"/es",
		map[string]string{"t.name": payload, "t.summary": payload, "t.body": payload})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("translation save: %d", resp.StatusCode)
	}

	for _, p := range []string{"/", "/organizations/polaris", "/organizations", "/es/organizations/polaris", "/hotlines",
		"/hotlines/national-human-trafficking-hotline", "/resources", "/resources/" + res, "/about", "/see-it", "/know-it",
		"/report-it", "/statistics", "/search?q=polaris", "/organizations/polaris/correction", "/no-such-page"} {
		resp, body := s.Get(t, p)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			continue
		}
		assertInert(t, p, body)
	}
	// The text is there, shown as text: the test would prove nothing if it were dropped.
	for _, p := range []string{"/organizations/polaris", "/see-it", "/know-it", "/report-it", "/statistics", "/about", "/es/organizations/polaris"} {
		if !strings.Contains(s.doc(t, p, http.StatusOK).Text(), `<script>alert("x")</script>`) {
			t.Errorf("%s does not show the typed text", p)
		}
	}
	// The staff screens show the text as text too.
	for _, p := range []string{"/admin/", "/admin/organizations/" + itoa(polaris.ID), "/admin/history/listings/" + itoa(polaris.ID),
		"/admin/signs", "/admin/stats", "/admin/translate/listings/" + itoa(polaris.ID) + "/es", "/admin/audit"} {
		_, body := s.Get(t, p)
		assertInert(t, p, body)
	}
}

// assertInert fails if body carries any script or event handler that did not come from us.
func assertInert(t *testing.T, path, body string) {
	t.Helper()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<svg onload") || strings.Contains(body, "<img src=x") {
		t.Errorf("%s: the payload is in the page as markup", path)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("script").Each(func(_ int, el *goquery.Selection) {
		if _, ok := el.Attr("src"); !ok && el.AttrOr("type", "") != "application/ld+json" {
			t.Errorf("%s: inline script %q", path, el.Text())
		}
		if el.AttrOr("type", "") == "application/ld+json" && strings.Contains(strings.ToLower(el.Text()), "</script") {
			t.Errorf("%s: JSON-LD closes its script element", path)
		}
	})
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		for _, a := range el.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: <%s %s=%q>", path, goquery.NodeName(el), a.Key, a.Val)
			}
			if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("%s: <%s %s=%q>", path, goquery.NodeName(el), a.Key, a.Val)
			}
		}
	})
}
