package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// widths are the viewport widths every page is checked at: the narrowest phone in use, and
// a desktop.
var widths = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"320", 320, 640, true},
	{"1280", 1280, 900, false},
}

// axeTags are the rule sets axe-core runs: WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's
// best practices, which are where it checks landmarks, heading order and the one h1.
const axeTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]`

// primaryTargets are the controls a person taps to get somewhere or get help; each must be at
// least 44×44 CSS pixels. Links inside running text (prose, the help bar's note, the
// breadcrumb trail, a card's "see also") are exempt, as WCAG 2.5.8 exempts inline targets;
// breadcrumbs still get 24 px from the stylesheet.
const primaryTargets = `.site-header nav a, .nav-narrow summary, .site-footer nav a, .helpbar a.help, .exit,
form button, form input:not([type=hidden]), form select, form textarea, .card-title a, a.line,
.lang-switch, a.path, .chips a, .big-line, .pager a, .toc a, .next a, .brand`

// layoutScript measures what a phone user would notice: horizontal scroll, and tap targets
// that are too small. The narrow menu is opened for the measurement, so its links count too.
const layoutScript = `(() => {
  const menus = [...document.querySelectorAll("details")].filter(d => !d.open);
  menus.forEach(d => d.open = true);
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small: []};
  for (const el of document.querySelectorAll(` + "`" + primaryTargets + "`" + `)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    // A robot trap is hidden from people (clipped to 1 px, aria-hidden): nobody taps it.
    if (el.closest('[aria-hidden="true"], .visually-hidden')) continue;
    if (r.width < 43.5 || r.height < 43.5) {
      const text = (el.textContent || el.getAttribute("aria-label") || el.name || "").trim().replace(/\s+/g, " ").slice(0, 40);
      out.small.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") +
        " \"" + text + "\" " + Math.round(r.width) + "×" + Math.round(r.height));
    }
  }
  menus.forEach(d => d.open = false);
  return out;
})()`

// axeScript runs axe-core and returns its violations, one line per rule with the first few
// elements it found.
const axeScript = `axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + "\n      " +
    v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ")).join("\n      ")))`

type layoutResult struct {
	ScrollWidth float64  `json:"scrollWidth"`
	InnerWidth  float64  `json:"innerWidth"`
	Small       []string `json:"small"`
}

// TestEveryPageWorksOnAPhoneAndADesktop loads every public page, in both languages, at 320 px
// and 1280 px in Chromium, and checks what a visitor would run into: horizontal scroll, small
// tap targets, and anything axe-core finds against WCAG 2.2 AA. It writes one screenshot per
// kind of page and width to screenshots/ for a person to look at.
func TestEveryPageWorksOnAPhoneAndADesktop(t *testing.T) {
	startBrowser(t)
	site := startSite(t)
	paths := publicPages(t, site)
	if len(paths) < 150 {
		t.Fatalf("crawled only %d pages in both languages", len(paths))
	}
	if !slices.Contains(paths, "/statistics") {
		t.Error("the Statistics page, with a figure, is not linked")
	}
	// Every listing has the same correction form: two per language are enough here (the
	// validator still reads every one).
	forms := map[string]int{}
	paths = slices.DeleteFunc(paths, func(p string) bool {
		if strings.HasSuffix(p, "/correction") {
			forms[pageType(p)]++
			return forms[pageType(p)] > 2
		}
		return false
	})
	if forms["en-correction"] == 0 || forms["es-correction"] == 0 {
		t.Errorf("no correction form was crawled: %v", forms)
	}
	// The error page carries the whole frame too.
	paths = append(paths, "/no-such-page", "/es/no-such-page")
	shots := screenshotsDir(t)
	start := time.Now()

	// Two tabs share the work: enough to keep both cores busy with the server in-process.
	const tabs = 2
	var (
		mu    sync.Mutex
		shot  = map[string]bool{}
		wg    sync.WaitGroup
		queue = make(chan string)
	)
	firstOfType := func(name string) bool {
		mu.Lock()
		defer mu.Unlock()
		if shot[name] {
			return false
		}
		shot[name] = true
		return true
	}
	for range tabs {
		ctx := newAxeTab(t, 10*time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range queue {
				for _, problem := range checkPage(ctx, site.URL+p, func(width string) string {
					name := pageType(p) + "-" + width + ".png"
					if firstOfType(name) {
						return filepath.Join(shots, name)
					}
					return ""
				}) {
					t.Errorf("%s %s", p, problem)
				}
			}
		}()
	}
	for _, p := range paths {
		queue <- p
	}
	close(queue)
	wg.Wait()

	// The phone menu, opened, for a person to look at.
	ctx := newTab(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
		chromedp.Navigate(site.URL+"/"), chromedp.Click(chromedp.CSS(".nav-narrow summary"))); err != nil {
		t.Fatal(err)
	}
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Error(err)
	} else if err := os.WriteFile(filepath.Join(shots, "en-home-320-menu.png"), png, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("%d pages × %d widths checked in %s", len(paths), len(widths), time.Since(start).Round(time.Millisecond))
}

