package hsds_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/webtest"
)

func total(t *testing.T, site *webtest.Site, path string) int {
	t.Helper()
	return int(getJSON(t, site, path, http.StatusOK).(map[string]any)["total_items"].(float64))
}

// Every parameter of HSDS's OpenAPI is honoured, and filters combine as AND; what is not
// offered is a 400 that says so (issue 15: unknown ids returned everything).
func TestAPIParametersAreHonouredOrRefused(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	const nobody = "00000000-0000-4000-8000-000000000000"
	taxonomies := contents(t, getJSON(t, site, "/api/hsds/taxonomies", http.StatusOK))
	taxID := map[string]string{}
	for _, x := range taxonomies {
		m := x.(map[string]any)
		taxID[m["name"].(string)] = m["id"].(string)
		one := getJSON(t, site, "/api/hsds/taxonomies/"+m["id"].(string), http.StatusOK)
		checkFields(t, "/taxonomies/{id}", "taxonomy", one)
	}
	terms := contents(t, getJSON(t, site, "/api/hsds/taxonomy_terms?per_page=200", http.StatusOK))
	var serviceTerm map[string]any
	for _, x := range terms {
		if m := x.(map[string]any); m["taxonomy"] == "service" && serviceTerm == nil {
			serviceTerm = m
		}
	}
	checkFields(t, "/taxonomy_terms/{id}", "taxonomy_term", getJSON(t, site, "/api/hsds/taxonomy_terms/"+serviceTerm["id"].(string), http.StatusOK))

	all := total(t, site, "/api/hsds/services")
	withArea := total(t, site, "/api/hsds/services?taxonomy_id="+taxID["area"])
	if withArea == 0 || withArea > all {
		t.Errorf("services with an area: %d of %d", withArea, all)
	}
	for _, s := range contents(t, getJSON(t, site, "/api/hsds/services?per_page=200&taxonomy_id="+taxID["area"], http.StatusOK)) {
		if len(s.(map[string]any)["service_areas"].([]any)) == 0 {
			t.Errorf("%v has no service area but was listed for the area taxonomy", s.(map[string]any)["name"])
		}
	}
	for _, path := range []string{
		"/api/hsds/services?taxonomy_id=" + nobody,
		"/api/hsds/services?taxonomy_term_id=" + serviceTerm["id"].(string) + "&taxonomy_id=" + taxID["area"],
		"/api/hsds/services?search=hotline&taxonomy_id=" + nobody,
		"/api/hsds/organizations?taxonomy_id=" + nobody,
		"/api/hsds/organizations?taxonomy_term_id=" + nobody,
		"/api/hsds/taxonomy_terms?parent_id=" + nobody,
		"/api/hsds/service_at_locations?organization_id=" + nobody,
	} {
		if n := total(t, site, path); n != 0 {
			t.Errorf("GET %s: %d items, want none", path, n)
		}
	}
	if n := total(t, site, "/api/hsds/taxonomy_terms?top_only=true&per_page=200"); n != len(terms) {
		t.Errorf("top_only: %d terms of %d (every term is a top one)", n, len(terms))
	}
	if n := total(t, site, "/api/hsds/organizations?taxonomy_term_id="+serviceTerm["id"].(string)); n == 0 || n >= total(t, site, "/api/hsds/organizations") {
		t.Errorf("organizations with the term %v: %d", serviceTerm["code"], n)
	}

	for _, path := range []string{
		"/api/hsds/services?x=random",
		"/api/hsds/services?format=xml",
		"/api/hsds/services?minimal=true",
		"/api/hsds/services?full=perhaps",
		"/api/hsds/taxonomy_terms?top_only=maybe",
		"/api/hsds/organizations?full_service=true",
		"/api/hsds/service_at_locations?postcode=99501",
		"/api/hsds/services?search=" + url.QueryEscape(strings.Repeat("a", 300)),
		"/api/hsds/services?page=1&page=2",
	} {
		body := getJSON(t, site, path, http.StatusBadRequest).(map[string]any)
		if msg, _ := body["error"].(string); msg == "" {
			t.Errorf("GET %s: 400 without a message", path)
		}
	}

	if u := getJSON(t, site, "/api/hsds/", http.StatusOK).(map[string]any)["openapi_url"]; u == nil || u == "" {
		t.Error("/ has no openapi_url")
	}
}

func TestAPIServesPlacesAndOrganizationsWithTheirServices(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := context.Background()
	polaris, _ := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	if err := site.Store.SaveLocations(ctx, polaris.ID, []directory.Location{
		{Name: "Office", Street: "1 Main St", City: "Anchorage", State: "AK", PostalCode: "99501"},
		{City: "Juneau", State: "AK", Street: "2 Hidden Rd", PostalCode: "99801", Private: true},
	}); err != nil {
		t.Fatal(err)
	}
	page := getJSON(t, site, "/api/hsds/service_at_locations", http.StatusOK)
	items := contents(t, page)
	if len(items) != 2 {
		t.Fatalf("service_at_locations: %d, want 2", len(items))
	}
	for _, it := range items {
		checkFields(t, "/service_at_locations", "service_at_location", it)
	}
	first := items[0].(map[string]any)
	one := getJSON(t, site, "/api/hsds/service_at_locations/"+first["id"].(string), http.StatusOK)
	checkFields(t, "/service_at_locations/{id}", "service_at_location", one)
	if first["service"].(map[string]any)["name"] != "Polaris" {
		t.Errorf("the place's service: %v", first["service"])
	}
	// A private address stays private: the place is named by its city, with no street.
	private := items[1].(map[string]any)["location"].(map[string]any)
	if private["name"] != "Juneau, AK" || len(private["addresses"].([]any)) != 0 {
		t.Errorf("the private place is published as %v", private)
	}
	if n := total(t, site, "/api/hsds/service_at_locations?search=anchorage"); n != 1 {
		t.Errorf("search anchorage: %d places", n)
	}

	services := contents(t, getJSON(t, site, "/api/hsds/services?per_page=200&search=polaris", http.StatusOK))
	orgID := ""
	for _, s := range services {
		if s.(map[string]any)["name"] == "Polaris" {
			orgID = s.(map[string]any)["organization_id"].(string)
		}
	}
	org := getJSON(t, site, "/api/hsds/organizations/"+orgID, http.StatusOK).(map[string]any)
	var names []string
	for _, s := range org["services"].([]any) {
		names = append(names, s.(map[string]any)["name"].(string))
	}
	if !strings.Contains(strings.Join(names, ","), "National Human Trafficking Hotline") {
		t.Errorf("Polaris's services: %v, want the national hotline it runs", names)
	}
	getJSON(t, site, "/api/hsds/service_at_locations/"+orgID, http.StatusNotFound)
	getJSON(t, site, "/api/hsds/taxonomies/"+orgID, http.StatusNotFound)
	getJSON(t, site, "/api/hsds/taxonomy_terms/"+orgID, http.StatusNotFound)
}
