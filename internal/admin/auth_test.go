package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signpost/internal/admin"
	"signpost/internal/store"
)

func TestAdminPagesRedirectToSignIn(t *testing.T) {
	s := mustStart(t, admin.Options{})
	for _, p := range []string{"/admin/", "/admin/hotlines", "/admin/users", "/admin/settings"} {
		resp, _ := s.Get(t, p)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Errorf("GET %s: %d to %q, want 303 to the sign-in page", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := s.Get(t, "/admin/login")
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := resp.Header.Get("X-Robots-Tag"); !strings.Contains(got, "noindex") {
		t.Errorf("X-Robots-Tag = %q", got)
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("the sign-in page set a cookie before anyone signed in: %q", resp.Header.Get("Set-Cookie"))
	}
	doc := s.doc(t, "/admin/login", http.StatusOK)
	if doc.Find(`meta[name="robots"][content="noindex"]`).Length() == 0 {
		t.Error("no robots noindex meta on the sign-in page")
	}
}

func TestSignInAndOut(t *testing.T) {
	s := mustStart(t, admin.Options{})
	resp := s.signIn(t, adminEmail, password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("sign in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The session cookie, and the device cookie that marks a browser this account signed in
	// with (it lets the owner past the account's sign-in limit): both HttpOnly, SameSite=Strict,
	// for /admin only.
	c := resp.Cookies()
	names := map[string]bool{}
	for _, c := range c {
		names[c.Name] = true
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/admin" {
			t.Errorf("cookie %+v, want HttpOnly SameSite=Strict for /admin", c)
		}
	}
	if len(c) != 2 || !names["signpost_admin"] || !names["signpost_device"] {
		t.Errorf("cookies = %+v, want the session and the device cookie", c)
	}
	doc := s.doc(t, "/admin/", http.StatusOK)
	if got := text(doc.Find("h1")); got != "Dashboard" {
		t.Errorf("dashboard h1 = %q", got)
	}
	// Public pages still set no cookie, even for a signed-in browser.
	if resp, _ := s.Get(t, "/"); len(resp.Header.Values("Set-Cookie")) > 0 {
		t.Errorf("a public page set a cookie: %v", resp.Header.Values("Set-Cookie"))
	}

	resp, _ = s.postWithToken(t, "/admin/logout", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: status %d", resp.StatusCode)
	}
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out the dashboard answered %d, want 303 to sign in", resp.StatusCode)
	}
}

func TestWrongEmailAndWrongPasswordGetTheSameMessage(t *testing.T) {
	s := mustStart(t, admin.Options{})
	var msgs []string
	for _, try := range [][2]string{{adminEmail, "not the password at all"}, {"nobody@example.org", password}} {
		resp, body := s.PostForm(t, "/admin/login", url.Values{"email": {try[0]}, "password": {try[1]}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", try[0], resp.StatusCode)
		}
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("%s: a failed sign-in set a cookie", try[0])
		}
		i := strings.Index(body, "The email or password")
		if i < 0 {
			t.Fatalf("%s: no failure message", try[0])
		}
		msgs = append(msgs, body[i:i+80])
	}
	if msgs[0] != msgs[1] {
		t.Errorf("messages differ: %q vs %q", msgs[0], msgs[1])
	}
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Error("a failed sign-in gave access")
	}
	// The audit log records both failures, and never the password typed.
	entries, _ := s.Store.ListAudit(t.Context(), 10, 0)
	var failed int
	for _, e := range entries {
		if e.Action == "login_failed" {
			failed++
		}
		if strings.Contains(e.Detail+e.UserEmail, "not the password") {
			t.Errorf("the audit log holds a typed password: %+v", e)
		}
	}
	if failed != 2 {
		t.Errorf("%d failed sign-ins audited, want 2", failed)
	}
}

func TestRepeatedFailuresAreThrottledAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signpost.db")
	ctx := t.Context()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustAddUser(t, st, adminEmail, "admin")
	st.Close()

	start := func() *staffSite {
		st, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return startOn(t, st, admin.Options{})
	}
	s := start()
	for i := 0; i < 5; i++ {
		if resp := s.signIn(t, adminEmail, "a wrong password, again"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	// Even the right password now waits.
	resp := s.signIn(t, adminEmail, password)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth try: status %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// A restart does not forget: the throttle lives in the database.
	s.Close()
	s = start()
	if resp := s.signIn(t, adminEmail, password); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after a restart: status %d, want 429", resp.StatusCode)
	}
	// The throttle is per address: another account from the same address waits as well.
	if resp := s.signIn(t, "someone-else@example.org", "whatever whatever"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("another account from the same address: status %d, want 429", resp.StatusCode)
	}
	// And per account: ten failures from many addresses hold the account back too.
	if _, err := s.Store.DB().Exec(`DELETE FROM login_attempts WHERE key LIKE 'ip:%'`); err != nil {
		t.Fatal(err)
	}
	if resp := s.signIn(t, adminEmail, password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("five failures on the account, new address: %d, want a sign-in", resp.StatusCode)
	}
	for i := 0; i < 10; i++ {
		s.Store.RecordLoginFailure(ctx, "email:"+adminEmail)
	}
	s.Client = newClient()
	if resp := s.signIn(t, adminEmail, password); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after ten failures on the account: %d, want 429", resp.StatusCode)
	}
}

