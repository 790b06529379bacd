package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAFairbanksShelterWithAPrivateAddress is issue 14's "add a Fairbanks shelter with a
// private address": a staff member creates a shelter, gives it a place whose street is kept
// private (the town is Fairbanks) and publishes it; a visitor then finds it in the first
// three results for "shelter fairbanks" and for "Fairbanks", and its page shows the town
// alone, with no map link, fits a 390 px phone and has no axe-core violation.
func TestAFairbanksShelterWithAPrivateAddress(t *testing.T) {
	site := startStaffSite(t)
	shots := screenshotsDir(t)
	ctx := newAxeTab(t, 2*time.Minute)
	signInTab(t, ctx, site)

	// Staff: the new shelter, as a draft.
	const street = "77 Hidden Spruce Lane"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+"/admin/organizations/new"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form [name="name"]`), "Golden Heart Safe House"),
		chromedp.SendKeys(chromedp.CSS(`#entry-form [name="summary"]`), "A safe place to stay for people leaving trafficking."),
		chromedp.Click(chromedp.CSS(`#entry-form input[name="terms"][value="service/shelter"]`)),
		chromedp.Click(chromedp.CSS(`#entry-form input[name="terms"][value="area/local"]`)),
		chromedp.Click(chromedp.CSS(`#entry-form button[name="_action"][value="save"]:not([hidden])`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/places"]`)),
	); err != nil {
		t.Fatalf("create the shelter: %v", err)
	}
	edit, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	// Its place: the street private, the town Fairbanks.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href$="/places"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="p0.street"]`)),
		chromedp.SendKeys(chromedp.CSS(`[id="p0.street"]`), street),
		chromedp.SendKeys(chromedp.CSS(`[id="p0.city"]`), "Fairbanks"),
		chromedp.SendKeys(chromedp.CSS(`[id="p0.state"]`), "AK"),
		chromedp.SendKeys(chromedp.CSS(`[id="p0.zip"]`), "99701"),
		chromedp.Click(chromedp.CSS(`[id="p0.private"]`)),
		chromedp.Click(chromedp.CSS(`.places-form button:not([name])`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("add the place: %v", err)
	}
	// Published.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+edit),
		chromedp.Click(chromedp.CSS(`button[name="status"][value="published"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[name="status"][value="draft"]`)),
	); err != nil {
		t.Fatalf("publish: %v", err)
	}

	// A visitor, on a phone.
	var listing string
	for _, q := range []string{"shelter fairbanks", "Fairbanks"} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(site.URL+"/search?q="+strings.ReplaceAll(q, " ", "+")),
			chromedp.WaitVisible(chromedp.CSS(".search-results")),
		); err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		top, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".search-results .card-title a")].slice(0, 3).map(a => a.textContent.trim() + "|" + a.getAttribute("href"))`))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range top {
			name, href, _ := strings.Cut(x, "|")
			if name == "Golden Heart Safe House" {
				found, listing = true, href
			}
		}
		if !found {
			t.Errorf("search %q: the shelter is not in the first three: %v", q, top)
		}
		if q == "Fairbanks" {
			if problems := checkPlacesPage(ctx); len(problems) > 0 {
				t.Errorf("search %q at 390 px:\n  %s", q, strings.Join(problems, "\n  "))
			}
			if err := screenshot(ctx, filepath.Join(shots, "places-search-fairbanks-390.png")); err != nil {
				t.Error(err)
			}
		}
	}
	if listing == "" {
		t.Fatal("no link to the shelter's page")
	}

	// The "Near a town" filter, chosen: the filters are open, the shelter first.
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/search?near=fairbanks"), chromedp.WaitVisible(chromedp.CSS("select#near"))); err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".search-results .card-title a").textContent.trim()`))
	if err != nil || first != "Golden Heart Safe House" {
		t.Errorf("near Fairbanks: first result %q (%v)", first, err)
	}
	if problems := checkPlacesPage(ctx); len(problems) > 0 {
		t.Errorf("near Fairbanks at 390 px:\n  %s", strings.Join(problems, "\n  "))
	}
	if err := screenshot(ctx, filepath.Join(shots, "places-near-fairbanks-390.png")); err != nil {
		t.Error(err)
	}

	// Its page: the town alone, no street, no map link.
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+listing), chromedp.WaitVisible(chromedp.CSS("section.places"))); err != nil {
		t.Fatal(err)
	}
	where, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("section.places").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(where, "Fairbanks, AK") {
		t.Errorf("the page does not show the town: %q", where)
	}
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "Hidden Spruce") || strings.Contains(body, "99701") {
		t.Error("the private street address is on the public page")
	}
	if strings.Contains(body, `href="geo:`) {
		t.Error("a private place has a map link")
	}
	if problems := checkPlacesPage(ctx); len(problems) > 0 {
		t.Errorf("the shelter's page at 390 px:\n  %s", strings.Join(problems, "\n  "))
	}
	if err := screenshot(ctx, filepath.Join(shots, "places-private-shelter-390.png")); err != nil {
		t.Error(err)
	}

	// The pages this test made are valid HTML: the Near choice, the town's note, the page.
	dir := t.TempDir()
	var files []string
	for i, path := range []string{"/search?near=fairbanks", "/search?q=shelter+in+fairbanks", "/es/search?q=Fairbanks", listing} {
		name := filepath.Join(dir, fmt.Sprintf("places-%d.html", i))
		if err := os.WriteFile(name, []byte(mustStatus(t, site, path, http.StatusOK)), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	for _, m := range runVNU(t, files) {
		t.Errorf("%s line %d: %s: %s", filepath.Base(m.URL), m.Line, m.Type, m.Message)
	}
}

// checkPlacesPage checks the page in the tab at 390 px: no sideways scroll, no tap target
// under 44 px, no axe-core violation.
func checkPlacesPage(ctx context.Context) []string {
	var problems []string
	lay, err := chromedp.Run(ctx, chromedp.Evaluate[layoutResult](layoutScript))
	if err != nil {
		return []string{fmt.Sprintf("layout: %v", err)}
	}
	if lay.ScrollWidth > 390 || lay.InnerWidth > 390 {
		problems = append(problems, fmt.Sprintf("scrolls sideways (scrollWidth %.0f, innerWidth %.0f)", lay.ScrollWidth, lay.InnerWidth))
	}
	for _, s := range lay.Small {
		problems = append(problems, "tap target under 44×44: "+s)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeScript, chromedp.EvalAwaitPromise))
	if err != nil {
		return append(problems, fmt.Sprintf("axe: %v", err))
	}
	for _, v := range violations {
		problems = append(problems, "axe: "+v)
	}
	return problems
}
