package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"signpost/internal/webtest"
)

// focusScript describes the focused element and whether its focus can be seen: an outline
// of at least 2 px or a focus ring drawn with box-shadow.
const focusScript = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {what: "body", visible: false, onScreen: false};
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
  // The sticky exit bar stays on top while the page scrolls: nothing focused may hide
  // under it (WCAG 2.4.11).
  const bar = document.querySelector(".exitbar");
  const over = document.elementFromPoint(r.left + r.width / 2, Math.max(r.top, 0) + Math.min(r.height, 8) / 2);
  const obscured = !!bar && !bar.contains(el) && !!over && bar.contains(over);
  return {
    obscured,
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40),
    visible: outline || cs.boxShadow !== "none",
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight + scrollY,
    isSkip: el.matches('a.skip[href="#main"]'),
    isMain: el.id === "main",
  };
})()`

type focusState struct {
	Obscured bool   `json:"obscured"`
	What     string `json:"what"`
	Visible  bool   `json:"visible"`
	OnScreen bool   `json:"onScreen"`
	IsSkip   bool   `json:"isSkip"`
	IsMain   bool   `json:"isMain"`
}

// TestAKeyboardUserCanSkipToTheContentAndSeeWhereTheyAre: the first Tab stop is the skip
// link, which shows itself and moves focus to the main content; from there every Tab stop
// shows a visible focus indicator.
func TestAKeyboardUserCanSkipToTheContentAndSeeWhereTheyAre(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, path := range []string{"/report-it", "/es/hotlines/national-human-trafficking-hotline"} {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(site.URL+path), chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusScript))
		if err != nil {
			t.Fatal(err)
		}
		if !f.IsSkip || !f.Visible || !f.OnScreen {
			t.Fatalf("%s: first Tab stop is %+v, want the visible skip link", path, f)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		if f, err = chromedp.Run(ctx, chromedp.Evaluate[focusState](focusScript)); err != nil || !f.IsMain {
			t.Fatalf("%s: after the skip link, focus is on %+v (%v), want main", path, f, err)
		}
		for i := range 30 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusScript))
			if err != nil {
				t.Fatal(err)
			}
			if f.What == "body" {
				break // past the last stop
			}
			if !f.Visible || !f.OnScreen || f.Obscured {
				t.Errorf("%s: Tab stop %d (%s) has no visible focus (%+v)", path, i+1, f.What, f)
			}
		}

		// Backwards from the end of the page: each stop scrolls into view at the top, where
		// the sticky exit bar must not cover it.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll(".site-footer a")].pop().focus()`)); err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))); err != nil {
				t.Fatal(err)
			}
			f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusScript))
			if err != nil {
				t.Fatal(err)
			}
			if !f.Visible || !f.OnScreen || f.Obscured {
				t.Errorf("%s: Shift+Tab stop %d (%s): %+v", path, i+1, f.What, f)
			}
		}
	}
}

// TestALinkToAPartOfAPageShowsItBelowTheExitBar: the home page's "which line fits" links
// jump to a part of Report it; its heading must not land under the sticky exit bar.
func TestALinkToAPartOfAPageShowsItBelowTheExitBar(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := newTab(t, time.Minute)
	for _, w := range widths {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(site.URL+"/report-it#fits-visa-work-programs")); err != nil {
			t.Fatal(err)
		}
		covered, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("fits-visa-work-programs").getBoundingClientRect().top <
			document.querySelector(".exitbar").getBoundingClientRect().bottom`))
		if err != nil {
			t.Fatal(err)
		}
		if covered {
			t.Errorf("at %d px the part linked to is under the exit bar", w.width)
		}
	}
}
