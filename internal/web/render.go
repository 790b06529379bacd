package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/klauspost/compress/gzip"
)

// bufPool recycles render buffers: a page is rendered whole into a buffer before anything
// is written, so a template error can never send half a page.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// gzipPools recycle gzip writers, one pool per level. A new writer allocates about a
// megabyte of compressor state; made per response, that garbage dominated the cost of every
// page not served from the cache (measured with BenchmarkSearchPage).
var gzipPools = newGzipPools(gzip.BestSpeed, gzip.BestCompression)

func newGzipPools(levels ...int) map[int]*sync.Pool {
	pools := map[int]*sync.Pool{}
	for _, level := range levels {
		pools[level] = &sync.Pool{New: func() any {
			zw, err := gzip.NewWriterLevel(io.Discard, level)
			if err != nil {
				panic(err) // only for an invalid level, which the callers' are not
			}
			return zw
		}}
	}
	return pools
}

// gzipTo compresses b into dst at level (gzip.BestSpeed or gzip.BestCompression).
func gzipTo(dst *bytes.Buffer, b []byte, level int) error {
	pool := gzipPools[level]
	zw := pool.Get().(*gzip.Writer)
	defer pool.Put(zw)
	zw.Reset(dst)
	if _, err := zw.Write(b); err != nil {
		return err
	}
	return zw.Close()
}

// rendered is a page ready to send. renderComponent fills body; finish adds what a page
// kept in the cache needs, computed once rather than per request.
type rendered struct {
	status int
	body   []byte
	gen    uint64

	// Set by finish. The header values are slices shared by every response that sends
	// this page: net/http only reads them, and each has len == cap, so an Add by anyone
	// later copies rather than writes into them.
	gz         []byte
	etag       string
	hdrETag    []string
	hdrLength  []string // of body
	hdrGzipLen []string // of gz
}

func renderComponent(ctx context.Context, c templ.Component, status int) (*rendered, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(ctx, buf); err != nil {
		return nil, err
	}
	return &rendered{status: status, body: bytes.Clone(buf.Bytes())}, nil
}

// finish prepares a page for the cache: its ETag, and its body gzipped at the best level,
// once, since it is sent many times.
func (p *rendered) finish() error {
	var zb bytes.Buffer
	if err := gzipTo(&zb, p.body, gzip.BestCompression); err != nil {
		return err
	}
	p.gz = zb.Bytes()
	sum := sha256.Sum256(p.body)
	p.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	p.hdrETag = []string{p.etag}
	p.hdrLength = []string{strconv.Itoa(len(p.body))}
	p.hdrGzipLen = []string{strconv.Itoa(len(p.gz))}
	return nil
}

// htmlCacheControl lets browsers and any CDN or caching proxy keep a public page for five
// minutes, then check it again with its ETag. Staff edits show within that time.
const htmlCacheControl = "public, max-age=300"

// Header values every page response shares (see rendered).
var (
	hdrHTML           = []string{"text/html; charset=utf-8"}
	hdrGzip           = []string{"gzip"}
	hdrVaryEncoding   = []string{"Accept-Encoding"}
	hdrHTMLCache      = []string{htmlCacheControl}
	hdrNoStore        = []string{"no-store"}
	hdrVaryEncAndLang = []string{"Accept-Encoding", "Accept-Language"}
)

