package config

import (
	"io"
	"testing"
)

func TestParseDefaultsAndEnv(t *testing.T) {
	c, err := Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Addr, ":8080"; got != want {
		t.Errorf("Addr = %q, want %q", got, want)
	}
	if got, want := c.DB, "data/signpost.db"; got != want {
		t.Errorf("DB = %q, want %q", got, want)
	}
	env := map[string]string{"SIGNPOST_ADDR": "127.0.0.1:9000", "SIGNPOST_DB": "/tmp/x.db"}
	c, err = Parse(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DB != "/tmp/x.db" {
		t.Errorf("env not used: %+v", c)
	}
	// A flag beats the environment.
	c, err = Parse([]string{"--addr", ":7000"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.Addr != ":7000" {
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
		{"extra"},
	} {
		if _, err := Parse(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", args)
		}
	}
}
