package main

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/internal/store"
)

// listingPath is a listing's public path.
type listingPath struct{ path, name string }

// publishedListings returns the public path and name of every published listing in db.
func publishedListings(t testing.TB, db *sql.DB) []listingPath {
	t.Helper()
	rows, err := db.Query(`SELECT kind, slug, name FROM listings WHERE status = 'published' AND deleted_at IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sections := map[string]string{"hotline": "hotlines", "organization": "organizations", "agency": "agencies", "resource": "resources"}
	var out []listingPath
	for rows.Next() {
		var kind, slug, name string
		if err := rows.Scan(&kind, &slug, &name); err != nil {
			t.Fatal(err)
		}
		out = append(out, listingPath{"/" + sections[kind] + "/" + slug, name})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// saveThroughAdmin signs a new staff account in to the running server p (serving db) and
// saves new organizations through /admin, as staff would, until stop is closed. acked
// returns the slugs of the saves that got their success response (303), in order.
func saveThroughAdmin(t testing.TB, p *process, db, prefix string, stop <-chan struct{}) (acked func() []string, wait func() error) {
	t.Helper()
	email := prefix + "@example.org"
	add := exec.Command(signpostBin, "user", "add", email, "--role", "editor", "--db", db)
	add.Stdin = strings.NewReader(kill9Password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("signpost user add: %v\n%s", err, out)
	}
	s := newStaffClient(p.URL)
	if resp, err := s.post("/admin/login", url.Values{"email": {email}, "password": {kill9Password}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	var mu sync.Mutex
	var slugs []string
	done := make(chan error, 1)
	go func() {
		for n := 0; ; n++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			slug := fmt.Sprintf("%s-%d", prefix, n)
			f, err := s.form("/admin/organizations/new")
			if err != nil {
				done <- err
				return
			}
			f.Set("name", "Entry "+slug)
			f.Set("slug", slug)
			f.Set("summary", "Saved by staff during a test.")
			f.Set("status", "published")
			f.Set("_action", "save")
			resp, err := s.post("/admin/organizations/new", f)
			if err != nil {
				done <- err
				return
			} else if resp.StatusCode != http.StatusSeeOther {
				done <- fmt.Errorf("save %s: status %d", slug, resp.StatusCode)
				return
			}
			mu.Lock()
			slugs = append(slugs, slug)
			mu.Unlock()
		}
	}()
	return func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), slugs...)
		}, func() error {
			return <-done
		}
}

// TestBackupWhileServingRestoresEveryEntry takes `signpost backup` of a database that the
// site is serving from while staff save entries through /admin, restores it the way README.md says
// (copy it into place, start signpost), and finds every entry saved before the backup
// began on the restored site.
func TestBackupWhileServingRestoresEveryEntry(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	p := startServing(t, live)

	// Staff save through /admin throughout; the test reads the database beside them.
	s, err := store.Open(context.Background(), live, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	acked, wait := saveThroughAdmin(t, p, live, "before-backup", stop)
	// Visitors keep reading too.
	readers := make(chan struct{})
	var rwg sync.WaitGroup
	for range 4 {
		rwg.Go(func() {
			for {
				select {
				case <-readers:
					return
				default:
				}
				if resp, err := http.Get(p.URL + "/organizations"); err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	for deadline := time.Now().Add(10 * time.Second); len(acked()) < 20; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d saves in 10 s", len(acked()))
		}
	}

	ackedBefore := acked()
	want := publishedListings(t, s.ReadDB()) // everything committed before the backup starts
	backupFile := filepath.Join(dir, "backups", "signpost-backup.db")
	if err := os.MkdirAll(filepath.Dir(backupFile), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(signpostBin, "backup", "--db", live, backupFile).CombinedOutput()
	if err != nil {
		t.Fatalf("signpost backup: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "integrity ok") {
		t.Errorf("backup output: %s", out)
	}
	close(stop)
	if err := wait(); err != nil {
		t.Fatalf("a save failed during the backup: %v", err)
	}
	close(readers)
	rwg.Wait()
	if info, err := os.Stat(backupFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600 (it holds password hashes)", err, info.Mode().Perm())
	}
	// The live site was never interrupted.
	if code, _ := p.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz during backup: %d", code)
	}

	// Restore as README.md says: copy the backup into place, start signpost on it.
	restored := filepath.Join(dir, "restored", "signpost.db")
	if err := os.MkdirAll(filepath.Dir(restored), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := startServing(t, restored)
	paths := map[string]bool{}
	for _, l := range want {
		paths[l.path] = true
	}
	for _, slug := range ackedBefore {
		if !paths["/organizations/"+slug] {
			t.Fatalf("acknowledged save %s is missing from the list to look for", slug)
		}
	}
	t.Logf("looking for %d entries (%d saved by this test before the backup, %d more during it)", len(want), len(ackedBefore), len(acked())-len(ackedBefore))
	for _, l := range want {
		code, body := r.get(t, l.path)
		if code != http.StatusOK || !strings.Contains(body, html.EscapeString(l.name)) {
			t.Errorf("restored site: %s: status %d", l.path, code)
		}
	}
	r.stop(t)
	if err := store.IntegrityCheck(context.Background(), restored); err != nil {
		t.Error(err)
	}

	// A second backup to the same name is refused: it may be the one someone needs.
	if out, err := exec.Command(signpostBin, "backup", "--db", live, backupFile).CombinedOutput(); err == nil {
		t.Errorf("backup overwrote %s: %s", backupFile, out)
	}
}
