package admin

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzExitURL feeds the quick-exit check arbitrary addresses: it must never panic, and an
// address it accepts is https, names no one, and leaves this site.
func FuzzExitURL(f *testing.F) {
	for _, s := range []string{"https://www.weather.gov/", "http://www.weather.gov/", "https://a:b@example.org/",
		"https://signpost.example/", "https://www.signpost.example./x", "https://SIGNPOST.example:443/", "//x", "javascript:alert(1)",
		"https://[::1]/", "https://example.org\\@signpost.example/"} {
		f.Add(s)
	}
	h := &Handler{opts: Options{Origin: "https://signpost.example"}}
	r := httptest.NewRequest("POST", "https://other-host.example/admin/settings", nil)
	f.Fuzz(func(t *testing.T, raw string) {
		if h.exitURLProblem(r, raw) != "" {
			return
		}
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Scheme != "https" || u.User != nil || u.Hostname() == "" {
			t.Fatalf("accepted %q", raw)
		}
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		for _, own := range []string{"signpost.example", "other-host.example"} {
			if host == own || strings.HasSuffix(host, "."+own) {
				t.Fatalf("accepted %q, which is this site", raw)
			}
		}
	})
}
