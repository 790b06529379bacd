package admin_test

import (
	"context"
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
	form.Set("p0.name", "Shelter")
	form.Set("p0.street", "12 Hidden Lane")
	form.Set("p0.street2", "Unit 3")
	form.Set("p0.city", "Fairbanks")
	form.Set("p0.state", "ak")
	form.Set("p0.zip", "99701")
	form.Set("p0.private", "1")
	form.Set("add", "1")
	// "Add another place" keeps what was typed and adds a blank row, saving nothing.
	resp, doc := s.post(t, places, form)
	if resp.StatusCode != http.StatusOK || doc.Find("fieldset.place-row").Length() != 2 {
		t.Fatalf("add another: status %d, %d rows", resp.StatusCode, doc.Find("fieldset.place-row").Length())
	}
	if got := doc.Find(`input[name="p0.city"]`).AttrOr("value", ""); got != "Fairbanks" {
		t.Errorf("typed city lost: %q", got)
	}
	form = formValues(t, doc, "form.places-form")
	form.Set("p1.street", "101 Main St")
	form.Set("p1.city", "Anchorage")
	form.Set("p1.state", "AK")
	form.Set("p1.zip", "99501")
	form.Set("p1.lat", "61.2181")
	form.Set("p1.lon", "not a number")
	// A bad coordinate comes back as 400 with everything kept.
	resp, doc = s.post(t, places, form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad longitude: status %d", resp.StatusCode)
	}
	if got := doc.Find(`input[name="p1.lon"]`).AttrOr("value", ""); got != "not a number" {
		t.Errorf("typed longitude lost: %q", got)
	}
	if got, _ := s.Store.ListLocationsOf(context.Background(), l.ID); len(got) != 0 {
		t.Errorf("a refused form saved %d places", len(got))
	}
	form = formValues(t, doc, "form.places-form")
	form.Set("p1.lon", "-149.9003")
	if resp, _ := s.post(t, places, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	got, err := s.Store.ListLocationsOf(context.Background(), l.ID)
	if err != nil || len(got) != 2 || !got[0].Private || got[0].State != "AK" || got[0].Street2 != "Unit 3" || got[1].Longitude == nil {
		t.Fatalf("saved %+v, %v", got, err)
	}
	audited := false
	entries, _ := s.Store.ListAudit(context.Background(), 20, 0)
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
	if got, _ := s.Store.ListLocationsOf(context.Background(), l.ID); len(got) != 1 || got[0].City != "Anchorage" {
		t.Errorf("after removing: %+v", got)
	}
}
