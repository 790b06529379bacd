package store_test

import (
	"context"
	"strings"
	"testing"

	"signpost/internal/directory"
	"signpost/internal/store"
)

func search(t *testing.T, s *store.Store, f directory.SearchFilter) *directory.SearchResult {
	t.Helper()
	if f.Lang == "" {
		f.Lang = "en"
	}
	res, err := s.Search(context.Background(), f)
	if err != nil {
		t.Fatalf("Search(%+v): %v", f, err)
	}
	return res
}

func hitNames(res *directory.SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		if h.Listing != nil {
			out = append(out, h.Listing.Name)
		} else {
			out = append(out, "page:"+h.Page.Title)
		}
	}
	return out
}

func TestSearchSmoke(t *testing.T) {
	s := MustOpenStore(t)
	res := search(t, s, directory.SearchFilter{Query: "polaris"})
	t.Logf("total %d: %v", res.Total, hitNames(res))
	for _, h := range res.Hits {
		t.Logf("snippet %q", h.Snippet)
	}
	t.Logf("facets %+v", res.Facets)
	if !strings.Contains(strings.Join(hitNames(res), ","), "Polaris") {
		t.Fatal("no polaris")
	}
}
