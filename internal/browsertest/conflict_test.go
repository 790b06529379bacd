package browsertest

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// TestConflictChoiceInChromium: someone else saves the summary while a staff member edits
// it; the save shows only that field, side by side (checked at a phone's and a desktop's
// width: no sideways scroll, 44 px targets, no axe violation), and the choice "Keep
// theirs", made in the table above the form, reaches the save.
func TestConflictChoiceInChromium(t *testing.T) {
	site := startStaffSite(t)
	ctx := newAxeTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	bg := context.Background()
	l, err := site.Store.FindListing(bg, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	edit := site.URL + "/admin/organizations/" + strconv.FormatInt(l.ID, 10)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(edit)); err != nil {
		t.Fatal(err)
	}
	// Someone else saves while the form is open.
	theirs := *l
	theirs.Summary = "Their summary, saved first."
	if err := site.Store.UpdateListing(bg, &theirs, store.Actor{Email: "other@example.org"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-summary").value = "My summary, saved second."`),
		chromedp.Click(chromedp.CSS(`#entry-form button[value="save"]:not([hidden])`)),
		chromedp.WaitVisible(chromedp.CSS(".conflict")),
	); err != nil {
		t.Fatalf("save: %v", err)
	}
	shots := screenshotsDir(t)
	for _, problem := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-conflict-%s.png"), t.Logf) {
		t.Errorf("conflict screen %s", problem)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS(`input[name="_keep.summary"][value="theirs"]`)),
		chromedp.Click(chromedp.CSS(`#entry-form button[value="save"]:not([hidden])`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	); err != nil {
		t.Fatalf("save with a choice: %v", err)
	}
	got, err := site.Store.FindListing(bg, directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary != "Their summary, saved first." {
		t.Errorf("summary after keeping theirs = %q", got.Summary)
	}
}
