package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"signpost/internal/admin"
	"signpost/internal/directory"
)

// mustStartEnforced is the staff site with the real second-factor policy: admins must
// have one.
func mustStartEnforced(tb testing.TB) *staffSite {
	tb.Helper()
	return mustStart(tb, admin.Options{SecondFactorRequired: admin.AdminsNeedSecondFactor})
}

// formToken reads the form token from a staff page.
func formToken(tb testing.TB, doc *goquery.Document) string {
	tb.Helper()
	tok := doc.Find(`input[name="csrf"]`).First().AttrOr("value", "")
	if tok == "" {
		tb.Fatal("no form token on the page")
	}
	return tok
}

func sessionCookie(resp *http.Response) string {
	for _, c := range resp.Cookies() {
		if c.Name == "signpost_admin" {
			return c.Value
		}
	}
	return ""
}

// enrolTOTP sets up an authenticator app for the signed-in account and returns its secret
// and the recovery codes shown.
func (s *staffSite) enrolTOTP(tb testing.TB) (secret string, codes []string) {
	tb.Helper()
	doc := s.doc(tb, "/admin/2fa/totp", http.StatusOK)
	if src := doc.Find("img").AttrOr("src", ""); !strings.HasPrefix(src, "data:image/png;base64,") {
		tb.Fatalf("QR code src = %.40q, want an inline PNG (no other site asked)", src)
	}
	secret = strings.ReplaceAll(text(doc.Find("#totp-secret")), " ", "")
	if len(secret) < 16 {
		tb.Fatalf("secret shown as text = %q", secret)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	resp, _ := s.post(tb, "/admin/2fa/totp", url.Values{"csrf": {formToken(tb, doc)}, "code": {code}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/2fa/recovery" {
		tb.Fatalf("confirm the app: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	doc = s.doc(tb, "/admin/2fa/recovery", http.StatusOK)
	doc.Find("#recovery-codes code").Each(func(_ int, c *goquery.Selection) { codes = append(codes, c.Text()) })
	if len(codes) != 10 {
		tb.Fatalf("recovery codes shown = %v, want 10", codes)
	}
	return secret, codes
}

func TestAdminWithoutSecondFactorCanOnlySetOneUp(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	for _, p := range []string{"/admin/", "/admin/users", "/admin/hotlines", "/admin/settings", "/admin/audit"} {
		resp, _ := s.Get(t, p)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/2fa" {
			t.Errorf("GET %s: %d to %q, want 303 to /admin/2fa", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	doc := s.doc(t, "/admin/2fa", http.StatusOK)
	if doc.Find("#second-factor-required").Length() == 0 {
		t.Error("the setup page does not say why the admin was sent there")
	}
	// A form posted anyway is refused, not saved.
	resp, _ := s.post(t, "/admin/settings", url.Values{"csrf": {formToken(t, doc)}, "site_name": {"Taken over"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /admin/settings without a second factor: %d, want 403", resp.StatusCode)
	}

	// Editors are offered it, not made to.
	e := mustStartEnforced(t)
	e.mustSignIn(t, editorEmail)
	if got := text(e.doc(t, "/admin/", http.StatusOK).Find(".flash")); !strings.Contains(got, "Sign-in security") {
		t.Errorf("an editor without a second step is not offered one after sign-in: flash %q", got)
	}
	doc = e.doc(t, "/admin/2fa", http.StatusOK)
	if doc.Find("#second-factor-required").Length() != 0 || !strings.Contains(text(doc.Find("main")), "We suggest") {
		t.Error("an editor's page should offer a second step, not require it")
	}
}

func TestTOTPSignInTakesTwoStepsAndRefusesAReusedCode(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	secret, _ := s.enrolTOTP(t)
	if resp, _ := s.Get(t, "/admin/2fa/recovery"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("recovery codes shown twice: %d", resp.StatusCode)
	}
	s.doc(t, "/admin/", http.StatusOK) // the admin is open now
	doc := s.doc(t, "/admin/2fa", http.StatusOK)
	if !strings.HasPrefix(text(doc.Find("#totp-state")), "On") {
		t.Errorf("app state = %q", text(doc.Find("#totp-state")))
	}
	enrolCode, _ := totp.GenerateCode(secret, time.Now())

	// Sign out and in again: the password alone is half-way.
	s.post(t, "/admin/logout", url.Values{"csrf": {formToken(t, doc)}})
	resp := s.signIn(t, adminEmail, password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login/2fa" {
		t.Fatalf("password step: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	halfToken := sessionCookie(resp)
	for _, p := range []string{"/admin/", "/admin/2fa", "/admin/users"} {
		if resp, _ := s.Get(t, p); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Errorf("half signed in, GET %s: %d to %q, want the sign-in page", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	doc = s.doc(t, "/admin/login/2fa", http.StatusOK)
	if doc.Find(`input[name="code"]`).Length() == 0 {
		t.Fatal("no code field on the second step")
	}

	// The code that confirmed the app cannot sign in again.
	resp, body := s.PostForm(t, "/admin/login/2fa", url.Values{"code": {enrolCode}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "already used") {
		t.Errorf("reused code: %d, want 401 saying it was used", resp.StatusCode)
	}
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	resp, _ = s.PostForm(t, "/admin/login/2fa", url.Values{"code": {next[:3] + " " + next[3:]}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("second step: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if full := sessionCookie(resp); full == "" || full == halfToken {
		t.Error("the session token was not renewed at full sign-in")
	}
	s.doc(t, "/admin/users", http.StatusOK)

	// The same code, in another browser that knows the password, is refused.
	other := s.otherBrowser()
	other.signIn(t, adminEmail, password)
	if resp, _ := other.PostForm(t, "/admin/login/2fa", url.Values{"code": {next}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("code replayed from a second browser: %d, want 401", resp.StatusCode)
	}

	audit := auditText(t, s)
	for _, want := range []string{"2fa_totp_added", "login_password_ok", "with authenticator app", "authenticator code used before"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// otherBrowser is the same site seen from a second browser (its own cookies).
func (s *staffSite) otherBrowser() *staffSite {
	site := *s.Site
	site.Client = newClient()
	return &staffSite{Site: &site, Admin: s.Admin}
}

func auditText(tb testing.TB, s *staffSite) string {
	tb.Helper()
	entries, err := s.Store.ListAudit(tb.Context(), 200, 0)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Action + " " + e.UserEmail + " " + e.Detail + "\n")
	}
	return b.String()
}

func TestRecoveryCodeWorksOnceAndIsStoredHashed(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	_, codes := s.enrolTOTP(t)
	var n int
	for _, c := range codes {
		if err := s.Store.DB().QueryRow(`SELECT count(*) FROM recovery_codes WHERE code_hash LIKE '%' || ? || '%'`,
			strings.ReplaceAll(c, "-", "")[:8]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("recovery code %s is in the database in clear", c)
		}
	}

	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		b := s.otherBrowser()
		b.signIn(t, adminEmail, password)
		resp, _ := b.PostForm(t, "/admin/login/2fa", url.Values{"code": {strings.ToLower(codes[0])}})
		if resp.StatusCode != want {
			t.Errorf("recovery code, use %d: %d, want %d", i+1, resp.StatusCode, want)
		}
		if i == 0 {
			doc := b.doc(t, "/admin/2fa", http.StatusOK)
			if !strings.Contains(text(doc.Find("#recovery-state")), "9 unused") {
				t.Errorf("after one use: %q", text(doc.Find("#recovery-state")))
			}
		}
	}
}

func TestSecondStepIsThrottled(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	secret, _ := s.enrolTOTP(t)
	doc := s.doc(t, "/admin/2fa", http.StatusOK)
	s.post(t, "/admin/logout", url.Values{"csrf": {formToken(t, doc)}})
	s.signIn(t, adminEmail, password)
	for i := range 5 {
		if resp, _ := s.PostForm(t, "/admin/login/2fa", url.Values{"code": {"000000"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	good, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	resp, body := s.PostForm(t, "/admin/login/2fa", url.Values{"code": {good}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many wrong codes") {
		t.Errorf("after 5 wrong codes: %d (Retry-After %q), want 429", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestRemoveAppNeedsPasswordAndAdminCanReset(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	s.enrolTOTP(t)
	doc := s.doc(t, "/admin/2fa", http.StatusOK)
	tok := formToken(t, doc)
	if resp, _ := s.post(t, "/admin/2fa/totp/remove", url.Values{"csrf": {tok}, "password": {"not my password at all"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("remove with a wrong password: %d, want 400", resp.StatusCode)
	}
	if resp, _ := s.post(t, "/admin/2fa/totp/remove", url.Values{"csrf": {tok}, "password": {password}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("remove: %d, want 303", resp.StatusCode)
	}
	if n, _, _ := s.Store.LoginFailures(t.Context(), "email:"+adminEmail); n != 1 {
		t.Errorf("a wrong password to remove a factor counted %d sign-in failures, want 1", n)
	}
	if resp, _ := s.Get(t, "/admin/"); resp.Header.Get("Location") != "/admin/2fa" {
		t.Errorf("after removing the only factor, an admin is sent back to set one up: %q", resp.Header.Get("Location"))
	}
	s.enrolTOTP(t)

	// An editor with an app, reset by the admin.
	ed, err := s.Store.FindUserByEmail(t.Context(), editorEmail)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetTOTP(t.Context(), ed.ID, "JBSWY3DPEHPK3PXP", 0, nil); err != nil {
		t.Fatal(err)
	}
	doc = s.doc(t, "/admin/users", http.StatusOK)
	form := doc.Find(`form[action="/admin/users/` + itoa(ed.ID) + `/2fa-reset"]`)
	if form.Length() != 1 {
		t.Fatal("no reset button for the editor's second step")
	}
	if resp, _ := s.post(t, "/admin/users/"+itoa(ed.ID)+"/2fa-reset", url.Values{"csrf": {formToken(t, doc)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if f, _ := s.Store.SecondFactors(t.Context(), ed.ID); f != (directory.SecondFactors{}) {
		t.Errorf("after reset: %+v", f)
	}
	if audit := auditText(t, s); !strings.Contains(audit, "2fa_totp_removed") || !strings.Contains(audit, "2fa_reset ada@example.org eddie@example.org") {
		t.Errorf("audit log:\n%s", audit)
	}
}

func TestPasswordAskedAgainIsThrottled(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	s.enrolTOTP(t)
	tok := formToken(t, s.doc(t, "/admin/2fa", http.StatusOK))
	for i := range 5 {
		if resp, _ := s.post(t, "/admin/2fa/totp/remove", url.Values{"csrf": {tok}, "password": {"a guess that is wrong " + itoa(int64(i))}}); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("wrong password %d: %d, want 400", i+1, resp.StatusCode)
		}
	}
	resp, doc := s.post(t, "/admin/2fa/totp/remove", url.Values{"csrf": {tok}, "password": {password}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(text(doc.Find(".error-summary")), "Too many wrong passwords") {
		t.Errorf("after 5 wrong passwords: %d %q, want 429", resp.StatusCode, text(doc.Find(".error-summary")))
	}
	u, err := s.Store.FindUserByEmail(t.Context(), adminEmail)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Store.SecondFactors(t.Context(), u.ID); !f.TOTP {
		t.Error("the app was removed despite the wait")
	}
}

// TestSecondStepThrottleHoldsUnderParallelGuesses: twenty wrong codes sent at once get no
// more tries than five sent one by one.
func TestSecondStepThrottleHoldsUnderParallelGuesses(t *testing.T) {
	s := mustStartEnforced(t)
	s.mustSignIn(t, adminEmail)
	s.enrolTOTP(t)
	s.post(t, "/admin/logout", url.Values{"csrf": {formToken(t, s.doc(t, "/admin/2fa", http.StatusOK))}})
	s.signIn(t, adminEmail, password)
	const n = 20
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/login/2fa", strings.NewReader(url.Values{"code": {fmt.Sprintf("%06d", i)}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := s.Client.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	tried := 0
	for range n {
		if st := <-statuses; st == http.StatusUnauthorized {
			tried++
		} else if st != http.StatusTooManyRequests && st != http.StatusSeeOther {
			t.Errorf("status %d", st)
		}
	}
	if tried > 5 {
		t.Errorf("%d of %d parallel guesses were checked, want at most 5", tried, n)
	}
}
