package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
	"signpost/internal/webtest"
)

// cardPaths returns the listing paths of a list page's cards, in order.
func cardPaths(doc *goquery.Document) []string {
	var out []string
	doc.Find(".card-title a").Each(func(_ int, a *goquery.Selection) {
		out = append(out, a.AttrOr("href", ""))
	})
	return out
}

func TestHotlinesPutNeedBeforeTheAlphabet(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/hotlines", http.StatusOK)
	got := cardPaths(doc)
	if len(got) < 5 || got[0] != "/hotlines/emergency-911" || got[1] != "/hotlines/national-human-trafficking-hotline" {
		t.Fatalf("hotlines start %v, want the emergency line then the national hotline", got)
	}
	// Alaska's lines come before the national ones; the national ones follow "which line
	// fits": a child before wages before discrimination.
	idx := func(p string) int { return slices.Index(got, p) }
	if !(idx("/hotlines/anchorage-police-non-emergency") < idx("/hotlines/ncmec-cybertipline") &&
		idx("/hotlines/ncmec-cybertipline") < idx("/hotlines/dol-wage-and-hour") &&
		idx("/hotlines/dol-wage-and-hour") < idx("/hotlines/eeoc")) {
		t.Errorf("hotlines are not in need order: %v", got)
	}
	// Every way to reach the national hotline is on its card: the call and both texts.
	card := doc.Find(`.card-title a[href="/hotlines/national-human-trafficking-hotline"]`).Closest(".card")
	if n := card.Find(`a[href^="sms:"]`).Length(); n != 2 {
		t.Errorf("the national hotline's card has %d text lines, want 2", n)
	}
	// A to Z is still there, as a choice.
	az := cardPaths(site.MustDoc(t, "/hotlines?order=az", http.StatusOK))
	if len(az) == 0 || az[0] != "/hotlines/alaska-department-of-labor-wages" {
		t.Errorf("A to Z starts %v, want the Alaska Department of Labor line", az)
	}
	if len(az) != len(got) {
		t.Errorf("A to Z lists %d hotlines, need order %d", len(az), len(got))
	}
	if doc.Find(`a[href="/hotlines?order=az"]`).Length() == 0 {
		t.Error("no link to the A to Z order")
	}
	if site.MustDoc(t, "/hotlines?order=sideways", http.StatusBadRequest) == nil {
		t.Error("an unknown order is not refused")
	}
}

func TestOrganizationsThatWorkElsewhereComeLastAndSaySo(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/organizations", http.StatusOK)
	last := doc.Find("section").Last()
	if h := last.Find("h2").Text(); h != "Work only in other places" {
		t.Fatalf("last group %q, want the organizations that work elsewhere", h)
	}
	for slug, want := range map[string]string{"meninadanca": "Works in Brazil", "cast-la": "Works in Los Angeles", "agape-international-missions": "Works in Cambodia"} {
		card := last.Find(`.card-title a[href="/organizations/` + slug + `"]`).Closest(".card")
		if got := strings.TrimSpace(card.Find(".badge-abroad").Text()); got != want {
			t.Errorf("%s: label %q, want %q", slug, got, want)
		}
	}
	es := site.MustDoc(t, "/es/organizations/meninadanca", http.StatusOK)
	if got := strings.TrimSpace(es.Find(".badge-abroad").Text()); got != "Trabaja en Brasil" {
		t.Errorf("Spanish label %q, want Trabaja en Brasil", got)
	}
}

func TestStaffPinPutsAListingFirst(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := context.Background()
	x, err := site.Store.FindListing(ctx, directory.KindOrganization, "end-slavery-now", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.SetListingPin(ctx, x.ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := cardPaths(site.MustDoc(t, "/organizations", http.StatusOK)); len(got) == 0 || got[0] != "/organizations/end-slavery-now" {
		t.Errorf("organizations start %v, want the pinned one first", got)
	}
	if err := site.Store.SetListingPin(ctx, x.ID, -2); err == nil {
		t.Error("a negative place was accepted")
	}
}

func TestSourceDateIsNotALastCheck(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/agencies/office-for-victims-of-crime", http.StatusOK)
	facts := doc.Find(".facts").Text()
	if strings.Contains(facts, "Last checked") {
		t.Error("a date from the source is shown as a check by staff")
	}
	if !strings.Contains(facts, "Date of the source") || !strings.Contains(facts, "2024") {
		t.Errorf("the source's date is not shown: %q", facts)
	}
}

func TestAListingWithNoWayToReachItSaysWhereToTurn(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	doc := site.MustDoc(t, "/agencies/ojjdp", http.StatusOK)
	if doc.Find("#reach-h").Length() > 0 {
		t.Error("a listing with no lines promises how to reach it")
	}
	turn := doc.Find("#turn-h").Closest("section")
	if turn.Length() == 0 || turn.Find(`a[href^="tel:"]`).Length() == 0 {
		t.Error("no 'where to turn' with the hotline's number")
	}
	if strings.Contains(strings.ToLower(doc.Text()), "to fill in") {
		t.Error(`"to fill in" shows to the public`)
	}
}

// TestReadingOrder: no page says "below" about what is above it, and no introduction is
// left at the end: See it's opening comes before the signs, Report it opens on the guide.
func TestReadingOrder(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	for _, p := range []string{"/see-it", "/es/see-it"} {
		_, body := site.Get(t, p)
		intro := strings.Index(body, "below")
		if p == "/es/see-it" {
			intro = strings.Index(body, "de abajo")
		}
		signs := strings.Index(body, `class="signs"`)
		if intro < 0 || signs < 0 || intro > signs {
			t.Errorf("%s: the text that points below (at %d) is not above the signs (at %d)", p, intro, signs)
		}
	}
	doc := site.MustDoc(t, "/report-it", http.StatusOK)
	if doc.Find("main .callout-emergency").Length() > 0 {
		t.Error("Report it repeats the emergency block the help bar shows")
	}
	first := doc.Find("main h2").First().Text()
	if first != "Which line fits what you saw" {
		t.Errorf("Report it's first heading is %q, want the guide", first)
	}
}
