package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// rendered is a page ready to send: its bytes, gzipped bytes and validator.
type rendered struct {
	status int
	body   []byte
	gz     []byte
	etag   string
	gen    uint64
}

func renderComponent(ctx context.Context, c templ.Component, status int) (*rendered, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(ctx, buf); err != nil {
		return nil, err
	}
	body := bytes.Clone(buf.Bytes())
	sum := sha256.Sum256(body)
	out := &rendered{status: status, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.DefaultCompression)
	zw.Write(body)
	zw.Close()
	out.gz = zb.Bytes()
	return out, nil
}

// htmlCacheControl lets browsers and any CDN or caching proxy keep a public page for five
// minutes, then check it again with its ETag. Staff edits show within that time.
const htmlCacheControl = "public, max-age=300"

func (p *rendered) write(w http.ResponseWriter, r *http.Request, cacheControl string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", "Accept-Encoding")
	if p.status == http.StatusOK {
		h.Set("ETag", p.etag)
		if etagMatch(r.Header.Get("If-None-Match"), p.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := p.body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = p.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		_, q, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(q, 64)
		return err == nil && f > 0
	}
	return false
}

// pageCache keeps rendered public pages until the content changes. Every committed write
// bumps the store's generation, and an entry from an older generation is never served.
type pageCache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]*rendered
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, entries: map[string]*rendered{}}
}

func (c *pageCache) get(key string, gen uint64) *rendered {
	c.mu.RLock()
	p := c.entries[key]
	c.mu.RUnlock()
	if p == nil || p.gen != gen {
		return nil
	}
	return p
}

func (c *pageCache) put(key string, p *rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Simple and bounded: a full cache starts over. Public pages number in the hundreds;
		// only odd query strings could fill it.
		c.entries = map[string]*rendered{}
	}
	c.entries[key] = p
}
