package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"signpost/internal/store"
	"signpost/internal/web"
)

// TestASecondRequestWithTheETagGets304 is what lets a browser, a caching proxy or a CDN
// keep a page and only ask whether it changed.
func TestASecondRequestWithTheETagGets304(t *testing.T) {
	site := startLogged(t, web.Options{}, nil)
	for _, path := range []string{"/", "/organizations", "/organizations/polaris", "/es/report-it", "/organizations?page=1"} {
		resp, body := site.do(t, http.MethodGet, path, nil, nil)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || etag == "" || body == "" {
			t.Fatalf("%s: status %d, ETag %q", path, resp.StatusCode, etag)
		}
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag} {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				resp, body := site.do(t, method, path, nil, map[string]string{"If-None-Match": inm})
				if resp.StatusCode != http.StatusNotModified || body != "" {
					t.Errorf("%s %s with If-None-Match %s: status %d, %d bytes", method, path, inm, resp.StatusCode, len(body))
				}
				if resp.Header.Get("ETag") != etag || resp.Header.Get("Cache-Control") != "public, max-age=300" {
					t.Errorf("%s 304: ETag %q, Cache-Control %q", path, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
				}
			}
		}
		if resp, _ := site.do(t, http.MethodGet, path, nil, map[string]string{"If-None-Match": `"stale"`}); resp.StatusCode != http.StatusOK {
			t.Errorf("%s with a stale ETag: status %d", path, resp.StatusCode)
		}
	}
}

func TestAStaffSaveChangesTheETagOfWhatItChanged(t *testing.T) {
	site := startLogged(t, web.Options{}, nil)
	resp, _ := site.do(t, http.MethodGet, "/about", nil, nil)
	before := resp.Header.Get("ETag")
	err := site.Store.Update(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE settings SET value = 'A new tagline', updated_at = ? WHERE key = ?`,
			time.Now().UTC().Format(time.RFC3339), store.SettingTagline)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := site.do(t, http.MethodGet, "/about", nil, map[string]string{"If-None-Match": before})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "A new tagline") {
		t.Errorf("after the save, the old ETag got %d", resp.StatusCode)
	}
	if after := resp.Header.Get("ETag"); after == before {
		t.Error("the ETag did not change with the page")
	}
}

// TestEveryPublicResponseSaysHowLongItMayBeKept: a CDN in front can absorb every public
// read, and nothing private or failing is kept.
func TestEveryPublicResponseSaysHowLongItMayBeKept(t *testing.T) {
	site := startLogged(t, web.Options{}, nil)
	crawl := crawlPaths(t, site)
	if len(crawl) < 60 {
		t.Fatalf("crawled only %d pages", len(crawl))
	}
	for _, p := range crawl {
		resp, _ := site.do(t, http.MethodGet, p, nil, nil)
		if got := resp.Header.Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q", p, got)
		}
		if resp.Header.Get("ETag") == "" {
			t.Errorf("%s: no ETag", p)
		}
		if vary := strings.Join(resp.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") ||
			(p == "/") != strings.Contains(vary, "Accept-Language") {
			t.Errorf("%s: Vary %q", p, vary)
		}
	}
	_, home := site.do(t, http.MethodGet, "/", nil, nil)
	css := between(home, `<link rel="stylesheet" href="`, `"`)
	for _, tt := range []struct{ path, want string }{
		{css, "public, max-age=31536000, immutable"},
		{"/robots.txt", "public, max-age=3600"},
		{"/sitemap.xml", "public, max-age=3600"},
		{"/search?q=visa", "no-store"},
		{"/healthz", "no-store"},
		{"/nope", "no-store"},
		{"/hotlines?page=abc", "no-store"},
	} {
		resp, _ := site.do(t, http.MethodGet, tt.path, nil, nil)
		if got := resp.Header.Get("Cache-Control"); got != tt.want {
			t.Errorf("%s: Cache-Control %q, want %q", tt.path, got, tt.want)
		}
	}
	if resp, _ := site.do(t, http.MethodGet, "/search?q=visa", nil, nil); resp.Header.Get("ETag") != "" {
		t.Error("search results carry an ETag")
	}
}

func between(s, start, end string) string {
	_, after, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(after, end)
	return v
}

// crawlPaths returns every page reachable from / on the site.
func crawlPaths(t *testing.T, site *loggedSite) []string {
	t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	var out []string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		resp, body := site.do(t, http.MethodGet, p, nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		out = append(out, p)
		for rest := body; ; {
			var href string
			var ok bool
			if _, rest, ok = strings.Cut(rest, `href="`); !ok {
				break
			}
			href, rest, _ = strings.Cut(rest, `"`)
			href = strings.ReplaceAll(href, "&amp;", "&")
			if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") || strings.HasPrefix(href, "/static/") ||
				strings.HasPrefix(href, "/admin") || strings.HasPrefix(href, "/api/") || strings.Contains(href, "/search") {
				continue
			}
			if i := strings.IndexByte(href, '#'); i >= 0 {
				href = href[:i]
			}
			if !seen[href] {
				seen[href] = true
				queue = append(queue, href)
			}
		}
	}
	return out
}
