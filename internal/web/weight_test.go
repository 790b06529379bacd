package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/webtest"
)

// Page weight budgets, in bytes as sent before compression: someone on a cheap phone and a
// slow network must get the home page at once.
const (
	maxHomeHTMLAndCSS = 30_000
	maxExitScript     = 2_000
)

func TestHomePageIsLightAndCarriesNoScriptButTheExit(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, html := site.Get(t, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /: %d", resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	total := len(html)
	sheets := doc.Find(`link[rel="stylesheet"]`)
	if sheets.Length() != 1 {
		t.Errorf("%d stylesheets, want the one", sheets.Length())
	}
	sheets.Each(func(_ int, l *goquery.Selection) {
		resp, css := site.Get(t, l.AttrOr("href", ""))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", l.AttrOr("href", ""), resp.StatusCode)
		}
		total += len(css)
	})
	t.Logf("home page: %d bytes of HTML, %d with its CSS (budget %d)", len(html), total, maxHomeHTMLAndCSS)
	if total > maxHomeHTMLAndCSS {
		t.Errorf("home page HTML + CSS = %d bytes, budget %d", total, maxHomeHTMLAndCSS)
	}
	if n := doc.Find("style, [style]").Length(); n > 0 {
		t.Errorf("%d inline styles (the CSP forbids them)", n)
	}

	scripts := doc.Find("script[src]")
	if scripts.Length() != 1 {
		t.Fatalf("%d scripts, want only the exit script", scripts.Length())
	}
	src := scripts.AttrOr("src", "")
	if !strings.HasPrefix(src, "/static/js/exit.") {
		t.Errorf("script %q, want only the exit script", src)
	}
	resp, js := site.Get(t, src)
	if resp.StatusCode != http.StatusOK || len(js) > maxExitScript {
		t.Errorf("exit script: status %d, %d bytes (budget %d)", resp.StatusCode, len(js), maxExitScript)
	}
	doc.Find("script:not([src])").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("type", "") != "application/ld+json" {
			t.Errorf("inline script of type %q: only JSON-LD data is allowed", s.AttrOr("type", ""))
		}
	})
}

func TestNoPageLoadsAnyScriptButTheExit(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, p := range site.Crawl(t, "/") {
		doc := site.MustDoc(t, p, http.StatusOK)
		doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) {
			if src := s.AttrOr("src", ""); !strings.HasPrefix(src, "/static/js/exit.") {
				t.Errorf("%s loads the script %q", p, src)
			}
		})
	}
}
