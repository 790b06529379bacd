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
  return {
    what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40),
    visible: outline || cs.boxShadow !== "none",
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight + scrollY,
    isSkip: el.matches('a.skip[href="#main"]'),
    isMain: el.id === "main",
  };
})()`

type focusState struct {
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
			if !f.Visible || !f.OnScreen {
				t.Errorf("%s: Tab stop %d (%s) has no visible focus (%+v)", path, i+1, f.What, f)
			}
		}
	}
}
