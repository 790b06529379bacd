package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"signpost/internal/webtest"
)

// startExitSite starts a stand-in for the exit destination (a weather site in production) on
// its own loopback server, and points the site's exit setting at it.
func startExitSite(t *testing.T) (site *webtest.Site, exitURL string) {
	t.Helper()
	dest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html lang="en"><title>Weather</title><p>Sunny.</p></html>`)
	}))
	t.Cleanup(dest.Close)
	site = webtest.MustStart(t, webtest.Options{})
	exitURL = dest.URL + "/forecast"
	// Set before the first request, so no page was rendered and cached with the old value.
	if _, err := site.Store.DB().Exec(`UPDATE settings SET value = ? WHERE key = 'exit_url'`, exitURL); err != nil {
		t.Fatal(err)
	}
	return site, exitURL
}

// waitLocation waits until the tab is at a URL that starts with prefix.
func waitLocation(t *testing.T, ctx context.Context, prefix string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var at string
	for time.Now().Before(deadline) {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && strings.HasPrefix(loc, prefix) {
			return
		}
		at = loc
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the tab is at %q, not at %s…", at, prefix)
}

// assertLeftNoTrail checks that the page the visitor left is not in the tab's history, and
// that Back does not bring it up again: the exit replaced its history entry.
func assertLeftNoTrail(t *testing.T, ctx context.Context, left, exitURL string) {
	t.Helper()
	hist, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, e := range hist.Entries {
		urls = append(urls, e.URL)
	}
	if slices.Contains(urls, left) {
		t.Errorf("the page left (%s) is still in the history: %v", left, urls)
	}
	leave(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	time.Sleep(300 * time.Millisecond)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc == left {
		t.Errorf("Back returned to %s", left)
	}
}

// leave runs an action that makes the page leave. The browser may answer the action's last
// command with "target navigated" when the exit wins the race; that is the exit working.
func leave(t *testing.T, ctx context.Context, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, a); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
		t.Fatal(err)
	}
}

// pressShift presses and releases the Shift key n times, as a person would.
func pressShift(n int) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		for range n {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
				if _, err := cdp.Call(ctx, tab, input.DispatchKeyEvent, input.DispatchKeyEventParams{
					Type: typ, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16, NativeVirtualKeyCode: 16,
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func TestQuickExitLeavesTheSite(t *testing.T) {
	site, exitURL := startExitSite(t)
	page := site.URL + "/see-it"

	t.Run("button", func(t *testing.T) {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
			chromedp.Navigate(page),
		); err != nil {
			t.Fatal(err)
		}
		leave(t, ctx, chromedp.Click(chromedp.CSS(".exit")))
		waitLocation(t, ctx, exitURL)
		assertLeftNoTrail(t, ctx, page, exitURL)
	})

	t.Run("hidden link, from the keyboard", func(t *testing.T) {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		// The hidden link is among the first stops of the Tab key, and shows when focused.
		found := false
		for range 3 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
				const el = document.activeElement;
				if (!el || !el.matches("a.skip[data-exit]")) return false;
				const r = el.getBoundingClientRect();
				return r.top >= 0 && r.height > 0;
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if found = focused; found {
				break
			}
		}
		if !found {
			t.Fatal("three presses of Tab did not reach a visible hidden exit link")
		}
		leave(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitLocation(t, ctx, exitURL)
		assertLeftNoTrail(t, ctx, page, exitURL)
	})

	t.Run("Shift three times", func(t *testing.T) {
		ctx := newTab(t, time.Minute)
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		leave(t, ctx, pressShift(3))
		waitLocation(t, ctx, exitURL)
		assertLeftNoTrail(t, ctx, page, exitURL)
	})

	t.Run("button, with JavaScript off", func(t *testing.T) {
		ctx := newTab(t, time.Minute)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		leave(t, ctx, chromedp.Click(chromedp.CSS(".exit")))
		// Without script the link is a plain link: it leaves, though Back can return.
		waitLocation(t, ctx, exitURL)
	})
}

// TestShiftTwiceDoesNotLeave guards against an exit on ordinary typing: capital letters
// need Shift too.
func TestShiftTwiceDoesNotLeave(t *testing.T) {
	site, _ := startExitSite(t)
	ctx := newTab(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/see-it")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, pressShift(2)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != site.URL+"/see-it" {
		t.Errorf("two presses of Shift left the page for %s", loc)
	}
}
