package admin_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"signpost/internal/admin"
)

// softAuthenticator is a passkey in software: one P-256 key, "none" attestation, as a
// phone or security key would answer the browser, so the ceremony runs with no device.
type softAuthenticator struct {
	key    *ecdsa.PrivateKey
	id     []byte
	origin string
	count  uint32
	handle []byte // the account's user handle, kept by a passkey for sign-in without a name
}

func newSoftAuthenticator(tb testing.TB, origin string) *softAuthenticator {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &softAuthenticator{key: k, id: id, origin: origin}
}

var b64 = base64.RawURLEncoding

// ceremonyOptions is the part of the server's options the authenticator needs.
type ceremonyOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		RPID string `json:"rpId"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

func (a *softAuthenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.origin, "crossOrigin": false})
	return b
}

// create answers navigator.credentials.create with the JSON the script posts.
func (a *softAuthenticator) create(tb testing.TB, optsJSON []byte) string {
	tb.Helper()
	var o ceremonyOptions
	if err := json.Unmarshal(optsJSON, &o); err != nil {
		tb.Fatalf("registration options: %v\n%s", err, optsJSON)
	}
	pub, err := a.key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		tb.Fatal(err)
	}
	x, y := pub[1:33], pub[33:65]
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		tb.Fatal(err)
	}
	if a.handle, err = b64.DecodeString(o.PublicKey.User.ID); err != nil {
		tb.Fatalf("user handle %q: %v", o.PublicKey.User.ID, err)
	}
	rpHash := sha256.Sum256([]byte(o.PublicKey.RP.ID))
	auth := append(rpHash[:], 0x45) // user present, user verified, attested credential data
	auth = binary.BigEndian.AppendUint32(auth, 0)
	auth = append(auth, make([]byte, 16)...) // AAGUID
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(a.id)))
	auth = append(auth, a.id...)
	auth = append(auth, cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(a.id), "rawId": b64.EncodeToString(a.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(att)}})
	return string(b)
}

// get answers navigator.credentials.get.
func (a *softAuthenticator) get(tb testing.TB, optsJSON []byte) string {
	tb.Helper()
	var o ceremonyOptions
	if err := json.Unmarshal(optsJSON, &o); err != nil {
		tb.Fatalf("sign-in options: %v\n%s", err, optsJSON)
	}
	a.count++
	rpHash := sha256.Sum256([]byte(o.PublicKey.RPID))
	auth := append(rpHash[:], 0x05) // user present, user verified
	auth = binary.BigEndian.AppendUint32(auth, a.count)
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(a.id), "rawId": b64.EncodeToString(a.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(auth),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(a.handle)}})
	return string(b)
}

// postJSON posts form and returns the JSON answer, requiring 200.
func (s *staffSite) postJSON(tb testing.TB, path string, form url.Values) []byte {
	tb.Helper()
	resp, doc := s.post(tb, path, form)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		tb.Fatalf("POST %s: %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), text(doc.Find("main")))
	}
	return []byte(doc.Text())
}

func TestPasskeyAddSignInAndRemove(t *testing.T) {
	s := mustStartEnforced(t)
	// Browsers keep passkeys for domain names, never IP addresses: talk to the test server
	// as localhost.
	s.Server.URL = strings.Replace(s.Server.URL, "127.0.0.1", "localhost", 1)
	s.mustSignIn(t, adminEmail)
	doc := s.doc(t, "/admin/2fa", http.StatusOK)
	form := doc.Find("form#passkey-register")
	if form.Length() == 0 || doc.Find(`script[src="/admin/passkey.js"]`).Length() == 0 {
		t.Fatal("no passkey form or script on the sign-in security page")
	}
	if !strings.Contains(text(form.Find("[data-passkey-status]")), "needs JavaScript") {
		t.Error("the page does not say what to do without JavaScript")
	}
	tok := formToken(t, doc)
	auth := newSoftAuthenticator(t, s.URL)

	opts := s.postJSON(t, "/admin/2fa/passkeys/begin", url.Values{"csrf": {tok}})
	resp, _ := s.post(t, "/admin/2fa/passkeys", url.Values{"csrf": {tok}, "name": {"Test key"}, "credential": {auth.create(t, opts)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/2fa/recovery" {
		t.Fatalf("add passkey: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.doc(t, "/admin/2fa/recovery", http.StatusOK)
	doc = s.doc(t, "/admin/", http.StatusOK) // a passkey is enough for an admin
	if got := text(s.doc(t, "/admin/2fa", http.StatusOK).Find(".passkey-list")); !strings.Contains(got, "Test key") {
		t.Errorf("passkey list = %q", got)
	}

	s.post(t, "/admin/logout", url.Values{"csrf": {formToken(t, doc)}})
	if resp := s.signIn(t, adminEmail, password); resp.Header.Get("Location") != "/admin/login/2fa" {
		t.Fatalf("password step to %q", resp.Header.Get("Location"))
	}
	doc = s.doc(t, "/admin/login/2fa", http.StatusOK)
	if doc.Find("form#passkey-signin").Length() == 0 || doc.Find(`script[src="/admin/passkey.js"]`).Length() == 0 {
		t.Fatal("no passkey sign-in on the second step")
	}
	opts = s.postJSON(t, "/admin/login/passkey/begin", nil)
	assertion := auth.get(t, opts)
	resp, _ = s.post(t, "/admin/login/passkey", url.Values{"credential": {assertion}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/" {
		t.Fatalf("passkey sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.doc(t, "/admin/users", http.StatusOK)

	// A captured answer cannot be played again: its challenge is gone.
	other := s.otherBrowser()
	other.signIn(t, adminEmail, password)
	other.postJSON(t, "/admin/login/passkey/begin", nil)
	if resp, _ := other.post(t, "/admin/login/passkey", url.Values{"credential": {assertion}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("replayed passkey answer: %d, want 401", resp.StatusCode)
	}
	// Nor can another key sign in.
	stranger := newSoftAuthenticator(t, s.URL)
	stranger.id = auth.id
	if resp, _ := other.post(t, "/admin/login/passkey", url.Values{"credential": {stranger.get(t, other.postJSON(t, "/admin/login/passkey/begin", nil))}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another key's signature: %d, want 401", resp.StatusCode)
	}

	// Sign-in with the passkey alone, from the sign-in page: no email, no password.
	alone := s.otherBrowser()
	if alone.doc(t, "/admin/login", http.StatusOK).Find("form#passkey-only").Length() == 0 {
		t.Fatal("no passkey sign-in on the sign-in page")
	}
	resp, _ = alone.post(t, "/admin/login/passkey-only", url.Values{"next": {"/admin/users"},
		"credential": {auth.get(t, alone.postJSON(t, "/admin/login/passkey-only/begin", nil))}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/users" {
		t.Fatalf("passkey-only sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	alone.doc(t, "/admin/users", http.StatusOK)
	// A key that claims to be someone else's is refused.
	stranger.handle = auth.handle
	nobody := s.otherBrowser()
	resp, _ = nobody.post(t, "/admin/login/passkey-only", url.Values{
		"credential": {stranger.get(t, nobody.postJSON(t, "/admin/login/passkey-only/begin", nil))}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("another key, passkey-only: %d, want 401", resp.StatusCode)
	}
	if resp, _ := nobody.Get(t, "/admin/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after a refused passkey, the admin opened: %d", resp.StatusCode)
	}

	doc = s.doc(t, "/admin/2fa", http.StatusOK)
	action := doc.Find(".passkey-list form").AttrOr("action", "")
	if resp, _ := s.post(t, action, url.Values{"csrf": {formToken(t, doc)}, "password": {password}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove passkey: %d", resp.StatusCode)
	}
	if resp, _ := s.Get(t, "/admin/"); resp.Header.Get("Location") != "/admin/2fa" {
		t.Error("after removing the only passkey, the admin is not sent back to set one up")
	}
	audit := auditText(t, s)
	for _, want := range []string{"2fa_passkey_added", "with passkey Test key", "passkey refused", "no password", "passkey sign-in refused", "2fa_passkey_removed"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestPasskeyScriptIsServedFromThisSite(t *testing.T) {
	s := mustStart(t, admin.Options{})
	resp, body := s.Get(t, "/admin/passkey.js")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(body, "navigator.credentials") {
		t.Errorf("GET /admin/passkey.js: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}
