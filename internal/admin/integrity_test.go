package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/admin"
	"signpost/internal/directory"
)

const nationalHotline = "/hotlines/national-human-trafficking-hotline"

// textLineOf returns the public line whose sms: link texts keyword to number.
func textLineOf(doc *goquery.Document, number, keyword string) string {
	return text(doc.Find(`.lines a[href="sms:` + number + `?&body=` + keyword + `"]`).First())
}

// channelKey returns the form prefix ("channels.1.") of the channel whose keyword is kw.
func channelKey(t *testing.T, form map[string][]string, kw string) string {
	t.Helper()
	for k, v := range form {
		if strings.HasPrefix(k, "channels.") && strings.HasSuffix(k, ".keyword") && len(v) == 1 && v[0] == kw {
			return strings.TrimSuffix(k, "keyword")
		}
	}
	t.Fatalf("no channel with keyword %s in the form", kw)
	return ""
}

// The bug of issue 13: the text line's number and keyword changed, its label kept the old
// ones, and the public page said "Text BEFREE to 233733 HOPE to 233744".
func TestALabelCannotContradictItsLine(t *testing.T) {
	s := mustStart(t, admin.Options{})
	s.mustSignIn(t, editorEmail)
	l := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	edit := "/admin/hotlines/" + itoa(l.ID)
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	p := channelKey(t, form, "BEFREE")
	form.Set(p+"number", "233744")
	form.Set(p+"keyword", "HOPE")
	form.Set(p+"label", "Text BEFREE to 233733")
	form.Set("_action", "save")
	resp, doc := s.post(t, edit, form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("save with a contradicting label: status %d, want 400", resp.StatusCode)
	}
	field := doc.Find(`[name="` + p + `label"]`)
	if got := field.AttrOr("value", ""); got != "Text BEFREE to 233733" {
		t.Errorf("the label typed was not kept: %q", got)
	}
	if msg := text(doc.Find(`[id="` + field.AttrOr("id", "") + `-error"]`)); !strings.Contains(msg, "233733") {
		t.Errorf("no message beside the label naming the old number: %q", msg)
	}
	if got := doc.Find(`[name="`+p+`number"]`).AttrOr("value", ""); !strings.Contains(got, "233744") {
		t.Errorf("the number typed was not kept: %q", got)
	}
	if strings.Contains(text(s.doc(t, nationalHotline, http.StatusOK).Find("main")), "233744") {
		t.Error("the refused save reached the public page")
	}

	// A purpose only: the public page builds the rest from the fields, in both languages.
	form.Set(p+"label", "Tips from the public")
	if resp, _ := s.post(t, edit, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	if got := textLineOf(s.doc(t, nationalHotline, http.StatusOK), "233744", "HOPE"); got != "Tips from the public HOPE to 233744" {
		t.Errorf("English line = %q", got)
	}
	if got := textLineOf(s.doc(t, "/es"+nationalHotline, http.StatusOK), "233744", "HOPE"); got != "Envíe un mensaje de texto HOPE al 233744" {
		t.Errorf("Spanish line = %q", got)
	}

	// A Spanish label naming the old keyword and number is refused on the translation screen…
	l = mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	var ch directory.Channel
	for _, c := range l.Channels {
		if c.Keyword == "HOPE" {
			ch = c
		}
	}
	tr := "/admin/translate/listings/" + itoa(l.ID) + "/es"
	name := "c." + itoa(ch.ID) + ".label"
	tf := formValues(t, s.doc(t, tr, http.StatusOK), "form.admin-form")
	tf.Set(name, "Envíe BEFREE al 233733")
	resp, doc = s.post(t, tr, tf)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("translation naming the old number: status %d, want 400", resp.StatusCode)
	}
	if got := doc.Find(`[name="`+name+`"]`).AttrOr("value", ""); got != "Envíe BEFREE al 233733" {
		t.Errorf("the translation typed was not kept: %q", got)
	}
	if !strings.Contains(text(doc.Find(".field-error")), "233733") {
		t.Errorf("no message naming the old number: %q", text(doc.Find(".field-error")))
	}

	// …and one saved before the rule (or by another way in) never reaches the public page.
	if err := s.Store.SaveTranslations(context.Background(), "channels", ch.ID, "es",
		map[string]string{"label": "Envíe BEFREE al 233733", "hours": ""}, false, s.actor()); err != nil {
		t.Fatal(err)
	}
	if got := textLineOf(s.doc(t, "/es"+nationalHotline, http.StatusOK), "233744", "HOPE"); got != "Envíe un texto HOPE al 233744" {
		t.Errorf("Spanish line with an old translated label = %q", got)
	}
}
