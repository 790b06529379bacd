package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// The translation screen: Spanish beside the English, field by field.

func TestSpanishTranslationShowsOnTheSpanishPageOnly(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "polaris")
	path := "/admin/translate/listings/" + itoa(l.ID) + "/es"
	doc := s.doc(t, path, http.StatusOK)
	// English beside each field.
	if !strings.Contains(text(doc.Find("td.english").First()), l.Name) {
		t.Error("the English text is not beside the translation")
	}
	f := formValues(t, doc, "form.admin-form")
	f.Set("t.summary", "Resumen revisado por el personal.")
	f.Del("needs_review")
	s.mustPost(t, path, f, http.StatusSeeOther)
	if !strings.Contains(s.doc(t, "/es/organizations/polaris", http.StatusOK).Text(), "Resumen revisado por el personal.") {
		t.Error("the Spanish page does not show the translation")
	}
	if strings.Contains(s.doc(t, "/organizations/polaris", http.StatusOK).Text(), "Resumen revisado") {
		t.Error("the English page shows the Spanish text")
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "es")
	if len(revs) == 0 || revs[0].UserEmail != editorEmail {
		t.Errorf("no Spanish revision by the editor: %+v", revs)
	}
	// Reviewed: the entry leaves the dashboard's "needs review" list for Spanish.
	dash := text(s.doc(t, "/admin/", http.StatusOK).Find("main"))
	if !strings.Contains(dash, "needs review") {
		t.Error("the dashboard has no needs-review section")
	}
	hist := s.doc(t, "/admin/history/listings/"+itoa(l.ID)+"/es", http.StatusOK)
	if !strings.Contains(text(hist.Find("main")), "Resumen revisado") {
		t.Error("the Spanish history does not show the change")
	}
}

func TestChannelLabelsAreTranslatedBesideTheListing(t *testing.T) {
	s, l := editorOn(t, directory.KindHotline, "national-human-trafficking-hotline")
	path := "/admin/translate/listings/" + itoa(l.ID) + "/es"
	doc := s.doc(t, path, http.StatusOK)
	name := "c." + itoa(l.Channels[0].ID) + ".label"
	if doc.Find(`[name="`+name+`"]`).Length() == 0 {
		t.Fatalf("no field for the first channel's label")
	}
	f := formValues(t, doc, "form.admin-form")
	f.Set(name, "Llamar ahora")
	s.mustPost(t, path, f, http.StatusSeeOther)
	if !strings.Contains(s.doc(t, "/es/hotlines/national-human-trafficking-hotline", http.StatusOK).Text(), "Llamar ahora") {
		t.Error("the Spanish page does not show the channel's translated label")
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "channels", l.Channels[0].ID, "es")
	if len(revs) == 0 {
		t.Error("no revision of the channel's Spanish text")
	}
}

func TestConflictingTranslationIsRefusedWithBothShown(t *testing.T) {
	s, l := editorOn(t, directory.KindOrganization, "polaris")
	path := "/admin/translate/listings/" + itoa(l.ID) + "/es"
	first := formValues(t, s.doc(t, path, http.StatusOK), "form.admin-form")
	second := formValues(t, s.doc(t, path, http.StatusOK), "form.admin-form")
	first.Set("t.summary", "Primera versión.")
	s.mustPost(t, path, first, http.StatusSeeOther)
	second.Set("t.summary", "Segunda versión.")
	_, doc := s.mustPost(t, path, second, http.StatusConflict)
	c := text(doc.Find(".conflict"))
	if !strings.Contains(c, "Primera versión.") || !strings.Contains(c, "Segunda versión.") {
		t.Errorf("conflict shows %q", c)
	}
	if es, _ := s.Store.FindListing(t.Context(), directory.KindOrganization, "polaris", "es"); es.Summary != "Primera versión." {
		t.Errorf("stored %q", es.Summary)
	}
	s.mustPost(t, path, formValues(t, doc, "form.admin-form"), http.StatusSeeOther) // deliberately, after seeing both
	if es, _ := s.Store.FindListing(t.Context(), directory.KindOrganization, "polaris", "es"); es.Summary != "Segunda versión." {
		t.Errorf("after the deliberate save: %q", es.Summary)
	}
}

