package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// Staff add a shelter in Fairbanks with its address kept private and an office with
// coordinates; the public page shows the shelter's town alone and a geo: link for the office.
func TestStaffEditPlacesAndThePublicPageShowsThem(t *testing.T) {
	s, l, edit := editorOnPolaris(t)
	places := edit + "/places"
	if s.doc(t, edit, http.StatusOK).Find(`a[href="`+places+`"]`).Length() != 1 {
		t.Fatal("the edit screen does not link to the places screen")
	}
	form := formValues(t, s.doc(t, places, http.StatusOK), "form.places-form")
	setAll(form, map[string]string{"p0.name": "Shelter", "p0.street": "12 Hidden Lane", "p0.street2": "Unit 3",
		"p0.city": "Fairbanks", "p0.state": "ak", "p0.zip": "99701", "p0.private": "1", "add": "1"})
	// "Add another place" keeps what was typed and adds a blank row, saving nothing.
	resp, doc := s.post(t, places, form)
	if resp.StatusCode != http.StatusOK || doc.Find("fieldset.place-row").Length() != 2 {
		t.Fatalf("add another: status %d, %d rows", resp.StatusCode, doc.Find("fieldset.place-row").Length())
	}
	if got := doc.Find(`input[name="p0.city"]`).AttrOr("value", ""); got != "Fairbanks" {
		t.Errorf("typed city lost: %q", got)
	}
	form = formValues(t, doc, "form.places-form")
	setAll(form, map[string]string{"p1.street": "101 Main St", "p1.city": "Anchorage", "p1.state": "AK",
		"p1.zip": "99501", "p1.lat": "61.2181", "p1.lon": "not a number"})
	// A bad coordinate comes back as 400 with everything kept.
	_, doc = s.mustPost(t, places, form, http.StatusBadRequest)
	if got := doc.Find(`input[name="p1.lon"]`).AttrOr("value", ""); got != "not a number" {
		t.Errorf("typed longitude lost: %q", got)
	}
	if got, _ := s.Store.ListLocationsOf(t.Context(), l.ID); len(got) != 0 {
		t.Errorf("a refused form saved %d places", len(got))
	}
	form = formValues(t, doc, "form.places-form")
	form.Set("p1.lon", "-149.9003")
	s.mustPost(t, places, form, http.StatusSeeOther)
	got, err := s.Store.ListLocationsOf(t.Context(), l.ID)
	if err != nil || len(got) != 2 || !got[0].Private || got[0].State != "AK" || got[0].Street2 != "Unit 3" || got[1].Longitude == nil {
		t.Fatalf("saved %+v, %v", got, err)
	}
	audited := false
	entries, _ := s.Store.ListAudit(t.Context(), 20, 0)
	for _, e := range entries {
		audited = audited || e.Action == "places"
	}
	if !audited {
		t.Error("saving places left no audit entry")
	}

	pub := s.doc(t, "/organizations/polaris", http.StatusOK)
	where := text(pub.Find("section.places"))
	if !strings.Contains(where, "Fairbanks, AK") {
		t.Errorf("public page: %q", where)
	}
	if strings.Contains(pub.Text(), "Hidden Lane") {
		t.Error("the private street is on the public page")
	}
	if href := pub.Find(`section.places a[href^="geo:61.2181,-149.9003"]`); href.Length() != 1 {
		t.Errorf("no geo: link for the public place with coordinates")
	}

	// Remove the shelter.
	form = formValues(t, s.doc(t, places, http.StatusOK), "form.places-form")
	form.Set("p0.remove", "1")
	s.post(t, places, form)
	if got, _ := s.Store.ListLocationsOf(t.Context(), l.ID); len(got) != 1 || got[0].City != "Anchorage" {
		t.Errorf("after removing: %+v", got)
	}
}

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
