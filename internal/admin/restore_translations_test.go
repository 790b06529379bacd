package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// The national hotline's text line, as staff change it in the scenario of issue 13: its
// number, and the English (summary, the line's hours) that says the number in words.
const (
	hotlineSlug = "national-human-trafficking-hotline"
	hotlinePub  = "/hotlines/" + hotlineSlug
)

type scenarioText struct{ number, summary, hours, esSummary, esHours string }

func scenarioLine(n string) scenarioText {
	return scenarioText{number: n,
		summary:   "Text BEFREE to " + n + " for help, any time.",
		hours:     "Texts to " + n + " are answered day and night.",
		esSummary: "Envíe BEFREE al " + n + " para pedir ayuda, a cualquier hora.",
		esHours:   "Los mensajes al " + n + " se contestan de día y de noche."}
}

// restoreSite is an editor on the national hotline with its edit, translate and history
// addresses.
type restoreSite struct {
	*staffSite
	l                *directory.Listing
	edit, tr, histEn string
	histEs           string
}

func restoreScenario(t *testing.T) *restoreSite {
	t.Helper()
	s, l := editorOn(t, directory.KindHotline, hotlineSlug)
	contactsAtOnce(t, s) // a group of one: a restore that waits for approval is approvals_test.go's
	id := itoa(l.ID)
	return &restoreSite{staffSite: s, l: l, edit: "/admin/hotlines/" + id, tr: "/admin/translate/listings/" + id + "/es",
		histEn: "/admin/history/listings/" + id, histEs: "/admin/history/listings/" + id + "/es"}
}

// setEnglish saves the text line's number and the English that names it.
func (s *restoreSite) setEnglish(t *testing.T, x scenarioText) {
	t.Helper()
	s.saveForm(t, s.edit, map[string]string{"channels.1.number": x.number, "summary": x.summary, "channels.1.hours": x.hours})
}

// setSpanish translates the summary and the text line's hours, as a translator would.
func (s *restoreSite) setSpanish(t *testing.T, x scenarioText) {
	t.Helper()
	doc := s.doc(t, s.tr, http.StatusOK)
	f := formValues(t, doc, "form.admin-form")
	f.Set("t.summary", x.esSummary)
	f.Set("c."+itoa(s.textChannel(t).ID)+".hours", x.esHours)
	f.Del("needs_review")
	if resp, doc := s.post(t, s.tr, f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save Spanish: %d %s", resp.StatusCode, text(doc.Find(".error-summary")))
	}
}

func (s *restoreSite) textChannel(t *testing.T) directory.Channel {
	t.Helper()
	l := mustListing(t, s.staffSite, directory.KindHotline, hotlineSlug)
	return l.Channels[1]
}

