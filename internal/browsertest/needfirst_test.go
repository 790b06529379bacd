package browsertest

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// maxPhoneTop is how tall the top of a page (exit bar, help bar, header) may be on a
// 390 px phone: less than the 386 px it took before issue 17, so that the page's own
// content starts on the first screen.
const maxPhoneTop = 330

// TestNeedFirstOnAPhone loads the home, Report it, Get help and Hotlines pages on a 390 px
// phone and checks the first screen: the top takes under maxPhoneTop, and Report it reaches
// the "which line fits" choices on the first screen rather than repeating 911 and the
// hotline that the help bar already shows. It saves a screenshot of each first screen and
// whole page to screenshots/needfirst-*.png for a person to look at.
func TestNeedFirstOnAPhone(t *testing.T) {
	site := startSite(t)
	shots := screenshotsDir(t)
	const screenH = 844
	for _, p := range []struct{ name, path string }{
		{"home", "/"}, {"report-it", "/report-it"}, {"get-help", "/get-help"}, {"hotlines", "/hotlines"},
		{"es-report-it", "/es/report-it"}, {"es-hotlines", "/es/hotlines"},
	} {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(390, screenH, chromedp.EmulateMobile),
			chromedp.Navigate(site.URL+p.path),
		); err != nil {
			t.Fatal(err)
		}
		top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector(".site-header").getBoundingClientRect().bottom`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: top of the page (exit, help bar, header) %.0f px at 390 px", p.path, top)
		if top >= maxPhoneTop {
			t.Errorf("%s: the top of the page takes %.0f px on a 390 px phone, want under %d", p.path, top, maxPhoneTop)
		}
		if p.name == "report-it" || p.name == "es-report-it" {
			first, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
				const el = document.querySelector(".guide-item");
				return el ? el.getBoundingClientRect().top : 1e9;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if first >= screenH-60 {
				t.Errorf("%s: the first 'which line fits' choice starts at %.0f px, below the first screen", p.path, first)
			}
			repeats, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main .callout-emergency").length`))
			if err != nil {
				t.Fatal(err)
			}
			if repeats > 0 {
				t.Errorf("%s: repeats the emergency block the help bar already shows", p.path)
			}
		}
		topPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		for name, png := range map[string][]byte{"needfirst-" + p.name + "-390-top.png": topPNG, "needfirst-" + p.name + "-390.png": full} {
			if err := os.WriteFile(filepath.Join(shots, name), png, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// pdfPages counts the pages of a PDF Chromium printed (its page objects).
var pdfPages = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestPrintIsAShortHandout prints Report it and a hotline's page, in both languages, on
// Letter paper as Chromium does, and wants at most two pages each.
func TestPrintIsAShortHandout(t *testing.T) {
	site := startSite(t)
	for _, path := range []string{"/report-it", "/es/report-it", "/hotlines/national-human-trafficking-hotline",
		"/es/hotlines/national-human-trafficking-hotline", "/agencies/ojjdp"} {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+path)); err != nil {
			t.Fatal(err)
		}
		yes := true
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		if err != nil {
			t.Fatal(err)
		}
		n := len(pdfPages.FindAll(res.Data, -1))
		t.Logf("%s prints on %d pages", path, n)
		if n == 0 || n > 2 {
			t.Errorf("%s prints on %d pages, want one or two", path, n)
		}
	}
}
