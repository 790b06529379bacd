package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// The staff tasks of issue 14, done in Chromium as a person would: change one text line of
// the national hotline (the edit screen must fit in a few screens), and translate on a phone.

// formScreens bounds the national hotline's edit screen at 1280 × 900: its seven ways, name
// and summary open, the rest folded, must fit in three screens (it was fifteen). At 390 ×
// 844 the ways stack (about 230 px each), so the bound is five phone screens (it was eighteen).
const (
	formScreensDesktop = 3
	formScreensPhone   = 5
)

// editPath is the edit screen of the seeded listing kind/slug.
func editPath(tb testing.TB, site *webtest.Site, kind directory.Kind, slug string) string {
	tb.Helper()
	l, err := site.Store.FindListing(context.Background(), kind, slug, "en")
	if err != nil {
		tb.Fatal(err)
	}
	return "/admin/" + kind.Section() + "/" + strconv.FormatInt(l.ID, 10)
}

// viewport sets the tab to a phone (width under 600) or a desktop.
func viewport(width, height int64) chromedp.Action[chromedp.Void] {
	if width < 600 {
		return chromedp.EmulateViewport(width, height, chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(width, height)
}

// formHeight is the length of the page at url, as first seen, at width × height.
func formHeight(tb testing.TB, ctx context.Context, url string, width, height int64) float64 {
	tb.Helper()
	if err := chromedp.Do(ctx, viewport(width, height), chromedp.Navigate(url)); err != nil {
		tb.Fatal(err)
	}
	h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// shotsDir is where these tests leave their screenshots for a person to look at:
// $SIGNPOST_SHOTS, or the test's temporary folder.
func shotsDir(t *testing.T) string {
	if d := os.Getenv("SIGNPOST_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestStaffFormLengths logs how long the listing edit screens are at a phone's and a
// desktop's width (the figures of issue 14).
func TestStaffFormLengths(t *testing.T) {
	site := startStaffSite(t)
	shots := shotsDir(t)
	ctx := newTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	for _, l := range []struct {
		kind directory.Kind
		slug string
	}{{directory.KindHotline, "national-human-trafficking-hotline"}, {directory.KindHotline, "dhs-hsi-tip-line"}, {directory.KindOrganization, "polaris"}} {
		p := editPath(t, site, l.kind, l.slug)
		for _, w := range adminWidths {
			t.Logf("%s at %s px: %.0f px long", l.slug, w.name, formHeight(t, ctx, site.URL+p, w.width, w.height))
			if err := screenshot(ctx, filepath.Join(shots, "form-"+l.slug+"-"+w.name+".png")); err != nil {
				t.Error(err)
			}
		}
	}
	for _, w := range adminWidths {
		t.Logf("a new hotline at %s px: %.0f px long", w.name, formHeight(t, ctx, site.URL+"/admin/hotlines/new", w.width, w.height))
		if err := screenshot(ctx, filepath.Join(shots, "form-new-hotline-"+w.name+".png")); err != nil {
			t.Error(err)
		}
	}
	t.Logf("screenshots in %s", shots)
}

// changeKeyword changes the keyword of the text way whose keyword is from, in the open tab,
// by typing, and checks that Save is on the screen while the field is; then presses Enter,
// which saves the form.
func changeKeyword(t *testing.T, ctx context.Context, from, to string, width, height int64) {
	t.Helper()
	name, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const f = [...document.querySelectorAll('#entry-form input[name$=".keyword"]')].find(i => i.value === "`+from+`");
  return f ? f.name : "";
})()`))
	if err != nil || name == "" {
		t.Fatalf("no way with keyword %s: %v", from, err)
	}
	field := chromedp.CSS(`[name="` + name + `"]`)
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(field), chromedp.Clear(field), chromedp.SendKeys(field, to)); err != nil {
		t.Fatalf("type the keyword: %v", err)
	}
	inReach, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
  const f = document.querySelector('[name="`+name+`"]').getBoundingClientRect();
  const b = [...document.querySelectorAll(".admin-form .actions button")].find(b => b.textContent.trim() === "Save").getBoundingClientRect();
  return f.top >= 0 && f.bottom <= innerHeight && b.top >= 0 && b.bottom <= innerHeight && b.top >= f.bottom;
})()`))
	if err != nil || !inReach {
		t.Errorf("at %d px: Save is not on the screen below the keyword being typed (%v)", width, err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatalf("save with Enter: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".flash")))
	if err != nil || flash != "Saved." {
		t.Errorf("after Enter: flash %q (%v), want Saved.", flash, err)
	}
}

// publicLine reports whether the public page at path has the text link for number and keyword.
func publicLine(t *testing.T, ctx context.Context, url, number, keyword string) bool {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('a[href="sms:`+number+`?&body=`+keyword+`"]')`))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestStaffChangesATextLineInAFewScreens: a staff member opens the national hotline, changes
// the keyword of a text line and saves, on a desktop and on a phone. The public page shows
// the new line; the edit screen fits in a few screens, with Save in reach.
func TestStaffChangesATextLineInAFewScreens(t *testing.T) {
	site := startStaffSite(t)
	// A group of one on a day with no change waiting: the text line typed goes live at once
	// (a second person approving it is TestApprovingANewNumberOnAPhone's).
	groupOfOne(t, site)
	shots := shotsDir(t)
	ctx := newTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	edit := site.URL + editPath(t, site, directory.KindHotline, "national-human-trafficking-hotline")
	public := site.URL + "/hotlines/national-human-trafficking-hotline"

	for _, c := range []struct {
		width, height int64
		screens       int
		from, to      string
	}{{1280, 900, formScreensDesktop, "BEFREE", "FREEDOM"}, {390, 844, formScreensPhone, "HELP", "INFO"}} {
		h := formHeight(t, ctx, edit, c.width, c.height)
		t.Logf("the national hotline's edit screen at %d px: %.0f px long (%.1f screens)", c.width, h, h/float64(c.height))
		if h > float64(c.screens*int(c.height)) {
			t.Errorf("at %d px the edit screen is %.0f px long, over %d screens of %d px", c.width, h, c.screens, c.height)
		}
		if err := screenshot(ctx, filepath.Join(shots, "edit-hotline-"+strconv.Itoa(int(c.width))+".png")); err != nil {
			t.Error(err)
		}
		changeKeyword(t, ctx, c.from, c.to, c.width, c.height)
		// A new address each time: the browser may keep the public page it saw before.
		if seen := public + "?after=" + c.to; !publicLine(t, ctx, seen, "233733", c.to) || publicLine(t, ctx, seen, "233733", c.from) {
			t.Errorf("at %d px: the public page does not show the text line with %s instead of %s", c.width, c.to, c.from)
		}
	}

	// With script, "Add another way" adds a row in place, ready to type into.
	if err := chromedp.Do(ctx, viewport(390, 844), chromedp.Navigate(edit),
		chromedp.Click(chromedp.CSS(`button[name="add-way"][value="text"]`))); err != nil {
		t.Fatal(err)
	}
	added, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const rows = document.querySelectorAll("#entry-form [data-way]");
  const row = rows[rows.length - 1];
  return location.pathname + " " + rows.length + " " + row.querySelector("select").value + " " + document.activeElement.name +
    " " + row.querySelector(".way-keyword").hidden + " " + row.querySelector(".way-url").hidden;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := site.Store.FindListing(context.Background(), directory.KindHotline, "national-human-trafficking-hotline", "en")
	want := strings.TrimPrefix(edit, site.URL) + " " + strconv.Itoa(len(l.Channels)+1) + " text channels." + strconv.Itoa(len(l.Channels)) + ".number false true"
	if added != want {
		t.Errorf("after Add another way (text): %q, want %q (path, rows, kind, focus, keyword hidden, web address hidden)", added, want)
	}
	if err := screenshot(ctx, filepath.Join(shots, "edit-hotline-added-390.png")); err != nil {
		t.Error(err)
	}
	// Its kind changed to email: the email address shows, the number and keyword go.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const rows = document.querySelectorAll("#entry-form [data-way]");
  const row = rows[rows.length - 1];
  const kind = row.querySelector("select");
  kind.value = "email";
  kind.dispatchEvent(new Event("change", {bubbles: true}));
  return [...row.querySelectorAll(".way-field:not([hidden]) [name]")].map(f => f.name.split(".").pop()).join(" ") +
    " / " + row.querySelector(".way-kind").textContent;
})()`))
	if want := "type address label todo remove / (Email)"; err != nil || shown != want {
		t.Errorf("after changing the added way to email, it shows %q (%v), want %q", shown, err, want)
	}
	t.Logf("screenshots in %s", shots)
}

// TestStaffTranslatesOnAPhone: at 390 px the translation screen is one column, with no
// sideways scroll, 44 px targets and no axe-core violation; Spanish typed and saved there
// is on the Spanish page.
func TestStaffTranslatesOnAPhone(t *testing.T) {
	site := startStaffSite(t)
	shots := shotsDir(t)
	ctx := newAxeTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	l, err := site.Store.FindListing(context.Background(), directory.KindHotline, "national-human-trafficking-hotline", "en")
	if err != nil {
		t.Fatal(err)
	}
	tr := site.URL + "/admin/translate/listings/" + strconv.FormatInt(l.ID, 10) + "/es"
	if err := chromedp.Do(ctx, viewport(390, 844), chromedp.Navigate(tr)); err != nil {
		t.Fatal(err)
	}
	// One column: the Spanish box is as wide as the English beside it is not.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('[name="t.summary"]').getBoundingClientRect().width`))
	if err != nil {
		t.Fatal(err)
	}
	if width < 300 {
		t.Errorf("at 390 px the Spanish summary box is %.0f px wide, want the screen's width (one column)", width)
	}
	const summary = "Una línea gratuita para pedir ayuda o dar un aviso, a cualquier hora."
	field := chromedp.CSS(`[name="t.summary"]`)
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(field), chromedp.Clear(field), chromedp.SendKeys(field, summary)); err != nil {
		t.Fatal(err)
	}
	for _, problem := range checkAdminPage(ctx, "", filepath.Join(shots, "translate-%s.png"), t.Logf) {
		if strings.HasPrefix(problem, "at 390") {
			t.Errorf("translate screen %s", problem)
		}
	}
	if err := chromedp.Do(ctx, viewport(390, 844),
		chromedp.Click(chromedp.CSS(`main form button.button`)), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatalf("save Spanish: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/es/hotlines/national-human-trafficking-hotline")); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(body, summary) {
		t.Errorf("the Spanish page does not show the summary saved on the phone (%v)", err)
	}
	t.Logf("screenshots in %s", shots)
}

// TestTheListingFormIsValidHTML runs the Nu HTML Checker on the listing edit screens as the
// server sends them (fetched by the signed-in browser): the folding parts, the way rows and
// the blank way kept for the script.
func TestTheListingFormIsValidHTML(t *testing.T) {
	site := startStaffSite(t)
	ctx := newTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	dir := t.TempDir()
	var files []string
	for _, p := range []string{editPath(t, site, directory.KindHotline, "national-human-trafficking-hotline"),
		editPath(t, site, directory.KindOrganization, "polaris"), "/admin/hotlines/new"} {
		src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("`+p+`").then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil || !strings.Contains(src, `id="entry-form"`) {
			t.Fatalf("%s: %v", p, err)
		}
		name := filepath.Join(dir, strconv.Itoa(len(files))+".html")
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil { // #nosec G306 -- a test file
			t.Fatal(err)
		}
		files = append(files, name)
	}
	for _, m := range runVNU(t, files) {
		t.Errorf("%s line %d: %s\n    %s", filepath.Base(m.URL), m.Line, m.Message, strings.TrimSpace(m.Extract))
	}
}

// groupOfOne turns off the second person for contact changes and refuses the change
// startStaffSite left waiting, as a one-person group's site would be.
func groupOfOne(tb testing.TB, site *webtest.Site) {
	tb.Helper()
	ctx := context.Background()
	settings, err := site.Store.SettingsForStaff(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	settings.ContactsWithoutApproval = true
	if err := site.Store.UpdateSettings(ctx, &settings, store.SystemActor, ""); err != nil {
		tb.Fatal(err)
	}
	waiting, _, err := site.Store.ListContactChanges(ctx, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range waiting {
		if _, err := site.Store.RefuseContactChange(ctx, c.ID, store.SystemActor, "A group of one."); err != nil {
			tb.Fatal(err)
		}
	}
}
