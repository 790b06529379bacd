package web_test

import (
	"net/http"
	"strings"
	"testing"

	"signpost/internal/web"
)

func TestHealthzSaysWhetherTheDatabaseAnswers(t *testing.T) {
	site := startLogged(t, web.Options{}, nil)
	resp, body := site.do(t, http.MethodGet, "/healthz", nil, nil)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthy: %d %q", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q: no cache may keep a health answer", got)
	}
	if resp, _ := site.do(t, http.MethodGet, "/", nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("/: %d", resp.StatusCode)
	}
	site.Store.Close()
	resp, body = site.do(t, http.MethodGet, "/healthz", nil, nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("database closed: %d %q, want 503", resp.StatusCode, body)
	}
	// Pages already rendered are still served, and a page that needs the database gets the
	// error page framed with the last good frame: exit and numbers included.
	if resp, _ := site.do(t, http.MethodGet, "/", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("cached / with the database closed: %d", resp.StatusCode)
	}
	if resp, _ := site.do(t, http.MethodGet, "/no-such-page", nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("404 with the database closed: %d", resp.StatusCode)
	}
	resp, body = site.do(t, http.MethodGet, "/organizations/polaris", nil, nil)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("uncached page with the database closed: %d", resp.StatusCode)
	}
	wantFriendlyPage(t, "500 with the database closed", body)
	if !strings.Contains(body, `href="tel:+18883737888"`) {
		t.Error("the 500 page lost the national hotline")
	}
}