func TestExpiredSessionSignsOut(t *testing.T) {
	s := signedIn(t, editorEmail)
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed in: %d", resp.StatusCode)
	}
	// Let the session's time run out (as the idle timeout would).
	if _, err := s.Store.DB().Exec(`UPDATE sessions SET expiry = julianday('now') - 1`); err != nil {
		t.Fatal(err)
	}
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("expired session: status %d, want 303 to sign in", resp.StatusCode)
	}
}

func TestIdleTimeoutEndsASession(t *testing.T) {
	s := mustStart(t, admin.Options{IdleTimeout: 1500 * time.Millisecond})
	s.mustSignIn(t, editorEmail)
	time.Sleep(2 * time.Second)
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the idle timeout: status %d, want 303 to sign in", resp.StatusCode)
	}
}

func TestEditorIsRefusedOnAccountPages(t *testing.T) {
	s := signedIn(t, editorEmail)
	s.wantStatus(t, "editor", http.StatusForbidden, "/admin/users", "/admin/audit")
	tok := s.csrfToken(t)
	resp, _ := s.post(t, "/admin/users", url.Values{"csrf": {tok}, "email": {"mallory@example.org"}, "role": {"admin"}, "password": {"a long enough password"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor adding an account: status %d, want 403", resp.StatusCode)
	}
	if _, err := s.Store.FindUserByEmail(t.Context(), "mallory@example.org"); err == nil {
		t.Error("an editor made an account")
	}
	// The navigation does not offer them either.
	if s.doc(t, "/admin/", http.StatusOK).Find(`a[href="/admin/users"]`).Length() != 0 {
		t.Error("an editor's navigation links to accounts")
	}
}

func TestAdminAddsAnAccountThatCanSignIn(t *testing.T) {
	s := signedIn(t, adminEmail)
	tok := s.csrfToken(t)
	// Too short a password is refused, with everything else kept.
	resp, doc := s.post(t, "/admin/users", url.Values{"csrf": {tok}, "email": {"new@example.org"}, "role": {"editor"}, "password": {"short"}})
	if resp.StatusCode != http.StatusBadRequest || doc.Find("#f-password-error").Length() == 0 {
		t.Fatalf("short password: status %d", resp.StatusCode)
	}
	if got := doc.Find("#f-email").AttrOr("value", ""); got != "new@example.org" {
		t.Errorf("email kept = %q", got)
	}
	resp, _ = s.post(t, "/admin/users", url.Values{"csrf": {tok}, "email": {"new@example.org"}, "role": {"editor"}, "password": {"a perfectly long password"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add account: status %d", resp.StatusCode)
	}
	site := *s.Site
	site.Client = newClient()
	other := &staffSite{Site: &site}
	if resp := other.signIn(t, "new@example.org", "a perfectly long password"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the new account cannot sign in: %d", resp.StatusCode)
	}
	// Disabling it ends its access at once.
	u, _ := s.Store.FindUserByEmail(t.Context(), "new@example.org")
	if resp, _ := s.post(t, "/admin/users/"+itoa(u.ID), url.Values{"csrf": {tok}, "disabled": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, _ := other.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled account still sees the dashboard: %d", resp.StatusCode)
	}
}

func TestForgedCrossSitePostIsRefused(t *testing.T) {
	s := signedIn(t, adminEmail)
	ctx := t.Context()
	before, _ := s.Store.SettingsForStaff(ctx)
	tok := s.csrfToken(t)
	form := url.Values{"csrf": {tok}, "version": {itoa(int64(before.Version))}, "site_name": {"Hijacked"},
		"exit_url": {"https://evil.example/"}, "emergency_number": {"911"}, "verify_days": {"180"}}

	// A browser on another site: Sec-Fetch-Site cross-site, Origin of the other site. Even
	// with a stolen token, the request is refused.
	for _, headers := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/settings", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, _ := s.Do(t, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged POST with %v: status %d, want 403", headers, resp.StatusCode)
		}
	}
	// Same origin but without the session's token (a form from an old session, or forged by
	// a page that cannot read ours): refused too.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("csrf", "0000")
	if resp, _ := s.post(t, "/admin/settings", bad); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without the form token: status %d, want 403", resp.StatusCode)
	}
	after, _ := s.Store.SettingsForStaff(ctx)
	if after.SiteName != before.SiteName || after.ExitURL != before.ExitURL || after.Version != before.Version {
		t.Errorf("settings changed by a forged request: %+v", after)
	}
}

func TestSessionCookieIsSecureBehindATrustedHTTPSProxy(t *testing.T) {
	s := mustStart(t, admin.Options{TrustProxy: true})
	form := url.Values{"email": {adminEmail}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ := s.Do(t, req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "; Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("cookie over HTTPS = %q, want Secure and HttpOnly", c)
	}
	// Over plain HTTP (development), the cookie cannot be Secure or it would never come back.
	s2 := mustStart(t, admin.Options{})
	if c := s2.signIn(t, adminEmail, password).Header.Get("Set-Cookie"); strings.Contains(c, "Secure") {
		t.Errorf("cookie over HTTP = %q", c)
	}
}

func TestAdminIsNeverInTheSitemap(t *testing.T) {
	s := mustStart(t, admin.Options{})
	_, body := s.Get(t, "/sitemap.xml")
	if strings.Contains(body, "/admin/") || strings.Contains(body, "/admin<") || strings.Contains(body, "/correction") {
		t.Error("the sitemap lists staff or form pages")
	}
	_, robots := s.Get(t, "/robots.txt")
	if !strings.Contains(robots, "Disallow: /admin") {
		t.Error("robots.txt does not keep crawlers out of /admin")
	}
}

func TestAdminSetsAnotherAccountsPassword(t *testing.T) {
	s := signedIn(t, adminEmail)
	u, _ := s.Store.FindUserByEmail(t.Context(), editorEmail)
	tok := s.csrfToken(t)
	if resp, _ := s.post(t, "/admin/users/"+itoa(u.ID), url.Values{"csrf": {tok}, "password": {"short"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("short password: %d", resp.StatusCode)
	}
	if resp, _ := s.post(t, "/admin/users/"+itoa(u.ID), url.Values{"csrf": {tok}, "password": {"a replacement password"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d", resp.StatusCode)
	}
	site := *s.Site
	site.Client = newClient()
	other := &staffSite{Site: &site}
	if resp := other.signIn(t, editorEmail, "a replacement password"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", resp.StatusCode)
	}
	if got, _ := s.Store.FindUserByEmail(t.Context(), editorEmail); got.Role != u.Role || got.Disabled {
		t.Errorf("setting a password changed the account: %+v", got)
	}
}

func TestTypingSurvivesAnExpiredSession(t *testing.T) {
	s := signedIn(t, editorEmail)
	l, _ := s.Store.FindListing(t.Context(), "organization", "polaris", "en")
	edit := "/admin/organizations/" + itoa(l.ID)
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	form.Set("summary", "A long summary typed while the session ran out.")
	form.Set("_action", "save")
	if _, err := s.Store.DB().Exec(`UPDATE sessions SET expiry = julianday('now') - 1`); err != nil {
		t.Fatal(err)
	}
	resp, doc := s.post(t, edit, form)
	if resp.StatusCode != http.StatusUnauthorized || doc.Find(`form[action="/admin/login"]`).Length() == 0 {
		t.Fatalf("save after expiry: %d, want the sign-in form", resp.StatusCode)
	}
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.Summary == "A long summary typed while the session ran out." {
		t.Fatal("saved without a session")
	}
	// Sign in again: back on the form, with what was typed.
	resp, _ = s.PostForm(t, "/admin/login", url.Values{"email": {editorEmail}, "password": {password}, "next": {doc.Find(`input[name="next"]`).AttrOr("value", "")}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != edit {
		t.Fatalf("sign in again: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	back := s.doc(t, edit, http.StatusOK)
	if got := back.Find("#f-summary").Text(); got != "A long summary typed while the session ran out." {
		t.Errorf("form after signing in again has %q", got)
	}
	if !strings.Contains(back.Find(".flash").Text(), "not saved yet") {
		t.Error("no notice that the form was restored")
	}
	again := formValues(t, back, "form.admin-form")
	again.Set("_action", "save")
	if resp, _ := s.post(t, edit, again); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	if got, _ := s.Store.FindListingByID(t.Context(), l.ID, "en"); got.Summary != "A long summary typed while the session ran out." {
		t.Errorf("summary = %q", got.Summary)
	}
	// Shown once: a reload shows the stored entry.
	if strings.Contains(s.doc(t, edit, http.StatusOK).Find(".flash").Text(), "not saved yet") {
		t.Error("the restored notice shows again")
	}
}

func TestNewPasswordEndsOtherSessions(t *testing.T) {
	s := signedIn(t, editorEmail)
	site := *s.Site
	site.Client = newClient()
	laptop := &staffSite{Site: &site}
	laptop.mustSignIn(t, editorEmail)

	tok := s.csrfToken(t)
	resp, _ := s.post(t, "/admin/account", url.Values{"csrf": {tok}, "current": {password}, "password": {"a fresh long password"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", resp.StatusCode)
	}
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", resp.StatusCode)
	}
	if resp, _ := laptop.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another session survived the new password: %d", resp.StatusCode)
	}
	// A wrong current password changes nothing.
	resp, _ = s.post(t, "/admin/account", url.Values{"csrf": {s.csrfToken(t)}, "current": {"not it at all"}, "password": {"yet another long password"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("wrong current password: %d", resp.StatusCode)
	}
}

func TestEveryStaffPostRefusesOtherSites(t *testing.T) {
	s := signedIn(t, adminEmail)
	ctx := t.Context()
	l, _ := s.Store.FindListing(ctx, "organization", "polaris", "en")
	revs, _ := s.Store.ListRevisions(ctx, "listings", l.ID, "en")
	u, _ := s.Store.FindUserByEmail(ctx, editorEmail)
	id := itoa(l.ID)
	tok := s.csrfToken(t)
	gen := s.Store.Generation()
	audit, _ := s.Store.ListAudit(ctx, 1000, 0)
	for _, p := range []string{"/admin/organizations/" + id, "/admin/organizations/new", "/admin/organizations/" + id + "/status",
		"/admin/organizations/" + id + "/trash", "/admin/organizations/" + id + "/verify", "/admin/revisions/" + itoa(revs[0].ID) + "/restore",
		"/admin/settings", "/admin/users", "/admin/users/" + itoa(u.ID), "/admin/translate/listings/" + id + "/es",
		"/admin/account", "/admin/logout", "/admin/login", "/organizations/polaris/correction"} {
		form := url.Values{"csrf": {tok}, "name": {"Forged"}, "status": {"draft"}, "trash": {"1"}, "disabled": {"1"},
			"message": {"forged"}, "email": {"x@example.org"}, "password": {"a forged long password"}}
		req, _ := http.NewRequest(http.MethodPost, s.URL+p, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp, _ := s.Do(t, req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged POST %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if got := s.Store.Generation(); got != gen {
		t.Errorf("content changed by forged requests (generation %d → %d)", gen, got)
	}
	if after, _ := s.Store.ListAudit(ctx, 1000, 0); len(after) != len(audit) {
		t.Errorf("the audit log grew by %d lines: something happened", len(after)-len(audit))
	}
	if open, _ := s.Store.ListCorrections(ctx, ""); len(open) != 0 {
		t.Error("a forged suggestion was filed")
	}
	if resp, _ := s.Get(t, "/admin/"); resp.StatusCode != http.StatusOK {
		t.Error("a forged logout ended the session")
	}
}

// forwardedFrom sends every request with these X-Forwarded-For lines, as a reverse proxy
// (and a client before it) would.
type forwardedFrom []string

func (f forwardedFrom) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for _, v := range f {
		r.Header.Add("X-Forwarded-For", v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// Behind a trusted proxy the sign-in throttle keys the address the proxy added, as the
// public rate limits do: not what the client wrote before it, and an IPv6 client by its
// /64, which it can otherwise walk through one address at a time.
func TestSignInThrottleKeysTheAddressTheProxySaw(t *testing.T) {
	s := mustStart(t, admin.Options{TrustProxy: true})
	from := func(lines ...string) {
		s.Client = newClient()
		s.Client.Transport = forwardedFrom(lines)
	}
	// Five failures from 2001:db8::1, each with a different address the client made up.
	for i := 0; i < 5; i++ {
		from(fmt.Sprintf("198.51.100.%d", i), "2001:db8::1")
		if resp := s.signIn(t, "nobody@example.org", "a wrong password, again"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	for _, tc := range []struct {
		lines []string
		want  int
	}{
		{[]string{"2001:db8::1"}, http.StatusTooManyRequests},
		{[]string{"2001:db8::ffff:2"}, http.StatusTooManyRequests},    // the same /64
		{[]string{"2001:db8::1", "203.0.113.7"}, http.StatusSeeOther}, // the proxy saw another
		{[]string{"2001:db8:0:1::1"}, http.StatusSeeOther},            // another /64
	} {
		from(tc.lines...)
		if resp := s.signIn(t, adminEmail, password); resp.StatusCode != tc.want {
			t.Errorf("from %v: status %d, want %d", tc.lines, resp.StatusCode, tc.want)
		}
	}
}
