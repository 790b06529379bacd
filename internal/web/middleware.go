package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// contentSecurityPolicy allows nothing but this site's own stylesheet, script and images.
// No inline script or style exists anywhere, so none is allowed; JSON-LD blocks are data,
// not script, and are not affected. connect-src 'self' lets a tool that fetches from inside
// the page reach this site (Lighthouse reads /robots.txt that way); still no other host.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// People who visit may be in danger: no site they go to next learns they were here.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.isHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// noIndexPrivate tells search engines never to index staff screens, the API or search
// results, whatever the handler behind them writes: X-Robots-Tag covers JSON and CSV as
// well as HTML, and holds even for a page an admin handler forgets to mark.
func (s *Server) noIndexPrivate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, s.localeOf(r).Prefix())
		if p == "/admin" || strings.HasPrefix(p, "/admin/") || p == "/api" || strings.HasPrefix(p, "/api/") ||
			p == "/search" && r.URL.RawQuery != "" {
			w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) isHTTPS(r *http.Request) bool {
	return r.TLS != nil || (s.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// statusWriter remembers the status a handler wrote, for logs and for the recoverer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer turns a panic in a handler into the 500 page and a log line with the stack,
// instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", slog.Group("request", "method", r.Method, "path", r.URL.Path),
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.Error(sw, r, fmt.Errorf("panic: %v", v))
				}
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// accessLog logs each request without the client's address: the people who visit may be in
// danger, and an address in a log is a trace.
func (s *Server) accessLog(next http.Handler) http.Handler {
	if !s.opts.AccessLog {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.Info("request", slog.Group("request", "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration", time.Since(start)))
	})
}