// englishRevisionWith returns the English revision of the hotline whose text line has number.
func (s *restoreSite) englishRevisionWith(t *testing.T, number string) store.Revision {
	t.Helper()
	revs, err := s.Store.ListRevisions(t.Context(), "listings", s.l.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range revs {
		var l directory.Listing
		if json.Unmarshal(r.Data, &l) == nil && len(l.Channels) > 1 && l.Channels[1].Number == number && r.Action != "restore" {
			return r
		}
	}
	t.Fatalf("no English revision with the text number %s", number)
	return store.Revision{}
}

// restoreFromHistory presses the Restore button of revision rev on the history screen at
// hist, and returns the flash message shown after the redirect.
func (s *restoreSite) restoreFromHistory(t *testing.T, hist string, rev int64) string {
	t.Helper()
	resp, _ := s.submit(t, s.doc(t, hist, http.StatusOK), "/admin/revisions/"+itoa(rev)+"/restore", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore %d: status %d", rev, resp.StatusCode)
	}
	return text(s.doc(t, resp.Header.Get("Location"), http.StatusOK).Find(".flash"))
}

// publicView is what a visitor sees of the hotline in one language: the summary, the text
// line, its hours, and which of them are in English on a page in another language.
type publicView struct {
	summary, number, hours string
	summaryEn, hoursEn     bool
	main                   string
}

func (s *restoreSite) public(t *testing.T, lang string) publicView {
	t.Helper()
	path := hotlinePub
	if lang != "en" {
		path = "/" + lang + hotlinePub
	}
	doc := s.doc(t, path, http.StatusOK)
	lead := doc.Find("article.listing p.lead")
	var line, hours *goquery.Selection
	doc.Find("article.listing .reach ul.lines li").Each(func(_ int, li *goquery.Selection) {
		if strings.Contains(li.Find("a.line").AttrOr("href", ""), "BEFREE") {
			line, hours = li.Find(".line-number"), li.Find(".line-extra")
		}
	})
	if line == nil {
		t.Fatalf("%s has no BEFREE text line", path)
	}
	return publicView{summary: text(lead), number: text(line), hours: text(hours),
		summaryEn: lead.AttrOr("lang", "") == "en", hoursEn: hours.AttrOr("lang", "") == "en",
		main: text(doc.Find("main"))}
}

// mustShowOnly fails unless the page names number and no other of the scenario's numbers.
func mustShowOnly(t *testing.T, what string, v publicView, number string, others ...string) {
	t.Helper()
	if !strings.Contains(v.number, number) || !strings.Contains(v.summary, number) {
		t.Errorf("%s: text line %q, summary %q: want %s in both", what, v.number, v.summary, number)
	}
	for _, o := range others {
		if strings.Contains(v.main, o) {
			t.Errorf("%s shows %s as well as %s (a mix of old and new numbers): summary %q, hours %q", what, o, number, v.summary, v.hours)
		}
	}
}

// Issue 13: staff change the national hotline's text number, it is translated, they change
// it again (and it is translated again), then restore the first English version. The
// Spanish that was made from that English comes back with it: /es/ shows the old number in
// Spanish, never a mix of the old and new numbers.
func TestRestoringEnglishBringsBackItsSpanish(t *testing.T) {
	s := restoreScenario(t)
	old, cur := scenarioLine("233734"), scenarioLine("233735")
	s.setEnglish(t, old)
	s.setSpanish(t, old)
	s.setEnglish(t, cur)
	s.setSpanish(t, cur)
	mustShowOnly(t, "/es/ before the restore", s.public(t, "es"), "233735", "233734")

	msg := s.restoreFromHistory(t, s.histEn, s.englishRevisionWith(t, "233734").ID)

	en := s.public(t, "en")
	mustShowOnly(t, "the English page after the restore", en, "233734", "233735")
	if en.summary != old.summary || en.hours != old.hours {
		t.Errorf("English after the restore: summary %q hours %q", en.summary, en.hours)
	}
	es := s.public(t, "es")
	mustShowOnly(t, "/es/ after the restore", es, "233734", "233735")
	if es.summary != old.esSummary || es.summaryEn {
		t.Errorf("/es/ summary after the restore = %q (lang=en: %v), want the Spanish made from it: %q", es.summary, es.summaryEn, old.esSummary)
	}
	if es.hours != old.esHours || es.hoursEn {
		t.Errorf("/es/ text line hours after the restore = %q (lang=en: %v), want %q", es.hours, es.hoursEn, old.esHours)
	}
	if !strings.Contains(msg, "Español") {
		t.Errorf("the message after the restore does not say what became of the Spanish: %q", msg)
	}
	// The translate screen has nothing stale to show.
	if strings.Contains(text(s.doc(t, s.tr, http.StatusOK).Find("main")), "English changed") {
		t.Error("the translate screen flags the restored Spanish as stale")
	}
	// One audit line names the restore and the Spanish with it.
	var restores []string
	for _, e := range s.auditEntries(t, 5) {
		if e.Action == "restore" {
			restores = append(restores, e.Detail)
		}
	}
	if len(restores) != 1 || !strings.Contains(restores[0], "es restored") {
		t.Errorf("audit lines of the restore = %q, want one naming the Spanish restored", restores)
	}
}

// Restoring an English version that was never translated leaves the Spanish made from other
// English marked "English changed": /es/ shows the restored English, marked lang="en",
// never the Spanish of another number.
func TestRestoringUntranslatedEnglishFlagsTheSpanish(t *testing.T) {
	s := restoreScenario(t)
	old, cur := scenarioLine("233734"), scenarioLine("233735")
	s.setEnglish(t, old) // never translated
	s.setEnglish(t, cur)
	s.setSpanish(t, cur)

	msg := s.restoreFromHistory(t, s.histEn, s.englishRevisionWith(t, "233734").ID)

	es := s.public(t, "es")
	mustShowOnly(t, "/es/ after the restore", es, "233734", "233735")
	if es.summary != old.summary || !es.summaryEn {
		t.Errorf("/es/ summary = %q (lang=en: %v), want the restored English marked lang=en", es.summary, es.summaryEn)
	}
	// (A line's hours are shown in English too; the public page does not mark a line's
	// text lang="en" yet.)
	if es.hours != old.hours {
		t.Errorf("/es/ text line hours = %q, want the restored English", es.hours)
	}
	if !strings.Contains(text(s.doc(t, s.tr, http.StatusOK).Find("main")), "English changed") {
		t.Error("the translate screen does not say the English changed")
	}
	if !strings.Contains(msg, "English changed") {
		t.Errorf("the message after the restore does not warn about the Spanish: %q", msg)
	}
}

// The Spanish history has a Restore button per version, like the English one. Restoring a
// Spanish version made from the English now live brings it back; restoring one made from
// other English is done, but marked "English changed": the public page shows the live
// English instead of the old number in Spanish.
func TestRestoringASpanishVersion(t *testing.T) {
	s := restoreScenario(t)
	old, cur := scenarioLine("233734"), scenarioLine("233735")
	s.setEnglish(t, cur)
	s.setSpanish(t, cur)
	// A translator's slip, then the undo from the Spanish history.
	doc := s.doc(t, s.tr, http.StatusOK)
	f := formValues(t, doc, "form.admin-form")
	f.Set("t.summary", "Texto equivocado.")
	f.Del("needs_review")
	if resp, _ := s.post(t, s.tr, f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save Spanish: %d", resp.StatusCode)
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", s.l.ID, "es")
	if len(revs) < 2 {
		t.Fatalf("%d Spanish revisions", len(revs))
	}
	good := revs[1]
	msg := s.restoreFromHistory(t, s.histEs, good.ID)
	if !strings.Contains(msg, "restored") {
		t.Errorf("message after restoring the Spanish = %q", msg)
	}
	es := s.public(t, "es")
	if es.summary != cur.esSummary || es.summaryEn {
		t.Errorf("/es/ summary after undoing the slip = %q (lang=en: %v), want %q", es.summary, es.summaryEn, cur.esSummary)
	}

	// Now the English moves on to another number, and someone restores the Spanish made
	// from the old one: it is restored, but flagged, and /es/ shows the live English.
	s.setEnglish(t, old)
	s.setSpanish(t, old)
	mustShowOnly(t, "/es/ before", s.public(t, "es"), "233734", "233735")
	revs, _ = s.Store.ListRevisions(t.Context(), "listings", s.l.ID, "es")
	var from233735 store.Revision
	for _, r := range revs {
		if strings.Contains(string(r.Data), "233735") && !strings.Contains(string(r.Data), "equivocado") {
			from233735 = r
			break
		}
	}
	msg = s.restoreFromHistory(t, s.histEs, from233735.ID)
	if !strings.Contains(msg, "English changed") {
		t.Errorf("restoring Spanish made from other English does not warn: %q", msg)
	}
	es = s.public(t, "es")
	mustShowOnly(t, "/es/ after restoring Spanish made from other English", es, "233734", "233735")
	if es.summary != old.summary || !es.summaryEn {
		t.Errorf("/es/ summary = %q (lang=en: %v), want the live English marked", es.summary, es.summaryEn)
	}
	trDoc := s.doc(t, s.tr, http.StatusOK)
	if got := trDoc.Find(`textarea[name="t.summary"]`).Text(); got != cur.esSummary {
		t.Errorf("the translate screen's summary = %q, want the restored Spanish %q", got, cur.esSummary)
	}
	if !strings.Contains(text(trDoc.Find("main")), "English changed") {
		t.Error("the translate screen does not flag the restored Spanish")
	}
}

// The Spanish history shows the listing's lines too (their hours and labels), each
// version with its own Restore button.
func TestSpanishHistoryRestoresALinesHours(t *testing.T) {
	s := restoreScenario(t)
	x := scenarioLine("233735")
	s.setEnglish(t, x)
	s.setSpanish(t, x)
	doc := s.doc(t, s.tr, http.StatusOK)
	f := formValues(t, doc, "form.admin-form")
	f.Set("c."+itoa(s.textChannel(t).ID)+".hours", "Horas equivocadas.")
	f.Del("needs_review")
	if resp, _ := s.post(t, s.tr, f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save Spanish: %d", resp.StatusCode)
	}
	hist := s.doc(t, s.histEs, http.StatusOK)
	if !strings.Contains(text(hist.Find("main")), "Horas equivocadas.") {
		t.Fatal("the Spanish history does not show the lines' hours")
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "channels", s.textChannel(t).ID, "es")
	if len(revs) < 2 {
		t.Fatalf("%d Spanish revisions of the line", len(revs))
	}
	s.restoreFromHistory(t, s.histEs, revs[1].ID)
	if es := s.public(t, "es"); es.hours != x.esHours || es.hoursEn {
		t.Errorf("/es/ line hours after the restore = %q (lang=en: %v), want %q", es.hours, es.hoursEn, x.esHours)
	}
}
