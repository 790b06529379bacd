package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// relevanceQuery is one search typed the way a visitor types it, and the entries that
// answer it: "page:slug" for a page, the listing's slug for a listing. Any one of them in
// the first three results answers the visitor.
type relevanceQuery struct {
	lang, q string
	want    []string
}

// relevanceQueries were written as visitors write them (people in trouble, neighbours,
// providers; sentences, typos, numbers in any format, other words, Spanish) before the
// ranking was tuned, each with the pages that truly answer it.
var relevanceQueries = []relevanceQuery{
	// Situations, in a visitor's own sentence.
	{"en", "my boss took my passport", []string{"page:see-it", "page:report-it", "state-department-dss", "national-human-trafficking-hotline"}},
	{"en", "employer is keeping my id", []string{"page:see-it", "page:report-it", "national-human-trafficking-hotline"}},
	{"en", "they took my papers", []string{"page:see-it", "page:report-it", "national-human-trafficking-hotline"}},
	{"en", "I need help", []string{"national-human-trafficking-hotline", "page:get-help", "emergency-911"}},
	{"en", "help", []string{"national-human-trafficking-hotline"}},
	{"en", "someone is in danger", []string{"emergency-911", "page:report-it"}},
	{"en", "i cant leave my job", []string{"page:see-it", "national-human-trafficking-hotline", "page:report-it"}},
	{"en", "my boss says I owe him money", []string{"page:see-it", "national-human-trafficking-hotline"}},
	{"en", "locked in", []string{"page:see-it"}},
	{"en", "my employer doesn't pay me", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "dol-wage-and-hour-division", "alaska-department-of-labor"}},
	{"en", "not getting paid", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "page:see-it", "dol-wage-and-hour-division"}},
	{"en", "unpaid wages", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "dol-wage-and-hour-division", "alaska-department-of-labor"}},
	{"en", "wage theft", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "dol-wage-and-hour-division"}},
	{"en", "salary", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "dol-wage-and-hour-division"}},
	{"en", "lost wages alaska", []string{"alaska-department-of-labor-wages", "alaska-department-of-labor"}},
	{"en", "discrimination at work", []string{"eeoc", "equal-employment-opportunity-commission", "page:report-it"}},
	{"en", "someone is trafficked in another country", []string{"dhs-hsi-tip-line", "page:report-it", "homeland-security-investigations"}},
	{"en", "report from outside the us", []string{"dhs-hsi-tip-line", "page:report-it"}},
	{"en", "fake visa", []string{"state-department-dss", "page:report-it", "diplomatic-security-service"}},
	{"en", "visa fraud", []string{"state-department-dss", "page:report-it", "diplomatic-security-service", "dol-oig-hotline"}},
	{"en", "H2B", []string{"dol-oig-hotline", "page:report-it", "dol-office-of-inspector-general"}},
	{"en", "H-2B visa workers cheated", []string{"dol-oig-hotline", "page:report-it", "dol-office-of-inspector-general"}},
	{"en", "work visa program fraud", []string{"dol-oig-hotline", "page:report-it", "dol-office-of-inspector-general"}},
	// Kinds of work and other words.
	{"en", "nail salon", []string{"page:know-it"}},
	{"en", "fishing boat", []string{"page:know-it"}},
	{"en", "cannery", []string{"page:know-it"}},
	{"en", "construction worker", []string{"page:know-it"}},
	{"en", "restaurant", []string{"page:know-it"}},
	{"en", "home health aide", []string{"page:know-it"}},
	{"en", "janitor", []string{"page:know-it"}},
	{"en", "forced labor", []string{"page:know-it", "national-human-trafficking-hotline", "page:report-it"}},
	{"en", "sex trafficking", []string{"page:know-it", "national-human-trafficking-hotline", "page:report-it"}},
	{"en", "pimp", []string{"page:know-it", "national-human-trafficking-hotline", "page:see-it"}},
	{"en", "escort", []string{"page:know-it", "national-human-trafficking-hotline", "page:see-it"}},
	{"en", "child porn", []string{"ncmec-cybertipline", "national-center-for-missing-exploited-children"}},
	{"en", "child being exploited online", []string{"ncmec-cybertipline", "national-center-for-missing-exploited-children"}},
	{"en", "missing child", []string{"ncmec-cybertipline", "national-center-for-missing-exploited-children"}},
	{"en", "lawyer", []string{"page:get-help", "justice-system-rights-roles-responsibilities-booklet", "page:when-you-call"}},
	{"en", "attorney", []string{"page:get-help", "justice-system-rights-roles-responsibilities-booklet", "page:when-you-call"}},
	{"en", "T visa", []string{"uscis", "page:get-help", "soar-working-with-foreign-national-minors"}},
	{"en", "immigration help", []string{"uscis", "page:get-help", "office-of-refugee-resettlement"}},
	{"en", "police", []string{"anchorage-police-non-emergency", "anchorage-police-department", "emergency-911"}},
	{"en", "cops anchorage non emergency", []string{"anchorage-police-non-emergency", "anchorage-police-department"}},
	{"en", "shelter", []string{"national-human-trafficking-referral-directory", "rapha-international", "page:get-help"}},
	{"en", "a place to stay", []string{"national-human-trafficking-referral-directory", "rapha-international", "page:get-help"}},
	{"en", "domestic violence", []string{"national-domestic-violence-hotline"}},
	{"en", "my boyfriend hurts me", []string{"national-domestic-violence-hotline", "page:browsing-safely"}},
	// Names, numbers and codes, as typed.
	{"en", "National human trafficking hotline", []string{"national-human-trafficking-hotline"}},
	{"en", "hotline", []string{"national-human-trafficking-hotline"}},
	{"en", "call", []string{"national-human-trafficking-hotline"}},
	{"en", "text", []string{"national-human-trafficking-hotline"}},
	{"en", "BEFREE", []string{"national-human-trafficking-hotline"}},
	{"en", "233733", []string{"national-human-trafficking-hotline"}},
	{"en", "1-888-373-7888", []string{"national-human-trafficking-hotline"}},
	{"en", "888 373 7888", []string{"national-human-trafficking-hotline"}},
	{"en", "(888) 373-7888", []string{"national-human-trafficking-hotline"}},
	{"en", "18883737888", []string{"national-human-trafficking-hotline"}},
	{"en", "8883737888", []string{"national-human-trafficking-hotline"}},
	{"en", "866 347 2423", []string{"dhs-hsi-tip-line"}},
	{"en", "1-866-DHS-2-ICE", []string{"dhs-hsi-tip-line"}},
	{"en", "911", []string{"emergency-911"}},
	{"en", "FBI", []string{"fbi", "fbi-tips", "fbi-anchorage"}},
	{"en", "fbi anchorage phone number", []string{"fbi-anchorage"}},
	{"en", "EEOC hours", []string{"eeoc", "equal-employment-opportunity-commission"}},
	{"en", "Polaris", []string{"polaris"}},
	{"en", "24/7 hotline", []string{"national-human-trafficking-hotline"}},
	// Typos.
	{"en", "trafficing", []string{"national-human-trafficking-hotline", "page:know-it", "page:home", "page:report-it", "page:see-it"}},
	{"en", "traficking", []string{"national-human-trafficking-hotline", "page:know-it", "page:home", "page:report-it", "page:see-it"}},
	{"en", "pasport", []string{"page:see-it", "page:report-it", "state-department-dss"}},
	{"en", "human trafficing hotline", []string{"national-human-trafficking-hotline"}},
	{"en", "domestic violance", []string{"national-domestic-violence-hotline"}},
	{"en", "imigration", []string{"uscis", "page:get-help", "office-of-refugee-resettlement"}},
	// Tasks and pages.
	{"en", "report", []string{"page:report-it"}},
	{"en", "how do I report a tip", []string{"page:report-it", "fbi-tips"}},
	{"en", "signs of trafficking", []string{"page:see-it"}},
	{"en", "red flags", []string{"page:see-it"}},
	{"en", "what is human trafficking", []string{"page:know-it"}},
	{"en", "what happens when I call", []string{"page:when-you-call"}},
	{"en", "will the hotline call the police", []string{"page:when-you-call"}},
	{"en", "is it confidential", []string{"page:when-you-call", "page:browsing-safely"}},
	{"en", "delete my browser history", []string{"page:browsing-safely"}},
	{"en", "training for nurses", []string{"page:for-providers", "soar-to-health-and-wellness-training", "nhttac", "human-trafficking-capacity-building-center"}},
	{"en", "statistics", []string{"page:statistics"}},
	{"en", "poster for my business", []string{"human-trafficking-awareness-sign", "nhtrc-hotline-outreach-flyer"}},
	{"en", "flyer in spanish", []string{"nhtrc-hotline-outreach-flyer"}},
	{"en", "alaska native", []string{"a-healing-journey-for-alaska-natives"}},
	{"en", "working group", []string{"page:about"}},
	// Spanish.
	{"es", "necesito ayuda", []string{"national-human-trafficking-hotline", "page:get-help", "emergency-911"}},
	{"es", "ayuda", []string{"national-human-trafficking-hotline"}},
	{"es", "trata de personas", []string{"national-human-trafficking-hotline", "page:know-it", "page:home"}},
	{"es", "mi jefe me quitó el pasaporte", []string{"page:see-it", "page:report-it", "state-department-dss", "national-human-trafficking-hotline"}},
	{"es", "no me pagan", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "page:see-it"}},
	{"es", "salario", []string{"alaska-department-of-labor-wages", "dol-wage-and-hour", "page:report-it", "dol-wage-and-hour-division"}},
	{"es", "trabajo forzado", []string{"page:know-it", "national-human-trafficking-hotline", "page:report-it"}},
	{"es", "abogado", []string{"page:get-help", "justice-system-rights-roles-responsibilities-booklet", "page:when-you-call"}},
	{"es", "policia", []string{"anchorage-police-non-emergency", "anchorage-police-department", "emergency-911"}},
	{"es", "señales de trata", []string{"page:see-it"}},
	{"es", "violencia domestica", []string{"national-domestic-violence-hotline"}},
	{"es", "linea directa", []string{"national-human-trafficking-hotline"}},
	{"es", "denunciar", []string{"page:report-it"}},
	{"es", "trafico de personas", []string{"national-human-trafficking-hotline", "page:know-it", "page:home"}},
	{"es", "trabajo en un salon de uñas", []string{"page:know-it"}},
	{"es", "que pasa cuando llamo", []string{"page:when-you-call"}},
	{"es", "emergencia", []string{"emergency-911"}},
	{"es", "refugio", []string{"national-human-trafficking-referral-directory", "rapha-international", "page:get-help"}},
	{"es", "explotacion de niños", []string{"ncmec-cybertipline", "national-center-for-missing-exploited-children"}},
	{"es", "BEFREE", []string{"national-human-trafficking-hotline"}},
	{"es", "visa T", []string{"uscis", "page:get-help", "soar-working-with-foreign-national-minors"}},
	// A town with what is looked for (searchplaces.go): the town's listings, then the
	// state's, then national ones.
	{"en", "police in anchorage", []string{"anchorage-police-non-emergency", "anchorage-police-department"}},
	{"en", "help in Bethel", []string{"national-human-trafficking-hotline", "emergency-911"}},
	{"en", "lost wages fairbanks", []string{"alaska-department-of-labor-wages", "alaska-department-of-labor"}},
	{"en", "boss wont pay me wasilla", []string{"alaska-department-of-labor-wages", "alaska-department-of-labor", "dol-wage-and-hour"}},
	{"en", "report trafficking juneau", []string{"national-human-trafficking-hotline", "page:report-it", "fbi-anchorage", "alaska-department-of-labor"}},
	{"en", "healing alaska natives Nome", []string{"a-healing-journey-for-alaska-natives"}},
	{"en", "labor department Mat Su", []string{"alaska-department-of-labor-wages", "alaska-department-of-labor"}},
	{"en", "fbi in fairbnks", []string{"fbi-anchorage", "fbi-tips", "fbi"}},
	{"es", "ayuda en Fairbanks", []string{"national-human-trafficking-hotline", "emergency-911"}},
}

