package admin_test

import (
	"net/http"
	"testing"

	"signpost/internal/directory"
)

// Staff see and change where an organization works and the date of its source on the
// listing form; a date that is not a date is refused beside the field, with what was typed.
func TestStaffEditWorksInAndSourceDate(t *testing.T) {
	s, l, edit := editorEditing(t, directory.KindOrganization, "agape-international-missions")
	doc := s.doc(t, edit, http.StatusOK)
	if got := doc.Find("#f-works_in").AttrOr("value", ""); got != l.WorksIn || got == "" {
		t.Errorf("works in on the form = %q, want %q", got, l.WorksIn)
	}
	if got := doc.Find("#f-source_date").AttrOr("type", ""); got != "date" {
		t.Errorf("source date control type = %q, want date", got)
	}

	form := formOn(t, doc)
	form.Set("works_in", "Cambodia and Thailand")
	form.Set("source_date", "last spring")
	_, bad := s.mustPost(t, edit, form, http.StatusBadRequest) // a date that is not a date
	if bad.Find(`[id="f-source_date-error"]`).Length() == 0 {
		t.Error("no error beside the source date")
	}
	if got := bad.Find("#f-works_in").AttrOr("value", ""); got != "Cambodia and Thailand" {
		t.Errorf("works in kept = %q", got)
	}

	form.Set("source_date", "2024-05-01")
	s.mustPost(t, edit, form, http.StatusSeeOther)
	got := mustListing(t, s, directory.KindOrganization, "agape-international-missions")
	if got.WorksIn != "Cambodia and Thailand" || got.SourceDate != "2024-05-01" {
		t.Errorf("saved works in %q, source date %q", got.WorksIn, got.SourceDate)
	}
}
