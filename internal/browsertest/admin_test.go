package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// adminWidths are the widths the staff screens are checked at: a common phone, and a desktop.
var adminWidths = []struct {
	name          string
	width, height int64
	mobile        bool
}{
	{"390", 390, 844, true},
	{"1280", 1280, 900, false},
}

// adminTargets are the staff screens' controls that must be at least 44×44 CSS pixels:
// the menu, every button and text control. A checkbox is exempt because its whole row (the
// label beside it) is the target; the stylesheet gives that row 44 px.
const adminTargets = `.admin-nav a, .admin-nav summary, .admin-search input, .admin-search button, main button, main a.button,
main input:not([type=hidden]):not([type=checkbox]), main select, main textarea, .dash-summary a`

// adminLayoutScript is layoutScript for the staff screens, plus what the brief asks to be
// measured: the page's length and the height of the menu as it is first seen.
const adminLayoutScript = `(() => {
  const nav = document.querySelector(".admin-header");
  const navHeight = nav ? nav.getBoundingClientRect().height : 0;
  const height = document.documentElement.scrollHeight; // as first seen, folded parts folded
  const menus = [...document.querySelectorAll("details")].filter(d => !d.open);
  menus.forEach(d => d.open = true);
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, small: [],
    height, navHeight};
  for (const el of document.querySelectorAll(` + "`" + adminTargets + "`" + `)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
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

type adminLayout struct {
	layoutResult
	Height    float64 `json:"height"`
	NavHeight float64 `json:"navHeight"`
}

const (
	staffEmail    = "browser-staff@example.org"
	staffPassword = "correct horse staple battery"
)

// startStaffSite is startSite with the staff area mounted and an admin account (in this
// test's database only) to sign in with.
func startStaffSite(tb testing.TB) *webtest.Site {
	tb.Helper()
	// The second step has its own browser test (TestPasskeyInChromium); here the admin goes
	// straight to the screens, as MustStartStaff's default has it.
	site, _ := webtest.MustStartStaff(tb, webtest.StaffOptions{})
	webtest.MustAddUser(tb, site.Store, staffEmail, staffPassword, directory.RoleAdmin)
	// A visitor's suggestion waits, so the menu's count and the dashboard's notice show.
	l, err := site.Store.FindListing(context.Background(), directory.KindHotline, "national-human-trafficking-hotline", "en")
	if err != nil {
		tb.Fatal(err)
	}
	if err := site.Store.CreateCorrection(context.Background(), &directory.Correction{ListingID: l.ID, Field: "hours",
		Message: "The hours on the page are not the ones the line gave me."}); err != nil {
		tb.Fatal(err)
	}
	// A new text number waits for a second staff member (issue 13), so the approvals screen
	// and the edit screen show the change as a diff.
	for i := range l.Channels {
		if l.Channels[i].Keyword == "BEFREE" {
			l.Channels[i].Number = "233744"
		}
	}
	if c, err := site.Store.UpdateListingHoldingContacts(context.Background(), l, store.Actor{Email: "another.editor@example.org"}); err != nil || c == nil {
		tb.Fatalf("a waiting contact change: %v", err)
	}
	return site
}

// signInTab signs the tab in through the sign-in form, as a person would.
func signInTab(tb testing.TB, ctx context.Context, site *webtest.Site) {
	tb.Helper()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(site.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), staffEmail),
		chromedp.SendKeys(chromedp.CSS("#f-password"), staffPassword),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	); err != nil {
		tb.Fatalf("sign in: %v", err)
	}
}

// TestEveryStaffScreenWorksOnAPhoneAndADesktop signs in as a staff member and loads each kind
// of staff screen at 390 px and 1280 px: no sideways scroll, 44 px targets, no axe-core
// violation. It logs the dashboard's length and the menu's height (the figures issue 14
// measured), and writes screenshots to screenshots/admin-*.png for a person to look at.
func TestEveryStaffScreenWorksOnAPhoneAndADesktop(t *testing.T) {
	site := startStaffSite(t)
	shots := screenshotsDir(t)
	ctx := newAxeTab(t, 10*time.Minute)
	signInTab(t, ctx, site)
	// An edit screen and its history and translation: the first hotline in the list.
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/admin/hotlines")); err != nil {
		t.Fatal(err)
	}
	hotline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".admin-table tbody a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	id := hotline[strings.LastIndex(hotline, "/")+1:]
	// A bulk action on a phone, as staff would do it from the dashboard's link: tick the
	// first hotline not verified lately, continue, check the confirmation, confirm.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(site.URL+"/admin/hotlines?state=unverified&sort=verified"),
		chromedp.Click(chromedp.CSS(`.tick-label`)),
		chromedp.Click(chromedp.CSS(`#bulk button[value="ticked"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.bulk-list`)),
	); err != nil {
		t.Fatalf("bulk action: %v", err)
	}
	for _, problem := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-bulk-confirm-%s.png"), t.Logf) {
		t.Errorf("bulk confirmation %s", problem)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main form button.button`))); err != nil {
		t.Fatalf("confirm the bulk action: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.flash`)))
	if err != nil {
		t.Fatalf("confirm the bulk action: %v", err)
	}
	if !strings.HasPrefix(flash, "Marked verified: 1 hotline") {
		t.Errorf("after the bulk action: %q", flash)
	}
	// The phone menu, opened, for a person to look at.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(site.URL+"/admin/"),
		chromedp.Click(chromedp.CSS(".admin-nav-narrow summary"))); err != nil {
		t.Fatal(err)
	}
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Error(err)
	} else if err := os.WriteFile(filepath.Join(shots, "admin-menu-390.png"), png, 0o644); err != nil { // #nosec G306 -- a screenshot
		t.Error(err)
	}

	pending, _, err := site.Store.ListContactChanges(context.Background(), 0)
	if err != nil || len(pending) == 0 {
		t.Fatalf("no contact change waiting: %v", err)
	}
	screens := []struct{ name, path string }{
		{"dashboard", "/admin/"},
		{"list", "/admin/hotlines"},
		{"list-pages", "/admin/pages"},
		{"list-signs", "/admin/signs"},
		{"list-stats", "/admin/stats"},
		{"list-filters", "/admin/filters"},
		{"edit", "/admin/hotlines/" + id},
		{"places", "/admin/hotlines/" + id + "/places"},
		{"history", "/admin/history/listings/" + id},
		{"translate", "/admin/translate/listings/" + id + "/es"},
		{"settings", "/admin/settings"},
		{"corrections", "/admin/corrections"},
		{"approvals", "/admin/approvals"},
		{"edit-pending", "/admin/hotlines/" + strconv.FormatInt(pending[0].ListingID, 10)},
		{"trash", "/admin/trash"},
		{"users", "/admin/users"},
		{"audit", "/admin/audit"},
		{"search", "/admin/search?q=hotline"},
	}
	for _, s := range screens {
		for _, problem := range checkAdminPage(ctx, site.URL+s.path, filepath.Join(shots, "admin-"+s.name+"-%s.png"), t.Logf) {
			t.Errorf("%s %s", s.path, problem)
		}
	}
}

