package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"signpost/internal/app"
	"signpost/internal/config"
	"signpost/internal/store"
)

// startWired serves the site as `signpost serve` wires it (app.New), on a fresh database.
func startWired(t *testing.T, cfg config.Config) *httptest.Server {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "signpost.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h, err := app.New(slog.New(slog.NewTextHandler(io.Discard, nil)), st, cfg, "http://127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// One client asking the open data API over and over is throttled as a searcher is, with a
// JSON answer and Retry-After: the API builds every answer from the database.
func TestOpenDataAPIIsRateLimitedPerClient(t *testing.T) {
	srv := startWired(t, config.Config{RateLimit: true})
	var limited *http.Response
	var body string
	for i := 0; i < 200 && limited == nil; i++ {
		resp, err := http.Get(srv.URL + "/api/hsds/services?per_page=200")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited, body = resp, string(b)
		}
	}
	if limited == nil {
		t.Fatal("200 requests in a row from one address were all answered: the API has no rate limit")
	}
	if limited.Header.Get("Retry-After") == "" || !strings.Contains(body, `"error"`) {
		t.Errorf("429 without Retry-After or a JSON error: %v %s", limited.Header, body)
	}
	// Without the limit (load tests), the API answers.
	open := startWired(t, config.Config{})
	for range 100 {
		resp, err := http.Get(open.URL + "/api/hsds/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("no limit: %d", resp.StatusCode)
		}
	}
}
