package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pebbleVersion is Let's Encrypt's test CA, run from the Go module proxy: it is never part
// of Signpost's own build.
const pebbleVersion = "v2.10.0"

// pebble is a running Pebble CA with its DNS stand-in.
type pebble struct {
	directory string // ACME directory URL
	minica    string // PEM file of the root that signed Pebble's own HTTPS certificate
	mgmt      string // management address: the issuing roots are at /roots/0
}

// startPebble builds Pebble and pebble-challtestsrv (the same module) and starts them on
// loopback. challtestsrv answers every DNS name with 127.0.0.1, so Pebble's checks of a
// domain reach the server under test; httpPort and tlsPort are where Pebble checks
// http-01 and tls-alpn-01 (443 and 80 for a real CA).
func startPebble(t *testing.T, httpPort, tlsPort string) *pebble {
	t.Helper()
	if testing.Short() {
		t.Skip("builds Pebble")
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "mod", "download", "-json", "github.com/letsencrypt/pebble/v2@"+pebbleVersion).Output()
	if err != nil {
		t.Fatalf("go mod download pebble: %v", err)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download pebble: %v %s", err, out)
	}
	install := exec.Command("go", "install",
		"github.com/letsencrypt/pebble/v2/cmd/pebble@"+pebbleVersion,
		"github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv@"+pebbleVersion)
	install.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install pebble: %v\n%s", err, out)
	}
	dns, listen, mgmt, chall := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	config := fmt.Sprintf(`{"pebble": {
		"listenAddress": %q, "managementListenAddress": %q,
		"certificate": %q, "privateKey": %q,
		"httpPort": %s, "tlsPort": %s,
		"retryAfter": {"authz": 1, "order": 1},
		"keyAlgorithm": "ecdsa"}}`,
		listen, mgmt, filepath.Join(mod.Dir, "test/certs/localhost/cert.pem"),
		filepath.Join(mod.Dir, "test/certs/localhost/key.pem"), httpPort, tlsPort)
	cfgFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(cfgFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	startTool(t, exec.Command(filepath.Join(dir, "pebble-challtestsrv"), "-dnsserver", dns, "-management", chall,
		"-http01", "", "-https01", "", "-doh", "", "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""))
	peb := exec.Command(filepath.Join(dir, "pebble"), "-config", cfgFile, "-dnsserver", dns)
	// No random wait before each check: the test is about the flow, not Pebble's pacing.
	peb.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1")
	startTool(t, peb)
	p := &pebble{directory: "https://" + listen + "/dir", minica: filepath.Join(mod.Dir, "test/certs/pebble.minica.pem"), mgmt: mgmt}
	waitDial(t, listen)
	waitDial(t, mgmt)
	return p
}

// startTool starts a helper process for the length of the test.
func startTool(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(cmd.Path), out)
		}
	})
}

func waitDial(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// issuingRoot returns the root Pebble signs certificates with (made anew at each start).
func (p *pebble) issuingRoot(t *testing.T) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if root := p.issuingRootPEM(t); !pool.AppendCertsFromPEM(root) {
		t.Fatalf("no root from Pebble: %s", root)
	}
	return pool
}

// issuingRootPEM fetches the issuing root from Pebble's management interface.
func (p *pebble) issuingRootPEM(t *testing.T) []byte {
	t.Helper()
	pem, err := os.ReadFile(p.minica)
	if err != nil {
		t.Fatal(err)
	}
	mini := x509.NewCertPool()
	mini.AppendCertsFromPEM(pem)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: mini}}}
	resp, err := c.Get("https://" + p.mgmt + "/roots/0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	root, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// The whole ACME flow against a real CA (Pebble, Let's Encrypt's test server): the binary
// starts with --domain, obtains a certificate on the first visit, serves the site over
// HTTPS with HTTP/2 and HSTS, and redirects plain HTTP to HTTPS on the public origin. A
// browser that trusts only Pebble's root accepts the certificate.
func TestDomainServesHTTPSWithACertificateFromTheCA(t *testing.T) {
	const domain = "help.signpost.test"
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	ca := startPebble(t, httpPort, httpsPort)

	dir := t.TempDir()
	p := startProcess(t, "serve", "--domain", domain, "--db", filepath.Join(dir, "signpost.db"),
		"--https-addr", httpsAddr, "--http-addr", httpAddr,
		"--acme-directory", ca.directory, "--acme-ca", ca.minica, "--acme-email", "staff@example.org")
	waitDial(t, httpsAddr)

	// The visitor's machine resolves the domain to the server and trusts Pebble's root only.
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return (&net.Dialer{}).DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
	}
	client := &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{DialContext: dial, ForceAttemptHTTP2: true,
			TLSClientConfig: &tls.Config{RootCAs: ca.issuingRoot(t), MinVersion: tls.VersionTLS12}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	origin := "https://" + net.JoinHostPort(domain, httpsPort)
	start := time.Now()
	resp, err := client.Get(origin + "/organizations/polaris")
	if err != nil {
		t.Fatalf("first HTTPS visit: %v\n%s", err, p.out)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	t.Logf("first visit (certificate obtained from the CA): %s, %s, %s", time.Since(start).Round(time.Millisecond), resp.Proto, resp.Status)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	leaf := resp.TLS.PeerCertificates[0]
	t.Logf("certificate: subject %v, issuer %q, valid until %s", leaf.DNSNames, leaf.Issuer.CommonName, leaf.NotAfter.Format(time.DateOnly))
	if !strings.Contains(leaf.Issuer.CommonName, "Pebble") || leaf.VerifyHostname(domain) != nil {
		t.Errorf("certificate for %v issued by %q", leaf.DNSNames, leaf.Issuer.CommonName)
	}
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", resp.Proto)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
		t.Errorf("Strict-Transport-Security %q", got)
	}
	if want := `<link rel="canonical" href="` + origin + `/organizations/polaris">`; !strings.Contains(string(body), want) {
		t.Errorf("canonical link is not on the public origin: want %s", want)
	}

	// Plain HTTP goes to the HTTPS origin, whatever Host it names.
	req, _ := http.NewRequest(http.MethodGet, "http://"+httpAddr+"/hotlines?x=1", nil)
	req.Host = "evil.example"
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Location"), origin+"/hotlines?x=1"; resp.StatusCode != http.StatusMovedPermanently || got != want {
		t.Errorf("http: %d to %q, want 301 to %q", resp.StatusCode, got, want)
	}

	// The certificate is cached beside the database, for the next start.
	if m, _ := filepath.Glob(filepath.Join(dir, "certs", domain+"*")); len(m) == 0 {
		t.Error("no certificate in the cache folder beside the database")
	}
	p.stop(t)
}

// Serving where other machines reach it with no public origin stops at once and says which
// flag to set; `make run` (loopback) is unchanged.
func TestServeRefusesAPublicAddressWithoutAnOrigin(t *testing.T) {
	_, err := runCmd(t, "serve", "--addr", ":0", "--db", filepath.Join(t.TempDir(), "signpost.db"))
	if err == nil || !strings.Contains(err.Error(), "--domain") || !strings.Contains(err.Error(), "--base-url") {
		t.Fatalf("serve --addr :0: %v, want a refusal naming --domain and --base-url", err)
	}
	out, err := runCmd(t, "version")
	if err != nil || !strings.HasPrefix(out, "signpost ") || !strings.Contains(out, "commit ") {
		t.Errorf("version: %v %q", err, out)
	}
	out, _ = runCmd(t, "help")
	for _, flag := range []string{"--rate-limit", "--read-only", "--domain", "SIGNPOST_DB"} {
		if !strings.Contains(out, flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}
