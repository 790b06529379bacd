package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
	"signpost/internal/store"
)

const (
	kill9Email    = "kill9@example.org"
	kill9Password = "a long password for the kill test"
)

// staffClient is one member of staff in a browser: a cookie jar, redirects not followed.
type staffClient struct {
	base string
	c    *http.Client
}

func newStaffClient(base string) *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// post sends a form as a browser on the same site does.
func (s *staffClient) post(path string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := s.c.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}

// form fetches path and returns the values of its staff form, as a browser would send them.
func (s *staffClient) form(path string) (url.Values, error) {
	resp, err := s.c.Get(s.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	doc.Find("form.admin-form").Find("input, textarea, select").Each(func(_ int, el *goquery.Selection) {
		name, ok := el.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(el) == "textarea":
			v.Add(name, el.Text())
		case goquery.NodeName(el) == "select":
			if o := el.Find("option[selected]"); o.Length() > 0 {
				v.Add(name, o.AttrOr("value", ""))
			} else {
				v.Add(name, el.Find("option").First().AttrOr("value", ""))
			}
		case el.AttrOr("type", "") == "checkbox":
			if _, checked := el.Attr("checked"); checked {
				v.Add(name, el.AttrOr("value", "on"))
			}
		default:
			v.Add(name, el.AttrOr("value", ""))
		}
	})
	if v.Get("csrf") == "" {
		return nil, fmt.Errorf("GET %s: no staff form", path)
	}
	return v, nil
}

// entry is one listing a client made, and what its saves were.
type entry struct {
	slug, name string
	editPath   string
	acked      string   // the summary of the last save that got a success response
	after      []string // summaries sent after it, whose answer never came
	saves      int      // acknowledged saves
}

// TestKill9LosesNoAcknowledgedSave: staff save new entries and edits from several browsers
// at once; the server is killed with SIGKILL in the middle. After a restart every save that
// got its success response (303 to the entry) is there, the database passes
// PRAGMA integrity_check, and the server starts cleanly.
func TestKill9LosesNoAcknowledgedSave(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	add := exec.Command(signpostBin, "user", "add", kill9Email, "--role", "admin", "--db", db)
	add.Stdin = strings.NewReader(kill9Password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("signpost user add: %v\n%s", err, out)
	}
	p := startServing(t, db)
	codes, err := enrolStaff(p.URL, kill9Email, kill9Password)
	if err != nil || len(codes) < 4 {
		t.Fatalf("set up a second factor: %v (%d recovery codes)", err, len(codes))
	}

	const clients = 4
	var mu sync.Mutex
	var entries []*entry
	var acked, cut atomic.Int64 // saves answered 303; saves sent whose answer never came
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		s := newStaffClient(p.URL)
		resp, err := s.post("/admin/login", url.Values{"email": {kill9Email}, "password": {kill9Password}})
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("client %d: sign in: %v %v", c, resp, err)
		}
		if err := s.secondStep(codes[c]); err != nil {
			t.Fatalf("client %d: %v", c, err)
		}
		wg.Go(func() {
			var mine *entry
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if n%2 == 0 || mine == nil {
					// A new organization.
					f, err := s.form("/admin/organizations/new")
					if err != nil {
						return // the server is gone
					}
					e := &entry{slug: fmt.Sprintf("kill-test-%d-%d", c, n), name: fmt.Sprintf("Kill test %d-%d", c, n)}
					f.Set("name", e.name)
					f.Set("slug", e.slug)
					f.Set("summary", "First save.")
					f.Set("status", "published")
					f.Set("_action", "save")
					resp, err := s.post("/admin/organizations/new", f)
					if err != nil {
						cut.Add(1)
						return
					} else if resp.StatusCode != http.StatusSeeOther {
						t.Errorf("client %d: create: status %d", c, resp.StatusCode)
						return
					}
					e.editPath, e.acked, e.saves = resp.Header.Get("Location"), "First save.", 1
					mu.Lock()
					entries = append(entries, e)
					mu.Unlock()
					mine = e
					acked.Add(1)
					continue
				}
				// An edit of the last entry this client made.
				f, err := s.form(mine.editPath)
				if err != nil {
					return
				}
				summary := fmt.Sprintf("Edit %d by client %d.", n, c)
				f.Set("summary", summary)
				f.Set("_action", "save")
				mu.Lock()
				mine.after = append(mine.after, summary)
				mu.Unlock()
				resp, err := s.post(mine.editPath, f)
				if err != nil {
					cut.Add(1)
					return
				} else if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("client %d: edit: status %d", c, resp.StatusCode)
					return
				}
				mu.Lock()
				mine.acked, mine.after = summary, nil
				mine.saves++
				mu.Unlock()
				acked.Add(1)
			}
		})
	}
	// Kill it mid-stream, once there is something to lose.
	for deadline := time.Now().Add(20 * time.Second); acked.Load() < 40; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			close(stop)
			t.Fatalf("only %d saves acknowledged in 20 s", acked.Load())
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != -int(syscall.SIGKILL) {
		t.Fatalf("exit %d, want killed", code)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d saves acknowledged by %d clients before the kill; %d sent and cut off by it", acked.Load(), clients, cut.Load())

	// The server starts cleanly on what was left.
	r := startServing(t, db)
	if err := store.IntegrityCheck(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		code, body := r.get(t, "/organizations/"+e.slug)
		if code != http.StatusOK || !strings.Contains(body, html.EscapeString(e.name)) {
			t.Errorf("%s: status %d after the restart; its creation was acknowledged", e.slug, code)
			continue
		}
		// The last acknowledged edit, or one sent later whose answer the kill cut off.
		found := strings.Contains(body, html.EscapeString(e.acked))
		for _, later := range e.after {
			found = found || strings.Contains(body, html.EscapeString(later))
		}
		if !found {
			t.Errorf("%s lost its acknowledged save %q", e.slug, e.acked)
		}
	}
	r.stop(t)
	out := r.out.String()
	if strings.Contains(out, "level=ERROR") || strings.Contains(out, "level=WARN") {
		t.Errorf("the restart was not clean:\n%s", out)
	}
	if err := store.IntegrityCheck(context.Background(), db); err != nil {
		t.Error(err)
	}
	// Every acknowledged save is a revision too (the history staff restore from).
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, e := range entries {
		l, err := st.FindListing(context.Background(), directory.KindOrganization, e.slug, "en")
		if err != nil {
			continue // reported above
		}
		revs, err := st.ListRevisions(context.Background(), "listings", l.ID, "en")
		if err != nil || len(revs) < e.saves {
			t.Errorf("%s: %d revisions for %d acknowledged saves (%v)", e.slug, len(revs), e.saves, err)
		}
	}
}
