package main

import (
	"runtime/debug"
)

// Set at link time by `make release` (-ldflags -X main.version=…); a plain `go build`
// falls back to what the Go toolchain recorded.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo is "v1.2.0 (commit 1a2b3c4, built 2026-12-01T08:00:00Z)".
func buildInfo() string {
	v, c, d := version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			case s.Key == "vcs.modified" && s.Value == "true" && version == "":
				v += "+dirty"
			}
		}
	}
	if v == "" || v[0] == '+' {
		v = "dev" + v
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return v + " (commit " + c + ", built " + d + ")"
}
