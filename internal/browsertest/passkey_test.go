package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"signpost/internal/admin"
	"signpost/internal/directory"
	"signpost/internal/webtest"
)

// TestPasskeyInChromium: an admin with no second factor signs in, is sent to set one up,
// adds a passkey with Chromium's virtual authenticator through static/js/passkey.js (under
// the site's strict CSP), signs out, signs in again with the passkey as second step, and
// then with the passkey alone.
func TestPasskeyInChromium(t *testing.T) {
	// The real policy: an admin needs a second factor.
	site, _ := webtest.MustStartStaff(t, webtest.StaffOptions{Admin: admin.Options{SecondFactorRequired: admin.AdminsNeedSecondFactor}})
	const email, pw = "ada@example.org", "correct horse staple battery"
	webtest.MustAddUser(t, site.Store, email, pw, directory.RoleAdmin)
	// Passkeys belong to domain names, never IP addresses: this test's own Chromium reaches
	// the test server as localhost (the shared one resolves no name at all).
	base := strings.Replace(site.URL, "127.0.0.1", "localhost", 1)
	path, err := exec.LookPath("chromium")
	if err != nil {
		skipWithoutTools(t, "chromium", err)
	}
	profile := t.TempDir()
	actx, acancel := chromedp.NewExecAllocator(context.Background(), append(chromiumOptions(path, profile),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"))...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	defer os.RemoveAll(profile)

	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	loadAxe(t, ctx)
	if _, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatal(err)
	}
	// run runs a script that may leave the page (an error then only says so).
	run := func(js string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil && !strings.Contains(err.Error(), "navigated or closed") {
			t.Fatalf("%s: %v", js, err)
		}
	}
	// waitFor waits for an element to be on the page (a page load or a ceremony takes a
	// moment; nothing here measures how long).
	waitFor := func(sel string) {
		t.Helper()
		for range 150 {
			if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector(`+"`"+sel+"`"+`)`)); ok {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		t.Fatalf("%s never appeared (at %s):\n%s", sel, loc, body)
	}
	// axeCheck runs axe-core on the page as it is now.
	axeCheck := func(what string) {
		t.Helper()
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeScript, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", what, err)
		}
		for _, v := range violations {
			t.Errorf("axe, %s: %s", what, v)
		}
	}
	signIn := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")); err != nil {
			t.Fatal(err)
		}
		run(`document.querySelector("[name=email]").value = "` + email + `"; document.querySelector("[name=password]").value = "` + pw + `"; document.querySelector("[name=password]").form.submit()`)
	}

	signIn()
	waitFor(`#second-factor-required`)
	waitFor(`button[data-passkey="register"]:not([hidden])`)
	axeCheck("sign-in security, nothing set up")
	run(`document.querySelector('button[data-passkey="register"]').click()`)
	waitFor(`#recovery-codes`)
	axeCheck("recovery codes")

	run(`document.querySelector(".admin-logout").submit()`)
	waitFor(`[name=email]`)
	signIn()
	waitFor(`#passkey-signin button:not([hidden])`)
	axeCheck("second step")
	run(`document.querySelector("#passkey-signin button").click()`)
	waitFor(`.admin-nav`)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	h1, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("h1").textContent`))
	if !strings.HasSuffix(loc, "/admin/") || h1 != "Dashboard" {
		t.Errorf("after the passkey: %s, h1 %q", loc, h1)
	}

	for _, p := range []string{"/admin/2fa/totp", "/admin/2fa"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		axeCheck(p)
	}

	// And with the passkey alone, from the sign-in page.
	run(`document.querySelector(".admin-logout").submit()`)
	waitFor(`#passkey-only button:not([hidden])`)
	axeCheck("sign-in")
	run(`document.querySelector('#passkey-only button').click()`)
	waitFor(`.admin-nav`)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/admin/") {
		t.Errorf("after the passkey alone: %s", loc)
	}
}
