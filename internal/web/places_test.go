package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/webtest"
)

func TestListingPageShowsItsPlaces(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := context.Background()
	x, err := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 64.8378, -147.7164
	if err := site.Store.SaveLocations(ctx, x.ID, []directory.Location{
		{Name: "Shelter", Street: "12 Hidden Lane", City: "Fairbanks", State: "AK", PostalCode: "99701", Private: true},
		{Name: "Office", Street: "101 Main St", City: "Anchorage", State: "AK", PostalCode: "99501", Latitude: &lat, Longitude: &lon},
		{Street: "5 Elm St", City: "Juneau", State: "AK", PostalCode: "99801"},
	}); err != nil {
		t.Fatal(err)
	}
	doc := site.MustDoc(t, "/organizations/polaris", http.StatusOK)
	where := doc.Find("section.places")
	text := strings.Join(strings.Fields(where.Text()), " ")
	if !strings.Contains(text, "Fairbanks, AK") {
		t.Errorf("the private place's town is not shown: %q", text)
	}
	if strings.Contains(text, "Hidden Lane") || strings.Contains(text, "99701") {
		t.Errorf("the private street address is shown: %q", text)
	}
	if strings.Contains(doc.Text(), "Hidden Lane") {
		t.Error("the private street address is somewhere on the page")
	}
	links := where.Find(`a[href^="geo:"]`)
	if links.Length() != 1 {
		t.Fatalf("%d geo: links, want 1 (only the public place with coordinates)", links.Length())
	}
	href, _ := links.Attr("href")
	if !strings.HasPrefix(href, "geo:64.8378,-147.7164?q=") || !strings.Contains(href, "Anchorage") {
		t.Errorf("geo link %q", href)
	}
	if !strings.Contains(text, "5 Elm St") || !strings.Contains(text, "Juneau, AK 99801") {
		t.Errorf("a public place without coordinates is not shown as an address: %q", text)
	}
	es := site.MustDoc(t, "/es/organizations/polaris", http.StatusOK)
	if got := strings.TrimSpace(es.Find("#where-h").Text()); got != "Dónde" {
		t.Errorf("Spanish heading %q", got)
	}
}

func TestListingWithoutPlacesHasNoWhere(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/organizations/polaris", http.StatusOK)
	if doc.Find("#where-h").Length() != 0 {
		t.Error("a listing with no places shows a Where section")
	}
}
