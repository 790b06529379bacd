package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"signpost/internal/directory"
	"signpost/internal/webtest"
)

// repoRoot is where `make` keeps the npm tools (.tools/npm) and writes screenshots.
var repoRoot = filepath.Join("..", "..")

// skipWithoutTools skips the test only when SIGNPOST_SKIP_BROWSER=1; otherwise a missing tool
// fails the test, so CI can never pass by skipping.
func skipWithoutTools(tb testing.TB, what string, err error) {
	tb.Helper()
	if os.Getenv("SIGNPOST_SKIP_BROWSER") == "1" {
		tb.Skipf("%s: %v (SIGNPOST_SKIP_BROWSER=1)", what, err)
	}
	tb.Fatalf("%s: %v; run `make test`, which installs it", what, err)
}

// npmFile returns the path of a file an npm package installed under .tools/npm.
func npmFile(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(repoRoot, ".tools", "npm", "node_modules", rel)
	if _, err := os.Stat(p); err != nil {
		skipWithoutTools(tb, "npm tool", err)
	}
	return p
}

// browser is the one Chromium every test in this package shares: starting it costs more
// than a hundred page loads.
var browser struct {
	once   sync.Once
	ctx    context.Context // the browser's first tab; tests open their own tabs from it
	err    error
	cancel func()
}

// chromiumFlags are the flags Debian's Chromium needs here: headless, no sandbox (CI runs as
// root), no GPU, and nothing that talks to the network by itself. host-resolver-rules makes
// every host name but the loopback test servers unresolvable, so a page that tried to load
// anything from another host would fail loudly instead of leaking a request.
func chromiumOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
	)
}

// startBrowser starts the shared browser on first use.
func startBrowser(tb testing.TB) context.Context {
	tb.Helper()
	browser.once.Do(func() {
		path, err := exec.LookPath("chromium")
		if err != nil {
			browser.err = err
			return
		}
		profile, err := os.MkdirTemp("", "signpost-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), chromiumOptions(path, profile)...)
		ctx, cancel := chromedp.NewContext(actx)
		if err := chromedp.Do(ctx); err != nil {
			browser.err = fmt.Errorf("start chromium: %w", err)
		}
		browser.ctx = ctx
		browser.cancel = func() { cancel(); acancel(); os.RemoveAll(profile) }
	})
	if browser.err != nil {
		skipWithoutTools(tb, "chromium", browser.err)
	}
	return browser.ctx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// newTab opens a tab in the shared browser, closed when the test ends. Every action on it
// is bounded by timeout.
func newTab(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(startBrowser(tb))
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tb.Fatalf("open tab: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, timeout)
	tb.Cleanup(func() { tcancel(); cancel() })
	return tctx
}

// newAxeTab is newTab with axe-core in every page the tab loads, for checkPage.
func newAxeTab(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	ctx := newTab(tb, timeout)
	loadAxe(tb, ctx)
	return ctx
}

// loadAxe puts axe-core into every document ctx's tab loads from now on, before the page's
// own script; the DevTools protocol is not bound by the page's Content-Security-Policy.
func loadAxe(tb testing.TB, ctx context.Context) {
	tb.Helper()
	src, err := os.ReadFile(npmFile(tb, "axe-core/axe.min.js"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: string(src)}); err != nil {
		tb.Fatal(err)
	}
}

// screenshotsDir is screenshots/ at the top of the repository, where the page tests leave
// pictures for a person to look at; it is made if missing.
func screenshotsDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(repoRoot, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// startSite starts the site as the binary wires it, on a fresh seeded database: with the
// public "suggest a correction" form of every listing, and a stand-in figure for the
// statistics (in this test's database only) so that the Statistics page, chart and table,
// is linked, crawled and checked too. The real figures are for staff to enter.
func startSite(tb testing.TB) *webtest.Site {
	tb.Helper()
	site := webtest.MustStart(tb, webtest.Options{Corrections: true})
	if _, err := site.Store.DB().Exec(`UPDATE stats SET value = 1 WHERE value IS NULL`); err != nil {
		tb.Fatal(err)
	}
	// One listing has places, so the checks see the Where section: a private one and one
	// with a geo: link.
	if x, err := site.Store.FindListing(context.Background(), directory.KindOrganization, "polaris", "en"); err != nil {
		tb.Fatal(err)
	} else {
		lat, lon := 61.2181, -149.9003
		if err := site.Store.SaveLocations(context.Background(), x.ID, []directory.Location{
			{Name: "Shelter", Street: "1 Private Way", City: "Fairbanks", State: "AK", PostalCode: "99701", Private: true},
			{Name: "Office with a rather long name for a narrow phone", Street: "4000 Northernlights Boulevard Suite 1200", City: "Anchorage", State: "AK", PostalCode: "99508", Latitude: &lat, Longitude: &lon},
		}); err != nil {
			tb.Fatal(err)
		}
	}
	return site
}

// publicPages crawls the site from its home page in every language and returns every public
// page, sorted, plus a search page with a query (the crawl follows no query strings).
func publicPages(tb testing.TB, site *webtest.Site) []string {
	tb.Helper()
	seen := map[string]bool{}
	for _, start := range []string{"/", "/es/"} {
		for _, p := range site.Crawl(tb, start) {
			seen[p] = true
		}
	}
	seen["/search?q=hotline"] = true
	seen["/es/search?q=l%C3%ADnea"] = true
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// pageType names the kind of page at path, for screenshots: one file per kind and width.
func pageType(path string) string {
	p, _, _ := strings.Cut(path, "?")
	lang := "en"
	if rest, ok := strings.CutPrefix(p, "/es"); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
		lang, p = "es", rest
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	name := parts[0]
	if name == "" {
		name = "home"
	}
	if len(parts) > 2 && parts[2] == "correction" {
		name = "correction"
	} else if len(parts) > 1 {
		name += "-item"
	}
	return lang + "-" + name
}

// mustStatus fails unless GET path answers status.
func mustStatus(tb testing.TB, site *webtest.Site, path string, status int) string {
	tb.Helper()
	resp, body := site.Get(tb, path)
	if resp.StatusCode != status {
		tb.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, status)
	}
	return body
}
