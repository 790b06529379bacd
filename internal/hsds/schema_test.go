package hsds_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"signpost/internal/webtest"
)

// officialSchema compiles one of Open Referral's JSON schemas (testdata/spec/schema,
// vendored unchanged), formats asserted (uuid, email, uri, date…).
func officialSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("testdata", "spec", "schema", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return s
}

// Every answer of the API validates against HSDS's own JSON schemas.
func TestAPIAnswersValidateAgainstTheOfficialSchemas(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	addPolarisPlaces(t, site)
	schemas := map[string]*jsonschema.Schema{}
	for _, n := range []string{"service", "organization", "taxonomy", "taxonomy_term", "service_at_location"} {
		schemas[n] = officialSchema(t, n)
	}
	// The schemas do refuse what is not HSDS (so a pass means something).
	if err := schemas["service"].Validate(map[string]any{"id": "not-a-uuid", "status": "open"}); err == nil {
		t.Fatal("the service schema accepts a service with no name, a bad id and a bad status")
	}
	validate := func(path, schema string, v any) {
		t.Helper()
		if err := schemas[schema].Validate(v); err != nil {
			t.Errorf("GET %s: not a valid HSDS %s: %v", path, schema, err)
		}
	}
	get := func(path string) any {
		t.Helper()
		resp, body := site.Get(t, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	n := 0
	for path, schema := range map[string]string{
		"/api/hsds/services?per_page=200":             "service",
		"/api/hsds/organizations?per_page=200":        "organization",
		"/api/hsds/taxonomies?per_page=200":           "taxonomy",
		"/api/hsds/taxonomy_terms?per_page=200":       "taxonomy_term",
		"/api/hsds/service_at_locations?per_page=200": "service_at_location",
	} {
		for _, it := range get(path).(map[string]any)["contents"].([]any) {
			validate(path, schema, it)
			n++
			id := it.(map[string]any)["id"].(string)
			list, _, _ := strings.Cut(path, "?")
			one := list + "/" + id
			validate(one, schema, get(one))
			n++
		}
	}
	if n < 100 {
		t.Errorf("only %d documents checked", n)
	}
}
