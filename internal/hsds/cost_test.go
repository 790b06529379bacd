package hsds_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"signpost/internal/app"
	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/internal/hsds/importscreen"
	"signpost/internal/webtest"
)

// allocated returns the bytes the process allocated while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The bulk download is built once per change of the data and served from there: a query
// string added to dodge a cache, or six clients at once, do not make the server build it
// again (issue 11: six at once at 20,000 listings took 1 GB).
func TestExportIsBuiltOncePerChange(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	get := func(path string, hdr ...string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, site.URL+path, nil)
		if len(hdr) == 2 {
			req.Header.Set(hdr[0], hdr[1])
		}
		resp, _ := site.Do(t, req)
		return resp
	}
	first := get("/api/hsds/export.zip")
	etag := first.Header.Get("ETag")
	if first.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("export: %d, ETag %q", first.StatusCode, etag)
	}
	if resp := get("/api/hsds/export.zip", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d, want 304", resp.StatusCode)
	}

	verifyPolaris(t, site)
	one := allocated(func() { get("/api/hsds/export.zip") })
	warm := allocated(func() {
		for i := range 10 {
			get("/api/hsds/export.zip?x=" + strconv.Itoa(i))
		}
	})
	if warm > one {
		t.Errorf("ten downloads with cache-busting query strings allocated %d bytes, one build %d: each was built again", warm, one)
	}

	verifyPolaris(t, site)
	six := allocated(func() {
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() { defer wg.Done(); get("/api/hsds/export.zip") }()
		}
		wg.Wait()
	})
	if six > 3*one {
		t.Errorf("six downloads at once after a change allocated %d bytes, one build %d: they did not share one build", six, one)
	}
	if resp := get("/api/hsds/export.zip", "If-None-Match", etag); resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Errorf("after a change the download kept its ETag (%d)", resp.StatusCode)
	}
	t.Logf("one build %d B; ten cached downloads %d B; six at once after a change %d B", one, warm, six)
}

// A search through the API is the searcher's own: no shared cache keeps it.
func TestAPISearchIsNotCached(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	resp, _ := site.Get(t, "/api/hsds/services?search=wages")
	if got := resp.Header.Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("search: Cache-Control %q, want private, no-store", got)
	}
	resp, _ = site.Get(t, "/api/hsds/services")
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("list: Cache-Control %q", got)
	}
}

// zipOfOneFile zips one file whose body is written by fill.
func zipOfOneFile(t *testing.T, name string, fill func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	fill(w)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadThroughScreen posts data to the import screen, as staff do, and returns the page.
func uploadThroughScreen(t *testing.T, site *webtest.Site, name string, data []byte) (int, string) {
	t.Helper()
	h := importscreen.New(importscreen.Options{Store: app.ImportStore{Store: site.Store},
		Actor: func(*http.Request) (hsds.Actor, bool) { return staff, true }})
	srv := httptest.NewServer(h)
	defer srv.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	resp, err := http.Post(srv.URL+"/admin/import", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A small zip holding one enormous CSV line, or a header of millions of columns, is
// refused at the first line too long, in bounded memory (issue 11: a 61 KB zip with one
// 60 MB line took 74 s and 2.9 GB; a header of 30 million columns 1.5 GB).
func TestImportOfAHugeLineIsBounded(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for name, fill := range map[string]func(w io.Writer){
		"one 60 MB line": func(w io.Writer) {
			io.WriteString(w, "id,name,organization_id,status\n1,")
			chunk := bytes.Repeat([]byte("a"), 1<<20)
			for range 60 {
				w.Write(chunk)
			}
			io.WriteString(w, ",,active\n")
		},
		"30 million columns": func(w io.Writer) {
			chunk := bytes.Repeat([]byte("a,"), 1<<19)
			for range 57 {
				w.Write(chunk)
			}
			io.WriteString(w, "id\n")
		},
	} {
		t.Run(name, func(t *testing.T) {
			data := zipOfOneFile(t, "services.csv", fill)
			var status int
			var page string
			alloc := allocated(func() { status, page = uploadThroughScreen(t, site, "attack.zip", data) })
			t.Logf("%d KB zip: %d MB allocated", len(data)>>10, alloc>>20)
			if alloc > 200<<20 {
				t.Errorf("a %d KB zip made the server allocate %d MB", len(data)>>10, alloc>>20)
			}
			if status != http.StatusBadRequest && status != http.StatusOK || !strings.Contains(page, "256 KB") {
				t.Errorf("status %d, page does not name the line limit: %.300s", status, page)
			}
		})
	}
}

// failingStore fails the nth listing it is asked to create, as a full disk would.
type failingStore struct {
	app.ImportStore
	n, calls int
}

func (s *failingStore) CreateListing(ctx context.Context, l *directory.Listing, by hsds.Actor) error {
	if s.calls++; s.calls == s.n {
		return errors.New("disk I/O error")
	}
	return s.ImportStore.CreateListing(ctx, l, by)
}

// An import is applied in one transaction: when saving fails part way, nothing of it is
// saved, rather than the first half of the file (issue 9).
func TestImportIsAppliedWhollyOrNotAtAll(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := t.Context()
	st := &failingStore{ImportStore: app.ImportStore{Store: site.Store}, n: 3}
	p := previewUpload(t, st, "organizations.csv", []byte("id,name,description\nx1,Nome Harbor Aid,Helps fishers.\nx2,Kodiak Harbor Aid,Helps fishers.\nx3,Sitka Harbor Aid,Helps fishers.\n"))
	if len(p.Added) != 3 {
		t.Fatalf("preview: %+v", p)
	}
	if _, err := hsds.Apply(ctx, st, p, staff); err == nil {
		t.Fatal("the failed save was not reported")
	}
	list, _, _ := site.Store.ListListings(ctx, directory.ListingFilter{Drafts: true, Kind: directory.KindOrganization})
	for _, l := range list {
		if strings.HasSuffix(l.Name, "Harbor Aid") {
			t.Errorf("%s was saved by an import that failed", l.Name)
		}
	}
	// Once the store works again, the same preview saves all three.
	st.n = 0
	if res, err := hsds.Apply(ctx, st, p, staff); err != nil || res.Added != 3 {
		t.Fatalf("apply = %+v, %v", res, err)
	}
}
