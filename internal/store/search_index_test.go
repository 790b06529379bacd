package store_test

import (
	"slices"
	"testing"

	"signpost/internal/directory"
)

// What a page shows is found, and leads to the page that shows it: a listing's new line by
// its number in any format and its text keyword, a new sign by its words on "See it".
func TestSearchFindsLinesAndSignsWhereTheyAreShown(t *testing.T) {
	s, ctx := openStore(t)
	l := &directory.Listing{Kind: directory.KindHotline, Slug: "tundra-line", Name: "Tundra Line", Status: directory.StatusPublished,
		Channels: []directory.Channel{{Type: directory.ChannelVoice, Number: "+19075550142", Label: "Call"},
			{Type: directory.ChannelText, Number: "55501", Keyword: "TUNDRA", Label: "Text"}}}
	if err := s.CreateListing(ctx, l, editor, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"(907) 555-0142", "907-555-0142", "19075550142", "907 555 0142", "55501", "tundra"} {
		if got := hitNames(search(t, s, directory.SearchFilter{Query: q})); len(got) == 0 || got[0] != "Tundra Line" {
			t.Errorf("%q: %v, want Tundra Line first", q, got)
		}
	}
	// A new number replaces the old one in the index.
	cur, err := s.FindListingByID(ctx, l.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	cur.Channels[0].Number = "+19075550199"
	if err := s.UpdateListing(ctx, cur, editor, ""); err != nil {
		t.Fatal(err)
	}
	if got := hitNames(search(t, s, directory.SearchFilter{Query: "907-555-0142"})); slices.Contains(got, "Tundra Line") {
		t.Errorf("the old number still finds the line: %v", got)
	}
	if got := hitNames(search(t, s, directory.SearchFilter{Query: "907-555-0199"})); !slices.Contains(got, "Tundra Line") {
		t.Errorf("the new number does not find the line: %v", got)
	}

	sign := &directory.Sign{Slug: "snowmachine", Text: "A worker is kept at a remote snowmachine camp."}
	if err := s.SaveSign(ctx, sign, editor, ""); err != nil {
		t.Fatal(err)
	}
	if got := hitNames(search(t, s, directory.SearchFilter{Query: "snowmachine camp"})); !slices.Equal(got, []string{"page:see-it"}) {
		t.Errorf("a new sign: %v, want the See it page", got)
	}
}
