package main

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
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

	lsCmd, lsOut, lsDone := replicate(t, ls, dir, live, replica)
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

// replicate starts `litestream replicate` copying live to a file replica, 100 ms behind. It
// returns the command, its output and a channel that gets its exit.
func replicate(t *testing.T, ls, dir, live, replica string) (*exec.Cmd, *syncBuffer, <-chan error) {
	t.Helper()
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
	out := &syncBuffer{}
	cmd := exec.Command(ls, "replicate", "-config", config)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return cmd, out, done
}

// TestLitestreamFollowerServesEveryChangeReadOnly runs the read replica SCALING.md
// describes: Litestream replicates the live database, `litestream restore -f` keeps a copy
// current, and `signpost serve --read-only` serves the copy. Entries staff save on the live
// site show on the copy within seconds; the copy has no staff area and keeps what a visitor
// typed into a suggestion it cannot file.
func TestLitestreamFollowerServesEveryChangeReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("replication test")
	}
	ls := litestreamBin(t)
	dir := t.TempDir()
	live, replica, copyDB := filepath.Join(dir, "live.db"), filepath.Join(dir, "replica"), filepath.Join(dir, "copy.db")
	p := startServing(t, live)
	lsCmd, lsOut, _ := replicate(t, ls, dir, live, replica)
	followOut := &syncBuffer{}
	defer func() {
		_ = lsCmd.Process.Kill()
		if t.Failed() {
			t.Logf("litestream replicate:\n%s\nlitestream restore -f:\n%s", lsOut, followOut)
		}
	}()

	// The follower restores the replica, then applies what comes after.
	var follow *exec.Cmd
	for start := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		follow = exec.Command(ls, "restore", "-f", "-follow-interval", "100ms", "-o", copyDB, "file://"+replica)
		follow.Stdout, follow.Stderr = followOut, followOut
		if err := follow.Start(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 50 && !strings.Contains(followOut.String(), "entering follow mode"); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		if strings.Contains(followOut.String(), "entering follow mode") {
			break
		}
		// No snapshot in the replica yet: try again.
		_ = follow.Process.Kill()
		_ = follow.Wait()
		_ = os.Remove(copyDB)
		if time.Since(start) > 20*time.Second {
			t.Fatal("litestream restore -f never began to follow")
		}
	}
	defer func() { _ = follow.Process.Kill() }()
	c := startServing(t, copyDB, "--read-only")

	stop := make(chan struct{})
	acked, wait := saveThroughAdmin(t, p, live, "followed", stop)
	time.Sleep(time.Second)
	close(stop)
	if err := wait(); err != nil {
		t.Fatalf("a save failed: %v", err)
	}
	slugs := acked()
	if len(slugs) == 0 {
		t.Fatal("nothing saved")
	}
	saved := time.Now()
	for _, slug := range slugs {
		for {
			code, body := c.get(t, "/organizations/"+slug)
			if code == http.StatusOK && strings.Contains(body, "Entry "+slug) {
				break
			}
			if time.Since(saved) > 20*time.Second {
				t.Fatalf("the copy never showed %s (status %d)", slug, code)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	t.Logf("%d saves on the live site; all on the read-only copy %s after the last", len(slugs), time.Since(saved).Round(10*time.Millisecond))

	// No staff area on the copy, and a suggestion it cannot file comes back with its text.
	if code, body := c.get(t, "/admin/"); code != http.StatusServiceUnavailable || !strings.Contains(body, "main server") {
		t.Errorf("/admin/ on the copy: status %d", code)
	}
	resp, err := http.PostForm(c.URL+"/organizations/polaris/correction", url.Values{"field": {"name"}, "message": {"The name is spelled Polaris Project now."}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "The name is spelled Polaris Project now.") {
		t.Errorf("a suggestion on the copy: status %d, text kept %v", resp.StatusCode, strings.Contains(string(body), "Polaris Project now"))
	}
	c.stop(t)
}