// checkPage loads url once and checks it at each width, returning what is wrong. shotPath
// says where to save a screenshot for a width ("" for none). An empty url checks the page
// the tab is on.
func checkPage(ctx context.Context, url string, shotPath func(width string) string) []string {
	var problems []string
	for i, w := range widths {
		opts := []chromedp.EmulateViewportOption{}
		if w.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(w.width, w.height, opts...)}
		if i == 0 && url != "" {
			steps = append(steps, chromedp.Navigate(url))
		}
		if err := chromedp.Do(ctx, steps...); err != nil {
			return append(problems, fmt.Sprintf("at %s px: %v", w.name, err))
		}
		lay, err := chromedp.Run(ctx, chromedp.Evaluate[layoutResult](layoutScript))
		if err != nil {
			return append(problems, fmt.Sprintf("at %s px: layout: %v", w.name, err))
		}
		// Compared with the width asked for, not innerWidth: a phone browser widens its layout
		// viewport to fit content that overflows, so innerWidth grows with the overflow.
		if lay.ScrollWidth > float64(w.width) || lay.InnerWidth > float64(w.width) {
			problems = append(problems, fmt.Sprintf("at %s px: scrolls sideways (scrollWidth %.0f, innerWidth %.0f)", w.name, lay.ScrollWidth, lay.InnerWidth))
		}
		for _, s := range lay.Small {
			problems = append(problems, fmt.Sprintf("at %s px: tap target under 44×44: %s", w.name, s))
		}
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeScript, chromedp.EvalAwaitPromise))
		if err != nil {
			return append(problems, fmt.Sprintf("at %s px: axe: %v", w.name, err))
		}
		for _, v := range violations {
			problems = append(problems, fmt.Sprintf("at %s px: axe: %s", w.name, v))
		}
		if path := shotPath(w.name); path != "" {
			// The whole page, and the first screen alone: what a visitor sees before scrolling.
			full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				return append(problems, fmt.Sprintf("screenshot: %v", err))
			}
			top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				return append(problems, fmt.Sprintf("screenshot: %v", err))
			}
			for name, png := range map[string][]byte{path: full, strings.TrimSuffix(path, ".png") + "-top.png": top} {
				if err := os.WriteFile(name, png, 0o644); err != nil {
					return append(problems, err.Error())
				}
			}
		}
	}
	return problems
}

// TestAxeCatchesABrokenPage keeps the page test honest: axe-core, injected the same way, must
// report a picture without a text alternative and an unlabelled field.
func TestAxeCatchesABrokenPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>`+
			`<h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>`)
	}))
	defer srv.Close()
	ctx := newAxeTab(t, time.Minute)
	problems := checkPage(ctx, srv.URL, func(string) string { return "" })
	got := strings.Join(problems, "\n")
	for _, want := range []string{"image-alt", "label"} {
		if !strings.Contains(got, "axe: "+want) {
			t.Errorf("axe did not report %s on a broken page; it said:\n%s", want, got)
		}
	}
}

// TestACorrectionSentEmptySaysWhyToEveryone sends the public correction form empty, in a
// browser: the answer names the problem at the top (announced, linked to the field), marks
// the field invalid and ties the message to it, and still passes every page check.
func TestACorrectionSentEmptySaysWhyToEveryone(t *testing.T) {
	site := startSite(t)
	shots := screenshotsDir(t)
	for _, path := range []string{"/organizations/polaris/correction", "/es/hotlines/eeoc/correction"} {
		ctx := newAxeTab(t, time.Minute)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
			chromedp.Navigate(site.URL+path),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		tied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const box = document.querySelector(".error-summary");
			if (box.getAttribute("role") !== "alert") return "the summary is not announced (role=alert)";
			const link = box.querySelector("a[href^='#']");
			const field = link && document.getElementById(link.getAttribute("href").slice(1));
			if (!field) return "the summary does not link to the field";
			if (field.getAttribute("aria-invalid") !== "true") return "the field is not marked invalid";
			const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
			if (!ids.some(id => { const e = document.getElementById(id); return e && e.classList.contains("field-error"); }))
				return "the error message is not tied to the field with aria-describedby";
			return "";
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if tied != "" {
			t.Errorf("%s: %s", path, tied)
		}
		for _, problem := range checkPage(ctx, "", func(width string) string {
			return filepath.Join(shots, pageType(path)+"-error-"+width+".png")
		}) {
			t.Errorf("%s, sent empty: %s", path, problem)
		}
	}
}
