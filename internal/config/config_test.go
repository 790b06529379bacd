package config

import (
	"io"
	"os"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestParseDefaultsAndEnv(t *testing.T) {
	c, err := Parse(nil, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// Loopback by default, so `make run` serves without a public address.
	if got, want := c.Addr, "localhost:8080"; got != want {
		t.Errorf("Addr = %q, want %q", got, want)
	}
	if got, want := c.DB, "data/signpost.db"; got != want {
		t.Errorf("DB = %q, want %q", got, want)
	}
	if !c.RateLimit || c.ReadOnly || c.ShutdownTimeout.String() != "15s" {
		t.Errorf("defaults: %+v", c)
	}
	env := map[string]string{"SIGNPOST_ADDR": "127.0.0.1:9000", "SIGNPOST_DB": "/tmp/x.db", "SIGNPOST_RATE_LIMIT": "false"}
	c, err = Parse(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DB != "/tmp/x.db" || c.RateLimit {
		t.Errorf("env not used: %+v", c)
	}
	// A flag beats the environment.
	c, err = Parse([]string{"--addr", "[::1]:7000", "--rate-limit"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.Addr != "[::1]:7000" || !c.RateLimit {
		t.Errorf("flag not used: %+v, %v", c, err)
	}
}

func TestParseRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "nonsense"},
		{"--db", " "},
		{"--base-url", "ftp://x"},
		{"--base-url", "https://example.org/path"},
		{"--log-format", "xml"},
		{"--shutdown-timeout", "soon"},
		{"--read-only=perhaps"},
		{"--domain", "https://help.example.org"},
		{"--domain", "help.example.org:443"},
		{"--domain", "203.0.113.9"},
		{"--domain", "help.example.org", "--base-url", "https://help.example.org"},
		{"extra"},
	} {
		if _, err := Parse(args, noEnv, io.Discard); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", args)
		}
	}
}

// Serving where other machines reach it, with no public origin, would build every link from
// the request's Host header: start-up refuses and names the flags that fix it.
func TestParseRefusesAPublicAddressWithoutAnOrigin(t *testing.T) {
	for _, addr := range []string{":8080", "0.0.0.0:8080", "203.0.113.9:80", "[::]:8080"} {
		_, err := Parse([]string{"--addr", addr}, noEnv, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--domain") || !strings.Contains(err.Error(), "--base-url") {
			t.Errorf("--addr %s: %v, want a refusal naming --domain and --base-url", addr, err)
		}
		c, err := Parse([]string{"--addr", addr, "--base-url", "https://help.example.org/"}, noEnv, io.Discard)
		if err != nil || c.Origin() != "https://help.example.org" {
			t.Errorf("--addr %s with --base-url: %v, origin %q", addr, err, c.Origin())
		}
	}
	for _, addr := range []string{"localhost:8080", "127.0.0.1:0", "[::1]:8080"} {
		if _, err := Parse([]string{"--addr", addr}, noEnv, io.Discard); err != nil {
			t.Errorf("--addr %s: %v", addr, err)
		}
	}
}

func TestDomainIsThePublicOrigin(t *testing.T) {
	c, err := Parse([]string{"--domain", "help.example.org", "--db", "/srv/signpost/signpost.db"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Origin() != "https://help.example.org" || c.HTTPSAddr != ":443" || c.HTTPAddr != ":80" || c.CertDir != "/srv/signpost/certs" || c.ACMEDirectory != LetsEncrypt {
		t.Errorf("got %+v, origin %q", c, c.Origin())
	}
	c, _ = Parse([]string{"--domain", "help.example.org", "--https-addr", "127.0.0.1:8443"}, noEnv, io.Discard)
	if c.Origin() != "https://help.example.org:8443" {
		t.Errorf("origin %q", c.Origin())
	}
}

// Every command reads the database flag and SIGNPOST_DB the same way, flags before or after
// the positional arguments.
func TestEveryCommandReadsTheDatabaseTheSameWay(t *testing.T) {
	env := func(k string) string { return map[string]string{"SIGNPOST_DB": "/env.db"}[k] }
	for _, cmd := range []string{"user", "backup", "import"} {
		p := NewParser(cmd, env, io.Discard)
		apply := p.Bool("apply", false, "")
		c, pos, err := p.Parse([]string{"a", "--apply", "b"})
		if err != nil || c.DB != "/env.db" || !*apply || strings.Join(pos, " ") != "a b" {
			t.Errorf("%s: %v %q %v %q", cmd, err, c.DB, *apply, pos)
		}
		c, _, err = NewParser(cmd, env, io.Discard).Parse([]string{"--db", "/flag.db"})
		if err != nil || c.DB != "/flag.db" {
			t.Errorf("%s --db: %v %q", cmd, err, c.DB)
		}
	}
}

// The usage text is generated from the settings, so no flag can be left out of it.
func TestUsageNamesEveryFlag(t *testing.T) {
	u := Usage("  serve  ...\n")
	for _, s := range settings {
		if !strings.Contains(u, "--"+s.name+" ") || !strings.Contains(u, s.env) {
			t.Errorf("usage lacks --%s or %s", s.name, s.env)
		}
	}
	for _, want := range []string{"--rate-limit", "--read-only", "--domain"} {
		if !strings.Contains(FlagUsage("serve"), want) {
			t.Errorf("serve usage lacks %s", want)
		}
	}
	if strings.Contains(FlagUsage("backup"), "--addr") {
		t.Error("backup usage lists --addr, which backup does not read")
	}
}

// README's configuration table names every flag.
func TestReadmeListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(string(readme), "`--"+s.name+"`") || !strings.Contains(string(readme), s.env) {
			t.Errorf("README.md's configuration table lacks --%s (%s)", s.name, s.env)
		}
	}
}
