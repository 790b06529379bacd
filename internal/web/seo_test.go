package web_test

import (
	"encoding/json"
	"encoding/xml"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/webtest"
)

// crawlBothLanguages returns every public page reachable from the home page of each language.
func crawlBothLanguages(t *testing.T, site *webtest.Site) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, start := range []string{"/", "/es/"} {
		for _, p := range site.Crawl(t, start) {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func langOf(path string) string {
	if path == "/es" || strings.HasPrefix(path, "/es/") {
		return "es"
	}
	return "en"
}

// TestEveryPageHasItsOwnTitleAndDescription walks the site in both languages: each page has a
// title and a meta description no other page of its language has, a canonical URL, the right
// lang, and Open Graph and Twitter card tags with the share image.
func TestEveryPageHasItsOwnTitleAndDescription(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	pages := crawlBothLanguages(t, site)
	titles := map[string]string{}
	descriptions := map[string]string{}
	for _, p := range pages {
		doc := site.MustDoc(t, p, http.StatusOK)
		lang := langOf(p)
		if got := doc.Find("html").AttrOr("lang", ""); got != lang {
			t.Errorf("%s: html lang %q, want %q", p, got, lang)
		}
		title := strings.TrimSpace(doc.Find("head title").Text())
		desc := doc.Find(`meta[name="description"]`).AttrOr("content", "")
		if title == "" || desc == "" {
			t.Errorf("%s: title %q, description %q: both are needed", p, title, desc)
		}
		if other, ok := titles[lang+title]; ok {
			t.Errorf("%s has the same title as %s: %q", p, other, title)
		}
		titles[lang+title] = p
		if other, ok := descriptions[lang+desc]; ok && desc != "" {
			t.Errorf("%s has the same description as %s: %q", p, other, desc)
		}
		descriptions[lang+desc] = p

		canonical := doc.Find(`link[rel="canonical"]`).AttrOr("href", "")
		if canonical != site.URL+p {
			t.Errorf("%s: canonical %q, want %q", p, canonical, site.URL+p)
		}
		for prop, want := range map[string]string{
			"og:title": title, "og:description": desc, "og:url": canonical, "og:type": "website",
			"og:locale": map[string]string{"en": "en_US", "es": "es_US"}[lang],
		} {
			if got := doc.Find(`meta[property="`+prop+`"]`).AttrOr("content", ""); got != want {
				t.Errorf("%s: %s = %q, want %q", p, prop, got, want)
			}
		}
		img := doc.Find(`meta[property="og:image"]`).AttrOr("content", "")
		if !strings.HasPrefix(img, site.URL+"/static/img/share.") {
			t.Errorf("%s: og:image %q", p, img)
		}
		for name, want := range map[string]string{
			"twitter:card": "summary_large_image", "twitter:title": title, "twitter:description": desc, "twitter:image": img,
		} {
			if got := doc.Find(`meta[name="`+name+`"]`).AttrOr("content", ""); got != want {
				t.Errorf("%s: %s = %q, want %q", p, name, got, want)
			}
		}
		alt := doc.Find(`meta[property="og:image:alt"]`).AttrOr("content", "")
		if alt == "" || doc.Find(`meta[name="twitter:image:alt"]`).AttrOr("content", "") != alt {
			t.Errorf("%s: the share image has no alt text, or not the same for Open Graph and Twitter", p)
		}
	}
	if len(pages) < 150 {
		t.Errorf("crawled only %d pages", len(pages))
	}
}

func noindex(doc *goquery.Document) bool {
	return strings.Contains(doc.Find(`meta[name="robots"]`).AttrOr("content", ""), "noindex")
}

func TestTheShareImageIsALargeCardPicture(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/", http.StatusOK)
	u, _ := url.Parse(doc.Find(`meta[property="og:image"]`).AttrOr("content", ""))
	resp, err := site.Client.Get(site.URL + u.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("share image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cfg, err := png.DecodeConfig(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("share image is %d×%d, want the 1200×630 the og:image:width and height tags say", cfg.Width, cfg.Height)
	}
}

// TestRobotsAndSitemapListOnlyPublicPages: the sitemap lists exactly the published public
// pages (both languages, with lastmod), nothing noindex, no search, admin or API URL, and no
// draft; robots.txt points to it, keeps crawlers out of /admin and the API, and leaves the
// search page crawlable so its noindex can be read.
func TestRobotsAndSitemapListOnlyPublicPages(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	// A draft must never be listed or served.
	if _, err := site.Store.DB().Exec(`INSERT INTO listings (kind, slug, name, status, created_at, updated_at)
		VALUES ('organization', 'secret-draft', 'Secret draft', 'draft', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	resp, robots := site.Get(t, "/robots.txt")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("robots.txt: %d", resp.StatusCode)
	}
	for _, want := range []string{"Disallow: /admin", "Disallow: /api/", "Sitemap: " + site.URL + "/sitemap.xml"} {
		if !strings.Contains(robots, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, robots)
		}
	}
	if strings.Contains(robots, "Disallow: /search") {
		t.Error("robots.txt must not block /search: crawlers would never see its noindex")
	}

	resp, body := site.Get(t, "/sitemap.xml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sitemap: %d", resp.StatusCode)
	}
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatal(err)
	}
	inMap := map[string]bool{}
	for _, u := range set.URLs {
		path := strings.TrimPrefix(u.Loc, site.URL)
		inMap[path] = true
		if u.LastMod == "" {
			t.Errorf("sitemap: %s has no lastmod", u.Loc)
		}
		bare := strings.TrimPrefix(path, "/es")
		for _, bad := range []string{"/admin", "/api/", "/search"} {
			if bare == bad || strings.HasPrefix(bare, bad+"/") || strings.HasPrefix(bare, bad+"?") {
				t.Errorf("sitemap lists %s", u.Loc)
			}
		}
		if strings.Contains(path, "secret-draft") || strings.Contains(path, "?") {
			t.Errorf("sitemap lists %s", u.Loc)
		}
		doc := site.MustDoc(t, path, http.StatusOK)
		if noindex(doc) {
			t.Errorf("sitemap lists %s, which is noindex", path)
		}
	}
	for _, p := range crawlBothLanguages(t, site) {
		base, _, _ := strings.Cut(p, "?")
		if !inMap[p] && base != "/search" && base != "/es/search" {
			t.Errorf("%s is public but not in the sitemap", p)
		}
	}
	if r, _ := site.Get(t, "/organizations/secret-draft"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a draft is served: %d", r.StatusCode)
	}
	// Search results are never indexed; the search page itself may be.
	if !noindex(site.MustDoc(t, "/search?q=hotline", http.StatusOK)) {
		t.Error("search results are not noindex")
	}
	if noindex(site.MustDoc(t, "/search", http.StatusOK)) {
		t.Error("the empty search page is noindex")
	}
	if !noindex(site.MustDoc(t, "/no-such-page", http.StatusNotFound)) {
		t.Error("the not-found page is not noindex")
	}
	// Staff screens, the API and search results carry X-Robots-Tag whatever serves them.
	for path, want := range map[string]bool{
		"/admin": true, "/admin/listings/1": true, "/api/hsds/organizations": true,
		"/search?q=x": true, "/es/search?q=x": true, "/search": false, "/hotlines": false, "/es/": false,
	} {
		r, _ := site.Get(t, path)
		if got := strings.Contains(r.Header.Get("X-Robots-Tag"), "noindex"); got != want {
			t.Errorf("%s: X-Robots-Tag %q", path, r.Header.Get("X-Robots-Tag"))
		}
	}
}

// jsonLD returns the page's JSON-LD blocks, decoded; a block that does not parse fails t.
func jsonLD(t *testing.T, path string, doc *goquery.Document) []map[string]any {
	t.Helper()
	var out []map[string]any
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v\n%s", path, err, s.Text())
			return
		}
		if v["@context"] != "https://schema.org" {
			t.Errorf("%s: JSON-LD @context %v", path, v["@context"])
		}
		out = append(out, v)
	})
	return out
}

// walkJSON calls fn for every key and string value in v, at any depth. Areas served are
// given to fn whole, as key "areaServed" and the place's type and name joined by a colon.
func walkJSON(v any, fn func(key, value string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "areaServed" {
				for _, pl := range e.([]any) {
					m := pl.(map[string]any)
					fn(k, m["@type"].(string)+":"+m["name"].(string))
				}
				continue
			}
			if s, ok := e.(string); ok {
				fn(k, s)
			} else {
				walkJSON(e, fn)
			}
		}
	case []any:
		for _, e := range x {
			walkJSON(e, fn)
		}
	}
}

// TestJSONLDSaysOnlyWhatThePageShows parses every page's JSON-LD and checks each name,
// description, telephone and email in it against what a visitor sees on that page.
func TestJSONLDSaysOnlyWhatThePageShows(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	kinds := map[string]int{}
	for _, p := range crawlBothLanguages(t, site) {
		doc := site.MustDoc(t, p, http.StatusOK)
		text := webtest.Text(doc)
		desc := doc.Find(`meta[name="description"]`).AttrOr("content", "")
		for _, v := range jsonLD(t, p, doc) {
			kinds[v["@type"].(string)]++
			walkJSON(v, func(key, value string) {
				switch key {
				case "name", "contactType":
					if !strings.Contains(text, value) {
						t.Errorf("%s: JSON-LD %s %q is not on the page", p, key, value)
					}
				case "description":
					if !strings.Contains(text, value) && value != desc {
						t.Errorf("%s: JSON-LD description %q is neither on the page nor its meta description", p, value)
					}
				case "areaServed":
					// A country is named by its code (the page says "National"); a state or
					// region by the name the page uses.
					typ, name, _ := strings.Cut(value, ":")
					if typ == "Country" && name != "US" || typ == "AdministrativeArea" && !strings.Contains(text, name) {
						t.Errorf("%s: areaServed %s", p, value)
					}
				case "telephone":
					if doc.Find(`a[href="tel:`+value+`"]`).Length() == 0 {
						t.Errorf("%s: JSON-LD telephone %q has no tel: link on the page", p, value)
					}
					if len(value) > 6 && !strings.HasPrefix(value, "+") {
						t.Errorf("%s: telephone %q is not in E.164 form", p, value)
					}
				case "email":
					if doc.Find(`a[href="mailto:`+value+`"]`).Length() == 0 {
						t.Errorf("%s: JSON-LD email %q has no mailto: link on the page", p, value)
					}
				}
			})
		}
	}
	for _, k := range []string{"WebSite", "Organization", "GovernmentOrganization", "BreadcrumbList"} {
		if kinds[k] == 0 {
			t.Errorf("no page has %s JSON-LD (found %v)", k, kinds)
		}
	}
	if kinds["FAQPage"] != 0 {
		t.Errorf("FAQPage on %d pages; no page is a list of questions and answers", kinds["FAQPage"])
	}
}

func findLD(docs []map[string]any, typ string) map[string]any {
	for _, d := range docs {
		if d["@type"] == typ {
			return d
		}
	}
	return nil
}

func TestTheNationalHotlineIsDescribedAsItsOperatorsContactPoint(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	path := "/hotlines/national-human-trafficking-hotline"
	org := findLD(jsonLD(t, path, site.MustDoc(t, path, http.StatusOK)), "Organization")
	if org == nil {
		t.Fatal("no Organization JSON-LD")
	}
	if org["name"] != "Polaris" || org["mainEntityOfPage"] != site.URL+"/organizations/polaris" {
		t.Errorf("operator: %v, %v", org["name"], org["mainEntityOfPage"])
	}
	points, _ := org["contactPoint"].([]any)
	if len(points) == 0 {
		t.Fatal("no contactPoint")
	}
	cp := points[0].(map[string]any)
	if cp["telephone"] != "+18883737888" || cp["name"] != "National Human Trafficking Hotline" || cp["contactType"] == "" {
		t.Errorf("contact point: %v", cp)
	}
	hours, _ := cp["hoursAvailable"].(map[string]any)
	if days, _ := hours["dayOfWeek"].([]any); len(days) != 7 || hours["opens"] != "00:00" || hours["closes"] != "23:59" {
		t.Errorf("a 24/7 line should be open every day, all day: %v", hours)
	}
	if area, _ := cp["areaServed"].([]any); len(area) != 1 || area[0].(map[string]any)["name"] != "US" {
		t.Errorf("areaServed %v, want the country", cp["areaServed"])
	}

	// An agency is a GovernmentOrganization; a local one serves the working group's region.
	path = "/agencies/anchorage-police-department"
	gov := findLD(jsonLD(t, path, site.MustDoc(t, path, http.StatusOK)), "GovernmentOrganization")
	if gov == nil || gov["name"] != "Anchorage Police Department" {
		t.Fatalf("agency JSON-LD: %v", gov)
	}
	if area, _ := gov["areaServed"].([]any); len(area) != 1 || area[0].(map[string]any)["name"] != "Alaska" {
		t.Errorf("areaServed %v, want Alaska", gov["areaServed"])
	}
}

func TestTheHomePageDescribesTheSiteAndItsSearch(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, tt := range []struct{ home, search string }{{"/", "/search"}, {"/es/", "/es/search"}} {
		ws := findLD(jsonLD(t, tt.home, site.MustDoc(t, tt.home, http.StatusOK)), "WebSite")
		if ws == nil {
			t.Fatalf("%s: no WebSite JSON-LD", tt.home)
		}
		action, _ := ws["potentialAction"].(map[string]any)
		target, _ := action["target"].(map[string]any)
		if target["urlTemplate"] != site.URL+tt.search+"?q={search_term_string}" || action["query-input"] != "required name=search_term_string" {
			t.Errorf("%s: SearchAction %v", tt.home, action)
		}
		if r, _ := site.Get(t, tt.search+"?q=hotline"); r.StatusCode != http.StatusOK {
			t.Errorf("the SearchAction's target answers %d", r.StatusCode)
		}
	}
}

func TestBreadcrumbJSONLDFollowsTheVisibleTrail(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, path := range []string{"/organizations/polaris", "/es/agencies/fbi", "/about"} {
		doc := site.MustDoc(t, path, http.StatusOK)
		var visible []string
		doc.Find(".crumbs li").Each(func(_ int, li *goquery.Selection) {
			visible = append(visible, strings.TrimSpace(li.Text()))
		})
		bl := findLD(jsonLD(t, path, doc), "BreadcrumbList")
		if bl == nil {
			t.Fatalf("%s: no BreadcrumbList", path)
		}
		var names []string
		for i, it := range bl["itemListElement"].([]any) {
			m := it.(map[string]any)
			names = append(names, m["name"].(string))
			if int(m["position"].(float64)) != i+1 {
				t.Errorf("%s: position %v at %d", path, m["position"], i)
			}
		}
		if !slices.Equal(names, visible) {
			t.Errorf("%s: JSON-LD trail %q, visible trail %q", path, names, visible)
		}
	}
}
