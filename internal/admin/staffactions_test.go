package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// What staff do, as the tests do it: press a button, send a form from a page, make a
// listing a draft, read the audit log, find which pages a browser may open.

// postWithToken posts fields to path with the session's form token, as a button that is a
// form of its own (Approve, Restore, Undo, Publish) does. fields may be nil.
func (s *staffSite) postWithToken(tb testing.TB, path string, fields map[string]string) (*http.Response, *goquery.Document) {
	tb.Helper()
	form := url.Values{"csrf": {s.csrfToken(tb)}}
	for k, v := range fields {
		form.Set(k, v)
	}
	return s.post(tb, path, form)
}

// submit sends the form on doc that posts to action, as a browser would, with the fields
// in set changed (set may be nil).
func (s *staffSite) submit(tb testing.TB, doc *goquery.Document, action string, set map[string]string) (*http.Response, *goquery.Document) {
	tb.Helper()
	form := formValues(tb, doc, `form[action="`+action+`"]`)
	for k, v := range set {
		form.Set(k, v)
	}
	return s.post(tb, action, form)
}

// mustDraft makes listing id a draft, as an earlier unpublish would have.
func (s *staffSite) mustDraft(tb testing.TB, id int64) {
	tb.Helper()
	if err := s.Store.SetListingStatus(tb.Context(), id, directory.StatusDraft, s.actor()); err != nil {
		tb.Fatal(err)
	}
}

// auditEntries returns the newest n lines of the audit log, newest first.
func (s *staffSite) auditEntries(tb testing.TB, n int) []directory.AuditEntry {
	tb.Helper()
	entries, err := s.Store.ListAudit(tb.Context(), n, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return entries
}

// wantStatus requires every path to answer status to s's browser; what says whose browser
// it is, or when, in a failure.
func (s *staffSite) wantStatus(tb testing.TB, what string, status int, paths ...string) {
	tb.Helper()
	for _, p := range paths {
		if resp, _ := s.Get(tb, p); resp.StatusCode != status {
			tb.Errorf("%s: GET %s: status %d, want %d", what, p, resp.StatusCode, status)
		}
	}
}

// fromOwnPage marks req as a browser sends a form from one of the site's own pages.
func fromOwnPage(req *http.Request, siteURL string) {
	req.Header.Set("Origin", siteURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
}
