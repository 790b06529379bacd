package web

import (
	"bytes"
	"log"
	"log/slog"
	"regexp"
)

// ErrorLog returns a logger for http.Server.ErrorLog that writes to l at warning level with
// every IP address (and port) replaced by "[address]". net/http names the client in some of
// its messages ("http: TLS handshake error from 203.0.113.9:51234: EOF"), and nothing that
// identifies a visitor may reach a log.
func ErrorLog(l *slog.Logger) *log.Logger {
	return log.New(redactWriter{slog.NewLogLogger(l.Handler(), slog.LevelWarn).Writer()}, "", 0)
}

// addrPattern matches IPv4 addresses and bracketed or bare IPv6 addresses, with a port.
var addrPattern = regexp.MustCompile(`\[[0-9A-Fa-f:.%]+\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}\b`)

type redactWriter struct {
	w interface{ Write([]byte) (int, error) }
}

func (r redactWriter) Write(p []byte) (int, error) {
	clean := addrPattern.ReplaceAll(bytes.Clone(p), []byte("[address]"))
	if _, err := r.w.Write(clean); err != nil {
		return 0, err
	}
	return len(p), nil
}
