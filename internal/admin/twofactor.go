package admin

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Second factors: after the password, an authenticator-app code (TOTP), a passkey, or a
// one-time recovery code. Admins must have one (the account can do nothing else until it
// has); editors may.

// Session keys of the half-signed-in state: the password was right, the second factor is
// still to come. None of them is sessUserID, so requireUser lets nothing through.
const (
	sessMFAUser  = "mfa_uid"
	sessMFAPW    = "mfa_pw"
	sessMFANext  = "mfa_next"
	sessMFASince = "mfa_at"
	// The authenticator-app key being set up (its otpauth:// URL), until a code confirms it.
	sessTOTPSetup = "totp_setup"
	// New recovery codes, shown once on the next page and then gone from the session.
	sessRecoveryShow = "recovery_show"
	// The WebAuthn challenge of a passkey sign-in under way.
	sessPasskeyLogin = "wa_login"
)

// mfaWindow is how long the second step may wait after the password.
const mfaWindow = 10 * time.Minute

// TOTP parameters: what every authenticator app supports. One step either side allows for
// a phone clock a little off.
var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

const totpPeriod = 30 // seconds

// recoveryCodeCount is how many recovery codes an account gets at a time.
const recoveryCodeCount = 10

// AdminsNeedSecondFactor is the default policy: admins must have a second factor, editors
// may choose.
func AdminsNeedSecondFactor(u *directory.User) bool { return u.Role == directory.RoleAdmin }

func (h *Handler) needsSecondFactor(u *directory.User) bool {
	if h.opts.SecondFactorRequired != nil {
		return h.opts.SecondFactorRequired(u)
	}
	return AdminsNeedSecondFactor(u)
}

// requireSecondFactor sends an account that must have a second factor and has none to the
// screen that sets one up: it can do nothing else (but sign out) until it has.
func (h *Handler) requireSecondFactor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		p := r.URL.Path
		if u == nil || !h.needsSecondFactor(u) || p == "/admin/logout" || p == "/admin/2fa" || strings.HasPrefix(p, "/admin/2fa/") {
			next.ServeHTTP(w, r)
			return
		}
		f, err := h.st.SecondFactors(r.Context(), u.ID)
		if err != nil {
			h.error(w, r, err)
			return
		}
		if f.Any() {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/admin/2fa", http.StatusSeeOther)
			return
		}
		h.error(w, r, directory.Errorf(directory.EUNAUTHORIZED, "Set up a second way to sign in first: admins need one. Go to /admin/2fa."))
	})
}

// startSecondStep is called once the password is right. If the account has a second
// factor, it puts the session in the half-signed-in state, sends the browser to the second
// step and returns true; otherwise it returns false and sign-in goes on as before.
func (h *Handler) startSecondStep(w http.ResponseWriter, r *http.Request, u *directory.User, next string) bool {
	ctx := r.Context()
	f, err := h.st.SecondFactors(ctx, u.ID)
	if err != nil {
		h.error(w, r, err)
		return true
	}
	if !f.Any() {
		if !h.needsSecondFactor(u) {
			// Editors are offered it, once per sign-in, on the first page they see.
			h.sessions.Put(ctx, sessFlash, "Make your account safer: add a second step to your sign-in, a code from a phone app or a passkey. See Sign-in security.")
		}
		return false
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.error(w, r, err)
		return true
	}
	h.sessions.Remove(ctx, sessUserID)
	h.sessions.Put(ctx, sessMFAUser, u.ID)
	h.sessions.Put(ctx, sessMFAPW, passwordTag(u.PasswordHash))
	h.sessions.Put(ctx, sessMFANext, next)
	h.sessions.Put(ctx, sessMFASince, h.st.Now().Unix())
	h.audit(r.WithContext(context.WithValue(ctx, userKey, u)), "login_password_ok", "", 0, "second step pending")
	http.Redirect(w, r, "/admin/login/2fa", http.StatusSeeOther)
	return true
}

