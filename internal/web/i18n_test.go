package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// interfaceStrings returns the English catalogue's strings that differ from their Spanish
// translation and are long enough to be unmistakable on a page (two words or more).
func interfaceStrings(t *testing.T) map[string]string {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	es := c.Get("es")
	out := map[string]string{}
	for _, k := range c.Default.Keys() {
		en := c.Default.T(k)
		if en == es.T(k) || strings.Contains(en, "%") || strings.Contains(en, "{") || len(strings.Fields(en)) < 2 {
			continue
		}
		out[k] = en
	}
	return out
}

// textOutsideEnglish is the page's visible text without the parts marked lang="en".
func textOutsideEnglish(doc *goquery.Document) string {
	doc.Find(`body [lang="en"]`).Remove()
	doc.Find("script").Remove()
	return strings.Join(strings.Fields(doc.Find("body").Text()), " ")
}

func TestEverySpanishPageIsSpanish(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	english := site.Crawl(t, "/")
	spanish := site.Crawl(t, "/es/")
	if len(spanish) != len(english) {
		t.Errorf("crawled %d Spanish pages and %d English ones", len(spanish), len(english))
	}
	strs := interfaceStrings(t)
	for _, p := range spanish {
		if !strings.HasPrefix(p, "/es/") {
			t.Errorf("the Spanish crawl reached %s", p)
			continue
		}
		doc := site.MustDoc(t, p, http.StatusOK)
		if lang := doc.Find("html").AttrOr("lang", ""); lang != "es" {
			t.Errorf("%s: lang=%q", p, lang)
		}
		// hreflang pairs point at each other.
		en := doc.Find(`link[rel="alternate"][hreflang="en"]`).AttrOr("href", "")
		self := doc.Find(`link[rel="alternate"][hreflang="es"]`).AttrOr("href", "")
		if !strings.HasSuffix(self, p) || en == "" {
			t.Errorf("%s: hreflang es=%q en=%q", p, self, en)
		} else {
			enPath := strings.TrimPrefix(en, site.URL)
			back := site.MustDoc(t, enPath, http.StatusOK).Find(`link[rel="alternate"][hreflang="es"]`).AttrOr("href", "")
			if back != self {
				t.Errorf("%s: the English page %s points back at %q", p, enPath, back)
			}
		}
		text := textOutsideEnglish(doc)
		for key, s := range strs {
			if strings.Contains(text, s) {
				t.Errorf("%s shows the English interface string %q (%s)", p, s, key)
			}
		}
	}
}

func TestMissingTranslationFallsBackToMarkedEnglish(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := context.Background()
	l, err := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": ""}, false, store.SystemActor); err != nil {
		t.Fatal(err)
	}
	doc := site.MustDoc(t, "/es/organizations/polaris", http.StatusOK)
	lead := doc.Find(".lead")
	if lead.AttrOr("lang", "") != "en" || strings.TrimSpace(lead.Text()) != l.Summary {
		t.Errorf("the English fallback is not marked: lang=%q text=%q", lead.AttrOr("lang", ""), lead.Text())
	}
	if !strings.Contains(webtest.Text(doc), "aún no están traducidas") {
		t.Error("the page does not say that part is not yet translated")
	}
}

func TestSpanishEditShowsOnTheSpanishPageOnly(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := context.Background()
	l, _ := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err := site.Store.SaveTranslations(ctx, "listings", l.ID, "es", map[string]string{"summary": "Texto nuevo de prueba."}, false, store.SystemActor); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(webtest.Text(site.MustDoc(t, "/es/organizations/polaris", http.StatusOK)), "Texto nuevo de prueba.") {
		t.Error("the Spanish page does not show the new Spanish text")
	}
	if strings.Contains(webtest.Text(site.MustDoc(t, "/organizations/polaris", http.StatusOK)), "Texto nuevo de prueba.") {
		t.Error("the English page shows the Spanish text")
	}
}

func TestSpanishDatesAreWrittenInSpanish(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	// Seeded from a source dated January 23, 2024.
	doc := site.MustDoc(t, "/es/agencies/office-for-victims-of-crime", http.StatusOK)
	if got := doc.Find("time").Text(); got != "23 de enero de 2024" {
		t.Errorf("last checked = %q", got)
	}
}

func TestSitemapListsEveryLanguageWithAlternates(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, body := site.Get(t, "/sitemap.xml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<loc>" + site.URL + "/es/organizations/polaris</loc>", `hreflang="x-default"`, "<lastmod>"} {
		if !strings.Contains(body, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	for _, never := range []string{"/admin", "/search", "/api/", "/statistics"} {
		if strings.Contains(body, site.URL+never) || strings.Contains(body, site.URL+"/es"+never) {
			t.Errorf("sitemap lists %s", never)
		}
	}
}
