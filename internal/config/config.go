// Package config turns flags and environment variables into a validated Config, once, at
// start. Nothing else in Signpost reads the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"
)

// Config is everything the server needs to start.
type Config struct {
	Addr string // listen address, ":8080"
	DB   string // SQLite file path
	// BaseURL is the public origin used in canonical links, the sitemap and Open Graph tags
	// ("https://signpost.example.org"). Without it they use the address the site is served on.
	BaseURL string
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

// Parse reads args (without the program name and subcommand) with env as the fallback for
// each flag: --addr / SIGNPOST_ADDR, --db / SIGNPOST_DB, and so on.
func Parse(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var c Config
	fs := flag.NewFlagSet("signpost serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("SIGNPOST_ADDR", ":8080"), "listen address (SIGNPOST_ADDR)")
	fs.StringVar(&c.DB, "db", env("SIGNPOST_DB", "data/signpost.db"), "SQLite database file (SIGNPOST_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("SIGNPOST_BASE_URL", ""), "public origin for canonical links, e.g. https://example.org (SIGNPOST_BASE_URL)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", env("SIGNPOST_TRUST_PROXY", "") == "true", "trust X-Forwarded-Proto and X-Forwarded-For (SIGNPOST_TRUST_PROXY=true)")
	fs.StringVar(&c.LogFormat, "log-format", env("SIGNPOST_LOG_FORMAT", "text"), "log format: text or json (SIGNPOST_LOG_FORMAT)")
	fs.BoolVar(&c.AccessLog, "access-log", env("SIGNPOST_ACCESS_LOG", "") == "true", "log every request, without client addresses (SIGNPOST_ACCESS_LOG=true)")
	fs.BoolVar(&c.ReadOnly, "read-only", env("SIGNPOST_READ_ONLY", "") == "true", "serve a read-only copy kept current by another program, such as `litestream restore -f` (SIGNPOST_READ_ONLY=true)")
	fs.BoolVar(&c.RateLimit, "rate-limit", env("SIGNPOST_RATE_LIMIT", "true") != "false", "per-address limits on search, sign-in and forms (SIGNPOST_RATE_LIMIT=false turns them off)")
	shutdown := env("SIGNPOST_SHUTDOWN_TIMEOUT", "15s")
	fs.Func("shutdown-timeout", "how long in-flight requests may finish after SIGTERM (SIGNPOST_SHUTDOWN_TIMEOUT, default 15s)", func(s string) error {
		shutdown = s
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.ShutdownTimeout, err = time.ParseDuration(shutdown); err != nil || c.ShutdownTimeout < 0 {
		return c, fmt.Errorf("shutdown timeout %q: want a duration like 15s", shutdown)
	}
	return c, c.Validate()
}

// Validate reports the first problem with c.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("addr %q: want host:port or :port", c.Addr)
	}
	if strings.TrimSpace(c.DB) == "" {
		return errors.New("db: a file path is required")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("base-url %q: want an origin like https://example.org", c.BaseURL)
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("log-format %q: want text or json", c.LogFormat)
	}
	return nil
}