// pendingUser returns the account waiting for its second step, or nil if there is none,
// it waited too long, or its password or state changed meanwhile.
func (h *Handler) pendingUser(r *http.Request) *directory.User {
	ctx := r.Context()
	id := h.sessions.GetInt64(ctx, sessMFAUser)
	if id == 0 {
		return nil
	}
	since := time.Unix(h.sessions.GetInt64(ctx, sessMFASince), 0)
	u, err := h.st.FindUserByID(ctx, id)
	if err != nil || u.Disabled || h.st.Now().Sub(since) > mfaWindow ||
		h.sessions.GetString(ctx, sessMFAPW) != passwordTag(u.PasswordHash) {
		h.clearPending(ctx)
		return nil
	}
	return u
}

func (h *Handler) clearPending(ctx context.Context) {
	for _, k := range []string{sessMFAUser, sessMFAPW, sessMFANext, sessMFASince, sessPasskeyLogin} {
		h.sessions.Remove(ctx, k)
	}
}

func (h *Handler) secondStepVM(r *http.Request, u *directory.User, message string) (view.SecondStepVM, error) {
	f, err := h.st.SecondFactors(r.Context(), u.ID)
	if err != nil {
		return view.SecondStepVM{}, err
	}
	return view.SecondStepVM{Page: h.page(r, "Second step", ""), Email: u.Email, TOTP: f.TOTP, Passkeys: f.Passkeys > 0,
		Message: message, Script: "/admin/passkey.js"}, nil
}

func (h *Handler) handleSecondStepForm(w http.ResponseWriter, r *http.Request) {
	u := h.pendingUser(r)
	if u == nil {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	h.renderSecondStep(w, r, u, http.StatusOK, "")
}

// secondStepKeys are the throttle keys of the second step: the account's own, and the
// address's, shared with the password step so that guessing codes from one place slows
// guessing passwords there too.
func (h *Handler) secondStepKeys(r *http.Request, u *directory.User) (acct, addr string) {
	_, addr = h.throttleKeys(r, "")
	return "2fa:" + strconv.FormatInt(u.ID, 10), addr
}

// secondStepThrottled answers 429 and returns true if the second step must wait.
func (h *Handler) secondStepThrottled(w http.ResponseWriter, r *http.Request, u *directory.User) bool {
	acct, addr := h.secondStepKeys(r, u)
	wait, err := h.retryAfter(r.Context(), acct, addr)
	if err != nil {
		h.error(w, r, err)
		return true
	}
	if wait <= 0 {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	h.audit(r.WithContext(context.WithValue(r.Context(), userKey, u)), "login_throttled", "", 0, "second step")
	h.renderSecondStep(w, r, u, http.StatusTooManyRequests, "Too many wrong codes. Wait "+humanWait(wait)+", then try again.")
	return true
}

// secondStepFailed counts a failure, logs it and shows the form again with 401.
func (h *Handler) secondStepFailed(w http.ResponseWriter, r *http.Request, u *directory.User, detail, message string) {
	acct, addr := h.secondStepKeys(r, u)
	if err := h.st.RecordLoginFailure(r.Context(), acct, addr); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r.WithContext(context.WithValue(r.Context(), userKey, u)), "login_failed", "", 0, detail)
	h.renderSecondStep(w, r, u, http.StatusUnauthorized, message)
}

// lockSecondStep begins a posted second step (a code or a passkey), its body limited to
// maxBody bytes. It returns the half-signed-in user with the second-step lock held, and
// the function that releases it; or a nil user, having answered itself (no one half
// signed in: the login page; too many failures: 429).
func (h *Handler) lockSecondStep(w http.ResponseWriter, r *http.Request, maxBody int64) (u *directory.User, unlock func()) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	u = h.pendingUser(r)
	if u == nil {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil, nil
	}
	h.secondStepMu.Lock()
	if h.secondStepThrottled(w, r, u) {
		h.secondStepMu.Unlock()
		return nil, nil
	}
	return u, h.secondStepMu.Unlock
}

