package admin

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Passkeys (WebAuthn) as a second factor. The browser ceremony needs a little JavaScript
// (static/js/passkey.js, served from this origin): it asks for the options, runs the
// ceremony and puts the result into an ordinary form, which is posted like any other. So
// the form token, the cross-origin check and Post/Redirect/Get work as everywhere else,
// and without JavaScript the pages say what to use instead.

// sessPasskeyRegister is the WebAuthn challenge of a passkey being added.
const sessPasskeyRegister = "wa_register"

// maxCredentialJSON bounds a ceremony's result as posted.
const maxCredentialJSON = 64 << 10

// relyingParty is the WebAuthn configuration for this request's site: the configured
// origin if there is one, else the one the browser used. A browser only lets a page use
// passkeys of its own site, so a forged Host header gains nothing.
func (h *Handler) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	origin := h.opts.Origin
	if origin == "" {
		scheme := "http"
		if r.TLS != nil || (h.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
			scheme = "https"
		}
		origin = scheme + "://" + r.Host
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return nil, directory.Errorf(directory.EINVALID, "This site's address is not set, so passkeys cannot be used.")
	}
	host := u.Host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		host = hh
	}
	rp, err := webauthn.New(&webauthn.Config{RPID: host, RPDisplayName: "Signpost", RPOrigins: []string{u.Scheme + "://" + u.Host}})
	if err != nil {
		// Typically an IP address: browsers keep passkeys for domain names only.
		h.log.Info("passkeys unavailable", "host", host, "err", err)
		return nil, directory.Errorf(directory.EINVALID, "Passkeys work only when the site is opened by its domain name. Use an authenticator app instead.")
	}
	return rp, nil
}

// passkeyUser is an account as WebAuthn sees it, with its passkeys.
type passkeyUser struct {
	u     *directory.User
	keys  []directory.Passkey
	creds []webauthn.Credential
}

