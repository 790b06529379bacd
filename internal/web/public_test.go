package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/phone"
	"signpost/internal/webtest"
)

func TestEveryPageAnswersWithItsKeyFacts(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/", []string{"Exit this page", "911", "1-888-373-7888", "BEFREE"}},
		{"/know-it", []string{"force, fraud or coercion", "Nail salons", "Canning and fisheries"}},
		{"/see-it", []string{"passport"}},
		{"/report-it", []string{"Call 911", "Which line fits what you saw", "CyberTipline", "(907) 786-8900"}},
		{"/when-you-call", []string{"consent"}},
		{"/get-help", []string{"Call 911"}},
		{"/hotlines", []string{"National Human Trafficking Hotline", "1-888-373-7888"}},
		{"/organizations", []string{"Polaris", "ECPAT International"}},
		{"/agencies", []string{"Office for Victims of Crime"}},
		{"/resources", []string{"National Strategy to Combat Human Trafficking", "A Healing Journey for Alaska Natives"}},
		{"/for-providers", []string{"SOAR"}},
		{"/about", []string{"2015", "2012", "AO 2016-115(S)"}},
		{"/browsing-safely", []string{"history"}},
		{"/statistics", []string{"Statistics"}},
		{"/open-data", []string{"HSDS"}},
		{"/organizations/polaris", []string{"Polaris", "polarisproject.org", "@Polaris_Project"}},
		{"/hotlines/national-human-trafficking-hotline", []string{"Call 1-888-373-7888", "Text BEFREE to 233733", "Polaris"}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			text := webtest.Text(site.MustDoc(t, tt.path, http.StatusOK))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s does not show %q", tt.path, w)
				}
			}
		})
	}
}

func TestPhoneNumbersAreOneTapLinks(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/hotlines/ncmec-cybertipline", http.StatusOK)
	if doc.Find(`a[href="tel:+18008435678"]`).Length() == 0 {
		t.Error("no tel:+18008435678 link for the CyberTipline")
	}
	text := webtest.Text(doc)
	if !strings.Contains(text, "1-800-843-5678") || !strings.Contains(text, "1-800-THE-LOST") {
		t.Errorf("the CyberTipline page should show the digits and, beside them, the letters: %q", text)
	}
	home := site.MustDoc(t, "/", http.StatusOK)
	if home.Find(`a[href="sms:233733?&body=BEFREE"]`).Length() == 0 {
		t.Error("no sms: link with BEFREE as its body on the home page")
	}
}

func TestEveryCrawledPageIsSafeForAVisitor(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	paths := site.Crawl(t, "/")
	if len(paths) < 60 {
		t.Fatalf("crawled only %d pages", len(paths))
	}
	for _, p := range paths {
		resp, body := site.Get(t, p)
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s sets a cookie: %v", p, c)
		}
		if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", p, got)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: weak Content-Security-Policy %q", p, csp)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Find("[data-exit]").Length() < 2 {
			t.Errorf("%s: no quick exit button and hidden link", p)
		}
		if doc.Find(`a[href="tel:911"]`).Length() == 0 {
			t.Errorf("%s: no one-tap 911 link", p)
		}
		if doc.Find(`a[href="tel:+18883737888"]`).Length() == 0 || doc.Find(`a[href^="sms:233733"]`).Length() == 0 {
			t.Errorf("%s: the national hotline is not one tap away (call and text)", p)
		}
		doc.Find("script, link[href], img, iframe, source, video, audio, object, embed").Each(func(_ int, el *goquery.Selection) {
			for _, attr := range []string{"src", "href", "data"} {
				v, ok := el.Attr(attr)
				if !ok {
					continue
				}
				if el.Is("link") && (el.AttrOr("rel", "") == "canonical" || el.AttrOr("rel", "") == "alternate") {
					continue // links to this site's own URLs, loaded by nothing
				}
				if u, err := url.Parse(v); err != nil || (u.Host != "" && u.Host != strings.TrimPrefix(site.URL, "http://")) || (u.Scheme != "" && u.Scheme != "data") {
					t.Errorf("%s: <%s %s=%q> loads from another host", p, goquery.NodeName(el), attr, v)
				}
			}
		})
		doc.Find("script:not([src])").Each(func(_ int, el *goquery.Selection) {
			if el.AttrOr("type", "") != "application/ld+json" {
				t.Errorf("%s: inline script", p)
			}
		})
		doc.Find(`a[href^="http"]`).Each(func(_ int, a *goquery.Selection) {
			href := a.AttrOr("href", "")
			if strings.HasPrefix(href, site.URL) || a.Is("[data-exit]") {
				return
			}
			if rel := a.AttrOr("rel", ""); !strings.Contains(rel, "noopener") || !strings.Contains(rel, "noreferrer") {
				t.Errorf("%s: link out to %s has rel=%q", p, href, rel)
			}
		})
		if doc.Find("h1").Length() != 1 {
			t.Errorf("%s: %d h1 elements", p, doc.Find("h1").Length())
		}
	}
}