func (h *Handler) handleSecondStep(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, unlock := h.lockSecondStep(w, r, 16<<10)
	if u == nil {
		return
	}
	defer unlock()
	code := normalizeCode(r.PostFormValue("code"))
	how := ""
	switch {
	case len(code) == 6 && isDigits(code):
		secret, err := h.st.TOTPSecret(ctx, u.ID)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			break
		} else if err != nil {
			h.error(w, r, err)
			return
		}
		step, ok := matchTOTP(code, secret, h.st.Now())
		if !ok {
			break
		}
		fresh, err := h.st.UseTOTPStep(ctx, u.ID, step)
		if err != nil {
			h.error(w, r, err)
			return
		}
		if !fresh {
			h.secondStepFailed(w, r, u, "authenticator code used before",
				"This code was already used. Wait for the app to show a new one, then enter it.")
			return
		}
		how = "authenticator app"
	case len(code) == recoveryCodeLen:
		ok, err := h.st.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(code))
		if err != nil {
			h.error(w, r, err)
			return
		}
		if ok {
			how = "recovery code"
		}
	}
	if how == "" {
		h.secondStepFailed(w, r, u, "wrong second-step code",
			"That code is not right. Enter the 6 digits your authenticator app shows now, or one of your recovery codes.")
		return
	}
	h.completeSignIn(w, r, u, how)
}

// signSessionIn signs u in on this session, with a new session token: a token planted
// before sign-in is worth nothing after.
func (h *Handler) signSessionIn(ctx context.Context, u *directory.User) error {
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessUserID, u.ID)
	h.sessions.Put(ctx, sessPassword, passwordTag(u.PasswordHash))
	h.sessions.Put(ctx, sessCSRF, randomToken())
	return nil
}

// completeSignIn ends the half-signed-in state and signs the account in fully, with a new
// session token.
func (h *Handler) completeSignIn(w http.ResponseWriter, r *http.Request, u *directory.User, how string) {
	ctx := r.Context()
	next := safeNext(h.sessions.GetString(ctx, sessMFANext))
	h.clearPending(ctx)
	if err := h.signSessionIn(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	acct, addr := h.secondStepKeys(r, u)
	_ = h.st.ClearLoginFailures(ctx, acct)
	_ = h.st.ClearLoginFailures(ctx, addr)
	// Fully signed in: this browser now passes the account's own limit (see deviceUser).
	h.setDeviceCookie(w, r, u)
	detail := "with " + how
	if how == "recovery code" {
		f, err := h.st.SecondFactors(ctx, u.ID)
		if err == nil {
			detail += " (" + strconv.Itoa(f.RecoveryLeft) + " left)"
			h.sessions.Put(ctx, sessFlash, "You signed in with a recovery code. It cannot be used again: "+
				strconv.Itoa(f.RecoveryLeft)+" are left. Make new ones under Sign-in security if you are running low.")
		}
	}
	h.audit(r.WithContext(context.WithValue(ctx, userKey, u)), "login", "", 0, detail)
	http.Redirect(w, r, next, http.StatusSeeOther) // #nosec G710 -- safeNext keeps it inside /admin
}

// matchTOTP returns the time step code is right for, within one step either side of now.
func matchTOTP(code, secret string, now time.Time) (int64, bool) {
	step := now.Unix() / totpPeriod
	for _, d := range []int64{0, -1, 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((step+d)*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step + d, true
		}
	}
	return 0, false
}

// normalizeCode drops what people type around a code (spaces, dashes) and ignores case.
// Anything but ASCII letters and digits makes it no code at all ("").
func normalizeCode(s string) string {
	if len(s) > 100 {
		return ""
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '-' || c == '\t':
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		default:
			return ""
		}
	}
	return string(b)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// Recovery codes: 16 characters of base32 (80 random bits), shown in groups of four.
const recoveryCodeLen = 16

// newRecoveryCodes returns codes to show once and the digests to store.
func newRecoveryCodes() (codes, hashes []string) {
	for range recoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		c := base32.StdEncoding.EncodeToString(b)
		codes = append(codes, c[0:4]+"-"+c[4:8]+"-"+c[8:12]+"-"+c[12:16])
		hashes = append(hashes, hashRecoveryCode(c))
	}
	return codes, hashes
}

// hashRecoveryCode is the stored form of a normalised code. A plain digest is enough: with
// 80 random bits, there is nothing to gain from a slow hash.
func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("signpost-recovery\x00" + code))
	return hex.EncodeToString(sum[:])
}

