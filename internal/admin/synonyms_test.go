package admin_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/admin"
)

// resultTitles returns the titles of a public search page's results.
func resultTitles(doc *goquery.Document) []string {
	var out []string
	doc.Find(".search-results .card-title").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

// A phrase visitors search for three times that finds nothing shows in "What visitors
// searched for"; staff add search words from its row in one step, and the next search for
// it finds what they named. The change is a revision that can be restored.
func TestStaffTeachSearchAWordFromWhatVisitorsSearchedFor(t *testing.T) {
	s := mustStart(t, admin.Options{})
	for range 3 {
		s.doc(t, "/search?q=qiviut", http.StatusOK) // a word no entry holds
	}
	s.mustSignIn(t, editorEmail)
	doc := s.doc(t, "/admin/searches", http.StatusOK)
	row := doc.Find("tbody tr").FilterFunction(func(_ int, r *goquery.Selection) bool {
		return strings.Contains(text(r), "qiviut")
	})
	var cells []string
	row.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, text(td)) })
	if len(cells) < 6 || cells[3] != "3" || cells[4] != "3" || cells[5] != "0" {
		t.Fatalf("search log row: %q (searches, found nothing, opened: want 3 3 0)", cells)
	}
	form := formValues(t, doc, "tbody tr form")
	form.Set("means", "hotline")
	resp, _ := s.post(t, "/admin/search-words", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d", resp.StatusCode)
	}
	if got := resultTitles(s.doc(t, "/search?q=qiviut", http.StatusOK)); !slices.Contains(got, "National Human Trafficking Hotline") {
		t.Errorf("after adding, qiviut finds %v", got)
	}

	// Edit it, then restore the first version from its history.
	list := s.doc(t, "/admin/search-words", http.StatusOK)
	href := list.Find(`td a[href^="/admin/search-words/"]`).FilterFunction(func(_ int, a *goquery.Selection) bool {
		return strings.Contains(text(a.Closest("tr")), "qiviut")
	}).AttrOr("href", "")
	if href == "" {
		t.Fatal("no edit link for qiviut")
	}
	edit := s.doc(t, href, http.StatusOK)
	v := formValues(t, edit, `form[action="`+href+`"]`)
	v.Set("means", "")
	resp, bad := s.post(t, href, v)
	if resp.StatusCode != http.StatusBadRequest || bad.Find(".error-summary").Length() == 0 ||
		bad.Find(`input[name="words"]`).AttrOr("value", "") != "qiviut" {
		t.Fatalf("empty 'also find': status %d, typed words kept %q", resp.StatusCode, bad.Find(`input[name="words"]`).AttrOr("value", ""))
	}
	v.Set("means", "shelter")
	if resp, _ := s.post(t, href, v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	edit = s.doc(t, href, http.StatusOK)
	restores := edit.Find(`form[action$="/restore"]`)
	if restores.Length() != 2 {
		t.Fatalf("history has %d versions, want 2", restores.Length())
	}
	first := restores.Last() // oldest last
	resp, _ = s.postWithToken(t, first.AttrOr("action", ""), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: status %d", resp.StatusCode)
	}
	if got := s.doc(t, href, http.StatusOK).Find(`input[name="means"]`).AttrOr("value", ""); got != "hotline" {
		t.Errorf("after restore, also find = %q, want hotline", got)
	}
}
