// Package config turns flags and environment variables into a validated Config, once, at
// start. Nothing else in Signpost reads the environment.
//
// Every subcommand parses through NewParser: one table of settings (below) says which
// command reads which flag and environment variable, and the usage text is generated from
// it, so no command reads SIGNPOST_DB its own way and no flag is left out of the help.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server needs to start.
type Config struct {
	Addr string // plain-HTTP listen address, "localhost:8080"
	DB   string // SQLite file path
	// BaseURL is the public origin used in canonical links, the sitemap and Open Graph tags
	// ("https://signpost.example.org"), when a proxy in front serves HTTPS.
	BaseURL string
	// Domain turns on the built-in HTTPS: certificates from an ACME CA (Let's Encrypt) for
	// this name, HTTPS on HTTPSAddr, HTTP on HTTPAddr redirecting to it.
	Domain    string
	HTTPSAddr string // ":443"
	HTTPAddr  string // ":80"
	// CertDir caches the account key and certificates; by default "certs" beside DB.
	CertDir string
	// ACMEDirectory is the CA's directory URL; ACMECA, when set, is a PEM file of roots to
	// trust for talking to it (a test CA such as Pebble); ACMEEmail is told of expiry.
	ACMEDirectory string
	ACMECA        string
	ACMEEmail     string
	// TrustProxy makes the server believe X-Forwarded-Proto/-For from a reverse proxy.
	TrustProxy bool
	// LogFormat is "text" or "json".
	LogFormat string
	// AccessLog logs one line per request (never the client address).
	AccessLog bool
	// ShutdownTimeout bounds how long in-flight requests may run after SIGTERM.
	ShutdownTimeout time.Duration
	// RateLimit turns on the per-address limits on search, sign-in and public forms. Off
	// only for load tests from one address.
	RateLimit bool
	// ReadOnly serves a copy of the database that something else keeps current (a
	// Litestream follower): no migration, no staff area, no write.
	ReadOnly bool
}

// LetsEncrypt is the default ACME directory.
const LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory"

// setting is one flag, its environment variable and default, and the commands that read it.
type setting struct {
	name, env, def string
	bool           bool
	cmds           []string
	help           string
	set            func(c *Config, v string) error
}

var (
	serveOnly = []string{"serve"}
	withDB    = []string{"serve", "user", "backup", "import"}
)

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false, not %q", v)
		}
		*p(c) = b
		return nil
	}
}

// settings is the one table of configuration, in the order the usage text lists it.
var settings = []setting{
	{name: "db", env: "SIGNPOST_DB", def: "data/signpost.db", cmds: withDB, help: "SQLite database file",
		set: str(func(c *Config) *string { return &c.DB })},
	{name: "addr", env: "SIGNPOST_ADDR", def: "localhost:8080", cmds: serveOnly,
		help: "plain-HTTP listen address (not with --domain); beyond loopback it needs --base-url",
		set:  str(func(c *Config) *string { return &c.Addr })},
	{name: "domain", env: "SIGNPOST_DOMAIN", cmds: serveOnly,
		help: "serve HTTPS for this name, with certificates from Let's Encrypt, renewed on their own",
		set:  str(func(c *Config) *string { return &c.Domain })},
	{name: "base-url", env: "SIGNPOST_BASE_URL", cmds: serveOnly,
		help: "public origin when a proxy in front serves HTTPS, e.g. https://help.example.org",
		set:  str(func(c *Config) *string { return &c.BaseURL })},
	{name: "https-addr", env: "SIGNPOST_HTTPS_ADDR", def: ":443", cmds: serveOnly, help: "HTTPS listen address, with --domain",
		set: str(func(c *Config) *string { return &c.HTTPSAddr })},
	{name: "http-addr", env: "SIGNPOST_HTTP_ADDR", def: ":80", cmds: serveOnly,
		help: "HTTP listen address, with --domain: redirects to HTTPS and answers the CA's checks",
		set:  str(func(c *Config) *string { return &c.HTTPAddr })},
	{name: "cert-dir", env: "SIGNPOST_CERT_DIR", cmds: serveOnly, help: "certificate cache, with --domain (default: certs beside the database)",
		set: str(func(c *Config) *string { return &c.CertDir })},
	{name: "acme-email", env: "SIGNPOST_ACME_EMAIL", cmds: serveOnly, help: "address the CA may write to about certificates, with --domain",
		set: str(func(c *Config) *string { return &c.ACMEEmail })},
	{name: "acme-directory", env: "SIGNPOST_ACME_DIRECTORY", def: LetsEncrypt, cmds: serveOnly, help: "ACME directory URL of the CA, with --domain",
		set: str(func(c *Config) *string { return &c.ACMEDirectory })},
	{name: "acme-ca", env: "SIGNPOST_ACME_CA", cmds: serveOnly, help: "PEM file of roots to trust when talking to the CA (a test CA only)",
		set: str(func(c *Config) *string { return &c.ACMECA })},
	{name: "trust-proxy", env: "SIGNPOST_TRUST_PROXY", def: "false", bool: true, cmds: serveOnly,
		help: "trust X-Forwarded-Proto and X-Forwarded-For from a proxy in front",
		set:  boolean(func(c *Config) *bool { return &c.TrustProxy })},
	{name: "access-log", env: "SIGNPOST_ACCESS_LOG", def: "false", bool: true, cmds: serveOnly,
		help: "log every request, never the client address",
		set:  boolean(func(c *Config) *bool { return &c.AccessLog })},
	{name: "log-format", env: "SIGNPOST_LOG_FORMAT", def: "text", cmds: serveOnly, help: "text or json",
		set: str(func(c *Config) *string { return &c.LogFormat })},
	{name: "rate-limit", env: "SIGNPOST_RATE_LIMIT", def: "true", bool: true, cmds: serveOnly,
		help: "per-address limits on search, sign-in and forms (false only for load tests)",
		set:  boolean(func(c *Config) *bool { return &c.RateLimit })},
	{name: "read-only", env: "SIGNPOST_READ_ONLY", def: "false", bool: true, cmds: serveOnly,
		help: "serve a read-only copy kept current by another program (litestream restore -f)",
		set:  boolean(func(c *Config) *bool { return &c.ReadOnly })},
	{name: "shutdown-timeout", env: "SIGNPOST_SHUTDOWN_TIMEOUT", def: "15s", cmds: serveOnly,
		help: "time in-flight requests get to finish after SIGTERM",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("want a duration like 15s, not %q", v)
			}
			c.ShutdownTimeout = d
			return nil
		}},
}

