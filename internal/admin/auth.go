package admin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Session keys.
const (
	sessUserID = "uid"
	sessCSRF   = "csrf"
	sessFlash  = "flash"
	// sessPassword ties a session to the password it was opened with: a new password
	// (set by the person, an admin or the command line) ends every other session.
	sessPassword = "pw"
	// A form posted after the session ended, kept until the person signs in again.
	sessPendingForm = "pending_form"
	sessPendingPath = "pending_path"
)

// restoredMessage tells the person their typing came back after signing in again.
const restoredMessage = "Your session had ended, so this was not saved yet. What you typed is back in the form: check it and save."

// keepsForm reports whether a POST to path is an edit form whose content must survive the
// session ending mid-edit (entry forms, settings, translations; never passwords).
func keepsForm(path string) bool {
	rest, ok := strings.CutPrefix(path, "/admin/")
	if !ok {
		return false
	}
	parts := strings.Split(rest, "/")
	switch {
	case rest == "settings":
		return true
	case parts[0] == "translate":
		return len(parts) == 4
	case parts[0] == "users" || parts[0] == "account" || parts[0] == "corrections" || parts[0] == "revisions":
		return false
	case len(parts) == 2:
		_, err := strconv.ParseInt(parts[1], 10, 64)
		return parts[1] == "new" || err == nil
	}
	return false
}

// Bounds on forms kept across a new sign-in: a long page fits, and the few sessions staff
// have open leave room, but no one can fill the disk with them (issue 11: anonymous posts
// kept 2 MB each, without limit).
const (
	maxPendingForm     = 256 << 10
	maxPendingSessions = 100
)

// keepPendingForm stores a form posted without a valid session, to give it back after the
// person signs in again, if it is small enough and there is room. The form token is left
// out: it belonged to the old session.
func (h *Handler) keepPendingForm(r *http.Request) bool {
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	if err := r.ParseForm(); err != nil || len(r.PostForm) == 0 {
		return false
	}
	form := url.Values{}
	for k, v := range r.PostForm {
		if k != "csrf" && k != "_action" {
			form[k] = v
		}
	}
	enc := form.Encode()
	if len(enc) > maxPendingForm {
		return false
	}
	if n, err := h.st.CountSessions(r.Context()); err != nil || n >= maxPendingSessions {
		return false
	}
	h.sessions.Put(r.Context(), sessPendingForm, enc)
	h.sessions.Put(r.Context(), sessPendingPath, r.URL.Path)
	return true
}

// popPendingForm returns (once) the form kept for this page, if any.
func (h *Handler) popPendingForm(r *http.Request) url.Values {
	ctx := r.Context()
	if h.sessions.GetString(ctx, sessPendingPath) != r.URL.Path {
		return nil
	}
	raw := h.sessions.PopString(ctx, sessPendingForm)
	h.sessions.Remove(ctx, sessPendingPath)
	form, err := url.ParseQuery(raw)
	if err != nil || len(form) == 0 {
		return nil
	}
	return form
}

type ctxKey int

const userKey ctxKey = 0

func userFrom(ctx context.Context) *directory.User {
	u, _ := ctx.Value(userKey).(*directory.User)
	return u
}

// loginFailed is the one message for every failed sign-in: it never says whether the email
// or the password was wrong, so it cannot be used to find out who has an account.
const loginFailed = "The email or password is not right. Check both and try again."

// Throttle: the first few failures in a row cost nothing; each one after doubles the wait,
// from firstDelay up to maxDelay. Failures older than forgetAfter are forgotten. An address
// gets fewer free tries than an account: guessing comes from one place far more often than
// from many, and a low account limit would let anyone lock a staff member out by typing
// wrong passwords for them.
const (
	freeAddrFailures    = 5
	freeAccountFailures = 10
	firstDelay          = 15 * time.Second
	maxDelay            = time.Hour
	forgetAfter         = 24 * time.Hour
)

// throttleDelay is how long to wait after the last of n failures in a row, free of them
// being free.
func throttleDelay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := float64(firstDelay) * math.Pow(2, float64(n-free))
	if d > float64(maxDelay) {
		return maxDelay
	}
	return time.Duration(d)
}

