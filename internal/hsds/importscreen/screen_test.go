package importscreen_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/app"
	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/internal/hsds/importscreen"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

var staff = hsds.Actor{Email: "staff@example.org"}

// organizationsNamed returns how many organizations, drafts included, are named name.
func organizationsNamed(t *testing.T, st *store.Store, name string) int {
	t.Helper()
	list, _, err := st.ListListings(t.Context(), directory.ListingFilter{Drafts: true, Kind: directory.KindOrganization})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range list {
		if l.Name == name {
			n++
		}
	}
	return n
}

func TestImportScreenPreviewsThenSavesOnConfirm(t *testing.T) {
	st := webtest.MustOpenStore(t)
	h := importscreen.New(importscreen.Options{
		Store: app.ImportStore{Store: st},
		Actor: func(r *http.Request) (hsds.Actor, bool) {
			return staff, r.Header.Get("X-Test-Staff") == "yes"
		},
		CSRF: func(*http.Request) (string, string) { return "csrf_token", "t0k3n" },
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(req *http.Request) (*http.Response, string) {
		t.Helper()
		req.Header.Set("X-Test-Staff", "yes")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	// Not signed in: nothing.
	if resp, _ := http.Get(srv.URL + "/admin/import"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/import", nil)
	_, form := do(req)
	if !strings.Contains(form, `name="csrf_token" value="t0k3n"`) || !strings.Contains(form, `type="file"`) {
		t.Fatalf("upload form: %s", form)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "organizations.csv")
	fw.Write([]byte("id,name,description\nx1,Sitka Harbor Aid,Helps fishers.\n"))
	mw.Close()
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/admin/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, page := do(req)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Sitka Harbor Aid") || !strings.Contains(page, "Save these changes") {
		t.Fatalf("preview: %d %s", resp.StatusCode, page)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	token := doc.Find(`form input[name="token"]`).AttrOr("value", "")
	if token == "" {
		t.Fatal("no token in the confirm form")
	}
	if organizationsNamed(t, st, "Sitka Harbor Aid") != 0 {
		t.Fatal("the preview saved the listing")
	}

	confirm := func() *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/import/confirm", strings.NewReader(url.Values{"token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, _ := do(req)
		return resp
	}
	resp = confirm()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+resp.Header.Get("Location"), nil)
	if _, done := do(req); !strings.Contains(done, "1 added") {
		t.Errorf("done page: %s", done)
	}
	// Confirming twice saves once.
	confirm()
	if n := organizationsNamed(t, st, "Sitka Harbor Aid"); n != 1 {
		t.Errorf("%d Sitka Harbor Aid listings after confirming twice", n)
	}
}
