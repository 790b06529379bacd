package store_test

import (
	"slices"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

var (
	proposer = store.Actor{Email: "proposer@example.org"}
	approver = store.Actor{Email: "approver@example.org"}
)

// mustPublishedListing makes a published organization with a call line and a web line,
// and the accounts of proposer and approver.
func mustPublishedListing(t *testing.T, s *store.Store) *directory.Listing {
	t.Helper()
	for _, a := range []*store.Actor{&proposer, &approver} {
		u := &directory.User{Email: a.Email, Role: directory.RoleEditor, PasswordHash: "not a real hash"}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
		a.ID = u.ID
	}
	l := &directory.Listing{Kind: directory.KindOrganization, Slug: "kodiak-shelter", Name: "Kodiak Shelter",
		Status: directory.StatusPublished, Website: "https://example.org",
		Channels: []directory.Channel{{Type: directory.ChannelVoice, Number: "+19074860000", Label: "Office"},
			{Type: directory.ChannelWeb, URL: "https://example.org/help", Label: "Ask for help"}}}
	if err := s.CreateListing(t.Context(), l, store.SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	return mustFind(t, s, l.ID)
}

func mustFind(t *testing.T, s *store.Store, id int64) *directory.Listing {
	t.Helper()
	l, err := s.FindListingByID(t.Context(), id, "en")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func numbers(l *directory.Listing) []string {
	var out []string
	for _, c := range l.Channels {
		out = append(out, c.Number+c.URL)
	}
	return out
}

// A line added to a published listing waits whole; the other edits of the same save do not.
func TestAnAddedLineWaitsAndTheRestIsSaved(t *testing.T) {
	s, ctx := openStore(t)
	l := mustPublishedListing(t, s)
	l.Summary = "Shelter and advice."
	l.Channels = append(l.Channels, directory.Channel{Type: directory.ChannelText, Number: "+19074860001"})
	c, err := s.UpdateListingHoldingContacts(ctx, l, proposer)
	if err != nil || c == nil {
		t.Fatalf("held = %v, %v", c, err)
	}
	got := mustFind(t, s, l.ID)
	if got.Summary != "Shelter and advice." || len(got.Channels) != 2 {
		t.Errorf("saved at once: summary %q, %d lines (want the summary and 2 lines)", got.Summary, len(got.Channels))
	}
	if n, _ := s.CountWaiting(ctx); n["approvals"] != 1 {
		t.Errorf("waiting = %v", n)
	}
	if _, err := s.ApproveContactChange(ctx, c.ID, proposer); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Errorf("the proposer approving: %v", err)
	}
	if _, err := s.ApproveContactChange(ctx, c.ID, approver); err != nil {
		t.Fatal(err)
	}
	got = mustFind(t, s, l.ID)
	if want := []string{"+19074860000", "https://example.org/help", "+19074860001"}; !slices.Equal(numbers(got), want) {
		t.Errorf("after approval: %v, want %v", numbers(got), want)
	}
	if got.Summary != "Shelter and advice." {
		t.Errorf("approval lost the summary: %q", got.Summary)
	}
}

// A removed line waits too; a line's label alone changes at once.
func TestARemovedLineWaitsAndALabelDoesNot(t *testing.T) {
	s, ctx := openStore(t)
	l := mustPublishedListing(t, s)
	l.Channels[0].Label = "Front desk"
	if c, err := s.UpdateListingHoldingContacts(ctx, l, proposer); err != nil || c != nil {
		t.Fatalf("a label change: held %v, %v", c, err)
	}
	l = mustFind(t, s, l.ID)
	l.Channels = l.Channels[1:]
	c, err := s.UpdateListingHoldingContacts(ctx, l, proposer)
	if err != nil || c == nil {
		t.Fatalf("held = %v, %v", c, err)
	}
	if got := mustFind(t, s, l.ID); len(got.Channels) != 2 || got.Channels[0].Label != "Front desk" {
		t.Errorf("before approval: %+v", got.Channels)
	}
	if _, err := s.RefuseContactChange(ctx, c.ID, approver, "Still in use"); err != nil {
		t.Fatal(err)
	}
	if got := mustFind(t, s, l.ID); len(got.Channels) != 2 {
		t.Errorf("after refusal: %d lines", len(got.Channels))
	}
	if _, err := s.ApproveContactChange(ctx, c.ID, approver); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("approving a refused change: %v", err)
	}
}

// The website: a newer proposal replaces the one waiting; a value changed since is a
// conflict and nothing is applied.
func TestANewerProposalReplacesTheWaitingOne(t *testing.T) {
	s, ctx := openStore(t)
	l := mustPublishedListing(t, s)
	l.Website = "https://example.org/one"
	first, err := s.UpdateListingHoldingContacts(ctx, l, proposer)
	if err != nil || first == nil {
		t.Fatal(err)
	}
	l = mustFind(t, s, l.ID)
	l.Website = "https://example.org/two"
	second, err := s.UpdateListingHoldingContacts(ctx, l, proposer)
	if err != nil || second == nil {
		t.Fatal(err)
	}
	if c, _ := s.FindContactChange(ctx, first.ID); c.Status != store.ContactReplaced {
		t.Errorf("first change: %s, want replaced", c.Status)
	}
	// Changed under it (by a save that does not ask, like a restore).
	l = mustFind(t, s, l.ID)
	l.Website = "https://example.org/elsewhere"
	if err := s.UpdateListing(ctx, l, store.SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveContactChange(ctx, second.ID, approver); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Errorf("approving over a changed website: %v", err)
	}
	if got := mustFind(t, s, l.ID); got.Website != "https://example.org/elsewhere" {
		t.Errorf("website = %q", got.Website)
	}
	if c, _ := s.WaitingContactChange(ctx, l.ID); c == nil || c.ID != second.ID {
		t.Errorf("waiting = %+v", c)
	}
}
