package admin_test

import (
	"net/http"
	"net/url"
	"testing"
)

// The actions on the one entry a path names (approve or refuse a contact change, dismiss a
// suggestion, delete or restore search words) answer "Not found", and do nothing, when the
// id is not an id or names nothing.
func TestActionOnNoSuchEntry(t *testing.T) {
	s := signedIn(t, adminEmail)
	tok := s.csrfToken(t)
	for _, tc := range []struct{ path, want string }{
		{"/admin/approvals/abc/approve", "There is no such entry."},
		{"/admin/approvals/99999/approve", "There is no such contact change."},
		{"/admin/approvals/0/refuse", "There is no such entry."},
		{"/admin/approvals/99999/refuse", "There is no such contact change."},
		{"/admin/corrections/-3/dismiss", "There is no such entry."},
		{"/admin/corrections/99999/dismiss", "Suggestion not found."},
		{"/admin/search-words/x/delete", "There is no such entry."},
		{"/admin/search-words/99999/delete", "Synonym not found."},
		{"/admin/search-words/revisions/1.5/restore", "There is no such entry."},
		{"/admin/search-words/revisions/99999/restore", "Revision not found."},
	} {
		resp, doc := s.post(t, tc.path, url.Values{"csrf": {tok}, "version": {"1"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", tc.path, resp.StatusCode)
		}
		if got := text(doc.Find("h1 + p")); got != tc.want {
			t.Errorf("%s: says %q, want %q", tc.path, got, tc.want)
		}
	}
	log, err := s.Store.ListAudit(t.Context(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action != "login" {
			t.Errorf("audit log has %s %s %d: want nothing done", e.Action, e.Entity, e.EntityID)
		}
	}
}
