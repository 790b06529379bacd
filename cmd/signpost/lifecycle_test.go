package main

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"signpost/internal/store"
)

// TestSIGTERMLetsAnInFlightRequestFinish: a visitor on a slow connection is still
// receiving a page when the server is told to stop. The server stops taking new
// connections, sends that visitor the whole page, then exits 0.
//
// The request is held in flight without any hook in the binary: the page is larger than
// the kernel's socket buffers (a listing with a 3 MB summary, which the page shows three
// times), and the client reads only its first bytes until after SIGTERM, so the handler is
// blocked writing.
func TestSIGTERMLetsAnInFlightRequestFinish(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), func(tx *sql.Tx) error {
		now := time.Now().UTC().Format(time.RFC3339)
		_, err := tx.Exec(`INSERT INTO listings (kind, slug, name, summary, status, created_at, updated_at)
			VALUES ('organization', 'very-long', 'A very long listing', ?, 'published', ?, ?)`,
			strings.Repeat("A long summary for a large page. ", 100_000), now, now)
		return err
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	p := startServing(t, db, "--shutdown-timeout", "15s")

	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /organizations/very-long HTTP/1.1\r\nHost: signpost.test\r\nAccept-Encoding: identity\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength < 8<<20 {
		t.Fatalf("status %d, Content-Length %d: want a page of more than 8 MB", resp.StatusCode, resp.ContentLength)
	}
	time.Sleep(200 * time.Millisecond) // the server fills the socket buffers and blocks

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once new connections are refused.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 5 s after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case <-p.exited:
		t.Fatalf("exited with a response half sent: %v", p.err)
	case <-time.After(300 * time.Millisecond):
	}

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("the page was cut short after %d bytes: %v", len(body), err)
	}
	if int64(len(body)) != resp.ContentLength || !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") {
		t.Errorf("got %d of %d bytes", len(body), resp.ContentLength)
	}
	if code := p.wait(t, 5*time.Second); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if out := p.out.String(); !strings.Contains(out, "shutting down") || !strings.Contains(out, "msg=stopped") || strings.Contains(out, "level=ERROR") {
		t.Errorf("unexpected shutdown log:\n%s", out)
	}
}

func TestRefusesADatabaseFromANewerVersion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	p := startProcess(t, "--addr", freeAddr(t), "--db", db)
	if code := p.wait(t, 20*time.Second); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	out := p.out.String()
	for _, want := range []string{"migrated by a newer version of Signpost", "99999", "upgrade Signpost or restore a backup"} {
		if !strings.Contains(out, want) {
			t.Errorf("the message does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "serving") {
		t.Error("it served anyway")
	}
}

// TestAccessLogNeverNamesTheClient runs the binary with --access-log and finds neither the
// client's address nor its port anywhere in its output.
func TestAccessLogNeverNamesTheClient(t *testing.T) {
	p := startServing(t, filepath.Join(t.TempDir(), "signpost.db"), "--access-log")
	var ports []string
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for _, path := range []string{"/", "/search?q=passport", "/organizations/polaris", "/nope", "/healthz", "/es/"} {
		var local string
		trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) { local = ci.Conn.LocalAddr().String() }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, p.URL+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		_, port, _ := net.SplitHostPort(local)
		ports = append(ports, port)
	}
	p.stop(t)
	out := p.out.String()
	if n := strings.Count(out, "msg=request"); n < 6 {
		t.Fatalf("%d request lines in the access log, want 6:\n%s", n, out)
	}
	for _, port := range ports {
		if _, err := strconv.Atoi(port); err != nil {
			t.Fatalf("client port %q", port)
		}
		if strings.Contains(out, ":"+port) {
			t.Errorf("the log names a client (port %s):\n%s", port, out)
		}
	}
	if strings.Contains(out, "passport") && !strings.Contains(out, "path=/search") {
		t.Error("unexpected log shape")
	}
}
