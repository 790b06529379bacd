package store_test

import (
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

func TestSignSaveConflictTrashAndRestore(t *testing.T) {
	s, ctx := openStore(t)
	x := &directory.Sign{Slug: "no-id", Text: "They have no ID of their own.", Position: 50}
	if err := s.SaveSign(ctx, x, editor, ""); err != nil {
		t.Fatal(err)
	}
	a, _ := s.FindSignByID(ctx, x.ID)
	b, _ := s.FindSignByID(ctx, x.ID)
	a.Text, b.Text = "They do not hold their own ID.", "A stale edit."
	saveStale(t, func(x *directory.Sign) error { return s.SaveSign(ctx, x, editor, "") }, a, b)
	if err := s.TrashEntry(ctx, "signs", x.ID, true, editor); err != nil {
		t.Fatal(err)
	}
	signs, _ := s.ListSigns(ctx, "en")
	for _, sg := range signs {
		if sg.ID == x.ID {
			t.Error("a trashed sign is listed")
		}
	}
	revs, _ := s.ListRevisions(ctx, "signs", x.ID, "en")
	if len(revs) != 3 {
		t.Fatalf("%d revisions, want create, update, trash", len(revs))
	}
	if err := s.RestoreRevision(ctx, revs[2].ID, editor); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindSignByID(ctx, x.ID)
	if got.Text != "They have no ID of their own." || got.DeletedAt.IsZero() {
		t.Errorf("after restoring the first text: %q, trashed %v (restore keeps the trash state)", got.Text, !got.DeletedAt.IsZero())
	}
	if err := s.SaveSign(ctx, &directory.Sign{Slug: "no-id", Text: "Duplicate"}, editor, ""); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("duplicate slug: %v", err)
	}
}

func TestSettingsSaveWithVersionAndRestore(t *testing.T) {
	s, ctx := openStore(t)
	st, err := s.SettingsForStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.VerifyDays != store.DefaultVerifyDays {
		t.Errorf("verify days = %d", st.VerifyDays)
	}
	stale := st
	st.SiteName, st.VerifyDays = "Another Group", 30
	stale.Tagline = "stale"
	saveStale(t, func(x *directory.Settings) error { return s.UpdateSettings(ctx, x, editor, "") }, &st, &stale)
	bad := st
	bad.ExitURL, bad.PrimaryHotline = "javascript:alert(1)", "no-such-line"
	if err := s.UpdateSettings(ctx, &bad, editor, ""); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("bad settings: %v", err)
	}
	third := st
	third.SiteName = "Third Name"
	if err := s.UpdateSettings(ctx, &third, editor, ""); err != nil {
		t.Fatal(err)
	}
	revs, _ := s.ListRevisions(ctx, "settings", 0, "en")
	if len(revs) < 2 {
		t.Fatalf("%d settings revisions", len(revs))
	}
	if err := s.RestoreRevision(ctx, revs[1].ID, editor); err != nil {
		t.Fatal(err)
	}
	got, _ := s.SettingsForStaff(ctx)
	if got.SiteName != "Another Group" || got.VerifyDays != 30 {
		t.Errorf("after restoring the first save: %+v", got)
	}
	pub, _ := s.Settings(ctx, "en")
	if pub.SiteName != "Another Group" {
		t.Errorf("public settings = %q", pub.SiteName)
	}
}

func TestPageUpdateAndStatFillIn(t *testing.T) {
	s, ctx := openStore(t)
	p, err := s.FindPage(ctx, "about", "en")
	if err != nil {
		t.Fatal(err)
	}
	p.Body = "New text."
	if err := s.UpdatePage(ctx, p, editor, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindPage(ctx, "about", "en"); got.Body != "New text." || got.Version != p.Version+1 {
		t.Errorf("page after update: %q v%d", got.Body, got.Version)
	}
	stats, _ := s.ListStats(ctx, "en", true)
	var empty *directory.Stat
	for i := range stats {
		if stats[i].Value == nil {
			empty = &stats[i]
			break
		}
	}
	if empty == nil {
		t.Skip("the seed has no figure to fill in")
	}
	x, _ := s.FindStatByID(ctx, empty.ID)
	v := 42.0
	x.Value = &v
	x.Todo = nil
	if err := s.SaveStat(ctx, x, editor, ""); err != nil {
		t.Fatal(err)
	}
	public, _ := s.ListStats(ctx, "en", false)
	found := false
	for _, st := range public {
		found = found || st.ID == x.ID
	}
	if !found {
		t.Error("a filled-in figure is not public")
	}
}

func TestUsersAndLoginFailures(t *testing.T) {
	s, ctx := openStore(t)
	u := &directory.User{Email: "Ada@Example.org", Role: directory.RoleAdmin, PasswordHash: "$argon2id$x"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindUserByEmail(ctx, "ada@example.org"); err != nil || got.ID != u.ID {
		t.Errorf("find by email in another case: %v %v", got, err)
	}
	if err := s.RecordLoginFailure(ctx, "email:ada@example.org", "ip:abc"); err != nil {
		t.Fatal(err)
	}
	s.RecordLoginFailure(ctx, "email:ada@example.org")
	if n, last, _ := s.LoginFailures(ctx, "email:ada@example.org"); n != 2 || last.IsZero() {
		t.Errorf("failures = %d at %v", n, last)
	}
	s.ClearLoginFailures(ctx, "email:ada@example.org")
	if n, _, _ := s.LoginFailures(ctx, "email:ada@example.org"); n != 0 {
		t.Errorf("after clearing: %d", n)
	}
}