// When the English hours change after they were translated, the Spanish page shows the new
// English hours (marked lang="en") instead of the old Spanish ones, the translate screen
// says "English changed" with the English before and after, and the dashboard lists it.
// Saving the translation again clears the flag.
func TestChangedEnglishFlagsTheTranslation(t *testing.T) {
	s, l, edit := editorEditing(t, directory.KindHotline, "national-human-trafficking-hotline")
	s.saveForm(t, edit, map[string]string{"hours": "Monday to Friday, 9am to 5pm"})
	tr := "/admin/translate/listings/" + itoa(l.ID) + "/es"
	f := formValues(t, s.doc(t, tr, http.StatusOK), "form.admin-form")
	f.Set("t.hours", "Lunes a viernes, de 9 a 17 h")
	f.Del("needs_review")
	s.mustPost(t, tr, f, http.StatusSeeOther)
	hours := func() *goquery.Selection {
		return s.doc(t, "/es/hotlines/national-human-trafficking-hotline", http.StatusOK).Find(".reach p.meta")
	}
	if got := text(hours()); !strings.Contains(got, "Lunes a viernes, de 9 a 17 h") {
		t.Fatalf("Spanish hours before the change = %q", got)
	}
	if strings.Contains(text(s.doc(t, tr, http.StatusOK).Find("main")), "English changed") {
		t.Error("a fresh translation is flagged as stale")
	}

	s.saveForm(t, edit, map[string]string{"hours": "Monday to Saturday, 8am to 6pm"})

	h := hours()
	if got := text(h); !strings.Contains(got, "Monday to Saturday, 8am to 6pm") || strings.Contains(got, "Lunes") {
		t.Errorf("Spanish page hours after the English changed = %q, want the new English", got)
	}
	if h.AttrOr("lang", "") != "en" {
		t.Errorf("the English hours on the Spanish page are not marked lang=en: %q", h.AttrOr("lang", ""))
	}
	doc := s.doc(t, tr, http.StatusOK)
	var row *goquery.Selection
	doc.Find("table.translate tbody tr").Each(func(_ int, r *goquery.Selection) {
		if r.Find(`textarea[name="t.hours"], input[name="t.hours"]`).Length() > 0 {
			row = r
		}
	})
	if row == nil {
		t.Fatal("the translate screen has no hours row")
	}
	eng := text(row.Find("td.english"))
	for _, want := range []string{"English changed", "Monday to Saturday, 8am to 6pm", "Monday to Friday, 9am to 5pm"} {
		if !strings.Contains(eng, want) {
			t.Errorf("hours row has no %q: %q", want, eng)
		}
	}
	if strings.Contains(text(doc.Find("td.english").NotSelection(row.Find("td.english"))), "English changed") {
		t.Error("fields whose English did not change are flagged")
	}
	review := text(s.doc(t, "/admin/", http.StatusOK).Find("#review-es").Parent())
	if !strings.Contains(review, l.Name) || !strings.Contains(review, "English changed") {
		t.Errorf("the dashboard's Spanish needs-review list = %q", review)
	}

	// The translator updates the Spanish: it shows again, and the flag is gone.
	f = formValues(t, doc, "form.admin-form")
	f.Set("t.hours", "Lunes a sábado, de 8 a 18 h")
	f.Del("needs_review")
	s.mustPost(t, tr, f, http.StatusSeeOther)
	if h := hours(); !strings.Contains(text(h), "Lunes a sábado") || h.AttrOr("lang", "") == "en" {
		t.Errorf("Spanish hours after the update = %q lang=%q", text(h), h.AttrOr("lang", ""))
	}
	if strings.Contains(text(s.doc(t, tr, http.StatusOK).Find("main")), "English changed") {
		t.Error("the flag stays after the translation was updated")
	}
}
