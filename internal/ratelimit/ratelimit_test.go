package ratelimit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// clock is a fake time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newTestLimiter(rate float64, burst int) (*Limiter, *clock) {
	c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := New(rate, burst)
	l.now = c.now
	return l, c
}

func TestAllowLetsABurstThroughThenTheRate(t *testing.T) {
	l, c := newTestLimiter(Per(1, time.Second), 3)
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, retry := l.Allow("a")
	if ok {
		t.Fatal("fourth request at once allowed")
	}
	if retry <= 0 || retry > time.Second {
		t.Errorf("retryAfter = %s, want (0, 1s]", retry)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another address was refused")
	}
	c.advance(retry)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("refused after waiting retryAfter")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Error("allowed twice after one token's wait")
	}
}

func TestAllowNeverRefillsPastTheBurst(t *testing.T) {
	l, c := newTestLimiter(Per(10, time.Second), 2)
	c.advance(time.Hour)
	allowed := 0
	for range 10 {
		if ok, _ := l.Allow("a"); ok {
			allowed++
		}
	}
	if allowed != 2 {
		t.Errorf("%d allowed after an idle hour, want the burst of 2", allowed)
	}
}

func TestNilLimiterAllowsEverything(t *testing.T) {
	var l *Limiter
	if ok, _ := l.Allow("a"); !ok {
		t.Error("nil limiter refused")
	}
	h := l.Middleware(ClientAddr(false), nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("status %d", rec.Code)
	}
}

func TestSweepForgetsRefilledBucketsAndMemoryIsBounded(t *testing.T) {
	l, c := newTestLimiter(Per(1, time.Second), 1)
	for i := range 1000 {
		l.Allow(fmt.Sprint(i))
	}
	if l.Len() != 1000 {
		t.Fatalf("tracking %d", l.Len())
	}
	c.advance(sweepEvery)
	l.Allow("new")
	if got := l.Len(); got != 1 {
		t.Errorf("after a sweep tracking %d, want 1", got)
	}
	// Past maxKeys, new addresses are let through untracked.
	for i := range maxKeys + 10 {
		l.Allow(fmt.Sprint("k", i))
	}
	if got := l.Len(); got > maxKeys {
		t.Errorf("tracking %d, more than %d", got, maxKeys)
	}
	if ok, _ := l.Allow("one more"); !ok {
		t.Error("a new address was refused when the map was full")
	}
}

func TestMiddlewareAnswers429WithRetryAfter(t *testing.T) {
	l, _ := newTestLimiter(Per(1, time.Minute), 1)
	var denied time.Duration
	h := l.Middleware(ClientAddr(false), func(w http.ResponseWriter, r *http.Request, retry time.Duration) {
		denied = retry
		w.WriteHeader(http.StatusTooManyRequests)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/search", nil)
	req.RemoteAddr = "198.51.100.7:40000"
	for i, want := range []int{http.StatusOK, http.StatusTooManyRequests} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Fatalf("request %d: status %d, want %d", i+1, rec.Code, want)
		}
		if want == http.StatusTooManyRequests {
			if got := rec.Header().Get("Retry-After"); got != "60" {
				t.Errorf("Retry-After = %q, want 60", got)
			}
			if denied <= 59*time.Second {
				t.Errorf("deny got retryAfter %s", denied)
			}
		}
	}
	// Another port on the same address is the same client.
	req.RemoteAddr = "198.51.100.7:40001"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests {
		t.Errorf("a new connection from the same address got %d", rec.Code)
	}
}

func TestClientAddr(t *testing.T) {
	for _, tt := range []struct {
		name       string
		remote     string
		xff        []string
		trustProxy bool
		want       string
	}{
		{"peer", "203.0.113.5:1234", nil, false, "203.0.113.5"},
		{"forwarded header ignored without trust", "10.0.0.2:1234", []string{"203.0.113.5"}, false, "10.0.0.2"},
		{"proxy's entry with trust", "10.0.0.2:1234", []string{"203.0.113.5"}, true, "203.0.113.5"},
		{"client-written entries ignored", "10.0.0.2:1234", []string{"1.1.1.1, 203.0.113.5"}, true, "203.0.113.5"},
		{"last of several headers", "10.0.0.2:1234", []string{"1.1.1.1", "203.0.113.5"}, true, "203.0.113.5"},
		{"garbage falls back to the peer", "10.0.0.2:1234", []string{"not an address"}, true, "10.0.0.2"},
		{"IPv6 by /64", "[2001:db8:1:2:3:4:5:6]:443", nil, false, "2001:db8:1:2::/64"},
		{"IPv6 neighbour shares the /64", "[2001:db8:1:2:ffff::1]:443", nil, false, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6", "[::ffff:203.0.113.5]:80", nil, false, "203.0.113.5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientAddr(tt.trustProxy)(req); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkAllow(b *testing.B) {
	l := New(Per(1000, time.Second), 1000)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("203.0.%d.%d", i/256, i%256)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(keys[i%len(keys)])
			i++
		}
	})
}
