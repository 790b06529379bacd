package admin

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/sheet"
	"signpost/internal/store"
)

// startSheetHandler is the staff area on a fresh seeded database, for calling its import
// directly.
func startSheetHandler(t testing.TB) (*Handler, *store.Store) {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "signpost.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(slog.New(slog.NewTextHandler(io.Discard, nil)), st, cat, Options{SessionCleanup: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h, st
}

// mustUpload reads a spreadsheet as the upload screen does and keeps it as user 1's upload
// named name; it returns the table and the upload's token.
func mustUpload(tb testing.TB, st *store.Store, name, csv string) (*sheet.Table, string) {
	tb.Helper()
	table, err := sheet.Read([]byte(csv))
	if err != nil {
		tb.Fatal(err)
	}
	token, err := st.KeepSheetUpload(tb.Context(), 1, name, []byte(csv))
	if err != nil {
		tb.Fatal(err)
	}
	return table, token
}

// A row that fails only when it is saved (here a term that is gone) undoes the rows saved
// before it: an import is saved whole or not at all, and the error names the row.
func TestSheetApplySavesNothingWhenARowFails(t *testing.T) {
	h, st := startSheetHandler(t)
	ctx := t.Context()
	tb, token := mustUpload(t, st, "a.csv", "Name,Phone,City\nFirst Row Aid,907-555-0100,Anchorage\nSecond Row Aid,907-555-0101,Juneau\n")
	plan, err := h.sheetPlan(ctx, tb, sheet.Guess(tb.Headings), sheet.Options{})
	if err != nil || len(plan.Problems) > 0 || len(plan.Add) != 2 {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	plan.Add[1].Listing.Terms = []directory.Term{{Taxonomy: "service", Slug: "no-such-term"}}
	_, err = h.applySheet(httptest.NewRequest("POST", "/admin/sheet/"+token, nil), token, "a.csv", plan)
	if err == nil || !strings.Contains(directory.ErrorMessage(err), "Nothing was imported. Row 3:") {
		t.Fatalf("error %v, want one naming row 3", err)
	}
	list, _, err := st.ListListings(ctx, directory.ListingFilter{Lang: "en", Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if strings.HasSuffix(l.Name, "Row Aid") {
			t.Errorf("%s was saved", l.Name)
		}
	}
	if _, _, err := st.FindSheetUpload(ctx, token, 1); err != nil {
		t.Errorf("the upload is gone after a failed import: %v", err)
	}
}

// Two "Import" clicks on one upload import it once: the second finds its upload gone and
// saves nothing.
func TestSheetApplyTwiceImportsOnce(t *testing.T) {
	h, st := startSheetHandler(t)
	ctx := t.Context()
	tb, token := mustUpload(t, st, "a.csv", "Name\nOnce Only Aid\n")
	for i, want := range []string{"", directory.ECONFLICT} {
		plan, err := h.sheetPlan(ctx, tb, sheet.Guess(tb.Headings), sheet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.applySheet(httptest.NewRequest("POST", "/admin/sheet/"+token, nil), token, "a.csv", plan)
		if got := directory.ErrorCode(err); (err == nil) != (want == "") || (err != nil && got != want) {
			t.Errorf("import %d: %v, want %q", i+1, err, want)
		}
	}
	list, _, err := st.ListListings(ctx, directory.ListingFilter{Lang: "en", Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range list {
		if strings.HasPrefix(l.Name, "Once Only Aid") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d listings imported, want 1", n)
	}
}

// BenchmarkSheetApply500 plans and imports a 500-row spreadsheet (every column filled) in
// one transaction: how long the writer is held by a large import.
//
//	go test -tags sqlite_fts5 -run '^$' -bench SheetApply500 -benchtime 3x ./internal/admin
func BenchmarkSheetApply500(b *testing.B) {
	h, st := startSheetHandler(b)
	ctx := b.Context()
	for i := range b.N {
		var sb strings.Builder
		sb.WriteString(strings.Join(sheet.TemplateHeadings(), ",") + "\n")
		for r := range 500 {
			fmt.Fprintf(&sb, "Bench %d-%d Aid,Help for people.,907-555-01%02d,,info@example.org,bench%d.example.org,1 Example Street,Anchorage,99501,\"Legal help, Shelter\",Adults,Local,English,Mon-Fri 9-5\n", i, r, r%100, r)
		}
		tb, token := mustUpload(b, st, "bench.csv", sb.String())
		start := time.Now()
		plan, err := h.sheetPlan(ctx, tb, sheet.Guess(tb.Headings), sheet.Options{})
		if err != nil || len(plan.Problems) > 0 || len(plan.Add) != 500 {
			b.Fatalf("plan: %v %v", err, plan.Problems)
		}
		planned := time.Since(start)
		if _, err := h.applySheet(httptest.NewRequest("POST", "/admin/sheet/"+token, nil), token, "bench.csv", plan); err != nil {
			b.Fatal(err)
		}
		b.Logf("plan %v, then import %v", planned, time.Since(start)-planned)
	}
}
