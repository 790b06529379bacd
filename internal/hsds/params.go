package hsds

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// Query parameters: each endpoint takes the ones HSDS's OpenAPI (schema/openapi.json) gives
// it. Each is honoured, or refused with a 400 that says why; a parameter the endpoint does
// not know is refused too, so that nobody takes an ignored filter for an applied one (and a
// random query string cannot dodge a cache).

// openapiURL is HSDS's own OpenAPI description, which this API follows.
const openapiURL = "https://raw.githubusercontent.com/openreferral/specification/3.1-dev/schema/openapi.json"

// maxSearch bounds the search text, as the site's search box does.
const maxSearch = 200

// checkParams refuses parameters not in allowed, repeated ones, a format other than JSON,
// booleans that are not true or false, and a search text too long.
func checkParams(r *http.Request, allowed ...string) error {
	q := r.URL.Query()
	for _, k := range slices.Sorted(mapKeys(q)) {
		if !slices.Contains(allowed, k) {
			return directory.Errorf(directory.EINVALID, "This endpoint has no parameter %q. It takes: %s.", k, strings.Join(allowed, ", "))
		}
		if len(q[k]) > 1 {
			return directory.Errorf(directory.EINVALID, "Give %s once.", k)
		}
	}
	if v := q.Get("format"); v != "" && v != "json" {
		return directory.Errorf(directory.EINVALID, "format must be json: this API answers JSON only.")
	}
	for _, k := range []string{"minimal", "full", "full_service", "top_only"} {
		if v := q.Get(k); v != "" {
			if _, err := strconv.ParseBool(v); err != nil {
				return directory.Errorf(directory.EINVALID, "%s must be true or false.", k)
			}
		}
	}
	if b, _ := strconv.ParseBool(q.Get("minimal")); b {
		return directory.Errorf(directory.EINVALID, "minimal is not offered: this API answers full records only.")
	}
	if len(q.Get("search")) > maxSearch {
		return directory.Errorf(directory.EINVALID, "search may be at most %d characters.", maxSearch)
	}
	return nil
}

// boolParam reads a boolean parameter checked by checkParams.
func boolParam(r *http.Request, name string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return b
}

// The parameters of each endpoint (schema/openapi.json of 3.1-dev).
var (
	paramsServices      = []string{"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "minimal", "full"}
	paramsOrganizations = []string{"search", "full_service", "full", "taxonomy_term_id", "taxonomy_id", "page", "per_page", "format"}
	paramsTaxonomies    = []string{"search", "page", "per_page", "format"}
	paramsTerms         = []string{"search", "page", "per_page", "format", "taxonomy_id", "top_only", "parent_id"}
	paramsSALs          = []string{"search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full", "page", "per_page", "format", "postcode", "proximity"}
	paramsOrganization  = []string{"full_service"}
)
