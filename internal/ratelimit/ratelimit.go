// Package ratelimit throttles requests per client address with token buckets kept in
// memory: each address may make burst requests at once, then rate per second.
//
// It is for search, staff sign-in and public forms, to keep one client from drowning the
// site or guessing passwords; it is not a defence against a crowd (a CDN is). The key is the
// client address (ClientAddr); it is kept only as a map key while its bucket refills, and
// this package never logs it. A nil *Limiter allows everything, so a limit can be switched
// off by not making one.
//
// Sign-in, for example:
//
//	signIn := ratelimit.New(ratelimit.Per(10, time.Minute), 5)
//	r.With(signIn.Middleware(ratelimit.ClientAddr(trustProxy), tooMany)).Post("/admin/sign-in", h)
//
// or, inside a handler, ok, retryAfter := signIn.Allow(ratelimit.ClientAddr(trustProxy)(r)).
package ratelimit

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Per returns the rate of n events every d, in events per second: Per(10, time.Minute).
func Per(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// Limiter is a set of token buckets, one per key. It is safe for concurrent use.
type Limiter struct {
	rate  float64 // tokens per second
	burst float64

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
	// now is the clock, replaceable in tests.
	now func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxKeys bounds the memory a Limiter uses (about 100 bytes a key). Past it, after a sweep
// of the buckets that have refilled, a new address is let through untracked: for a site
// people turn to for help, failing open beats turning them away.
const maxKeys = 100_000

// sweepEvery is how often Allow drops buckets that have refilled, which then need no memory.
const sweepEvery = time.Minute

// New returns a limiter that allows each key burst requests at once and rate requests per
// second after that (see Per). burst is at least 1.
func New(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: float64(max(burst, 1)), buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes a token from key's bucket. When there is none it returns false and how long
// until there is one.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	// A full map is swept at most once a second: a sweep walks every bucket, and doing
	// that on every request would hand an attacker the lock.
	if since := now.Sub(l.lastSweep); since >= sweepEvery || (len(l.buckets) >= maxKeys && since >= time.Second) {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxKeys {
			return true, 0
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(l.burst, b.tokens+elapsed*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.rate <= 0 {
		return false, time.Hour
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops the buckets that are full again: they hold nothing a new bucket would not.
func (l *Limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// Len returns how many addresses the limiter is tracking.
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Middleware throttles each request by key(r). A request over the limit gets a Retry-After
// header (whole seconds) and is passed to deny, which writes the response (the site's own
// 429 page); a nil deny writes a plain 429.
func (l *Limiter) Middleware(key func(*http.Request) string, deny func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if l == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, retry := l.Allow(key(r))
			if ok {
				next.ServeHTTP(w, r)
				return
			}
			SetRetryAfter(w, retry)
			if deny == nil {
				http.Error(w, http.StatusText(http.StatusTooManyRequests), http.StatusTooManyRequests)
				return
			}
			deny(w, r, retry)
		})
	}
}

// SetRetryAfter sets the Retry-After header to d in whole seconds, at least one.
func SetRetryAfter(w http.ResponseWriter, d time.Duration) {
	secs := max(1, int(math.Ceil(d.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}

// ClientAddr returns a key function giving the address a request came from: the
// connection's peer, or, when trustProxy is set (Signpost runs behind one reverse proxy that
// appends the peer it saw), the last address in X-Forwarded-For. Earlier entries are
// ignored: a client can write anything there. IPv6 addresses are keyed by their /64, which
// one household or phone usually holds whole.
func ClientAddr(trustProxy bool) func(*http.Request) string {
	return func(r *http.Request) string {
		if trustProxy {
			if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
				last := xff[len(xff)-1]
				if i := strings.LastIndexByte(last, ','); i >= 0 {
					last = last[i+1:]
				}
				if a, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
					return key(a)
				}
			}
		}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if a, err := netip.ParseAddr(host); err == nil {
			return key(a)
		}
		return host
	}
}

func key(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
