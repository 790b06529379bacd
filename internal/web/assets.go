package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"

	"signpost/static"
)

// assets serves the embedded static files under fingerprinted names
// (/static/css/site.1a2b3c4d5e.css), so they can be cached for a year: a changed file gets a
// new name.
type assets struct {
	byURL  map[string]*asset // "/static/css/site.1a2b3c4d5e.css" → asset
	byName map[string]string // "css/site.css" → its URL
}

type asset struct {
	body, gz []byte
	typ      string
	etag     string
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, byName: map[string]string{}}
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		b, err := fs.ReadFile(static.FS, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hash := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
		typ := mime.TypeByExtension(ext)
		if typ == "" {
			typ = "application/octet-stream"
		}
		x := &asset{body: b, typ: typ, etag: `"` + hash + `"`}
		if ext == ".css" || ext == ".js" || ext == ".svg" {
			var buf bytes.Buffer
			if err := gzipTo(&buf, b, gzip.BestCompression); err != nil {
				return err
			}
			x.gz = buf.Bytes()
		}
		a.byURL[url] = x
		a.byName[name] = url
		return nil
	})
	return a, err
}

// URL returns the fingerprinted URL of a static file ("css/site.css").
func (a *assets) URL(name string) string { return a.byName[name] }

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := a.byURL[r.URL.Path]
	if x == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.typ)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", x.etag)
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == x.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := x.body
	if x.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = x.gz
	}
	// An error means the client has gone. The body is one of our own embedded files.
	_, _ = w.Write(body) // #nosec G705 -- not input: an embedded static file
}
