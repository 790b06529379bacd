package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// contactLinks lists every phone, text, email and web address the page at path links to,
// in order.
func (s *staffSite) contactLinks(tb testing.TB, path string) []string {
	tb.Helper()
	var out []string
	for _, a := range s.doc(tb, path, http.StatusOK).Find("a[href]").EachIter() {
		h := a.AttrOr("href", "")
		for _, p := range []string{"tel:", "sms:", "mailto:", "http:", "https:"} {
			if strings.HasPrefix(h, p) {
				out = append(out, h)
			}
		}
	}
	return out
}

// Numbers, text keywords, web and email addresses are one value for every language (issue
// 13): the translate screens offer no field for them, a crafted post of one is ignored, and
// even a translation of one stored in the database never reaches a page. The Spanish page
// of each listing links to exactly what the English one does.
func TestNumbersKeywordsAndAddressesAreTheSameInEveryLanguage(t *testing.T) {
	s := signedIn(t, adminEmail)
	ctx := t.Context()
	hotline := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	polaris := mustListing(t, s, directory.KindOrganization, "polaris")
	pages := []string{"/hotlines/national-human-trafficking-hotline", "/organizations/polaris", "/"}

	// No field for them on the translate screens.
	for _, path := range []string{"/admin/translate/listings/" + itoa(hotline.ID) + "/es", "/admin/translate/listings/" + itoa(polaris.ID) + "/es",
		"/admin/translate/settings/0/es"} {
		for _, c := range s.doc(t, path, http.StatusOK).Find("form.admin-form [name]").EachIter() {
			name := c.AttrOr("name", "")
			field := name[strings.LastIndex(name, ".")+1:]
			switch field {
			case "number", "vanity", "keyword", "address", "url", "website", "email", "social", "emergency_number", "contact_email", "exit_url":
				t.Errorf("%s offers a translation of %q", path, name)
			}
		}
	}

	// A crafted post of them is ignored.
	tr := "/admin/translate/listings/" + itoa(hotline.ID) + "/es"
	f := formValues(t, s.doc(t, tr, http.StatusOK), "form.admin-form")
	ch := itoa(hotline.Channels[1].ID)
	f.Set("c."+ch+".number", "+15555550100")
	f.Set("c."+ch+".keyword", "AYUDA")
	f.Set("t.website", "https://example.org/es")
	f.Set("t.email", "es@example.org")
	if resp, _ := s.post(t, tr, f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save Spanish: %d", resp.StatusCode)
	}
	for _, p := range []string{"number", "keyword"} {
		if got, _, _ := s.Store.Translations(ctx, "channels", hotline.Channels[1].ID, "es"); got[p] != "" {
			t.Errorf("the translate screen stored a Spanish %s: %q", p, got[p])
		}
	}

	// Stored anyway (an import, a script): the pages still show the one value.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	by := s.actor()
	must(s.Store.SaveTranslations(ctx, "channels", hotline.Channels[0].ID, "es", map[string]string{"number": "+15555550100", "vanity": "1-555-AYUDA"}, false, by))
	must(s.Store.SaveTranslations(ctx, "channels", hotline.Channels[1].ID, "es", map[string]string{"number": "555000", "keyword": "AYUDA"}, false, by))
	must(s.Store.SaveTranslations(ctx, "listings", polaris.ID, "es", map[string]string{"website": "https://example.org/es", "email": "es@example.org"}, false, by))
	must(s.Store.SaveTranslations(ctx, "settings", 0, "es", map[string]string{"emergency_number": "112", "contact_email": "es@example.org"}, false, by))

	for _, p := range pages {
		en, es := s.contactLinks(t, p), s.contactLinks(t, "/es"+strings.TrimSuffix(p, "/"))
		if len(en) == 0 {
			t.Fatalf("%s links to no number or address", p)
		}
		if !slices.Equal(en, es) {
			t.Errorf("%s: the Spanish page links to\n%q\nthe English one to\n%q", p, es, en)
		}
		for _, h := range es {
			if u, _ := url.PathUnescape(h); strings.Contains(u, "555") || strings.Contains(u, "AYUDA") || strings.Contains(u, "example.org/es") || strings.Contains(h, "tel:112") {
				t.Errorf("/es%s links to a translated number or address: %s", p, h)
			}
		}
	}
}