func (p *passkeyUser) WebAuthnID() []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(p.u.ID)) // #nosec G115 -- ids are positive
}
func (p *passkeyUser) WebAuthnName() string                       { return p.u.Email }
func (p *passkeyUser) WebAuthnDisplayName() string                { return p.u.Email }
func (p *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

func (h *Handler) loadPasskeyUser(r *http.Request, u *directory.User) (*passkeyUser, error) {
	keys, err := h.st.ListPasskeys(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	p := &passkeyUser{u: u, keys: keys}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal(k.Credential, &c); err != nil {
			return nil, err
		}
		p.creds = append(p.creds, c)
	}
	return p, nil
}

// writeJSON answers a ceremony's options.
func (h *Handler) writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// relyingPartyAndUser returns the relying party of r's site and u with their passkeys.
func (h *Handler) relyingPartyAndUser(r *http.Request, u *directory.User) (*webauthn.WebAuthn, *passkeyUser, error) {
	rp, err := h.relyingParty(r)
	if err != nil {
		return nil, nil, err
	}
	pu, err := h.loadPasskeyUser(r, u)
	if err != nil {
		return nil, nil, err
	}
	return rp, pu, nil
}

// readPasskey reads the ceremony result posted in r's "credential" field with parse
// (protocol.ParseCredentialCreationResponseBody or ParseCredentialRequestResponseBody),
// then returns it with the relying party of r's site and u with their passkeys: what
// finishing the ceremony needs. When the result cannot be read it calls unreadable, which
// answers in the caller's words; on any other error it answers with that. Either way ok is
// false.
func readPasskey[T any](h *Handler, w http.ResponseWriter, r *http.Request, u *directory.User, parse func(io.Reader) (*T, error), unreadable func()) (parsed *T, rp *webauthn.WebAuthn, pu *passkeyUser, ok bool) {
	parsed, err := parse(strings.NewReader(r.PostFormValue("credential")))
	if err != nil {
		unreadable()
		return nil, nil, nil, false
	}
	if rp, pu, err = h.relyingPartyAndUser(r, u); err != nil {
		h.error(w, r, err)
		return nil, nil, nil, false
	}
	return parsed, rp, pu, true
}

// beginCeremony answers a WebAuthn ceremony's options (or err, from starting it) and keeps
// its session data under key until the browser posts the result.
func (h *Handler) beginCeremony(w http.ResponseWriter, r *http.Request, key string, opts any, sess *webauthn.SessionData, err error) {
	if err != nil {
		h.error(w, r, err)
		return
	}
	sj, err := json.Marshal(sess)
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.sessions.Put(r.Context(), key, string(sj))
	h.writeJSON(w, r, opts)
}

// popCeremony takes the session data beginCeremony kept under key; ok is false when there
// is none (it took too long, or was started elsewhere) or it cannot be read.
func (h *Handler) popCeremony(ctx context.Context, key string) (sess webauthn.SessionData, ok bool) {
	raw := h.sessions.PopString(ctx, key)
	if raw == "" || json.Unmarshal([]byte(raw), &sess) != nil {
		return webauthn.SessionData{}, false
	}
	return sess, true
}

// usePasskey ends a sign-in with c, the credential pu's passkey just proved: it stores c as
// it is now (its counter moves on) and calls signIn with the passkey of pu it is, or
// refuse, storing nothing, when it is none of theirs.
func (h *Handler) usePasskey(w http.ResponseWriter, r *http.Request, pu *passkeyUser, c *webauthn.Credential, signIn func(*directory.Passkey), refuse func()) {
	i := slices.IndexFunc(pu.keys, func(k directory.Passkey) bool { return bytes.Equal(k.CredentialID, c.ID) })
	if i < 0 {
		refuse()
		return
	}
	cj, err := json.Marshal(c)
	if err == nil {
		err = h.st.UpdatePasskeyCredential(r.Context(), pu.keys[i].ID, cj)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	signIn(&pu.keys[i])
}

func (h *Handler) handlePasskeyRegisterBegin(w http.ResponseWriter, r *http.Request) {
	rp, pu, err := h.relyingPartyAndUser(r, userFrom(r.Context()))
	if err != nil {
		h.error(w, r, err)
		return
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range pu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	opts, sess, err := rp.BeginRegistration(pu, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	h.beginCeremony(w, r, sessPasskeyRegister, opts, sess, err)
}

func (h *Handler) passkeyFailed(w http.ResponseWriter, r *http.Request, message string) {
	h.renderTwoFactor(w, r, http.StatusBadRequest, message)
}

func (h *Handler) handlePasskeyRegister(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	sess, ok := h.popCeremony(ctx, sessPasskeyRegister)
	if !ok {
		h.passkeyFailed(w, r, "Adding the passkey took too long or was started elsewhere. Try again.")
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" {
		name = "Passkey"
	}
	if utf8.RuneCountInString(name) > 60 {
		name = string([]rune(name)[:60])
	}
	if cred := r.PostFormValue("credential"); cred == "" || len(cred) > maxCredentialJSON {
		h.passkeyFailed(w, r, "Your browser did not send a passkey. Try again, or use an authenticator app.")
		return
	}
	parsed, rp, pu, ok := readPasskey(h, w, r, u, protocol.ParseCredentialCreationResponseBody, func() {
		h.passkeyFailed(w, r, "The passkey could not be read. Try again, or use an authenticator app.")
	})
	if !ok {
		return
	}
	c, err := rp.CreateCredential(pu, sess, parsed)
	if err != nil {
		h.log.Info("passkey registration refused", "user", u.ID, "err", err)
		h.passkeyFailed(w, r, "The passkey was not accepted. Try again, or use an authenticator app.")
		return
	}
	cj, err := json.Marshal(c)
	if err != nil {
		h.error(w, r, err)
		return
	}
	before, err := h.st.SecondFactors(ctx, u.ID)
	if err != nil {
		h.error(w, r, err)
		return
	}
	pk := &directory.Passkey{UserID: u.ID, CredentialID: c.ID, Name: name, Credential: cj}
	if err := h.st.AddPasskey(ctx, pk); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "2fa_passkey_added", "users", u.ID, u.Email+": "+name)
	if !before.Any() {
		// The account's first factor: recovery codes come with it, as with an app.
		codes, hashes := newRecoveryCodes()
		if err := h.st.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			h.error(w, r, err)
			return
		}
		h.sessions.Put(ctx, sessRecoveryShow, strings.Join(codes, " "))
		h.redirect(w, r, "/admin/2fa/recovery", "Your passkey is added. From now on, sign-in asks for it after your password.")
		return
	}
	h.redirect(w, r, "/admin/2fa", "Your passkey “"+name+"” is added.")
}

func (h *Handler) handlePasskeyRemove(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	id, err := idParam(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if !h.confirmPassword(w, r) {
		return
	}
	if err := h.st.RemovePasskey(r.Context(), u.ID, id); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "2fa_passkey_removed", "users", u.ID, u.Email)
	h.redirect(w, r, "/admin/2fa", "The passkey is removed from your account.")
}

// handlePasskeyLoginBegin starts the passkey ceremony of the second step.
func (h *Handler) handlePasskeyLoginBegin(w http.ResponseWriter, r *http.Request) {
	u := h.pendingUser(r)
	if u == nil {
		h.error(w, r, directory.Errorf(directory.EUNAUTHORIZED, "Sign in with your password first."))
		return
	}
	rp, pu, err := h.relyingPartyAndUser(r, u)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if len(pu.creds) == 0 {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "This account has no passkey."))
		return
	}
	opts, sess, err := rp.BeginLogin(pu)
	h.beginCeremony(w, r, sessPasskeyLogin, opts, sess, err)
}

