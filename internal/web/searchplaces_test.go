package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// placedShelters adds a shelter in Fairbanks (address private) and one in Wasilla.
func placedShelters(t *testing.T, site *webtest.Site) {
	t.Helper()
	ctx := context.Background()
	for _, x := range []struct{ slug, name, city string }{
		{"golden-heart-house", "Golden Heart House", "Fairbanks"},
		{"valley-haven", "Valley Haven", "Wasilla"},
	} {
		l := &directory.Listing{Kind: directory.KindOrganization, Slug: x.slug, Name: x.name,
			Summary: "A safe place to stay.", Status: directory.StatusPublished,
			Terms: []directory.Term{{Taxonomy: "service", Slug: "shelter"}, {Taxonomy: "area", Slug: "local"}}}
		if err := site.Store.CreateListing(ctx, l, store.Actor{Email: "staff@example.org"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := site.Store.SaveLocations(ctx, l.ID, []directory.Location{{Street: "1 Quiet Road", City: x.city, State: "AK", Private: true}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSearchNearATownShowsItsListingsAndStatewideOnes(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	placedShelters(t, site)

	// The filter offers the towns listings are in.
	doc := site.MustDoc(t, "/search?q=shelter", http.StatusOK)
	var towns []string
	doc.Find("select#near option").Each(func(_ int, o *goquery.Selection) { towns = append(towns, o.Text()) })
	if strings.Join(towns, "|") != "Anywhere (all results)|Fairbanks|Wasilla" {
		t.Errorf("Near choices %q", towns)
	}
	if got := doc.Find(`label[for="near"]`).Text(); got != "Near a town" {
		t.Errorf("Near label %q", got)
	}

	// Chosen: Fairbanks's shelter first, statewide lines after, nothing from elsewhere.
	doc = site.MustDoc(t, "/search?near=fairbanks", http.StatusOK)
	got := resultTitles(doc)
	if len(got) == 0 || got[0] != "Golden Heart House" {
		t.Fatalf("near Fairbanks: %v", got)
	}
	joined := strings.Join(got, "|")
	if strings.Contains(joined, "Valley Haven") || strings.Contains(joined, "National Human Trafficking Hotline") {
		t.Errorf("near Fairbanks shows listings from elsewhere: %v", got)
	}
	if !strings.Contains(joined, "Alaska Department of Labor") {
		t.Errorf("near Fairbanks leaves out the statewide listings: %v", got)
	}
	if v, _ := doc.Find(`select#near option[selected]`).Attr("value"); v != "fairbanks" {
		t.Errorf("the chosen town is not kept: %q", v)
	}

	// Posted, as the form sends it.
	_, body := site.PostForm(t, "/search", url.Values{"q": {"shelter"}, "near": {"wasilla"}})
	posted, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := resultTitles(posted); len(got) == 0 || got[0] != "Valley Haven" {
		t.Errorf("posted shelter near Wasilla: %v", got)
	}

	// Typed in the box, in Spanish too.
	for _, path := range []string{"/search?q=shelter+fairbanks", "/search?q=Fairbanks", "/es/search?q=refugio+en+Fairbanks"} {
		if got := resultTitles(site.MustDoc(t, path, http.StatusOK)); len(got) == 0 || got[0] != "Golden Heart House" {
			t.Errorf("%s: %v", path, got)
		}
	}
	note := site.MustDoc(t, "/search?q=shelter+in+fairbnks", http.StatusOK).Find(".search-near").Text()
	if note != "Results in or near Fairbanks come first, then those for the whole state." {
		t.Errorf("the page does not say which town it took: %q", note)
	}
	es := site.MustDoc(t, "/es/search?q=refugio", http.StatusOK)
	if got := es.Find(`label[for="near"]`).Text(); got != "Cerca de un pueblo o ciudad" {
		t.Errorf("Spanish Near label %q", got)
	}

	// A town that is not one is a clear 400.
	site.MustDoc(t, "/search?near=atlantis", http.StatusBadRequest)
}
