package admin_test

// The attacks of the review in issue 11, each made over the real router on a real SQLite
// file. Each test logs the figure the review measured: go test -tags sqlite_fts5 -count=1
// -run Attack -v ./internal/admin/

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/admin"
)

// loginFrom posts a sign-in with client c, from addr when c goes through forwardedFrom.
func loginFrom(siteURL string, c *http.Client, email, pw string) (*http.Response, error) {
	resp, err := c.PostForm(siteURL+"/admin/login", url.Values{"email": {email}, "password": {pw}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// burst runs n copies of fn at once and returns how many answered each status.
func burst(t *testing.T, n int, fn func(i int) (*http.Response, error)) map[int]int {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := fn(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				got[0]++
				return
			}
			got[resp.StatusCode]++
		}()
	}
	close(start)
	wg.Wait()
	if got[0] > 0 {
		t.Fatalf("%d requests failed", got[0])
	}
	return got
}

// Finding 3: the wait was read before the password check and the failure written after it,
// so a burst got far more checks than the free tries (87 of 100 from one address).
func TestAttackParallelWrongPasswordsFromOneAddressGetFiveChecks(t *testing.T) {
	s := mustStart(t, admin.Options{})
	before := admin.PasswordChecks()
	got := burst(t, 100, func(i int) (*http.Response, error) {
		return loginFrom(s.URL, newClient(), fmt.Sprintf("guess%d@example.org", i), "a wrong password, again")
	})
	checks := admin.PasswordChecks() - before
	t.Logf("100 parallel wrong passwords from one address: %d password checks; answers %v", checks, got)
	if checks > 5 || got[http.StatusUnauthorized] > 5 {
		t.Errorf("%d password checks (%d refused as wrong), want at most 5", checks, got[http.StatusUnauthorized])
	}
}

// Finding 3: 40 parallel wrong passwords for one account, from 40 addresses, got 26 checks
// (limit 10) and then kept the owner out for an hour from anywhere.
func TestAttackAccountBurstSlowsTheAttackerButNotTheOwner(t *testing.T) {
	s := mustStart(t, admin.Options{TrustProxy: true})
	owner := newClient()
	owner.Transport = forwardedFrom{"198.51.100.7"}
	if resp, err := loginFrom(s.URL, owner, adminEmail, password); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner signs in first: %v %v", resp, err)
	}

	before := admin.PasswordChecks()
	got := burst(t, 40, func(i int) (*http.Response, error) {
		c := newClient()
		c.Transport = forwardedFrom{fmt.Sprintf("203.0.113.%d", i+1)}
		return loginFrom(s.URL, c, adminEmail, "a wrong password, again")
	})
	checks := admin.PasswordChecks() - before
	t.Logf("40 parallel wrong passwords on one account from 40 addresses: %d password checks; answers %v", checks, got)
	if checks > 10 {
		t.Errorf("%d password checks, want at most 10", checks)
	}

	// A new browser at a new address, even with the right password, is slowed: it could be
	// the attacker. The burst did not stretch the wait beyond the first step.
	stranger := newClient()
	stranger.Transport = forwardedFrom{"192.0.2.55"}
	resp, err := loginFrom(s.URL, stranger, adminEmail, password)
	if err != nil {
		t.Fatal(err)
	}
	wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	t.Logf("a new browser after the burst: status %d, Retry-After %ds", resp.StatusCode, wait)
	if resp.StatusCode != http.StatusTooManyRequests || wait > 15 {
		t.Errorf("new browser after the burst: status %d, Retry-After %ds; want 429 for at most 15 s", resp.StatusCode, wait)
	}

	// The owner, in the browser they signed in with before, from yet another address, gets in.
	owner.Transport = forwardedFrom{"192.0.2.99"}
	resp, err = loginFrom(s.URL, owner, adminEmail, password)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the owner's own browser after the burst, from another address: status %d", resp.StatusCode)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner was locked out: status %d, want 303", resp.StatusCode)
	}

	// Another account's owner on a new browser: an admin setting a new password lifts the wait.
	burst(t, 20, func(i int) (*http.Response, error) {
		c := newClient()
		c.Transport = forwardedFrom{fmt.Sprintf("203.0.113.%d", 100+i)}
		return loginFrom(s.URL, c, editorEmail, "a wrong password, again")
	})
	ed, _ := s.Store.FindUserByEmail(t.Context(), editorEmail)
	site := *s.Site
	site.Client = owner // the admin, signed in above
	as := &staffSite{Site: &site}
	if resp, _ := as.post(t, "/admin/users/"+itoa(ed.ID), url.Values{"csrf": {as.csrfToken(t)}, "password": {"a replacement password"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin sets a new password: %d", resp.StatusCode)
	}
	laptop := newClient()
	laptop.Transport = forwardedFrom{"192.0.2.200"}
	if resp, err := loginFrom(s.URL, laptop, editorEmail, "a replacement password"); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after a new password, on a new browser: %v %v, want 303", resp, err)
	}
}