// ---- one's own second factors ----

func (h *Handler) twoFactorVM(r *http.Request, message string) (view.TwoFactorVM, error) {
	u := userFrom(r.Context())
	f, err := h.st.SecondFactors(r.Context(), u.ID)
	if err != nil {
		return view.TwoFactorVM{}, err
	}
	keys, err := h.st.ListPasskeys(r.Context(), u.ID)
	if err != nil {
		return view.TwoFactorVM{}, err
	}
	return view.TwoFactorVM{Page: h.pageWithFlash(r, "Sign-in security", ""), Factors: f, Passkeys: keys,
		Required: h.needsSecondFactor(u), Message: message, Script: "/admin/passkey.js"}, nil
}

// renderTwoFactor shows the sign-in security screen with message, answering status.
func (h *Handler) renderTwoFactor(w http.ResponseWriter, r *http.Request, status int, message string) {
	vm, err := h.twoFactorVM(r, message)
	renderVM(h, w, r, status, view.TwoFactor, vm, err)
}

// renderSecondStep shows u's second-step form with message, answering status.
func (h *Handler) renderSecondStep(w http.ResponseWriter, r *http.Request, u *directory.User, status int, message string) {
	vm, err := h.secondStepVM(r, u, message)
	renderVM(h, w, r, status, view.SecondStep, vm, err)
}

// renderTOTPSetup shows the authenticator-app setup form for key k with message, answering
// status.
func (h *Handler) renderTOTPSetup(w http.ResponseWriter, r *http.Request, k *otp.Key, status int, message string) {
	vm, err := h.totpSetupVM(r, k, message)
	renderVM(h, w, r, status, view.TOTPSetup, vm, err)
}

func (h *Handler) handleTwoFactor(w http.ResponseWriter, r *http.Request) {
	h.renderTwoFactor(w, r, http.StatusOK, "")
}

// totpSetupKey returns the key being set up in this session, making one if there is none:
// reloading the page shows the same code to scan.
func (h *Handler) totpSetupKey(r *http.Request) (*otp.Key, error) {
	ctx := r.Context()
	if raw := h.sessions.GetString(ctx, sessTOTPSetup); raw != "" {
		if k, err := otp.NewKeyFromURL(raw); err == nil {
			return k, nil
		}
	}
	issuer := "Signpost"
	if host := r.Host; host != "" && len(host) < 100 {
		issuer += " " + host
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: userFrom(ctx).Email,
		Period: totpOpts.Period, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return nil, err
	}
	h.sessions.Put(ctx, sessTOTPSetup, k.URL())
	return k, nil
}

func (h *Handler) totpSetupVM(r *http.Request, k *otp.Key, message string) (view.TOTPSetupVM, error) {
	img, err := k.Image(240, 240)
	if err != nil {
		return view.TOTPSetupVM{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return view.TOTPSetupVM{}, err
	}
	// The secret in groups of four, easier to type into an app by hand.
	var groups []string
	s := k.Secret()
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:min(i+4, len(s))])
	}
	return view.TOTPSetupVM{Page: h.page(r, "Set up an authenticator app", ""),
		QR:     "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
		Secret: strings.Join(groups, " "), Message: message}, nil
}

func (h *Handler) handleTOTPSetupForm(w http.ResponseWriter, r *http.Request) {
	k, err := h.totpSetupKey(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.renderTOTPSetup(w, r, k, http.StatusOK, "")
}

func (h *Handler) handleTOTPSetup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	raw := h.sessions.GetString(ctx, sessTOTPSetup)
	k, err := otp.NewKeyFromURL(raw)
	if raw == "" || err != nil {
		h.redirect(w, r, "/admin/2fa/totp", "That setup had expired. Scan this new code, then enter the 6 digits.")
		return
	}
	step, ok := matchTOTP(normalizeCode(r.PostFormValue("code")), k.Secret(), h.st.Now())
	if !ok {
		h.renderTOTPSetup(w, r, k, http.StatusBadRequest, "That code is not right. Check the app shows this site, then enter the 6 digits it shows now.")
		return
	}
	codes, hashes := newRecoveryCodes()
	if err := h.st.SetTOTP(ctx, u.ID, k.Secret(), step, hashes); err != nil {
		h.error(w, r, err)
		return
	}
	h.sessions.Remove(ctx, sessTOTPSetup)
	h.sessions.Put(ctx, sessRecoveryShow, strings.Join(codes, " "))
	h.audit(r, "2fa_totp_added", "users", u.ID, u.Email)
	h.redirect(w, r, "/admin/2fa/recovery", "Your authenticator app is set up. From now on, sign-in asks for its code after your password.")
}

