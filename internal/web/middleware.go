package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"signpost/internal/ratelimit"
)

// contentSecurityPolicy allows nothing but this site's own stylesheet, script and images.
// No inline script or style exists anywhere, so none is allowed; JSON-LD blocks are data,
// not script, and are not affected. connect-src 'self' lets a tool that fetches from inside
// the page reach this site (Lighthouse reads /robots.txt that way); still no other host.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'"

// The security headers' values. They are slices shared by every response (net/http only
// reads them; each has len == cap, so an Add copies), which saves eight allocations per
// request over Header.Set.
var (
	hdrCSP               = []string{contentSecurityPolicy}
	hdrNoSniff           = []string{"nosniff"}
	hdrFrameDeny         = []string{"DENY"}
	hdrNoReferrer        = []string{"no-referrer"}
	hdrPermissionsPolicy = []string{"accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"}
	hdrSameOrigin        = []string{"same-origin"}
	hdrHSTS              = []string{"max-age=63072000; includeSubDomains"}
)

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hdrCSP
		h["X-Content-Type-Options"] = hdrNoSniff
		h["X-Frame-Options"] = hdrFrameDeny
		// People who visit may be in danger: no site they go to next learns they were here.
		h["Referrer-Policy"] = hdrNoReferrer
		h["Permissions-Policy"] = hdrPermissionsPolicy
		h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
		h["Cross-Origin-Resource-Policy"] = hdrSameOrigin
		if s.isHTTPS(r) {
			// Only over TLS (or behind a trusted proxy that terminated it): sent over plain
			// HTTP it is ignored, and on a test or LAN address it would be wrong.
			h["Strict-Transport-Security"] = hdrHSTS
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

// Request body limits. Public forms and search take a few kilobytes; staff screens may
// upload files (an import, a flyer). A handler may lower its own limit with MaxBody.
const (
	PublicBodyLimit = 64 << 10
	AdminBodyLimit  = 32 << 20
)

// limitBody caps every request body: AdminBodyLimit under /admin, PublicBodyLimit elsewhere.
// Reading past the cap fails with *http.MaxBytesError, which Error answers with 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	public, admin := MaxBody(PublicBodyLimit)(next), MaxBody(AdminBodyLimit)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/") {
			admin.ServeHTTP(w, r)
			return
		}
		public.ServeHTTP(w, r)
	})
}

// MaxBody limits request bodies to n bytes. Nested inside limitBody it can only lower the
// limit (a sign-in form under /admin needs far less than an upload).
func MaxBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Limit throttles requests per client address with l (nil: no limit), answering a client
// over it with the 429 page and a Retry-After header. The address comes from the connection,
// or from X-Forwarded-For with TrustProxy; it is never logged.
func (s *Server) Limit(l *ratelimit.Limiter) func(http.Handler) http.Handler {
	return l.Middleware(ratelimit.ClientAddr(s.opts.TrustProxy), func(w http.ResponseWriter, r *http.Request, _ time.Duration) {
		s.Error(w, r, errTooMany)
	})
}
