package main

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"signpost/internal/store"
)

// litestreamVersion is the Litestream release the replication test proves. Makefile builds
// the same one (LITESTREAM_VERSION).
const litestreamVersion = "v0.5.18"

// litestreamBin returns the pinned Litestream, building it from the Go module proxy into
// .tools/litestream-<version>/ when it is not there yet (about 90 s, once; make test builds
// it before the tests run).
func litestreamBin(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", ".tools", "litestream-"+litestreamVersion))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "litestream")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	t.Logf("building Litestream %s into %s", litestreamVersion, dir)
	install := exec.Command("go", "install", "github.com/benbjohnson/litestream/cmd/litestream@"+litestreamVersion)
	install.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install litestream@%s: %v\n%s", litestreamVersion, err, out)
	}
	return bin
}

// hasEntries reports whether the database at path holds every organization slug.
func hasEntries(path string, slugs []string) (missing int, err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for _, slug := range slugs {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM listings WHERE kind = 'organization' AND slug = ?`, slug).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			missing++
		}
	}
	return missing, nil
}

// TestLitestreamReplicaRestoresEveryAcknowledgedEntry runs Litestream beside the server,
// replicating to a file replica while staff save entries through /admin; restores the replica into a new
// file, starts Signpost on it, and finds every entry whose save was acknowledged.
func TestLitestreamReplicaRestoresEveryAcknowledgedEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("replication test")
	}
	ls := litestreamBin(t)
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	replica := filepath.Join(dir, "replica")
	p := startServing(t, live)

	config := filepath.Join(dir, "litestream.yml")
	if err := os.WriteFile(config, fmt.Appendf(nil, `dbs:
  - path: %s
    replica:
      type: file
      path: %s
      sync-interval: 100ms
`, live, replica), 0o600); err != nil {
		t.Fatal(err)
	}
	lsOut := &syncBuffer{}
	lsCmd := exec.Command(ls, "replicate", "-config", config)
	lsCmd.Stdout, lsCmd.Stderr = lsOut, lsOut
	if err := lsCmd.Start(); err != nil {
		t.Fatal(err)
	}
	lsDone := make(chan error, 1)
	go func() { lsDone <- lsCmd.Wait() }()
	defer func() {
		_ = lsCmd.Process.Kill()
		if t.Failed() {
			t.Logf("litestream output:\n%s", lsOut)
		}
	}()

	// Staff save through /admin while the site serves and Litestream replicates.
	s, err := store.Open(context.Background(), live, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stop := make(chan struct{})
	acked, wait := saveThroughAdmin(t, p, live, "replicated", stop)
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	if err := wait(); err != nil {
		t.Fatalf("a save failed while Litestream replicated: %v", err)
	}
	slugs := acked()
	if len(slugs) < 20 {
		t.Fatalf("only %d saves", len(slugs))
	}
	want := publishedListings(t, s.ReadDB())
	writesEnded := time.Now()

	// Restore the replica into a new file until it holds every acknowledged save; how long
	// that takes is how far the replica lags.
	var restored string
	for attempt := 1; ; attempt++ {
		restored = filepath.Join(dir, fmt.Sprintf("restored-%d.db", attempt))
		out, err := exec.Command(ls, "restore", "-o", restored, "file://"+replica).CombinedOutput()
		if err == nil {
			missing, cerr := hasEntries(restored, slugs)
			if cerr != nil {
				t.Fatal(cerr)
			}
			if missing == 0 {
				break
			}
			t.Logf("restore %d: %d of %d saves not replicated yet", attempt, missing, len(slugs))
		} else {
			t.Logf("restore %d: %v: %s", attempt, err, out)
		}
		if time.Since(writesEnded) > 20*time.Second {
			t.Fatal("the replica never caught up with the acknowledged saves")
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("%d saves; replica complete %s after the last one", len(slugs), time.Since(writesEnded).Round(10*time.Millisecond))
	if err := store.IntegrityCheck(context.Background(), restored); err != nil {
		t.Fatal(err)
	}

	// Signpost starts on the restored file and serves every entry.
	r := startServing(t, restored)
	for _, l := range want {
		code, body := r.get(t, l.path)
		if code != http.StatusOK || !strings.Contains(body, html.EscapeString(l.name)) {
			t.Errorf("restored site: %s: status %d", l.path, code)
		}
	}
	r.stop(t)

	// The live site went on serving throughout.
	if code, _ := p.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("live /healthz: %d", code)
	}
	_ = lsCmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-lsDone:
	case <-time.After(10 * time.Second):
		t.Error("litestream did not stop on SIGTERM")
	}
}
