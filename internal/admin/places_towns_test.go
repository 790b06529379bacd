package admin_test

import (
	"net/http"
	"testing"
)

// The places screen offers the towns search knows as the city is typed, so that a listing's
// city is spelt as search's town is.
func TestPlacesScreenOffersTheTownsSearchKnows(t *testing.T) {
	s, _, edit := editorOnPolaris(t)
	doc := s.doc(t, edit+"/places", http.StatusOK)
	if doc.Find(`#towns option[value="Fairbanks"]`).Length() != 1 || doc.Find(`#towns option[value="Wasilla"]`).Length() != 1 {
		t.Error("the places screen does not offer the towns search knows")
	}
	if got := doc.Find(`[id="p0.city"]`).AttrOr("list", ""); got != "towns" {
		t.Errorf("the city field's list = %q, want towns", got)
	}
}
