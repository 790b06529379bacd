package hsds_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"signpost/internal/webtest"
)

// hsdsFields are HSDS 3.x's field names per table, from openreferral/specification
// schema/*.json (schema/simple/schema.csv), for the tables Signpost publishes. Nested
// objects name the table their items belong to.
var hsdsFields = map[string][]string{
	"organization": {"id", "name", "alternate_name", "description", "email", "website", "additional_websites",
		"tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
		"funding", "contacts", "phones", "locations", "programs", "organization_identifiers", "attributes", "metadata",
		"services"}, // in schema/compiled/organization.json, the /organizations/{id} answer
	"service": {"id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
		"additional_urls", "email", "status", "interpretation_services", "application_process", "fees_description",
		"wait_time", "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age",
		"assured_date", "assurer_email", "licenses", "alert", "last_modified", "phones", "schedules",
		"service_areas", "service_at_locations", "languages", "organization", "funding", "cost_options",
		"program", "required_documents", "contacts", "capacities", "attributes", "metadata"},
	"phone": {"id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
		"number", "extension", "type", "description", "languages", "attributes", "metadata"},
	"language":     {"id", "service_id", "location_id", "phone_id", "name", "code", "note", "attributes", "metadata"},
	"schedule":     {"id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes", "attributes", "metadata"},
	"service_area": {"id", "service_id", "service_at_location_id", "name", "description", "extent", "extent_type", "uri", "attributes", "metadata"},
	"attribute":    {"id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "taxonomy_term", "metadata", "label"},
	"taxonomy_term": {"id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_detail", "language",
		"taxonomy_id", "term_uri", "metadata"},
	"taxonomy": {"id", "name", "description", "uri", "version", "metadata"},
	"location": {"id", "location_type", "url", "organization_id", "name", "alternate_name", "description", "transportation",
		"latitude", "longitude", "external_identifier", "external_identifier_type", "languages", "addresses", "contacts",
		"accessibility", "phones", "schedules", "attributes", "metadata"},
	"address": {"id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province", "postal_code",
		"country", "address_type", "attributes", "metadata"},
	"service_at_location": {"id", "service_id", "location_id", "description", "service_areas", "contacts", "phones", "schedules",
		"location", "attributes", "metadata", "service"},
	// The API's own objects (schema/openapi.json): the root and the page wrapper.
	"meta":      {"version", "profile", "openapi_url", "description", "publisher"},
	"publisher": {"name", "identifier", "email", "website", "additional_websites"},
	"page":      {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"},
}

// required are the fields HSDS requires of each table.
var required = map[string][]string{
	"organization":        {"id", "name", "description"},
	"service":             {"id", "name", "status"},
	"phone":               {"id", "number"},
	"taxonomy_term":       {"id", "name", "description"},
	"taxonomy":            {"id", "name", "description"},
	"location":            {"id", "location_type"},
	"address":             {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
	"service_at_location": {"id"},
	"page":                {"empty"},
	"meta":                {"version"},
}

// nested names the table of a field's objects.
var nested = map[string]string{
	"phones": "phone", "languages": "language", "schedules": "schedule", "service_areas": "service_area",
	"attributes": "attribute", "taxonomy_term": "taxonomy_term", "organization": "organization", "publisher": "publisher",
	"locations": "location", "location": "location", "addresses": "address", "service_at_locations": "service_at_location",
	"service": "service", "services": "service",
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkFields fails on any key that is not an HSDS field of table, any missing required
// field, and any id that is not a UUID; it walks nested objects.
func checkFields(t *testing.T, where, table string, v any) {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %s is %T, want an object", where, table, v)
		return
	}
	allowed := map[string]bool{}
	for _, f := range hsdsFields[table] {
		allowed[f] = true
	}
	for k, val := range obj {
		if !allowed[k] {
			t.Errorf("%s: %q is not an HSDS %s field", where, k, table)
		}
		if (k == "id" || strings.HasSuffix(k, "_id")) && val != nil {
			if s, _ := val.(string); !uuidRE.MatchString(s) {
				t.Errorf("%s: %s.%s = %v, want a UUID", where, table, k, val)
			}
		}
		sub, ok := nested[k]
		if !ok || table == "meta" && k != "publisher" {
			continue
		}
		switch x := val.(type) {
		case []any:
			for _, item := range x {
				checkFields(t, where, sub, item)
			}
		case map[string]any:
			checkFields(t, where, sub, x)
		}
	}
	for _, f := range required[table] {
		if _, ok := obj[f]; !ok {
			t.Errorf("%s: %s lacks the required %q", where, table, f)
		}
	}
}

func getJSON(t *testing.T, site *webtest.Site, path string, want int) any {
	t.Helper()
	resp, body := site.Get(t, path)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if want == http.StatusOK {
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q", path, got)
		}
		// A search is the searcher's own (issue 9); the rest may be kept by any cache.
		cc := resp.Header.Get("Cache-Control")
		if strings.Contains(path, "search=") && cc != "private, no-store" || !strings.Contains(path, "search=") && !strings.HasPrefix(cc, "public, max-age=") {
			t.Errorf("GET %s: Cache-Control %q", path, cc)
		}
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

func contents(t *testing.T, page any) []any {
	t.Helper()
	c, _ := page.(map[string]any)["contents"].([]any)
	return c
}

func TestEveryEndpointSpeaksHSDS(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})

	meta := getJSON(t, site, "/api/hsds/", http.StatusOK)
	checkFields(t, "/", "meta", meta)
	if v := meta.(map[string]any)["version"]; v != "3.1" {
		t.Errorf("version = %v", v)
	}
	if p := meta.(map[string]any)["publisher"].(map[string]any)["name"]; p == "" || p == nil {
		t.Error("no publisher name")
	}

	for _, tt := range []struct{ path, table string }{
		{"/api/hsds/services", "service"},
		{"/api/hsds/organizations", "organization"},
		{"/api/hsds/taxonomies", "taxonomy"},
		{"/api/hsds/taxonomy_terms", "taxonomy_term"},
	} {
		page := getJSON(t, site, tt.path, http.StatusOK)
		checkFields(t, tt.path, "page", page)
		items := contents(t, page)
		if len(items) == 0 {
			t.Errorf("%s: empty", tt.path)
		}
		for _, it := range items {
			checkFields(t, tt.path, tt.table, it)
		}
	}

	// One service, found by the id the list gives, fully nested with its organization.
	services := contents(t, getJSON(t, site, "/api/hsds/services?per_page=200", http.StatusOK))
	var hotline map[string]any
	for _, s := range services {
		if s.(map[string]any)["name"] == "National Human Trafficking Hotline" {
			hotline = s.(map[string]any)
		}
	}
	if hotline == nil {
		t.Fatal("the national hotline is not a service")
	}
	one := getJSON(t, site, "/api/hsds/services/"+hotline["id"].(string), http.StatusOK)
	checkFields(t, "/services/{id}", "service", one)
	svc := one.(map[string]any)
	org, _ := svc["organization"].(map[string]any)
	if org == nil || org["name"] != "Polaris" || org["id"] != svc["organization_id"] {
		t.Errorf("the hotline's organization = %v, want Polaris (it runs the line)", org)
	}
	var types []string
	for _, p := range svc["phones"].([]any) {
		ph := p.(map[string]any)
		types = append(types, ph["type"].(string)+" "+ph["number"].(string))
		if _, ok := ph["languages"]; !ok {
			t.Error("a phone without languages")
		}
	}
	if strings.Join(types, ",") != "voice +18883737888,text 233733,text 233733" {
		t.Errorf("phones = %v", types)
	}
	if len(svc["schedules"].([]any)) == 0 {
		t.Error("the 24/7 hotline has no schedule")
	}
	if len(svc["service_areas"].([]any)) == 0 || len(svc["languages"].([]any)) == 0 {
		t.Error("no service areas or languages")
	}
	orgOne := getJSON(t, site, "/api/hsds/organizations/"+svc["organization_id"].(string), http.StatusOK)
	checkFields(t, "/organizations/{id}", "organization", orgOne)

	// Unknown or malformed ids are 404s, in JSON.
	for _, p := range []string{"/api/hsds/services/nope", "/api/hsds/organizations/00000000-0000-0000-0000-000000000000",
		"/api/hsds/services/" + svc["organization_id"].(string), "/api/hsds/nothing"} {
		getJSON(t, site, p, http.StatusNotFound)
	}
}

func TestAPIPagingSearchAndModifiedAfter(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	all := getJSON(t, site, "/api/hsds/services?per_page=200", http.StatusOK).(map[string]any)
	total := int(all["total_items"].(float64))
	if total < 40 {
		t.Fatalf("only %d services", total)
	}
	p2 := getJSON(t, site, "/api/hsds/services?per_page=10&page=2", http.StatusOK).(map[string]any)
	if p2["size"].(float64) != 10 || p2["page_number"].(float64) != 2 || p2["first_page"] != false ||
		int(p2["total_pages"].(float64)) != (total+9)/10 {
		t.Errorf("page 2 wrapper: %v", p2)
	}
	last := getJSON(t, site, "/api/hsds/services?per_page=10&page=1000", http.StatusOK).(map[string]any)
	if last["empty"] != true || last["size"].(float64) != 0 {
		t.Errorf("past the end: %v", last)
	}
	// per_page is bounded.
	big := getJSON(t, site, "/api/hsds/services?per_page=100000", http.StatusOK).(map[string]any)
	if big["size"].(float64) > 200 {
		t.Errorf("per_page not bounded: %v", big["size"])
	}
	// Organizations page through organizations and standalone hotlines as one list.
	orgs := getJSON(t, site, "/api/hsds/organizations?per_page=200", http.StatusOK).(map[string]any)
	n := int(orgs["total_items"].(float64))
	seen := map[string]bool{}
	for page := 1; page <= (n+6)/7; page++ {
		for _, o := range contents(t, getJSON(t, site, "/api/hsds/organizations?per_page=7&page="+strconv.Itoa(page), http.StatusOK)) {
			seen[o.(map[string]any)["id"].(string)] = true
		}
	}
	if len(seen) != n {
		t.Errorf("paging organizations 7 at a time gave %d of %d", len(seen), n)
	}

	found := contents(t, getJSON(t, site, "/api/hsds/services?search=cybertipline", http.StatusOK))
	if len(found) == 0 || !strings.Contains(found[0].(map[string]any)["name"].(string), "CyberTipline") {
		t.Errorf("search=cybertipline: %v", found)
	}
	future := getJSON(t, site, "/api/hsds/services?modified_after=2999-01-01", http.StatusOK).(map[string]any)
	if future["total_items"].(float64) != 0 {
		t.Errorf("modified_after the future: %v", future["total_items"])
	}
	past := getJSON(t, site, "/api/hsds/services?modified_after=2000-01-01T00:00:00Z", http.StatusOK).(map[string]any)
	if int(past["total_items"].(float64)) != total {
		t.Errorf("modified_after 2000: %v of %d", past["total_items"], total)
	}
	terms := contents(t, getJSON(t, site, "/api/hsds/taxonomy_terms?search=shelter", http.StatusOK))
	if len(terms) != 1 {
		t.Errorf("taxonomy_terms?search=shelter: %v", terms)
	}

	// Both at once: what matches and changed since.
	if got := getJSON(t, site, "/api/hsds/services?search=cybertipline&modified_after=2999-01-01", http.StatusOK).(map[string]any); got["total_items"].(float64) != 0 {
		t.Errorf("search and modified_after the future: %v", got["total_items"])
	}
	if got := contents(t, getJSON(t, site, "/api/hsds/services?search=cybertipline&modified_after=2000-01-01", http.StatusOK)); len(got) != len(found) {
		t.Errorf("search and modified_after 2000: %d results, search alone %d", len(got), len(found))
	}
	for _, q := range []string{"page=0", "page=x", "per_page=-1", "modified_after=yesterday",
		"search=x&modified_after=soon", "page=99999999999999999999"} {
		v := getJSON(t, site, "/api/hsds/services?"+q, http.StatusBadRequest)
		if v.(map[string]any)["error"] == "" {
			t.Errorf("%s: no error message", q)
		}
	}
	for _, q := range []string{`"`, "((", "NEAR(", "\x00", "%ff"} {
		resp, _ := site.Get(t, "/api/hsds/services?search="+url.QueryEscape(q))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("search=%q: status %d", q, resp.StatusCode)
		}
	}
}

// /services?taxonomy_term_id= and ?organization_id=, alone, together and with search.
func TestAPIFiltersByTermAndOrganization(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	termID := map[string]string{} // "taxonomy/code" → id
	for _, x := range contents(t, getJSON(t, site, "/api/hsds/taxonomy_terms?per_page=200", http.StatusOK)) {
		term := x.(map[string]any)
		termID[term["taxonomy"].(string)+"/"+term["code"].(string)] = term["id"].(string)
	}
	hasTerm := func(svc map[string]any, id string) bool {
		for _, a := range svc["attributes"].([]any) {
			if a.(map[string]any)["taxonomy_term_id"] == id {
				return true
			}
		}
		return false
	}
	for _, key := range []string{"service/shelter", "area/statewide"} {
		id := termID[key]
		if id == "" {
			t.Fatalf("no term %s in /taxonomy_terms", key)
		}
		page := getJSON(t, site, "/api/hsds/services?per_page=200&taxonomy_term_id="+id, http.StatusOK)
		got := contents(t, page)
		if len(got) == 0 {
			t.Errorf("taxonomy_term_id %s: nothing", key)
		}
		for _, s := range got {
			if !hasTerm(s.(map[string]any), id) {
				t.Errorf("taxonomy_term_id %s gave %v, which does not have it", key, s.(map[string]any)["name"])
			}
		}
	}
	// A kind is a term too.
	var kindID string
	for key, id := range termID {
		if strings.HasSuffix(key, "/hotline") && !strings.HasPrefix(key, "service/") {
			kindID = id
		}
	}
	hotlines := contents(t, getJSON(t, site, "/api/hsds/services?per_page=200&taxonomy_term_id="+kindID, http.StatusOK))
	if len(hotlines) < 5 {
		t.Errorf("the hotline kind's term: %d services", len(hotlines))
	}
	for _, s := range hotlines {
		if !hasTerm(s.(map[string]any), kindID) {
			t.Errorf("kind filter gave %v", s.(map[string]any)["name"])
		}
	}

	// Polaris provides its own service and runs the national hotline.
	var polaris string
	for _, s := range hotlines {
		if s.(map[string]any)["name"] == "National Human Trafficking Hotline" {
			polaris = s.(map[string]any)["organization_id"].(string)
		}
	}
	names := func(items []any) []string {
		var out []string
		for _, x := range items {
			out = append(out, x.(map[string]any)["name"].(string))
		}
		slices.Sort(out)
		return out
	}
	byOrg := contents(t, getJSON(t, site, "/api/hsds/services?organization_id="+polaris, http.StatusOK))
	if got, want := names(byOrg), []string{"National Human Trafficking Hotline", "Polaris"}; !slices.Equal(got, want) {
		t.Errorf("organization_id=Polaris: %v, want %v", got, want)
	}
	for _, s := range byOrg {
		if s.(map[string]any)["organization_id"] != polaris {
			t.Errorf("organization_id filter gave %v", s)
		}
	}
	for q, want := range map[string][]string{
		"organization_id=" + polaris + "&taxonomy_term_id=" + kindID: {"National Human Trafficking Hotline"},
		"organization_id=" + polaris + "&search=hotline":             {"National Human Trafficking Hotline", "Polaris"},
		"organization_id=" + polaris + "&search=zzqxv":               nil,
		"taxonomy_term_id=" + kindID + "&search=polaris":             {"National Human Trafficking Hotline"},
		"taxonomy_term_id=00000000-0000-0000-0000-000000000000":      nil,
		"organization_id=nope":                                       nil,
		"organization_id=" + termID["service/shelter"]:               nil,
	} {
		page := getJSON(t, site, "/api/hsds/services?per_page=200&"+q, http.StatusOK)
		if got := names(contents(t, page)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
		if int(page.(map[string]any)["total_items"].(float64)) != len(want) {
			t.Errorf("%s: total_items %v, want %d", q, page.(map[string]any)["total_items"], len(want))
		}
	}
}