func (s setting) readBy(cmd string) bool {
	for _, c := range s.cmds {
		if c == cmd {
			return true
		}
	}
	return false
}

// value is a flag that keeps the text it was given; the setting turns it into the field.
type value struct {
	s      *string
	isBool bool
}

func (v value) String() string {
	if v.s == nil {
		return ""
	}
	return *v.s
}
func (v value) Set(s string) error { *v.s = s; return nil }
func (v value) IsBoolFlag() bool   { return v.isBool }

// Parser parses one command's flags: the shared settings the command reads, plus the
// command's own flags, defined on the embedded FlagSet before Parse.
type Parser struct {
	*flag.FlagSet
	cmd    string
	getenv func(string) string
	raw    map[string]*string
	// Usage is the command's own text, printed before the generated flag list on -h.
	Usage string
}

// NewParser returns the parser of cmd ("serve", "user", "backup", "import"). Environment
// variables fill in what the flags leave out; a flag beats the environment.
func NewParser(cmd string, getenv func(string) string, stderr io.Writer) *Parser {
	p := &Parser{FlagSet: flag.NewFlagSet("signpost "+cmd, flag.ContinueOnError), cmd: cmd, getenv: getenv, raw: map[string]*string{}}
	p.SetOutput(stderr)
	for _, s := range settings {
		if !s.readBy(cmd) {
			continue
		}
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		p.raw[s.name] = &v
		p.Var(value{&v, s.bool}, s.name, s.help+" ("+s.env+")")
	}
	p.FlagSet.Usage = func() {
		fmt.Fprint(p.Output(), p.Usage)
		fmt.Fprint(p.Output(), FlagUsage(cmd))
	}
	return p
}

// Parse reads args, flags before or after the positional arguments, and returns the
// validated Config and the positional arguments.
func (p *Parser) Parse(args []string) (Config, []string, error) {
	var c Config
	var pos []string
	for {
		if err := p.FlagSet.Parse(args); err != nil {
			return c, nil, err
		}
		if p.NArg() == 0 {
			break
		}
		pos = append(pos, p.Arg(0))
		args = p.Args()[1:]
	}
	for _, s := range settings {
		if raw, ok := p.raw[s.name]; ok {
			if err := s.set(&c, *raw); err != nil {
				return c, pos, fmt.Errorf("%s: %w", s.name, err)
			}
		}
	}
	if p.cmd != "serve" {
		if strings.TrimSpace(c.DB) == "" {
			return c, pos, errors.New("db: a file path is required")
		}
		return c, pos, nil
	}
	if len(pos) > 0 {
		return c, pos, fmt.Errorf("unexpected argument %q", pos[0])
	}
	if c.Domain != "" && c.CertDir == "" {
		c.CertDir = filepath.Join(filepath.Dir(c.DB), "certs")
	}
	return c, nil, c.Validate()
}

