package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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
	s, l, edit := editorEditing(t, directory.KindHotline, "national-human-trafficking-hotline")
	form := s.openForm(t, edit)
	p := channelKey(t, form, "BEFREE")
	form.Set(p+"number", "233744")
	form.Set(p+"keyword", "HOPE")
	form.Set(p+"label", "Text BEFREE to 233733")
	_, doc := s.mustPost(t, edit, form, http.StatusBadRequest) // a contradicting label
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
	s.mustPost(t, edit, form, http.StatusSeeOther)
	approveWaiting(t, s, l.ID) // a new number goes live when a second person approves it
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
	_, doc = s.mustPost(t, tr, tf, http.StatusBadRequest) // naming the old number
	if got := doc.Find(`[name="`+name+`"]`).AttrOr("value", ""); got != "Envíe BEFREE al 233733" {
		t.Errorf("the translation typed was not kept: %q", got)
	}
	if !strings.Contains(text(doc.Find(".field-error")), "233733") {
		t.Errorf("no message naming the old number: %q", text(doc.Find(".field-error")))
	}

	// …and one saved before the rule (or by another way in) never reaches the public page.
	if err := s.Store.SaveTranslations(t.Context(), "channels", ch.ID, "es",
		map[string]string{"label": "Envíe BEFREE al 233733", "hours": ""}, false, s.actor()); err != nil {
		t.Fatal(err)
	}
	if got := textLineOf(s.doc(t, "/es"+nationalHotline, http.StatusOK), "233744", "HOPE"); got != "Envíe un texto HOPE al 233744" {
		t.Errorf("Spanish line with an old translated label = %q", got)
	}
}

// Publish, Verify and Trash post the edit form: what was typed is saved with the action.
func TestActionsKeepWhatWasTyped(t *testing.T) {
	const slug = "dol-oig-hotline"
	s, l, edit := editorOnHotline(t, slug) // the number is what is typed here
	pub := "/hotlines/" + slug
	const numberField = "channels.0.number" // the hotline's first way is its phone
	flash := func() string { return text(s.doc(t, edit, http.StatusOK).Find(".flash")) }
	shows := func(number string) {
		t.Helper()
		for _, path := range []string{pub, "/es" + pub} {
			if !strings.Contains(text(s.doc(t, path, http.StatusOK).Find("main")), number) {
				t.Errorf("%s does not show %s", path, number)
			}
		}
	}

	// Unchanged form + Verify: verified, and nothing saved on the way.
	doc := s.doc(t, edit, http.StatusOK)
	if resp, _ := postAction(t, s, doc, "Mark verified today", formValues(t, doc, "form.admin-form")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	if got := flash(); got != "Marked as verified today." {
		t.Errorf("flash after verify = %q", got)
	}
	revs, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")

	// A changed number + Verify: saved, then verified.
	doc = s.doc(t, edit, http.StatusOK)
	form := formValues(t, doc, "form.admin-form")
	form.Set(numberField, "(907) 555-0101")
	if resp, _ := postAction(t, s, doc, "Mark verified today", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify with changes: %d", resp.StatusCode)
	}
	if got := flash(); got != "Saved. Marked as verified today." {
		t.Errorf("flash after verify with changes = %q", got)
	}
	shows("(907) 555-0101")
	after, _ := s.Store.ListRevisions(t.Context(), "listings", l.ID, "en")
	if len(after) < len(revs)+1 {
		t.Errorf("no revision for the edit saved with Verify (%d → %d)", len(revs), len(after))
	}

	// Unpublish with a change: saved, then hidden.
	doc = s.doc(t, edit, http.StatusOK)
	form = formValues(t, doc, "form.admin-form")
	form.Set(numberField, "(907) 555-0102")
	if resp, _ := postAction(t, s, doc, "Unpublish (back to draft)", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish with changes: %d", resp.StatusCode)
	}
	if resp, _ := s.Get(t, pub); resp.StatusCode != http.StatusNotFound {
		t.Errorf("after unpublish the public page answers %d", resp.StatusCode)
	}

	// A mistake + Publish: nothing published, the form again with what was typed.
	doc = s.doc(t, edit, http.StatusOK)
	form = formValues(t, doc, "form.admin-form")
	form.Set(numberField, "(907) 555-0103")
	form.Set("name", "")
	resp, page := postAction(t, s, doc, "Publish", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("publish with a mistake: %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(text(page.Find(".error-summary")), "Nothing else was done") {
		t.Errorf("no message that nothing was published: %q", text(page.Find(".error-summary")))
	}
	if got := page.Find(`[name="`+numberField+`"]`).AttrOr("value", ""); got != "(907) 555-0103" {
		t.Errorf("the number typed was not kept: %q", got)
	}
	if resp, _ := s.Get(t, pub); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a refused publish reached the public: %d", resp.StatusCode)
	}

	// Corrected + Publish: saved and published, in both languages.
	form = formValues(t, page, "form.admin-form")
	form.Set("name", l.Name)
	if resp, _ := postAction(t, s, page, "Publish", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	if got := flash(); got != "Saved. Published: the public can see it now." {
		t.Errorf("flash after publish = %q", got)
	}
	shows("(907) 555-0103")

	// A change + Move to trash, then restore: the change was kept.
	doc = s.doc(t, edit, http.StatusOK)
	form = formValues(t, doc, "form.admin-form")
	form.Set(numberField, "(907) 555-0104")
	if resp, _ := postAction(t, s, doc, "Move to trash", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("trash: %d", resp.StatusCode)
	}
	doc = s.doc(t, edit, http.StatusOK)
	if resp, _ := postAction(t, s, doc, "Restore from trash", formValues(t, doc, "form.admin-form")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", resp.StatusCode)
	}
	shows("(907) 555-0104")
}

// The edit screen loads, from this origin, the script that asks before leaving it changed.
func TestEditScreenAsksBeforeLeavingChanges(t *testing.T) {
	s, _, edit := editorEditing(t, directory.KindOrganization, "polaris")
	doc := s.doc(t, edit, http.StatusOK)
	src := doc.Find(`script[src]`).FilterFunction(func(_ int, x *goquery.Selection) bool {
		return x.AttrOr("src", "") == "/admin/keep-typing.js"
	})
	if src.Length() != 1 || doc.Find("form[data-keep-typing]").Length() != 1 {
		t.Fatal("the edit screen does not load keep-typing.js for its form")
	}
	resp, body := s.Get(t, "/admin/keep-typing.js")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(body, "beforeunload") {
		t.Errorf("keep-typing.js: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// The hotline on every page offers no Unpublish or Move to trash: the server would refuse
// them, and a refused click would leave what was typed behind.
func TestPrimaryHotlineOffersNoRefusedAction(t *testing.T) {
	s, _, edit := editorEditing(t, directory.KindHotline, "national-human-trafficking-hotline")
	doc := s.doc(t, edit, http.StatusOK)
	buttons := text(doc.Find(".entry-actions button"))
	if strings.Contains(buttons, "Unpublish") || strings.Contains(buttons, "Move to trash") || !strings.Contains(buttons, "Mark verified today") {
		t.Errorf("the primary hotline's actions: %q", buttons)
	}
	if !strings.Contains(text(doc.Find(".entry-meta")), "The hotline on every page") {
		t.Error("no note saying why it stays published")
	}
}
