package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signpost/internal/admin"
	"signpost/internal/directory"
	"signpost/internal/i18n"
)

// countingLimiter allows the first n requests.
type countingLimiter struct{ n int }

func (l *countingLimiter) Allow(string) (bool, time.Duration) {
	if l.n <= 0 {
		return false, time.Minute
	}
	l.n--
	return true, 0
}

func publicPost(t *testing.T, s *staffSite, path string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := newClient().Do(req) // a visitor: no staff cookie
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestSuggestionAcceptedIntoARevision(t *testing.T) {
	s := mustStart(t, admin.Options{})
	ctx := t.Context()
	l := mustListing(t, s, directory.KindOrganization, "polaris")

	// The listing page links to the form, in both languages.
	for _, lang := range []string{"", "/es"} {
		doc := s.doc(t, lang+"/organizations/polaris", http.StatusOK)
		href := doc.Find(".correction a").AttrOr("href", "")
		if href != lang+"/organizations/polaris/correction" {
			t.Errorf("%s listing page links to %q", lang, href)
		}
		resp, body := s.Get(t, href)
		if resp.StatusCode != http.StatusOK || len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("GET %s: %d cookies %v", href, resp.StatusCode, resp.Header.Values("Set-Cookie"))
		}
		if lang == "/es" && !strings.Contains(body, "Sugerir una corrección") {
			t.Error("the Spanish form is not in Spanish")
		}
	}

	form := url.Values{"field": {"phone"}, "message": {"The hotline number changed to 1-888-373-7889."}, "homepage": {""}}
	same := map[string]string{"Origin": s.URL, "Sec-Fetch-Site": "same-origin"}
	resp := publicPost(t, s, "/organizations/polaris/correction", form, same)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Header.Values("Set-Cookie")) > 0 {
		t.Fatalf("send: %d, cookies %v", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	// A robot that fills the hidden field is told "thank you" and nothing is filed.
	bot := url.Values{"field": {"other"}, "message": {"buy cheap watches"}, "homepage": {"http://spam.example"}}
	if resp := publicPost(t, s, "/organizations/polaris/correction", bot, same); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d", resp.StatusCode)
	}
	// Another site cannot post it.
	if resp := publicPost(t, s, "/organizations/polaris/correction", form, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site suggestion: %d, want 403", resp.StatusCode)
	}
	// Too long: refused with the text kept.
	long := url.Values{"field": {"other"}, "message": {strings.Repeat("a", 2001)}}
	if resp := publicPost(t, s, "/organizations/polaris/correction", long, same); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("too long: %d, want 400", resp.StatusCode)
	}
	open, _ := s.Store.ListCorrections(ctx, directory.CorrectionOpen)
	if len(open) != 1 || open[0].ListingID != l.ID {
		t.Fatalf("open suggestions = %+v, want one for polaris", open)
	}

	// Staff see it in the queue and apply it through the edit form.
	s.mustSignIn(t, editorEmail)
	queue := s.doc(t, "/admin/corrections", http.StatusOK)
	if !strings.Contains(text(queue.Find("main")), "1-888-373-7889") {
		t.Fatal("the queue does not show the suggestion")
	}
	apply := queue.Find(`a[href$="/apply"]`).AttrOr("href", "")
	resp, _ = s.Get(t, apply)
	edit := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(edit, "correction=") {
		t.Fatalf("apply: %d to %q", resp.StatusCode, edit)
	}
	doc := s.doc(t, edit, http.StatusOK)
	if !strings.Contains(text(doc.Find(".correction-apply")), "1-888-373-7889") {
		t.Error("the edit form does not show the suggestion")
	}
	f := formOn(t, doc)
	f.Set("summary", "Corrected after a visitor's suggestion.")
	s.mustPost(t, edit[:strings.Index(edit, "?")], f, http.StatusSeeOther)
	c, _ := s.Store.FindCorrection(ctx, open[0].ID)
	if c.Status != directory.CorrectionAccepted {
		t.Errorf("suggestion status = %q, want accepted", c.Status)
	}
	revs, _ := s.Store.ListRevisions(ctx, "listings", l.ID, "en")
	if revs[0].UserEmail != editorEmail || !strings.Contains(string(revs[0].Data), "Corrected after a visitor") {
		t.Errorf("the change is not a normal revision: %+v", revs[0])
	}
}

func TestSuggestionsAreRateLimited(t *testing.T) {
	s := mustStartLimited(t, admin.Options{}, &countingLimiter{n: 2})
	form := url.Values{"field": {"other"}, "message": {"The address moved."}}
	for i := 0; i < 2; i++ {
		if resp := publicPost(t, s, "/agencies/"+firstSlug(t, s, directory.KindAgency)+"/correction", form, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("suggestion %d: %d", i+1, resp.StatusCode)
		}
	}
	resp := publicPost(t, s, "/agencies/"+firstSlug(t, s, directory.KindAgency)+"/correction", form, nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third suggestion: %d Retry-After %q, want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func firstSlug(t *testing.T, s *staffSite, k directory.Kind) string {
	t.Helper()
	list, _, err := s.Store.ListListings(t.Context(), directory.ListingFilter{Kind: k, Lang: "en", Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	return list[0].Slug
}

func TestEveryListingHasASafeCorrectionForm(t *testing.T) {
	s := mustStart(t, admin.Options{})
	var forms int
	for _, p := range s.Crawl(t, "/") {
		if !strings.HasSuffix(p, "/correction") {
			continue
		}
		forms++
		resp, body := s.Get(t, p)
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("%s sets a cookie", p)
		}
		doc := parseDoc(t, body)
		if doc.Find("h1").Length() != 1 || doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
			t.Errorf("%s: h1 %d, noindex %d", p, doc.Find("h1").Length(), doc.Find(`meta[name="robots"]`).Length())
		}
		for _, c := range unlabelled(doc, doc.Find("main input, main select, main textarea")) {
			t.Errorf("%s: %s has no label", p, c)
		}
		if doc.Find(`form[method="post"] textarea[name="message"]`).Length() != 1 {
			t.Errorf("%s: no message box", p)
		}
	}
	if forms < 20 {
		t.Errorf("only %d correction forms reached by crawling", forms)
	}
}

func TestSpanishCorrectionFormIsInSpanish(t *testing.T) {
	s := mustStart(t, admin.Options{})
	cat, _ := i18n.Load()
	doc := s.doc(t, "/es/organizations/polaris/correction", http.StatusOK)
	if doc.Find("html").AttrOr("lang", "") != "es" {
		t.Error("lang is not es")
	}
	doc.Find(`[lang="en"]`).Remove()
	page := doc.Find("body").Text()
	for _, k := range cat.Default.Keys() {
		if !strings.HasPrefix(k, "correction.") || strings.Contains(cat.Default.T(k), "%") {
			continue
		}
		if en := cat.Default.T(k); en != cat.Get("es").T(k) && strings.Contains(page, en) {
			t.Errorf("the Spanish form shows %q (%s)", en, k)
		}
	}
	// Errors come back in Spanish too.
	form := url.Values{"field": {"other"}, "message": {""}}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/es/organizations/polaris/correction", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := s.Do(t, req)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, cat.Get("es").T("correction.message.required")) {
		t.Errorf("empty Spanish suggestion: %d", resp.StatusCode)
	}
}
