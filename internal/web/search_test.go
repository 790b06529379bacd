package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/store"
	"signpost/internal/webtest"
)

// resultTitles returns the titles of the results on a search page, in order.
func resultTitles(doc *goquery.Document) []string {
	var out []string
	doc.Find(".search-results .card-title").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

// facetCount returns the count shown beside a filter's checkbox, or -1 if it is not shown.
func facetCount(doc *goquery.Document, param, value string) int {
	sel := doc.Find(`input[type=checkbox][name="` + param + `"][value="` + value + `"]`)
	if sel.Length() == 0 {
		return -1
	}
	txt := strings.Trim(sel.Parent().Find(".count").Text(), "()")
	n, err := strconv.Atoi(txt)
	if err != nil {
		return -1
	}
	return n
}

func TestSearchFindsAListingByNameAndMarksTheWords(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, body := site.Get(t, "/search?q=polaris")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if doc.Find(`meta[name=robots][content=noindex]`).Length() == 0 {
		t.Error("search results are not noindex")
	}
	titles := resultTitles(doc)
	if len(titles) == 0 || titles[0] != "Polaris" {
		t.Fatalf("results = %v, want Polaris first (its name is the query)", titles)
	}
	if got := doc.Find(".search-results mark").First().Text(); !strings.EqualFold(got, "polaris") {
		t.Errorf("first marked word = %q, want Polaris", got)
	}
	if v, _ := doc.Find("#q-page").Attr("value"); v != "polaris" {
		t.Errorf("the search box keeps %q, want polaris", v)
	}
}

func TestSearchMatchesPrefixesCaseAndAccents(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, q := range []string{"POLAR", "polar", "Pólaris", "cybertip"} {
		doc := site.MustDoc(t, "/search?q="+url.QueryEscape(q), http.StatusOK)
		if len(resultTitles(doc)) == 0 {
			t.Errorf("%q found nothing", q)
		}
	}
}

func TestSpanishSearchFindsSpanishText(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	// "línea gratuita" is in the Spanish summary of the national hotline only; typed
	// without the accent.
	doc := site.MustDoc(t, "/es/search?q=linea+gratuita", http.StatusOK)
	titles := resultTitles(doc)
	if !contains(titles, "Línea Nacional contra la Trata de Personas") && !contains(titles, "National Human Trafficking Hotline") {
		t.Fatalf("Spanish search for 'linea gratuita' = %v, want the national hotline", titles)
	}
	if href, _ := doc.Find(".search-results .card-title a").First().Attr("href"); !strings.HasPrefix(href, "/es/") {
		t.Errorf("Spanish result links to %q, want a /es/ page", href)
	}
	if doc.Find(".search-results mark").Length() == 0 {
		t.Error("no marked words in the Spanish results")
	}
	// English search does not search the Spanish text.
	en := site.MustDoc(t, "/search?q=gratuita", http.StatusOK)
	if got := resultTitles(en); len(got) != 0 {
		t.Errorf("English search for a Spanish word found %v", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSearchFiltersCombineAndShowCounts(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	all := site.MustDoc(t, "/search?q=trafficking", http.StatusOK)
	total := len(resultTitles(all))
	if total == 0 {
		t.Fatal("nothing matches trafficking")
	}
	hotlines := facetCount(all, "kind", "hotline")
	if hotlines <= 0 {
		t.Fatalf("kind=hotline count = %d", hotlines)
	}

	// Each filter narrows to its count.
	for _, f := range []struct{ param, value string }{
		{"kind", "hotline"}, {"service", "reporting"}, {"population", "children-youth"},
		{"area", "national"}, {"language", "multilingual"}, {"open247", "1"},
	} {
		want := facetCount(all, f.param, f.value)
		if want <= 0 {
			t.Errorf("%s=%s: no count shown for 'trafficking'", f.param, f.value)
			continue
		}
		doc := site.MustDoc(t, "/search?q=trafficking&"+f.param+"="+f.value+"&page=1", http.StatusOK)
		if got := searchTotal(t, doc); got != want {
			t.Errorf("%s=%s: %d results, the filter said %d", f.param, f.value, got, want)
		}
		if _, ok := doc.Find(`input[name="` + f.param + `"][value="` + f.value + `"]`).Attr("checked"); !ok {
			t.Errorf("%s=%s: the checkbox is not kept checked", f.param, f.value)
		}
	}

	// Two filters combine: the count shown beside the second under the first is what both give.
	hot := site.MustDoc(t, "/search?q=trafficking&kind=hotline", http.StatusOK)
	want := facetCount(hot, "open247", "1")
	both := site.MustDoc(t, "/search?q=trafficking&kind=hotline&open247=1", http.StatusOK)
	if got := searchTotal(t, both); got != want || got == 0 {
		t.Errorf("hotline + open 24/7: %d results, the filter said %d", got, want)
	}
	// A facet's own values stay countable under its filter: choosing hotline still shows
	// how many organizations there would be.
	if facetCount(hot, "kind", "organization") <= 0 {
		t.Error("with kind=hotline chosen, the organization count disappeared")
	}
	// Two values of one filter are either-or.
	either := site.MustDoc(t, "/search?q=trafficking&kind=hotline&kind=organization", http.StatusOK)
	if got, want := searchTotal(t, either), facetCount(all, "kind", "hotline")+facetCount(all, "kind", "organization"); got != want {
		t.Errorf("hotline or organization: %d results, want %d", got, want)
	}
	// Filters work without words too.
	if got := searchTotal(t, site.MustDoc(t, "/search?kind=agency", http.StatusOK)); got == 0 {
		t.Error("kind=agency alone found nothing")
	}
}

// searchTotal reads the number of results a search page reports.
func searchTotal(t *testing.T, doc *goquery.Document) int {
	t.Helper()
	txt := strings.TrimSpace(doc.Find(".search-count").Text())
	n, err := strconv.Atoi(strings.Fields(txt + " x")[0])
	if err != nil {
		return 0
	}
	return n
}

func TestSearchPagesHaveStableURLs(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/search?q=the", http.StatusOK)
	total := searchTotal(t, doc)
	if total <= 20 {
		t.Skipf("only %d results for 'the'", total)
	}
	next, ok := doc.Find(`.pager a[rel=next]`).Attr("href")
	if !ok || next != "/search?page=2&q=the" {
		t.Fatalf("next page link = %q", next)
	}
	p2 := site.MustDoc(t, next, http.StatusOK)
	if prev, _ := p2.Find(`.pager a[rel=prev]`).Attr("href"); prev != "/search?q=the" {
		t.Errorf("previous page link = %q", prev)
	}
	first, second := resultTitles(doc), resultTitles(p2)
	for _, x := range second {
		if contains(first, x) && x != "" {
			t.Errorf("%q is on both pages", x)
		}
	}
}

func TestSearchWithNothingFoundShowsTheNumbersToCall(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/search?q=zzqxv", http.StatusOK)
	if len(resultTitles(doc)) != 0 {
		t.Fatal("zzqxv found something")
	}
	if doc.Find(`main a[href="tel:911"]`).Length() == 0 {
		t.Error("no tap-to-call 911 on the empty results page")
	}
	if doc.Find(`main a[href="tel:+18883737888"]`).Length() == 0 {
		t.Error("no tap-to-call hotline on the empty results page")
	}
	if doc.Find(`main a[href="/report-it"]`).Length() == 0 {
		t.Error("no suggestion to find the right line")
	}
}

func TestDraftAndTrashedListingsLeaveSearch(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := t.Context()
	l, err := site.Store.FindListing(ctx, "organization", "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.SetListingStatus(ctx, l.ID, "draft", editorActor); err != nil {
		t.Fatal(err)
	}
	if got := resultTitles(site.MustDoc(t, "/search?q=polaris", http.StatusOK)); contains(got, "Polaris") {
		t.Errorf("a draft is found: %v", got)
	}
	if err := site.Store.SetListingStatus(ctx, l.ID, "published", editorActor); err != nil {
		t.Fatal(err)
	}
	if got := resultTitles(site.MustDoc(t, "/search?q=polaris", http.StatusOK)); !contains(got, "Polaris") {
		t.Errorf("published again, not found: %v", got)
	}
	if err := site.Store.TrashListing(ctx, l.ID, editorActor); err != nil {
		t.Fatal(err)
	}
	if got := resultTitles(site.MustDoc(t, "/search?q=polaris", http.StatusOK)); contains(got, "Polaris") {
		t.Errorf("a trashed listing is found: %v", got)
	}
}

// TestHostileSearchInputNeverBreaks sends what people and robots type: every answer is a
// results page or a clear 400, never a 500.
func TestHostileSearchInputNeverBreaks(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	long := strings.Repeat("trafficking ", 1000)[:10000]
	for _, raw := range []string{
		"q=" + url.QueryEscape(`"`),
		"q=" + url.QueryEscape(`"unbalanced`),
		"q=" + url.QueryEscape(`(((`),
		"q=" + url.QueryEscape(`)) OR ((`),
		"q=" + url.QueryEscape(`NEAR(a b, 3)`),
		"q=" + url.QueryEscape(`name:polaris`),
		"q=" + url.QueryEscape(`{name summary}: x`),
		"q=" + url.QueryEscape(`* ^ - + : AND OR NOT`),
		"q=" + url.QueryEscape(`polaris*`),
		"q=" + url.QueryEscape(`'; DROP TABLE listings; --`),
		"q=" + url.QueryEscape(`<script>alert(1)</script>`),
		"q=" + url.QueryEscape(long),
		"q=" + url.QueryEscape("a\x00b\x01c\x7f\u202e"),
		"q=%ff%fe%fd",
		"q=%c3%28",
		"q=%ee%80%80polaris%ee%80%81",
		"q=" + url.QueryEscape("\u0301\u0301"),
		"q=polaris&page=999999999999999999999",
		"q=polaris&page=-1",
		"q=polaris&page=abc",
		"q=polaris&page=2",
		"q=polaris&kind=spaceship",
		"q=polaris&service=" + url.QueryEscape(`"'<>`),
		"q=polaris&open247=maybe",
		"q=polaris&language=%ff",
		"q[]=x",
		"q=polaris&q=other",
		strings.Repeat("kind=hotline&", 30),
	} {
		resp, body := site.Get(t, "/search?"+raw)
		switch resp.StatusCode {
		case http.StatusOK, http.StatusBadRequest:
		default:
			t.Errorf("/search?%.60s: status %d", raw, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("/search?%.60s: the query reached the page unescaped", raw)
		}
		if resp.StatusCode == http.StatusBadRequest && !strings.Contains(body, "tel:911") {
			t.Errorf("/search?%.60s: the 400 page lacks the emergency number", raw)
		}
	}
}

var editorActor = store.Actor{Email: "editor@example.org"}

// A visitor in trouble types as they can: a misspelt word, a number in another format, a
// sentence. Each finds the national hotline, and the page says what it searched for when it
// corrected a word.
func TestSearchUnderstandsTyposNumbersAndSentences(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, tc := range []struct{ path, corrected string }{
		{"/search?q=" + url.QueryEscape("human trafficing hotline"), "human trafficking hotline"},
		{"/search?q=" + url.QueryEscape("(888) 373-7888"), ""},
		{"/search?q=BEFREE", ""},
		{"/search?q=" + url.QueryEscape("I need help"), ""},
		{"/es/search?q=" + url.QueryEscape("necesito ayuda"), ""},
	} {
		resp, body := site.Get(t, tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.path, resp.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		titles := resultTitles(doc)
		if len(titles) == 0 || titles[0] != "National Human Trafficking Hotline" {
			t.Errorf("%s: results %v, want the national hotline first", tc.path, titles)
		}
		got := strings.TrimSpace(doc.Find(".search-corrected").Text())
		if tc.corrected == "" && got != "" {
			t.Errorf("%s: says %q, corrected nothing", tc.path, got)
		}
		if tc.corrected != "" && !strings.Contains(got, tc.corrected) {
			t.Errorf("%s: says %q, want it to name %q", tc.path, got, tc.corrected)
		}
	}
}

// Searches are counted for staff, cached or not, and a result opened is counted through the
// link's ping, whose address carries no word the visitor typed.
func TestSearchesAndOpenedResultsAreCountedWithoutWordsInLinks(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	var ping string
	for range 3 {
		doc := site.MustDoc(t, "/search?q="+url.QueryEscape("Nail Salon"), http.StatusOK)
		a := doc.Find(".search-results .card-title a").First()
		ping, _ = a.Attr("ping")
		href, _ := a.Attr("href")
		if strings.Contains(strings.ToLower(ping+href), "nail") || strings.Contains(strings.ToLower(ping+href), "salon") {
			t.Fatalf("a result link carries the words searched: href %q ping %q", href, ping)
		}
	}
	for range 3 {
		site.MustDoc(t, "/search?q=zzqxv+kayak", http.StatusOK)
	}
	if !strings.HasPrefix(ping, site.Server.URL+"/search/click/") {
		t.Fatalf("ping = %q", ping)
	}
	req, _ := http.NewRequest(http.MethodPost, ping, strings.NewReader("PING"))
	req.Header.Set("Content-Type", "text/ping")
	if resp, _ := site.Do(t, req); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("ping: status %d", resp.StatusCode)
	}
	if err := site.Store.FlushSearchLog(t.Context()); err != nil {
		t.Fatal(err)
	}
	var searches, clicks int
	site.Store.DB().QueryRow(`SELECT searches, clicks FROM search_log WHERE phrase = 'nail salon'`).Scan(&searches, &clicks)
	if searches != 3 || clicks != 1 {
		t.Errorf("nail salon: %d searches, %d clicks; want 3 and 1", searches, clicks)
	}
	rows, err := site.Store.ListSearchLog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Phrase != "zzqxv kayak" || rows[0].Empty != 3 {
		t.Errorf("search log = %+v, want zzqxv kayak found nothing 3 times", rows)
	}
}
