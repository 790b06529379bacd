package web_test

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"

	"signpost/internal/webtest"
)

func TestStatisticsAppearOnlyWithFigures(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	home := site.MustDoc(t, "/", http.StatusOK)
	if home.Find(`a[href="/statistics"]`).Length() != 0 {
		t.Error("Statistics is in the navigation with no figures")
	}
	empty := site.MustDoc(t, "/statistics", http.StatusOK)
	if empty.Find(`meta[name="robots"][content="noindex"]`).Length() == 0 {
		t.Error("an empty Statistics page is indexable")
	}
	if !strings.Contains(webtest.Text(empty), "There are no figures here yet.") {
		t.Error("the empty Statistics page does not say so")
	}

	// Staff enter the 2021 figure the source left out (this number is test data only).
	err := site.Store.Update(t.Context(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE stats SET value = 12345 WHERE year = 2021`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := site.MustDoc(t, "/statistics", http.StatusOK)
	if doc.Find("svg[role=img] title").Length() == 0 {
		t.Error("no chart")
	}
	if got := doc.Find("table.data tbody td.num").First().Text(); got != "12,345" {
		t.Errorf("table value = %q, want 12,345", got)
	}
	if got := site.MustDoc(t, "/es/statistics", http.StatusOK).Find("table.data tbody td.num").First().Text(); got != "12.345" {
		t.Errorf("Spanish table value = %q, want 12.345", got)
	}
	if site.MustDoc(t, "/", http.StatusOK).Find(`a[href="/statistics"]`).Length() == 0 {
		t.Error("Statistics is not in the navigation once it has figures")
	}
}