// sessionsSize returns the rows and bytes of the sessions table, and the database's size.
func sessionsSize(t *testing.T, s *staffSite) (rows, bytes, file int64) {
	t.Helper()
	db := s.Store.DB()
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(length(data)), 0) FROM sessions`).Scan(&rows, &bytes); err != nil {
		t.Fatal(err)
	}
	var pages, size int64
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	return rows, bytes, pages * size
}

// postAs sends form to path from a same-origin page, with only the given cookies.
func postAs(siteURL, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, siteURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	fromOwnPage(req, siteURL)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := newClient().Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// Finding 1: an anonymous POST to a staff edit path kept up to 2 MB in a new session row.
func TestAttackAnonymousPostsDoNotFillTheDisk(t *testing.T) {
	s := mustStart(t, admin.Options{})
	form := url.Values{"name": {"x"}, "summary": {strings.Repeat("x", 1<<20)}}
	rows0, bytes0, file0 := sessionsSize(t, s)
	const n = 20
	for i := range n {
		path := []string{"/admin/organizations/new", "/admin/settings", "/admin/translate/listings/1/es", "/admin/hotlines/1"}[i%4]
		if _, err := postAs(s.URL, path, form); err != nil {
			t.Fatal(err)
		}
	}
	rows, bytes, file := sessionsSize(t, s)
	t.Logf("%d anonymous 1 MB posts: +%d session rows, +%d bytes of sessions, database file +%d bytes", n, rows-rows0, bytes-bytes0, file-file0)
	if rows != rows0 || bytes-bytes0 > 0 || file-file0 > 1<<20 {
		t.Errorf("anonymous posts stored %d bytes in %d sessions (file +%d bytes), want nothing", bytes-bytes0, rows-rows0, file-file0)
	}
}

// Finding 1, for staff: a browser that has signed in keeps its form across a new sign-in
// (TestTypingSurvivesAnExpiredSession), but only a bounded one, in a bounded number of
// sessions, however many posts it sends without its session.
func TestAttackStaffBrowserKeepsOnlyBoundedForms(t *testing.T) {
	s := signedIn(t, editorEmail)
	u, _ := url.Parse(s.URL + "/admin/")
	var device []*http.Cookie
	for _, c := range s.Client.Jar.Cookies(u) {
		if c.Name != "signpost_admin" {
			device = append(device, c)
		}
	}
	rows0, bytes0, _ := sessionsSize(t, s)
	const n = 150
	form := url.Values{"name": {"x"}, "summary": {strings.Repeat("y", 200<<10)}}
	for range n {
		if _, err := postAs(s.URL, "/admin/organizations/new", form, device...); err != nil {
			t.Fatal(err)
		}
	}
	big := url.Values{"name": {"x"}, "summary": {strings.Repeat("z", 1<<20)}}
	if _, err := postAs(s.URL, "/admin/organizations/new", big, device...); err != nil {
		t.Fatal(err)
	}
	rows, bytes, _ := sessionsSize(t, s)
	t.Logf("%d posts of 200 KB and one of 1 MB from a staff browser without its session: +%d session rows, +%d bytes", n, rows-rows0, bytes-bytes0)
	if rows-rows0 > 100 || bytes-bytes0 > 100*(256<<10) {
		t.Errorf("kept %d bytes in %d sessions, want at most 100 sessions of at most 256 KB", bytes-bytes0, rows-rows0)
	}
}

// Finding 5: every throttled sign-in wrote an audit line, so a burst pushed real events off
// the pages.
func TestAttackThrottledSignInsDoNotFloodTheAuditLog(t *testing.T) {
	s := mustStart(t, admin.Options{TrustProxy: true})
	ctx := t.Context()
	before, _ := s.Store.ListAudit(ctx, 10000, 0)
	attacker := newClient()
	attacker.Transport = forwardedFrom{"203.0.113.9"}
	const n = 405
	for range n {
		if _, err := loginFrom(s.URL, attacker, "nobody@example.org", "a wrong password, again"); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := s.Store.ListAudit(ctx, 10000, 0)
	t.Logf("%d failed sign-ins (5 checked, 400 throttled): +%d audit lines", n, len(after)-len(before))
	if len(after)-len(before) > 2 {
		t.Errorf("%d audit lines for one repeated attack, want at most 2 (one per kind, with a count)", len(after)-len(before))
	}
	// The audit page still tells staff how many there were.
	s.mustSignIn(t, adminEmail)
	doc := s.doc(t, "/admin/audit", http.StatusOK)
	var row string
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.Contains(tr.Text(), "sign-in paused after failures") {
			row = strings.Join(strings.Fields(tr.Text()), " ")
		}
	})
	if !strings.Contains(row, "400 times") {
		t.Errorf("audit row for the throttled sign-ins = %q, want it to say 400 times", row)
	}
}

// Finding 8: editors could change the safety settings (quick exit, emergency number) and
// run imports.
func TestAttackEditorCannotChangeSettingsOrImport(t *testing.T) {
	s := mustStart(t, admin.Options{Import: importEcho})
	ctx := t.Context()
	// The settings form as an admin sees it, changed as an editor would like it.
	s.mustSignIn(t, adminEmail)
	s.saveForm(t, "/admin/settings", nil) // a version in the history
	form := formValues(t, s.doc(t, "/admin/settings", http.StatusOK), "form.admin-form")
	form.Set("exit_url", "https://evil.example/")
	form.Set("emergency_number", "112")
	form.Set("_action", "save")
	before, _ := s.Store.SettingsForStaff(ctx)
	s.Client = newClient()
	s.mustSignIn(t, editorEmail)
	tok := s.csrfToken(t)
	form.Set("csrf", tok)
	resp, _ := s.post(t, "/admin/settings", form)
	after, _ := s.Store.SettingsForStaff(ctx)
	t.Logf("editor POST /admin/settings: status %d; exit now %q", resp.StatusCode, after.ExitURL)
	if resp.StatusCode != http.StatusForbidden || after.ExitURL != before.ExitURL || after.EmergencyNumber != before.EmergencyNumber {
		t.Errorf("editor changed settings: status %d, exit %q, emergency %q", resp.StatusCode, after.ExitURL, after.EmergencyNumber)
	}
	s.wantStatus(t, "editor", http.StatusForbidden, "/admin/settings", "/admin/import")
	if resp, _ := s.post(t, "/admin/import", url.Values{"csrf": {tok}, "data": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor POST /admin/import: %d, want 403", resp.StatusCode)
	}
	nav := s.doc(t, "/admin/", http.StatusOK)
	if links := nav.Find(`a[href="/admin/settings"], a[href="/admin/import"]`); links.Length() != 0 {
		h, _ := links.Parent().Html()
		t.Errorf("an editor's dashboard links to settings or import: %s", h)
	}
	// Nor through the history: an older version of the settings cannot be restored by an editor.
	revs, _ := s.Store.ListRevisions(ctx, "settings", 0, "en")
	if len(revs) == 0 {
		t.Fatal("no settings history")
	}
	if resp, _ := s.post(t, "/admin/revisions/"+itoa(revs[len(revs)-1].ID)+"/restore", url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor restoring the settings: %d, want 403", resp.StatusCode)
	}
	// Admins keep both.
	s.Client = newClient()
	s.mustSignIn(t, adminEmail)
	s.wantStatus(t, "admin", http.StatusOK, "/admin/settings", "/admin/import")
}

// Finding 9: the current-password check on /admin/account was not throttled, so a taken-over
// session could guess the password at argon2 speed.
func TestAttackCurrentPasswordGuessesAreThrottled(t *testing.T) {
	s := signedIn(t, editorEmail)
	tok := s.csrfToken(t)
	before := admin.PasswordChecks()
	got := map[int]int{}
	const n = 20
	for i := range n {
		resp, _ := s.post(t, "/admin/account", url.Values{"csrf": {tok}, "current": {fmt.Sprintf("guess number %d", i)}, "password": {"a fresh long password"}})
		got[resp.StatusCode]++
	}
	checks := admin.PasswordChecks() - before
	t.Logf("%d wrong current passwords on /admin/account: %d password checks; answers %v", n, checks, got)
	if checks > 5 || got[http.StatusTooManyRequests] != n-5 {
		t.Errorf("%d password checks, answers %v; want 5 checks and the rest 429", checks, got)
	}
}

// Finding 9: the "suggestion sent" page was public, max-age=300: a shared cache or a shared
// phone kept the fact that someone sent one.
func TestAttackSuggestionSentPageIsNotCached(t *testing.T) {
	s := mustStart(t, admin.Options{})
	resp, _ := s.Get(t, "/organizations/polaris/correction?sent=1")
	cc := resp.Header.Get("Cache-Control")
	t.Logf("GET …/correction?sent=1: status %d, Cache-Control %q", resp.StatusCode, cc)
	if resp.StatusCode != http.StatusOK || cc != "no-store" {
		t.Errorf("sent page: status %d, Cache-Control %q, want 200 and no-store", resp.StatusCode, cc)
	}
}
