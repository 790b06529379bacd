package browsertest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A second staff member approves a new text number on a phone (issue 13): the approvals
// screen passes at 390 and 1280 px (no sideways scroll, 44 px targets, no axe-core
// violation), the Approve button works, and the number on every public page changes only
// then.
func TestApprovingANewNumberOnAPhone(t *testing.T) {
	site := startStaffSite(t) // a new text number for the national hotline waits
	shots := screenshotsDir(t)
	ctx := newAxeTab(t, 5*time.Minute)
	// The browser keeps a public page five minutes: before and after are two pages.
	textButton := func(path string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+path)); err != nil {
			t.Fatal(err)
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.helpbar a[href^="sms:"]').getAttribute("href")`))
		if err != nil {
			t.Fatal(err)
		}
		return href
	}
	if got := textButton("/"); got != "sms:233733?&body=BEFREE" {
		t.Errorf("while the change waits, the text button is %q", got)
	}
	signInTab(t, ctx, site)
	for _, problem := range checkAdminPage(ctx, site.URL+"/admin/approvals", filepath.Join(shots, "admin-approve-%s.png"), t.Logf) {
		t.Errorf("/admin/approvals %s", problem)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(site.URL+"/admin/approvals"),
		chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("approve: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.flash`)))
	if err != nil || !strings.HasPrefix(flash, "Approved") {
		t.Errorf("after approving: %q, %v", flash, err)
	}
	if got := textButton("/es/"); got != "sms:233744?&body=BEFREE" {
		t.Errorf("after approval, the text button is %q", got)
	}
}
