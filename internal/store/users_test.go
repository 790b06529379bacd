package store_test

import (
	"sync"
	"testing"
	"time"

	"signpost/internal/directory"
)

// Parallel reservations get exactly the free tries: the check and the count are one step.
func TestReserveLoginAttemptGivesAParallelBurstOnlyTheFreeTries(t *testing.T) {
	s, ctx := openStore(t)
	wait := func(_ string, n int, _ time.Time) time.Duration {
		if n >= 3 {
			return time.Minute
		}
		return 0
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	passed := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := s.ReserveLoginAttempt(ctx, wait, "ip:x", "email:a@example.org")
			if err != nil {
				t.Error(err)
				return
			}
			if w == 0 {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if passed != 3 {
		t.Errorf("%d of 50 parallel attempts passed, want 3", passed)
	}
	// A refused attempt counts nothing.
	if n, _, _ := s.LoginFailures(ctx, "ip:x"); n != 3 {
		t.Errorf("failures counted = %d, want 3", n)
	}
}

// The same event repeated is one line with a count; another event is its own line.
func TestWriteAuditRepeatCountsTheSameEvent(t *testing.T) {
	s, ctx := openStore(t)
	e := directory.AuditEntry{Action: "login_failed", Detail: "unknown account"}
	for range 5 {
		if err := s.WriteAuditRepeat(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	other := directory.AuditEntry{Action: "login_failed", UserID: 0, UserEmail: "ada@example.org", Detail: "wrong password"}
	if err := s.WriteAuditRepeat(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteAudit(ctx, directory.AuditEntry{Action: "login"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ListAudit(ctx, 10, 0)
	if len(got) != 3 {
		t.Fatalf("%d lines, want 3: %+v", len(got), got)
	}
	if got[2].Repeats != 5 || got[2].LastAt.IsZero() || got[1].Repeats != 1 || got[0].Repeats != 1 {
		t.Errorf("repeats = %d, %d, %d; want 1, 1, 5 (newest first)", got[0].Repeats, got[1].Repeats, got[2].Repeats)
	}
}