// handlePasskeyLogin finishes the second step with a passkey.
func (h *Handler) handlePasskeyLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, unlock := h.lockSecondStep(w, r, maxCredentialJSON+1024)
	if u == nil {
		return
	}
	defer unlock()
	sess, ok := h.popCeremony(ctx, sessPasskeyLogin)
	if !ok {
		h.secondStepFailed(w, r, u, "passkey: no ceremony", "Using the passkey took too long. Try again.")
		return
	}
	parsed, rp, pu, ok := readPasskey(h, w, r, u, protocol.ParseCredentialRequestResponseBody, func() {
		h.secondStepFailed(w, r, u, "passkey: unreadable", "The passkey could not be read. Try again, or enter a code.")
	})
	if !ok {
		return
	}
	c, err := rp.ValidateLogin(pu, sess, parsed)
	if err != nil || c.Authenticator.CloneWarning {
		h.log.Info("passkey sign-in refused", "user", u.ID, "err", err)
		h.secondStepFailed(w, r, u, "passkey refused", "The passkey was not accepted. Try again, or enter a code.")
		return
	}
	h.usePasskey(w, r, pu, c, func(k *directory.Passkey) {
		h.completeSignIn(w, r, u, "passkey "+k.Name)
	}, func() {
		h.secondStepFailed(w, r, u, "passkey unknown", "The passkey was not accepted. Try again, or enter a code.")
	})
}

// sessPasskeyOnly is the WebAuthn challenge of a sign-in with a passkey alone.
const sessPasskeyOnly = "wa_discover"

// handlePasskeyOnlyBegin starts a sign-in with a passkey and no password. The passkey must
// verify the person (fingerprint, face or PIN), so it is two factors in one: something
// they have, unlocked by something they are or know.
func (h *Handler) handlePasskeyOnlyBegin(w http.ResponseWriter, r *http.Request) {
	rp, err := h.relyingParty(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	opts, sess, err := rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	h.beginCeremony(w, r, sessPasskeyOnly, opts, sess, err)
}

// handlePasskeyOnly finishes a sign-in with a passkey alone. Failures are throttled on
// the address like wrong passwords.
func (h *Handler) handlePasskeyOnly(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxCredentialJSON+1024)
	next := safeNext(r.PostFormValue("next"))
	_, addr := h.throttleKeys(r, "")
	vm := view.LoginVM{Page: h.page(r, "Sign in", ""), Next: next}
	h.secondStepMu.Lock()
	defer h.secondStepMu.Unlock()
	wait, err := h.retryAfter(ctx, addr)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		vm.Message = "Too many failed sign-ins. Wait " + humanWait(wait) + ", then try again."
		h.audit(r, "login_throttled", "", 0, "passkey")
		h.render(w, r, http.StatusTooManyRequests, view.Login(vm))
		return
	}
	fail := func(u *directory.User, detail string) {
		keys := []string{addr}
		e := directory.AuditEntry{Action: "login_failed", Detail: detail}
		if u != nil {
			keys = append(keys, "2fa:"+strconv.FormatInt(u.ID, 10))
			e.UserID, e.UserEmail = u.ID, u.Email
		}
		if err := h.st.RecordLoginFailure(ctx, keys...); err != nil {
			h.error(w, r, err)
			return
		}
		if err := h.st.WriteAudit(ctx, e); err != nil {
			h.log.Error("audit", "err", err)
		}
		vm.Message = "The passkey was not accepted. Try again, or sign in with your email and password."
		h.render(w, r, http.StatusUnauthorized, view.Login(vm))
	}
	sess, ok := h.popCeremony(ctx, sessPasskeyOnly)
	if !ok {
		fail(nil, "passkey sign-in: no ceremony")
		return
	}
	parsed, err := protocol.ParseCredentialRequestResponseBody(strings.NewReader(r.PostFormValue("credential")))
	if err != nil {
		fail(nil, "passkey sign-in: unreadable")
		return
	}
	rp, err := h.relyingParty(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var pu *passkeyUser
	_, c, err := rp.ValidatePasskeyLogin(func(_, handle []byte) (webauthn.User, error) {
		if len(handle) != 8 {
			return nil, directory.Errorf(directory.ENOTFOUND, "no such account")
		}
		u, err := h.st.FindUserByID(ctx, int64(binary.BigEndian.Uint64(handle))) // #nosec G115 -- our own 8-byte handle
		if err != nil {
			return nil, err
		}
		if pu, err = h.loadPasskeyUser(r, u); err != nil {
			return nil, err
		}
		return pu, nil
	}, sess, parsed)
	var u *directory.User
	if pu != nil {
		u = pu.u
	}
	if err != nil || c.Authenticator.CloneWarning || u == nil || u.Disabled {
		h.log.Info("passkey sign-in refused", "err", err)
		fail(u, "passkey sign-in refused")
		return
	}
	if wait, err := h.retryAfter(ctx, "2fa:"+strconv.FormatInt(u.ID, 10)); err != nil || wait > 0 {
		fail(u, "passkey sign-in while the account waits")
		return
	}
	h.usePasskey(w, r, pu, c, func(k *directory.Passkey) {
		h.sessions.Put(ctx, sessMFANext, next)
		h.completeSignIn(w, r, u, "passkey "+k.Name+", no password")
	}, func() {
		fail(u, "passkey sign-in: unknown passkey")
	})
}