// throttleKeys are the login_attempts keys for an account and an address. The address is
// hashed so that the table does not show addresses in clear (it is not a secret from someone
// with the whole database: IPv4 addresses are few enough to try them all), and its rows are
// forgotten with the failures they count.
func (h *Handler) throttleKeys(r *http.Request, email string) (acct, addr string) {
	sum := sha256.Sum256([]byte("signpost-throttle\x00" + h.clientAddr(r)))
	return "email:" + strings.ToLower(strings.TrimSpace(email)), "ip:" + hex.EncodeToString(sum[:16])
}

// throttleWait is how long key, with n failures in a row the last at last, must still wait
// before another attempt. An address gets fewer free tries than an account; a password
// check on /admin/account ("pw:" keys) as few as an address.
func (h *Handler) throttleWait(key string, n int, last time.Time) time.Duration {
	now := h.st.Now()
	if now.Sub(last) > forgetAfter {
		return 0
	}
	free := freeAccountFailures
	if !strings.HasPrefix(key, "email:") {
		free = freeAddrFailures
	}
	return max(0, last.Add(throttleDelay(n, free)).Sub(now))
}

// retryAfter is the longest wait among keys, read without counting an attempt. The second
// step and password confirmations (twofactor.go, passkeys.go) read it under secondStepMu
// and count a failure after the check, so parallel guesses cannot all pass before one is
// counted; the sign-in form reserves its attempt in one transaction instead.
func (h *Handler) retryAfter(ctx context.Context, keys ...string) (time.Duration, error) {
	var wait time.Duration
	for _, k := range keys {
		n, last, err := h.st.LoginFailures(ctx, k)
		if err != nil {
			return 0, err
		}
		wait = max(wait, h.throttleWait(k, n, last))
	}
	return wait, nil
}

// tooManyMessage is what a throttled person reads, with Retry-After set on w.
func tooManyMessage(w http.ResponseWriter, wait time.Duration) string {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return "Too many failed sign-ins. Wait " + humanWait(wait) + ", then try again."
}

func (h *Handler) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) == nil {
		if id := h.sessions.GetInt64(r.Context(), sessUserID); id != 0 {
			if u, err := h.st.FindUserByID(r.Context(), id); err == nil && !u.Disabled {
				http.Redirect(w, r, "/admin/", http.StatusSeeOther)
				return
			}
		}
	}
	h.render(w, r, http.StatusOK, view.Login(view.LoginVM{Page: h.page(r, "Sign in", ""), Next: safeNext(r.URL.Query().Get("next"))}))
}

// safeNext keeps a post-sign-in destination inside /admin, so the sign-in page cannot be
// used to send someone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/admin/login") || len(next) > 500 {
		return "/admin/"
	}
	return next
}

