package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signpost/internal/directory"
	"signpost/internal/store"
	"signpost/internal/web"
)

var editor = store.Actor{Email: "editor@example.org"}

// TestReadersNeverSeeAnErrorWhileStaffWrite runs 50 readers over HTTP against 5 writers
// saving through the store for a few seconds: every reader gets its page, every save
// commits, nothing says "database is locked", and afterwards every page shows the last save.
func TestReadersNeverSeeAnErrorWhileStaffWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const (
		readers  = 50
		writers  = 5
		duration = 3 * time.Second
	)
	site := startLogged(t, web.Options{}, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers}, Timeout: 10 * time.Second}
	paths := []string{"/", "/organizations", "/organizations/polaris", "/hotlines", "/search?q=hotline",
		"/es/", "/es/report-it", "/resources", "/agencies", "/see-it", "/organizations/writer-0",
		"/organizations/writer-4", "/es/organizations/writer-2"}

	// Each writer saves its own listing again and again through the listing save path
	// (version check, revision), and every fifth save changes the tagline every page shows.
	mine := make([]*directory.Listing, writers)
	for i := range writers {
		mine[i] = &directory.Listing{Kind: directory.KindOrganization, Slug: fmt.Sprintf("writer-%d", i),
			Name: fmt.Sprintf("Writer %d", i), Summary: "First save.", Status: directory.StatusPublished}
		if err := site.Store.CreateListing(context.Background(), mine[i], editor, ""); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var wg sync.WaitGroup
	var reads, saves atomic.Int64
	errs := make(chan error, readers+writers)
	for i := range readers {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				path := paths[(i+n)%len(paths)]
				resp, err := client.Get(site.URL + path)
				if err != nil {
					errs <- fmt.Errorf("reader %d: GET %s: %w", i, path, err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `class="brand-tag"`) {
					errs <- fmt.Errorf("reader %d: GET %s: status %d, %d bytes, %v", i, path, resp.StatusCode, len(body), err)
					return
				}
				reads.Add(1)
			}
		})
	}
	for i := range writers {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				l := mine[i]
				l.Summary = fmt.Sprintf("Save %d of writer %d.", n, i)
				if err := site.Store.UpdateListing(context.Background(), l, editor, ""); err != nil {
					errs <- fmt.Errorf("writer %d: listing save %d: %w", i, n, err)
					return
				}
				saves.Add(1)
				if n%5 != 0 {
					time.Sleep(2 * time.Millisecond)
					continue
				}
				err := site.Store.Update(context.Background(), func(tx *sql.Tx) error {
					now := time.Now().UTC().Format(time.RFC3339)
					if _, err := tx.Exec(`UPDATE settings SET value = ?, updated_at = ? WHERE key = ?`,
						fmt.Sprintf("Tagline from writer %d, save %d", i, n), now, store.SettingTagline); err != nil {
						return err
					}
					_, err := tx.Exec(`INSERT INTO translations (entity, entity_id, field, lang, value, needs_review, updated_at)
						VALUES ('settings', 0, ?, 'es', ?, 1, ?)
						ON CONFLICT (entity, entity_id, lang, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
						store.SettingTagline, fmt.Sprintf("Lema del escritor %d, guardado %d", i, n), now)
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d: save %d: %w", i, n, err)
					return
				}
				saves.Add(1)
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d page reads and %d saves in %s", reads.Load(), saves.Load(), duration)
	if reads.Load() < readers || saves.Load() < writers {
		t.Errorf("too little happened: %d reads, %d saves", reads.Load(), saves.Load())
	}
	if log := site.Log.String(); strings.Contains(log, "locked") || strings.Contains(log, "level=ERROR") {
		t.Errorf("errors in the log:\n%s", log)
	}

	// Every page now shows the last save: no cache kept an older one.
	var want, wantES string
	if err := site.Store.ReadDB().QueryRow(`SELECT value FROM settings WHERE key = ?`, store.SettingTagline).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if err := site.Store.ReadDB().QueryRow(`SELECT value FROM translations WHERE entity = 'settings' AND lang = 'es' AND field = ?`, store.SettingTagline).Scan(&wantES); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		resp, err := client.Get(site.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		w := want
		if strings.HasPrefix(path, "/es/") {
			w = wantES
		}
		if !strings.Contains(string(body), w) {
			t.Errorf("%s does not show the last save %q", path, w)
		}
	}
	for i, l := range mine {
		resp, err := client.Get(site.URL + "/organizations/" + l.Slug)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), l.Summary) {
			t.Errorf("writer %d's page does not show its last save %q", i, l.Summary)
		}
		revs, err := site.Store.ListRevisions(context.Background(), "listings", l.ID, "en")
		if err != nil || len(revs) != l.Version {
			t.Errorf("writer %d: %d revisions for version %d (%v)", i, len(revs), l.Version, err)
		}
	}
}