// confirmPassword checks the signed-in person's password, asked again before a second
// factor is removed or recovery codes replaced: an unlocked, unattended screen is not
// enough to weaken the account.
//
// Wrong passwords here count towards the sign-in throttle of the account and the address:
// a stolen session must not become a way to guess the password at full speed.
func (h *Handler) confirmPassword(w http.ResponseWriter, r *http.Request) bool {
	ctx := r.Context()
	u := userFrom(ctx)
	acct, addr := h.throttleKeys(r, u.Email)
	h.secondStepMu.Lock()
	defer h.secondStepMu.Unlock()
	wait, err := h.retryAfter(ctx, acct, addr)
	if err != nil {
		h.error(w, r, err)
		return false
	}
	message := "That is not your password. Nothing was changed."
	status := http.StatusBadRequest
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		message, status = "Too many wrong passwords. Wait "+humanWait(wait)+", then try again. Nothing was changed.", http.StatusTooManyRequests
	} else if ok, _ := VerifyPassword(u.PasswordHash, r.PostFormValue("password")); ok {
		return true
	} else if err := h.st.RecordLoginFailure(ctx, acct, addr); err != nil {
		h.error(w, r, err)
		return false
	}
	h.renderTwoFactor(w, r, status, message)
	return false
}

func (h *Handler) handleTOTPRemove(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if !h.confirmPassword(w, r) {
		return
	}
	if err := h.st.RemoveTOTP(r.Context(), u.ID); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "2fa_totp_removed", "users", u.ID, u.Email)
	h.redirect(w, r, "/admin/2fa", "The authenticator app is removed from your account.")
}

func (h *Handler) handleRecoveryShow(w http.ResponseWriter, r *http.Request) {
	codes := strings.Fields(h.sessions.PopString(r.Context(), sessRecoveryShow))
	if len(codes) == 0 {
		h.redirect(w, r, "/admin/2fa", "Recovery codes are shown only once. Make new ones if you lost them.")
		return
	}
	h.render(w, r, http.StatusOK, view.RecoveryCodes(view.RecoveryCodesVM{Page: h.pageWithFlash(r, "Your recovery codes", ""), Codes: codes}))
}

func (h *Handler) handleRecoveryRenew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	if !h.confirmPassword(w, r) {
		return
	}
	f, err := h.st.SecondFactors(ctx, u.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if !f.Any() {
		h.error(w, r, directory.Errorf(directory.EINVALID, "Set up an authenticator app or a passkey first: recovery codes stand in for them."))
		return
	}
	codes, hashes := newRecoveryCodes()
	if err := h.st.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
		h.error(w, r, err)
		return
	}
	h.sessions.Put(ctx, sessRecoveryShow, strings.Join(codes, " "))
	h.audit(r, "2fa_recovery_renewed", "users", u.ID, u.Email)
	h.redirect(w, r, "/admin/2fa/recovery", "New recovery codes are made. The old ones no longer work.")
}

// handleUserTwoFactorReset lets an admin take every second factor off another account, for
// someone who lost their phone and their recovery codes. An admin so reset must set one up
// again at the next sign-in.
func (h *Handler) handleUserTwoFactorReset(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := h.otherUser(w, r, "Change your own second factors under Sign-in security.")
	if !ok {
		return
	}
	if err := h.st.ResetSecondFactors(ctx, u.ID); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "2fa_reset", "users", u.ID, u.Email)
	h.redirect(w, r, "/admin/users", "Second factors removed from "+u.Email+". They sign in with their password alone until they set one up again.")
}