func (h *Handler) handleLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	vm := view.LoginVM{Page: h.page(r, "Sign in", ""), Email: email, Next: safeNext(r.PostFormValue("next"))}
	if len(email) > 254 {
		email = email[:254]
	}
	acctKey, addrKey := h.throttleKeys(r, email)
	if err := h.st.ForgetLoginFailures(ctx, h.st.Now().Add(-forgetAfter)); err != nil {
		h.log.Error("forget login failures", "err", err)
	}
	u, err := h.st.FindUserByEmail(ctx, email)
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		h.error(w, r, err)
		return
	}
	// The account's own limit slows a guesser spread over many addresses. It does not apply
	// in a browser this account has signed in with before (see deviceUser): a burst of
	// wrong passwords must not lock the owner out. Their address still has its limit.
	keys := []string{acctKey, addrKey}
	if u != nil && h.deviceUser(r) == u.ID {
		keys = []string{addrKey}
	}
	// The attempt is counted before the password is checked, in the same transaction that
	// reads the wait, so parallel attempts cannot all pass the check before any is counted.
	wait, err := h.st.ReserveLoginAttempt(ctx, h.throttleWait, keys...)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if wait > 0 {
		vm.Message = tooManyMessage(w, wait)
		h.auditRepeat(ctx, directory.AuditEntry{Action: "login_throttled"})
		h.render(w, r, http.StatusTooManyRequests, view.Login(vm))
		return
	}

	ok := false
	if u != nil {
		ok, err = VerifyPassword(u.PasswordHash, password)
		if err != nil {
			h.log.Error("password hash unreadable", "user", u.ID, "err", err)
		}
	} else {
		_, _ = VerifyPassword(dummyHash(), password) // same time as a real check
	}
	if !ok || u == nil || u.Disabled {
		// The log names the account only if it exists: a password typed into the email
		// field must never be written down.
		detail := "unknown account"
		e := directory.AuditEntry{Action: "login_failed"}
		if u != nil {
			e.UserID, e.UserEmail, detail = u.ID, u.Email, "wrong password"
			if u.Disabled {
				detail = "account disabled"
			}
		}
		e.Detail = detail
		h.auditRepeat(ctx, e)
		vm.Message = loginFailed
		h.render(w, r, http.StatusUnauthorized, view.Login(vm))
		return
	}

	// An account with a second factor signs in only after it (see twofactor.go).
	if h.startSecondStep(w, r, u, vm.Next) {
		for _, k := range keys {
			_ = h.st.ClearLoginFailures(ctx, k)
		}
		return
	}

	// A new session token on sign-in: a token planted before sign-in is worth nothing after.
	if err := h.signSessionIn(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	for _, k := range keys {
		_ = h.st.ClearLoginFailures(ctx, k)
	}
	h.setDeviceCookie(w, r, u)
	h.audit(r.WithContext(context.WithValue(ctx, userKey, u)), "login", "", 0, "")
	http.Redirect(w, r, vm.Next, http.StatusSeeOther)
}

// auditRepeat writes e to the audit log as one more of the same line when it repeats (see
// store.WriteAuditRepeat): a guessing attack is one line with a count.
func (h *Handler) auditRepeat(ctx context.Context, e directory.AuditEntry) {
	if err := h.st.WriteAuditRepeat(ctx, e); err != nil {
		h.log.Error("audit", "action", e.Action, "err", err)
	}
}

// The device cookie marks a browser that has signed in to an account: "<account id>.<nonce>.
// <MAC>", the MAC keyed by a digest of the account's password hash, so no one can make one
// without having signed in, and a new password voids them all. It lets that browser past the
// account's sign-in limit (OWASP's "device cookies": a guesser slows down, the owner does
// not), and lets it keep a form across a new sign-in. It is sent to /admin only, like the
// session cookie; public visitors never get it.
const (
	deviceCookie   = "signpost_device"
	deviceLifetime = 180 * 24 * time.Hour
)

func deviceMAC(u *directory.User, nonce string) string {
	key := sha256.Sum256([]byte("signpost-device\x00" + u.PasswordHash))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(strconv.FormatInt(u.ID, 10) + "." + nonce))
	return hex.EncodeToString(m.Sum(nil))
}

// setDeviceCookie marks this browser as one u has signed in with.
func (h *Handler) setDeviceCookie(w http.ResponseWriter, r *http.Request, u *directory.User) {
	nonce := randomToken()[:32]
	// Secure over HTTPS only, as the session cookie (see secureCookie): a development site on
	// plain HTTP would never get it back.
	secure := r.TLS != nil || (h.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: strconv.FormatInt(u.ID, 10) + "." + nonce + "." + deviceMAC(u, nonce), // #nosec G124 -- Secure whenever the request came over HTTPS
		Path: "/admin", MaxAge: int(deviceLifetime / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure})
}

// deviceUser returns the enabled account this browser has signed in as (with its current
// password), or 0.
func (h *Handler) deviceUser(r *http.Request) int64 {
	c, err := r.Cookie(deviceCookie)
	if err != nil || len(c.Value) > 200 {
		return 0
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return 0
	}
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	u, err := h.st.FindUserByID(r.Context(), id)
	if err != nil || u.Disabled || !hmac.Equal([]byte(parts[2]), []byte(deviceMAC(u, parts[1]))) {
		return 0
	}
	return u.ID
}

func humanWait(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(math.Ceil(d.Seconds()))) + " seconds"
	}
	return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " minutes"
}

