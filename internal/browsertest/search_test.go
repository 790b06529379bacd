package browsertest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A visitor follows a search result in a real browser: the result opens at its own address
// (no word typed in it), and the link's ping counts it as opened for staff's "What visitors
// searched for".
func TestAFollowedSearchResultIsCountedWithoutItsWords(t *testing.T) {
	site := startSite(t)
	ctx := newTab(t, time.Minute)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(site.URL+"/search?q=nail+salon"),
		chromedp.Click(chromedp.CSS(".search-results .card-title a")),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	); err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if url != site.URL+"/know-it" {
		t.Errorf("the first result opened %q, want the Know it page", url)
	}
	// The ping is sent as the link is followed; it may arrive a moment later.
	clicks := 0
	for deadline := time.Now().Add(10 * time.Second); clicks == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err := site.Store.FlushSearchLog(ctx); err != nil {
			t.Fatal(err)
		}
		site.Store.DB().QueryRow(`SELECT coalesce(sum(clicks), 0) FROM search_log`).Scan(&clicks)
	}
	if clicks != 1 {
		t.Errorf("%d results counted as opened, want 1", clicks)
	}
}
