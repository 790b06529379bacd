package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signpost/internal/directory"
)

func TestStaffPinAListingToTheTopOfItsList(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "end-slavery-now")
	edit := "/admin/organizations/" + itoa(l.ID)
	if s.doc(t, edit, http.StatusOK).Find(`form[action$="/pin"] input[name=pin]`).Length() == 0 {
		t.Fatal("the edit screen has no place field")
	}
	tok := s.csrfToken(t)
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST pin: %d", resp.StatusCode)
	}
	_, body := s.Get(t, "/organizations")
	if i, j := strings.Index(body, "/organizations/end-slavery-now"), strings.Index(body, "/organizations/polaris"); i < 0 || i > j {
		t.Error("the pinned organization is not first on /organizations")
	}
	if got, _ := s.Store.FindListingByID(context.Background(), l.ID, "en"); got.Pin != 1 || got.Version != l.Version {
		t.Errorf("pin %d version %d (from %d): want 1, unchanged", got.Pin, got.Version, l.Version)
	}
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {"first"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a place that is not a number: %d, want 400", resp.StatusCode)
	}
	if resp, _ := s.post(t, edit+"/pin", url.Values{"csrf": {tok}, "pin": {""}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("unpin: %d", resp.StatusCode)
	}
	if got, _ := s.Store.FindListingByID(context.Background(), l.ID, "en"); got.Pin != 0 {
		t.Errorf("pin %d after unpinning", got.Pin)
	}
}