// Parse reads the serve command's args (without the program name and subcommand).
func Parse(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	p := NewParser("serve", getenv, stderr)
	p.Usage = "usage: signpost [serve] [flags]\n\nMigrates the database, then serves the site until SIGINT or SIGTERM.\n"
	c, _, err := p.Parse(args)
	return c, err
}

// FlagUsage lists the flags cmd reads, with their environment variables and defaults,
// generated from the settings table.
func FlagUsage(cmd string) string {
	var b strings.Builder
	b.WriteString("\nflags (each also read from the environment variable named):\n")
	for _, s := range settings {
		if !s.readBy(cmd) {
			continue
		}
		def := ""
		if s.def != "" && s.def != "false" {
			def = ", default " + s.def
		}
		fmt.Fprintf(&b, "  --%-17s %s\n  %-19s (%s%s)\n", s.name, s.help, "", s.env, def)
	}
	return b.String()
}

// Validate reports the first problem with c as a serve configuration.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("addr %q: want host:port, like localhost:8080", c.Addr)
	}
	if strings.TrimSpace(c.DB) == "" {
		return errors.New("db: a file path is required")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("base-url %q: want an origin like https://example.org", c.BaseURL)
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("log-format %q: want text or json", c.LogFormat)
	}
	if c.Domain != "" {
		if !validDomain(c.Domain) {
			return fmt.Errorf("domain %q: want a name like help.example.org, without https:// or a port", c.Domain)
		}
		if c.BaseURL != "" {
			return errors.New("set --domain or --base-url, not both: --domain already makes https://" + c.Domain + " the public origin")
		}
		if c.ReadOnly {
			return errors.New("--read-only copies serve behind a proxy with --base-url, not with --domain")
		}
		for _, a := range []struct{ name, addr string }{{"https-addr", c.HTTPSAddr}, {"http-addr", c.HTTPAddr}} {
			if _, _, err := net.SplitHostPort(a.addr); err != nil {
				return fmt.Errorf("%s %q: want host:port or :port", a.name, a.addr)
			}
		}
		u, err := url.Parse(c.ACMEDirectory)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("acme-directory %q: want an https:// URL", c.ACMEDirectory)
		}
		return nil
	}
	if c.BaseURL == "" && !Loopback(c.Addr) {
		return fmt.Errorf("addr %q can be reached from other machines, and with no public address set, links would be built "+
			"from whatever Host a request sends. Set --domain help.example.org (HTTPS built in), or --base-url "+
			"https://help.example.org (behind a proxy that serves HTTPS), or listen on localhost:8080", c.Addr)
	}
	return nil
}

// Loopback reports whether addr only accepts connections from this machine.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Origin is the public origin ("https://help.example.org") set by --domain or --base-url,
// or "" when neither is (a loopback address: the server then uses its own address).
func (c Config) Origin() string {
	if c.Domain != "" {
		_, port, _ := net.SplitHostPort(c.HTTPSAddr)
		if port == "443" || port == "" {
			return "https://" + c.Domain
		}
		// Only tests serve HTTPS on another port, but the links must still work there.
		return "https://" + net.JoinHostPort(c.Domain, port)
	}
	return strings.TrimSuffix(c.BaseURL, "/")
}

// validDomain accepts a DNS name: letters, digits and hyphens in dot-separated labels.
func validDomain(d string) bool {
	if len(d) > 253 || net.ParseIP(d) != nil {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// Usage is the whole usage text of the program: its commands, then every shared flag with
// the commands that read it, generated from the settings table.
func Usage(commands string) string {
	var b strings.Builder
	b.WriteString("usage: signpost [command] [flags]\n\ncommands:\n")
	b.WriteString(commands)
	b.WriteString("\nflags (each also read from the environment variable named):\n")
	for _, s := range settings {
		def := ""
		if s.def != "" && s.def != "false" {
			def = ", default " + s.def
		}
		fmt.Fprintf(&b, "  --%-17s %s\n  %-19s (%s%s; %s)\n", s.name, s.help, "", s.env, def, strings.Join(s.cmds, ", "))
	}
	return b.String()
}