// relevanceFloor is the share of relevanceQueries that must be answered in the first three.
const relevanceFloor = 0.90

// TestSearchAnswersVisitorsInTheFirstThree runs every realistic query against the seeded
// directory and fails when fewer than relevanceFloor are answered in the first three
// results. It prints the figure and every miss, with what came first instead.
func TestSearchAnswersVisitorsInTheFirstThree(t *testing.T) {
	s := MustOpenStore(t)
	answered := 0
	var misses []string
	for _, rq := range relevanceQueries {
		res, err := s.Search(t.Context(), directory.SearchFilter{Query: rq.q, Lang: rq.lang, Limit: 3})
		if err != nil {
			t.Fatalf("Search(%q, %s): %v", rq.q, rq.lang, err)
		}
		var got []string
		ok := false
		for i, h := range res.Hits {
			if i == 3 {
				break
			}
			id := ""
			if h.Page != nil {
				id = "page:" + h.Page.Slug
			} else {
				id = h.Listing.Slug
			}
			got = append(got, id)
			ok = ok || slices.Contains(rq.want, id)
		}
		if ok {
			answered++
			continue
		}
		misses = append(misses, fmt.Sprintf("  [%s] %q: got %v, want one of %v", rq.lang, rq.q, got, rq.want))
	}
	share := float64(answered) / float64(len(relevanceQueries))
	t.Logf("relevance: %d of %d queries (%.0f%%) answered in the first three results", answered, len(relevanceQueries), 100*share)
	if len(misses) > 0 {
		t.Logf("misses:\n%s", strings.Join(misses, "\n"))
	}
	if len(relevanceQueries) < 80 {
		t.Errorf("only %d relevance queries; at least 80 keep the figure honest", len(relevanceQueries))
	}
	if share < relevanceFloor {
		t.Errorf("%.0f%% answered in the first three, want at least %.0f%%", 100*share, 100*relevanceFloor)
	}
}