// checkAdminPage loads url (or, if empty, keeps the page the tab is on) at each admin width
// and returns what is wrong with it; shots is a screenshot path with %s for the width. It
// logs the dashboard's figures with logf.
func checkAdminPage(ctx context.Context, url, shots string, logf func(string, ...any)) []string {
	var problems []string
	for i, w := range adminWidths {
		opts := []chromedp.EmulateViewportOption{}
		if w.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(w.width, w.height, opts...)}
		// A page reached by a POST (url "") is not loaded again: each width re-lays it out.
		if url != "" && i == 0 {
			steps = append(steps, chromedp.Navigate(url))
		}
		if err := chromedp.Do(ctx, steps...); err != nil {
			return append(problems, fmt.Sprintf("at %s px: %v", w.name, err))
		}
		lay, err := chromedp.Run(ctx, chromedp.Evaluate[adminLayout](adminLayoutScript))
		if err != nil {
			return append(problems, fmt.Sprintf("at %s px: %v", w.name, err))
		}
		if lay.ScrollWidth > float64(w.width) || lay.InnerWidth > float64(w.width) {
			problems = append(problems, fmt.Sprintf("at %s px: scrolls sideways (scrollWidth %.0f, innerWidth %.0f)", w.name, lay.ScrollWidth, lay.InnerWidth))
		}
		for _, small := range lay.Small {
			problems = append(problems, fmt.Sprintf("at %s px: tap target under 44×44: %s", w.name, small))
		}
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeScript, chromedp.EvalAwaitPromise))
		if err != nil {
			return append(problems, fmt.Sprintf("at %s px: axe: %v", w.name, err))
		}
		for _, v := range violations {
			problems = append(problems, fmt.Sprintf("at %s px: axe: %s", w.name, v))
		}
		if strings.HasSuffix(url, "/admin/") {
			logf("dashboard at %s px: %.0f px long; header and menu %.0f px high", w.name, lay.Height, lay.NavHeight)
		}
		if err := screenshot(ctx, fmt.Sprintf(shots, w.name)); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

// screenshot saves the whole page to path and its first screen beside it as …-top.png.
func screenshot(ctx context.Context, path string) error {
	full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	top, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, full, 0o644); err != nil { // #nosec G306 -- screenshots for people to look at
		return err
	}
	return os.WriteFile(strings.TrimSuffix(path, ".png")+"-top.png", top, 0o644) // #nosec G306
}
