package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// In Chromium, with the page's own script: a number typed into the edit form and then
// "Mark verified today" clicked is saved with it (the button posts the form), and the
// leave-page guard does not stop the form's own buttons.
func TestVerifyKeepsTypingInChromium(t *testing.T) {
	site, _ := webtest.MustStartStaff(t, webtest.StaffOptions{})
	const email, pw = "ed@example.org", "correct horse staple battery"
	webtest.MustAddUser(t, site.Store, email, pw, directory.RoleEditor)
	l, err := site.Store.FindListing(context.Background(), directory.KindHotline, "dol-oig-hotline", "en")
	if err != nil {
		t.Fatal(err)
	}
	// A group of one: the number typed goes live at once (the second person for contact
	// changes is internal/admin/approvals_test.go's).
	settings, err := site.Store.SettingsForStaff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	settings.ContactsWithoutApproval = true
	if err := site.Store.UpdateSettings(context.Background(), &settings, store.SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		skipWithoutTools(t, "chromium", err)
	}
	profile := t.TempDir()
	actx, acancel := chromedp.NewExecAllocator(context.Background(), chromiumOptions(path, profile)...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	defer os.RemoveAll(profile)
	run := func(js string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
			t.Fatalf("%s: %v", js, err)
		}
	}
	waitText := func(want string) {
		t.Helper()
		var body string
		for range 100 {
			body, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			if strings.Contains(body, want) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%q never appeared:\n%s", want, body)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/admin/login")); err != nil {
		t.Fatal(err)
	}
	run(`document.querySelector("[name=email]").value = "` + email + `"; document.querySelector("[name=password]").value = "` + pw + `"; document.querySelector("[name=password]").form.submit()`)
	waitText("Sign out")
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/admin/hotlines/"+strconv.FormatInt(l.ID, 10))); err != nil {
		t.Fatal(err)
	}
	waitText("Mark verified today")
	run(`document.querySelector('[name="channels.0.number"]').value = "(907) 555-0199";
		[...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Mark verified today").click()`)
	waitText("Saved. Marked as verified today.")
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/hotlines/dol-oig-hotline")); err != nil {
		t.Fatal(err)
	}
	waitText("(907) 555-0199")
}
