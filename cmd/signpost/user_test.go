package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"signpost/internal/admin"
	"signpost/internal/store"
)

// runUser runs "signpost user ..." against db with stdin as the typed password.
func runUser(t *testing.T, db, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := func(k string) string {
		if k == "SIGNPOST_DB" {
			return db
		}
		return ""
	}
	err := run(context.Background(), append([]string{"user"}, args...), env, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	out, err := runUser(t, db, "", "list")
	if err != nil || !strings.Contains(out, "No accounts yet") {
		t.Fatalf("list on a new database: %q, %v", out, err)
	}
	// No role, a short or common password, a bad email: refused.
	if _, err := runUser(t, db, "a long enough password\n", "add", "ada@example.org"); err == nil {
		t.Error("add without --role succeeded")
	}
	if _, err := runUser(t, db, "short\n", "add", "ada@example.org", "--role", "admin"); err == nil {
		t.Error("add with a short password succeeded")
	}
	if _, err := runUser(t, db, "password1234\n", "add", "ada@example.org", "--role", "admin"); err == nil {
		t.Error("add with a common password succeeded")
	}
	if _, err := runUser(t, db, "a long enough password\n", "add", "not-an-email", "--role", "admin"); err == nil {
		t.Error("add with a bad email succeeded")
	}
	if out, err := runUser(t, db, "a long enough password\n", "add", "ada@example.org", "--role", "admin"); err != nil {
		t.Fatalf("add: %v %s", err, out)
	}
	if _, err := runUser(t, db, "another long password\n", "add", "ADA@example.org", "--role", "editor"); err == nil {
		t.Error("a second account with the same email (other case) was added")
	}
	out, err = runUser(t, db, "", "list")
	if err != nil || !strings.Contains(out, "ada@example.org") || !strings.Contains(out, "admin") || !strings.Contains(out, "active") {
		t.Fatalf("list: %q, %v", out, err)
	}
	if _, err := runUser(t, db, "a brand new password\n", "passwd", "ada@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := runUser(t, db, "", "disable", "ada@example.org"); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.FindUserByEmail(context.Background(), "ada@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !u.Disabled {
		t.Error("the account is not disabled")
	}
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$") {
		t.Errorf("hash %q is not an argon2id PHC string", u.PasswordHash)
	}
	if ok, _ := admin.VerifyPassword(u.PasswordHash, "a brand new password"); !ok {
		t.Error("passwd did not set the new password")
	}
	if ok, _ := admin.VerifyPassword(u.PasswordHash, "a long enough password"); ok {
		t.Error("the old password still works")
	}
}
