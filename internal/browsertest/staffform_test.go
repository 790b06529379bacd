package browsertest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"signpost/internal/directory"
	"signpost/internal/webtest"
)

// editPath is the edit screen of the seeded listing kind/slug.
func editPath(tb testing.TB, site *webtest.Site, kind directory.Kind, slug string) string {
	tb.Helper()
	l, err := site.Store.FindListing(context.Background(), kind, slug, "en")
	if err != nil {
		tb.Fatal(err)
	}
	return "/admin/" + kind.Section() + "/" + strconv.FormatInt(l.ID, 10)
}

// formHeight is the length of the page at url, as first seen, at width × height.
func formHeight(tb testing.TB, ctx context.Context, url string, width, height int64) float64 {
	tb.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...), chromedp.Navigate(url)); err != nil {
		tb.Fatal(err)
	}
	h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollHeight`))
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// TestStaffFormLengths logs how long the listing edit screens are at a phone's and a
// desktop's width (the figures of issue 14).
func TestStaffFormLengths(t *testing.T) {
	site := startStaffSite(t)
	ctx := newTab(t, 3*time.Minute)
	signInTab(t, ctx, site)
	for _, l := range []struct {
		kind directory.Kind
		slug string
	}{{directory.KindHotline, "national-human-trafficking-hotline"}, {directory.KindHotline, "dhs-hsi-tip-line"}, {directory.KindOrganization, "polaris"}} {
		p := editPath(t, site, l.kind, l.slug)
		for _, w := range adminWidths {
			t.Logf("%s at %s px: %.0f px long", l.slug, w.name, formHeight(t, ctx, site.URL+p, w.width, w.height))
		}
	}
}