func (h *Handler) handleLogout(w http.ResponseWriter, r *http.Request) {
	h.audit(r, "logout", "", 0, "")
	if err := h.sessions.Destroy(r.Context()); err != nil {
		h.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// passwordTag identifies a password hash without being one: its salt and digest change with
// every new password, and a short digest of them is all a session needs to keep.
func passwordTag(hash string) string {
	sum := sha256.Sum256([]byte("signpost-session\x00" + hash))
	return hex.EncodeToString(sum[:8])
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return hex.EncodeToString(b)
}

// requireUser lets signed-in, enabled accounts through; anyone else goes to the sign-in page
// with 303. The account is read on every request, so disabling it takes effect at once.
func (h *Handler) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := h.sessions.GetInt64(ctx, sessUserID)
		var u *directory.User
		if id != 0 {
			var err error
			u, err = h.st.FindUserByID(ctx, id)
			if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
				h.error(w, r, err)
				return
			}
			if u == nil || u.Disabled || h.sessions.GetString(ctx, sessPassword) != passwordTag(u.PasswordHash) {
				_ = h.sessions.Destroy(ctx)
				u = nil
			}
		}
		// Only a browser that has signed in before (the device cookie) may leave a form to
		// keep: an anonymous post must cost the database nothing.
		if u == nil && r.Method == http.MethodPost && keepsForm(r.URL.Path) && h.deviceUser(r) != 0 {
			// Nothing typed is lost to an expired session: sign in again, and the form comes
			// back filled in. A form too large to keep is still in the browser's back page.
			msg := "Your session ended before this was saved. Sign in again: what you typed will be back in the form, ready to save."
			if !h.keepPendingForm(r) {
				msg = "Your session ended before this was saved. Go back in your browser and copy what you typed, then sign in again."
			}
			w.Header().Set("Cache-Control", "no-store")
			h.render(w, r, http.StatusUnauthorized, view.Login(view.LoginVM{Page: h.page(r, "Sign in", ""), Next: r.URL.Path, Message: msg}))
			return
		}
		if u == nil {
			to := "/admin/login"
			if r.Method == http.MethodGet && r.URL.Path != "/admin/" && r.URL.Path != "/admin" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, u)))
	})
}

// requireAdmin refuses editors with 403.
func (h *Handler) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := userFrom(r.Context()); u == nil || u.Role != directory.RoleAdmin {
			h.error(w, r, directory.Errorf(directory.EUNAUTHORIZED, "Only an administrator can see this page."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// maxForm bounds a staff form's size: long pages fit, a hostile request does not.
const maxForm = 2 << 20

// checkFormToken refuses a POST whose form does not carry the session's token: a second
// line of defence behind the browser's cross-origin signals.
func (h *Handler) checkFormToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			want := h.sessions.GetString(r.Context(), sessCSRF)
			got := r.PostFormValue("csrf")
			if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				h.error(w, r, directory.Errorf(directory.EUNAUTHORIZED, "This form has expired. Go back, reload the page and try again: what you typed is still in your browser's back page."))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds the body of every request after it to n bytes.
func (h *Handler) limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// forbiddenCrossOrigin answers a request another site made the browser send.
func (h *Handler) forbiddenCrossOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusForbidden, view.Message(view.MessageVM{Page: h.page(r, "Not allowed", ""),
		Heading: "Not allowed", Message: "This request came from another website and was refused."}))
}

// secureCookie marks the session cookie Secure when the request came over HTTPS (directly,
// or through a trusted proxy that says so). scs sets one Secure flag for all requests; a
// site reachable over plain HTTP in development needs it per request.
func (h *Handler) secureCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil || (h.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
			w = &secureCookieWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

type secureCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookieWriter) fix() {
	if w.done {
		return
	}
	w.done = true
	cs := w.Header()["Set-Cookie"]
	for i, c := range cs {
		if !strings.Contains(c, "; Secure") {
			cs[i] = c + "; Secure"
		}
	}
}

func (w *secureCookieWriter) WriteHeader(code int) { w.fix(); w.ResponseWriter.WriteHeader(code) }
func (w *secureCookieWriter) Write(b []byte) (int, error) {
	w.fix()
	return w.ResponseWriter.Write(b)
}
func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
