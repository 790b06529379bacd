package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/webtest"
)

// TestSearchFormsPostAndAskNotToBeRemembered: every search box posts (so the words are in
// no URL) with autocomplete off (so the browser keeps no copy for autofill or tab restore).
func TestSearchFormsPostAndAskNotToBeRemembered(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, p := range []string{"/", "/search", "/es/search", "/hotlines"} {
		doc := site.MustDoc(t, p, http.StatusOK)
		forms := doc.Find(`form[role=search]`)
		if forms.Length() == 0 {
			t.Fatalf("%s: no search form", p)
		}
		forms.Each(func(_ int, f *goquery.Selection) {
			if m := f.AttrOr("method", ""); m != "post" {
				t.Errorf("%s: a search form with method %q, want post", p, m)
			}
			if a := f.AttrOr("autocomplete", ""); a != "off" {
				t.Errorf("%s: a search form with autocomplete %q, want off", p, a)
			}
		})
	}
}

// TestPostedSearchShowsResultsWithoutTheWordsInTitleOrLinks: the posted form gets the same
// results as the URL, a title without the words, no-store, and a pager of buttons.
func TestPostedSearchShowsResultsWithoutTheWordsInTitleOrLinks(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, body := site.PostForm(t, "/search", url.Values{"q": {"hotline"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /search: %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(resultTitles(doc)); n == 0 {
		t.Fatal("the posted search found nothing")
	}
	if title := doc.Find("title").Text(); strings.Contains(strings.ToLower(title), "hotline") {
		t.Errorf("title %q holds the words searched for", title)
	}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if h := a.AttrOr("href", ""); strings.Contains(h, "q=") {
			t.Errorf("a link holds the words: %s", h)
		}
	})
	if v, _ := doc.Find("#q-page").Attr("value"); v != "hotline" {
		t.Errorf("the search box keeps %q, want hotline", v)
	}
	// Page 2, by the pager's button, when there is one.
	if next := doc.Find(`.pager button[name=page]`); next.Length() > 0 {
		resp, _ := site.PostForm(t, "/search", url.Values{"q": {"hotline"}, "page": {next.Last().AttrOr("value", "")}})
		if resp.StatusCode != http.StatusOK {
			t.Errorf("page 2: %d", resp.StatusCode)
		}
	}

	// The GET form of a search still answers, and its title holds no words either.
	doc = site.MustDoc(t, "/search?q=polaris", http.StatusOK)
	if title := doc.Find("title").Text(); strings.Contains(strings.ToLower(title), "polaris") {
		t.Errorf("title %q holds the words searched for", title)
	}
}

// TestPostedSearchClearDropsFilters: "search again without filters" posts clear=1.
func TestPostedSearchClearDropsFilters(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, body := site.PostForm(t, "/search", url.Values{"q": {"hotline"}, "kind": {"agency"}, "clear": {"1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if doc.Find(`input[name=kind][value=agency][checked]`).Length() > 0 {
		t.Error("the filter is still chosen after clear")
	}
	_, body = site.PostForm(t, "/search", url.Values{"q": {"hotline"}, "kind": {"agency"}})
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if doc.Find(`button[name=clear]`).Length() == 0 {
		t.Error("a posted search with a filter offers no button to clear it")
	}
}
