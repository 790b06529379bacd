package browsertest

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// tracedQuery and controlQuery are what the visitor types. tracedQuery finds the two
// passport-fraud listings; neither phrase is written anywhere on the site, so any copy of
// one in the browser's profile came from the typing.
const (
	tracedQuery  = "fraud passport"
	controlQuery = "passport visa"
)

// TestSearchLeavesNoWordsInTheBrowserProfile drives Chromium with a profile directory of its
// own, as a visitor would: search from the search box, open a result, leave with the quick
// exit. Then it closes the browser (which writes History, the saved session and form data to
// disk) and reads every file of the profile, its HTTP cache included, for the typed words:
// as typed, as a URL would carry them, and in UTF-16 (as the saved session and history keep
// titles). A control search through an old-style GET URL, in the same profile, must be
// found, which shows the scan reads what the browser wrote. Without JavaScript the same holds
// except for the saved session, which keeps the posted form (see below).
func TestSearchLeavesNoWordsInTheBrowserProfile(t *testing.T) {
	for _, tc := range []struct {
		name     string
		noScript bool
		page     string // where the visitor types
		box      string
	}{
		{"with JavaScript", false, "/search", "#q-page"},
		{"with JavaScript, from the header of another page", false, "/know-it", "#q-header"},
		{"without JavaScript", true, "/search", "#q-page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, exitURL := startExitSite(t)
			profile := t.TempDir()
			ctx, closeBrowser := startOwnBrowser(t, profile)

			// The control: a search by URL, as search engines and old links still make them.
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/search?q="+url.QueryEscape(controlQuery))); err != nil {
				t.Fatal(err)
			}
			// A page between, so the visitor starts somewhere else, as they would.
			if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/see-it")); err != nil {
				t.Fatal(err)
			}
			if tc.noScript {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
				chromedp.Navigate(site.URL+tc.page),
				chromedp.SendKeys(chromedp.CSS(tc.box), tracedQuery+"\r"),
				chromedp.WaitVisible(chromedp.CSS(".search-results .card-title a")),
			); err != nil {
				t.Fatal(err)
			}
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			title, err := chromedp.Run(ctx, chromedp.Title())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(loc, "passport") || strings.Contains(strings.ToLower(title), "passport") {
				t.Errorf("the results show the words in the address (%s) or the title (%q)", loc, title)
			}
			// Open the first result, then leave.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".search-results .card-title a"))); err != nil {
				t.Fatal(err)
			}
			waitLocation(t, ctx, site.URL+"/")
			for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/search") {
					break
				}
			}
			result, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(html), tracedQuery) {
				t.Fatalf("the result page %s itself says %q: choose other words for this test", result, tracedQuery)
			}
			leave(t, ctx, chromedp.Click(chromedp.CSS(".exit")))
			waitLocation(t, ctx, exitURL)
			closeBrowser()

			files := profileFiles(t, profile)
			if hits := findInFiles(files, controlQuery); len(hits) == 0 {
				t.Errorf("the control search %q is nowhere in the profile: the scan proves nothing (files: %v)", controlQuery, names(files, profile))
			} else {
				t.Logf("control search found, as it should be, in %v", rel(hits, profile))
			}
			hits := findInFiles(files, tracedQuery)
			if tc.noScript {
				// Without script the form posts as a page, and Chromium keeps a posted
				// page's form data in the tab's saved session (Sessions/) so that it can
				// post it again; nothing a page can say stops it. /browsing-safely says so.
				// Everything else must still be clean: History, titles, autofill, cache.
				hits = slices.DeleteFunc(hits, func(p string) bool {
					return strings.Contains(filepath.ToSlash(p), "/Sessions/")
				})
			}
			if len(hits) > 0 {
				t.Errorf("the words typed (%q) are in the profile: %v", tracedQuery, rel(hits, profile))
			}
		})
	}
}

// startOwnBrowser starts a Chromium of the test's own on the profile directory, its HTTP
// cache inside it. The returned func closes the browser gracefully, as a person closing it
// would, so that it writes what it keeps to disk; it waits for the browser to exit.
func startOwnBrowser(t *testing.T, profile string) (context.Context, func()) {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		skipWithoutTools(t, "chromium", err)
	}
	opts := append(chromiumOptions(path, profile), chromedp.Flag("disk-cache-dir", filepath.Join(profile, "cache")))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		skipWithoutTools(t, "chromium", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	closed := false
	closeBrowser := func() {
		if closed {
			return
		}
		closed = true
		cctx, ccancel := context.WithTimeout(bctx, 30*time.Second)
		if err := chromedp.Cancel(cctx); err != nil {
			t.Logf("close chromium: %v", err)
		}
		ccancel()
		cancel()
		bcancel()
		acancel()
	}
	t.Cleanup(closeBrowser)
	return ctx, closeBrowser
}

// profileFiles returns every regular file under dir.
func profileFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// findInFiles returns the files that hold words in any form a browser stores text: as
// typed, in a query string (+ or %20 between words), in UTF-16 (little endian), without
// regard to case.
func findInFiles(files []string, words string) []string {
	forms := [][]byte{
		[]byte(words),
		[]byte(strings.ReplaceAll(words, " ", "+")),
		[]byte(strings.ReplaceAll(words, " ", "%20")),
		utf16le(words),
	}
	var hits []string
	for _, f := range files {
		b, err := os.ReadFile(f) // #nosec G304 -- files of the test's own temporary profile
		if err != nil {
			continue // a lock or socket the browser left
		}
		b = bytes.ToLower(b)
		for _, form := range forms {
			if bytes.Contains(b, bytes.ToLower(form)) {
				hits = append(hits, f)
				break
			}
		}
	}
	return hits
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func rel(paths []string, dir string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			r = p
		}
		out = append(out, r)
	}
	return out
}

func names(paths []string, dir string) []string { return rel(paths, dir) }