func TestUnknownURLsGiveTheNotFoundPage(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, p := range []string{"/nope", "/organizations/no-such-org", "/es/nada", "/hotlines/../../etc/passwd", "/resources?page=2"} {
		doc := site.MustDoc(t, p, http.StatusNotFound)
		if doc.Find("[data-exit]").Length() == 0 || doc.Find(`a[href="tel:911"]`).Length() == 0 {
			t.Errorf("%s: the 404 page lacks the exit or the emergency number", p)
		}
	}
	site.MustDoc(t, "/hotlines?page=abc", http.StatusBadRequest)
}

// seedListing is the part of a seed record this test checks.
type seedListing struct {
	Kind, Slug, Name, Website, Email, Social, Hours, Publisher, Published string
	Channels                                                              []struct {
		Type, Number, Vanity, Keyword, Address, URL string
	}
}

func readSeedListings(t *testing.T) []seedListing {
	t.Helper()
	var all []seedListing
	for _, name := range []string{"listings.json", "resources.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		var list []seedListing
		if err := json.Unmarshal(b, &list); err != nil {
			t.Fatal(err)
		}
		all = append(all, list...)
	}
	return all
}

func section(kind string) string {
	switch kind {
	case "agency":
		return "agencies"
	}
	return kind + "s"
}

// TestEverySeededFactIsOnTheSite walks the seed files and finds each fact on the public page
// of its listing.
func TestEverySeededFactIsOnTheSite(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	listings := readSeedListings(t)
	if len(listings) < 80 {
		t.Fatalf("only %d seeded listings", len(listings))
	}
	for _, l := range listings {
		path := "/" + section(l.Kind) + "/" + l.Slug
		doc := site.MustDoc(t, path, http.StatusOK)
		text := webtest.Text(doc)
		html, _ := doc.Html()
		want := []string{l.Name, l.Social, l.Publisher, l.Published, l.Email}
		if l.Website != "" {
			u, _ := url.Parse(l.Website)
			want = append(want, strings.TrimPrefix(u.Host, "www."))
		}
		for _, c := range l.Channels {
			switch c.Type {
			case "voice", "text":
				if c.Number == "" {
					continue
				}
				n, err := phone.Parse(c.Number, "")
				if err != nil {
					t.Errorf("%s: seed number %q: %v", path, c.Number, err)
					continue
				}
				if !strings.Contains(html, `href="`+phone.TelURI(n)+`"`) && !strings.Contains(html, `href="sms:`+n) {
					t.Errorf("%s: no one-tap link for %s", path, c.Number)
				}
				want = append(want, c.Vanity, c.Keyword)
			case "email":
				want = append(want, c.Address)
			case "web":
				if c.URL != "" && !strings.Contains(html, `href="`+c.URL+`"`) {
					t.Errorf("%s: no link to %s", path, c.URL)
				}
			}
		}
		for _, w := range want {
			if w != "" && !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
				t.Errorf("%s does not show %q", path, w)
			}
		}
	}
}

func TestSpanishPagesAreInSpanish(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/es/report-it", http.StatusOK)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "es" {
		t.Errorf(`lang = %q, want "es"`, lang)
	}
	if !strings.Contains(webtest.Text(doc), "Salir de esta página") {
		t.Error("the Spanish page has no Spanish exit button")
	}
	if href, _ := doc.Find(`link[rel="alternate"][hreflang="en"]`).Attr("href"); !strings.HasSuffix(href, "/report-it") {
		t.Errorf("hreflang en = %q", href)
	}
}

func TestBrowserPreferringSpanishIsOfferedSpanishAtHomeOnly(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	req, _ := http.NewRequest(http.MethodGet, site.URL+"/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9")
	resp, body := site.Do(t, req)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Este sitio también está en español.") {
		t.Errorf("no offer to switch to Spanish at / (status %d)", resp.StatusCode)
	}
	_, plain := site.Get(t, "/")
	if strings.Contains(plain, "Este sitio también está en español.") {
		t.Error("the offer shows for a browser that did not ask for Spanish")
	}
}

func TestHeadAnswersLikeGet(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	req, _ := http.NewRequest(http.MethodHead, site.URL+"/about", nil)
	resp, body := site.Do(t, req)
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD /about: status %d, body %d bytes", resp.StatusCode, len(body))
	}
}