// write sends the page with cacheControl. A page from finish carries an ETag and answers a
// matching If-None-Match with 304; any other is gzipped now, at the fastest level, when the
// client accepts it.
func (p *rendered) write(w http.ResponseWriter, r *http.Request, cacheControl string) {
	h := w.Header()
	h["Content-Type"] = hdrHTML
	switch cacheControl {
	case htmlCacheControl:
		h["Cache-Control"] = hdrHTMLCache
	case "no-store":
		h["Cache-Control"] = hdrNoStore
	default:
		h.Set("Cache-Control", cacheControl)
	}
	// A handler may already vary the page by something else (the home page by
	// Accept-Language): add to it, not over it.
	switch v := h["Vary"]; {
	case len(v) == 0:
		h["Vary"] = hdrVaryEncoding
	case len(v) == 1 && v[0] == "Accept-Language":
		h["Vary"] = hdrVaryEncAndLang
	default:
		h.Add("Vary", "Accept-Encoding")
	}
	// A page nobody may store needs no validator: nobody will ask with it.
	if p.status == http.StatusOK && p.etag != "" && cacheControl != "no-store" {
		h["ETag"] = p.hdrETag
		if etagMatch(r.Header.Get("If-None-Match"), p.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	gzipped := acceptsGzip(r)
	switch {
	case gzipped && p.gz != nil:
		h["Content-Encoding"] = hdrGzip
		h["Content-Length"] = p.hdrGzipLen
		p.send(w, r, p.gz)
	case gzipped:
		zb := bufPool.Get().(*bytes.Buffer)
		zb.Reset()
		defer bufPool.Put(zb)
		if err := gzipTo(zb, p.body, gzip.BestSpeed); err != nil {
			// Cannot happen writing to memory; send the page plain rather than nothing.
			h.Set("Content-Length", strconv.Itoa(len(p.body)))
			p.send(w, r, p.body)
			return
		}
		h["Content-Encoding"] = hdrGzip
		h.Set("Content-Length", strconv.Itoa(zb.Len()))
		p.send(w, r, zb.Bytes())
	case p.hdrLength != nil:
		h["Content-Length"] = p.hdrLength
		p.send(w, r, p.body)
	default:
		h.Set("Content-Length", strconv.Itoa(len(p.body)))
		p.send(w, r, p.body)
	}
}

func (p *rendered) send(w http.ResponseWriter, r *http.Request, body []byte) {
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		// An error here means the client has gone; there is no one left to tell.
		_, _ = w.Write(body) // #nosec G705 -- HTML rendered by templ, which escapes every value
	}
}

func etagMatch(header, etag string) bool {
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip. It allocates
// nothing: it runs on every request.
func acceptsGzip(r *http.Request) bool {
	ae := r.Header.Get("Accept-Encoding")
	for ae != "" {
		var part string
		part, ae, _ = strings.Cut(ae, ",")
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		params = strings.TrimSpace(params)
		if params == "" {
			return true
		}
		q, ok := strings.CutPrefix(params, "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err == nil && f > 0
	}
	return false
}

// pageCache keeps rendered public pages until the content changes. Every committed write
// bumps the store's generation, and an entry from an older generation is never served.
type pageCache struct {
	mu       sync.RWMutex
	max      int // entries
	maxBytes int // of bodies, plain and gzipped
	bytes    int
	entries  map[pageKey]*rendered
}

// pageKey names a cached page. A struct of the request's own strings, rather than one
// string built from them, costs no allocation on a cache hit.
type pageKey struct {
	host  string // empty when a base URL is configured
	https bool   // likewise
	path  string
	query string
	offer string // the language offered at "/", if any
	post  bool   // a posted search: the same results, with buttons instead of links
}

// newPageCache returns a cache of at most max pages and maxBytes of page bodies.
func newPageCache(max, maxBytes int) *pageCache {
	return &pageCache{max: max, maxBytes: maxBytes, entries: map[pageKey]*rendered{}}
}

func (c *pageCache) get(key pageKey, gen uint64) *rendered {
	c.mu.RLock()
	p := c.entries[key]
	c.mu.RUnlock()
	if p == nil || p.gen != gen {
		return nil
	}
	return p
}

func (c *pageCache) put(key pageKey, p *rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	size := len(p.body) + len(p.gz)
	if len(c.entries) >= c.max || c.bytes+size > c.maxBytes {
		// Simple and bounded: a full cache starts over. Public pages number in the hundreds
		// per language, a few megabytes in all.
		c.entries = map[pageKey]*rendered{}
		c.bytes = 0
	}
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body) + len(old.gz)
	}
	c.entries[key] = p
	c.bytes += size
}
