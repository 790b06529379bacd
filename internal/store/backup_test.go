package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"signpost/internal/store"
)

// insertOrganization adds a published organization and returns its slug.
func insertOrganization(ctx context.Context, s *store.Store, n int) (string, error) {
	slug := fmt.Sprintf("backup-test-%d", n)
	err := s.Update(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC().Format(time.RFC3339)
		_, err := tx.ExecContext(ctx, `INSERT INTO listings (kind, slug, name, status, created_at, updated_at)
			VALUES ('organization', ?, ?, 'published', ?, ?)`, slug, "Backup test "+slug, now, now)
		return err
	})
	return slug, err
}

func TestBackupWhileWritingHoldsEveryCommittedEntry(t *testing.T) {
	ctx := t.Context()
	s := MustOpenStore(t)
	var mu sync.Mutex
	var committed []string
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for n := 0; ; n++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			slug, err := insertOrganization(ctx, s, n)
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			committed = append(committed, slug)
			mu.Unlock()
		}
	}()
	// Wait for a few commits, however slow the machine is: the test is about what is in the
	// backup, not about how fast the writer goes.
	var before []string
	for len(before) < 3 {
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		before = append([]string(nil), committed...)
		mu.Unlock()
	}
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("nothing was written before the backup")
	}
	if err := store.IntegrityCheck(ctx, dst); err != nil {
		t.Fatal(err)
	}
	b := openFile(t, dst, store.Options{})
	defer b.Close()
	for _, slug := range before {
		var n int
		if err := b.ReadDB().QueryRow(`SELECT count(*) FROM listings WHERE kind = 'organization' AND slug = ?`, slug).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s is not in the backup (%v)", slug, err)
		}
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Error("Backup overwrote an existing file")
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(dst), ".*partial")); len(matches) > 0 {
		t.Errorf("left behind: %v", matches)
	}
}

func TestBackupFileNeverCreatesTheSource(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "missing.db")
	if err := store.BackupFile(t.Context(), src, filepath.Join(dir, "b.db")); err == nil {
		t.Error("backup of a missing database succeeded")
	}
	if _, err := os.Stat(src); err == nil {
		t.Error("the backup created the source database")
	}
}

// openTwo opens two stores on one new database file, the second with opts, as two
// processes sharing it would; both close when the test ends.
func openTwo(t *testing.T, opts store.Options) (first, second *store.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signpost.db")
	first = openFile(t, path, store.Options{})
	t.Cleanup(func() { first.Close() })
	second = openFile(t, path, opts)
	t.Cleanup(func() { second.Close() })
	return first, second
}

// TestCommitsByAnotherProcessChangeTheGeneration: a second Store on the same file stands
// for another process (an import, Litestream following a primary); the first store's page
// caches must learn of its commits.
func TestCommitsByAnotherProcessChangeTheGeneration(t *testing.T) {
	ctx := t.Context()
	a, b := openTwo(t, store.Options{})
	time.Sleep(1100 * time.Millisecond) // the watcher has its first reading
	before := a.Generation()
	if _, err := insertOrganization(ctx, b, 1); err != nil {
		t.Fatal(err)
	}
	waitForNewGeneration(t, a, before, "a commit by another connection never changed the generation")
}

// waitForNewGeneration waits up to five seconds for s's generation to move on from before,
// and fails the test with failure if it does not.
func waitForNewGeneration(t *testing.T, s *store.Store, before uint64, failure string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Generation() == before {
		if time.Now().After(deadline) {
			t.Fatal(failure)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
