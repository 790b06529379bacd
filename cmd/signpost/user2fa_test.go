package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"signpost/internal/store"
)

func TestUserTwoFactorListAndReset(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	if out, err := runUser(t, db, "a long enough password\n", "add", "ada@example.org", "--role", "admin"); err != nil ||
		!strings.Contains(out, "second factor") {
		t.Fatalf("add: %q, %v", out, err)
	}
	if _, err := runUser(t, db, "a long enough password\n", "add", "eddie@example.org", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ada, err := st.FindUserByEmail(ctx, "ada@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetTOTP(ctx, ada.ID, "JBSWY3DPEHPK3PXP", 0, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, err := runUser(t, db, "", "2fa-list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "ada@example.org") || strings.Join(strings.Fields(lines[1])[2:5], " ") != "yes 0 2" ||
		!strings.Contains(lines[2], "eddie@example.org") {
		t.Errorf("2fa-list:\n%s", out)
	}

	out, err = runUser(t, db, "", "2fa-reset", "ada@example.org")
	if err != nil || !strings.Contains(out, "authenticator app") || !strings.Contains(out, "must set up a new one") {
		t.Errorf("2fa-reset: %q, %v", out, err)
	}
	out, _ = runUser(t, db, "", "2fa-list")
	if !strings.Contains(out, "must set one up at next sign-in") {
		t.Errorf("after reset, 2fa-list:\n%s", out)
	}
	if _, err := runUser(t, db, "", "2fa-reset", "nobody@example.org"); err == nil {
		t.Error("2fa-reset of an unknown account succeeded")
	}
}
