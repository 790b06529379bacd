package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"signpost/internal/directory"
)

// Without script, "Add another way" posts the form and gets it back with everything typed
// and one blank row of the kind chosen; nothing is saved until Save.
func TestAddAnotherWayKeepsWhatWasTypedAndSavesNothing(t *testing.T) {
	s, l, edit := editorOnHotline(t, "dhs-hsi-tip-line")
	doc := s.doc(t, edit, http.StatusOK)
	before := doc.Find("fieldset.channel").Length()
	form := formValues(t, doc, "form.admin-form")
	form.Set("summary", "Typed, not saved yet.")
	form.Set("add-way", "text")
	_, page := s.mustPost(t, edit, form, http.StatusOK)
	rows := page.Find("form.admin-form fieldset.channel")
	if rows.Length() != before+1 {
		t.Fatalf("%d ways after adding one, want %d", rows.Length(), before+1)
	}
	added := rows.Last()
	if got := added.Find(`select[name$=".type"] option[selected]`).AttrOr("value", ""); got != "text" {
		t.Errorf("the added way's kind = %q, want text", got)
	}
	if added.Find(`.way-keyword[hidden]`).Length() != 0 || added.Find(`.way-url[hidden]`).Length() != 1 {
		t.Error("the added text way does not show its keyword and hide the web address")
	}
	if got := page.Find("#f-summary").Text(); got != "Typed, not saved yet." {
		t.Errorf("the summary typed was not kept: %q", got)
	}
	if got := mustListing(t, s, directory.KindHotline, "dhs-hsi-tip-line"); got.Summary != l.Summary || len(got.Channels) != len(l.Channels) {
		t.Error("adding a way saved the form")
	}

	// A kind that is not one adds nothing, and says so.
	form = formValues(t, page, "form.admin-form")
	form.Set("add-way", "fax")
	resp, odd := s.post(t, edit, form)
	if resp.StatusCode != http.StatusOK || odd.Find("form.admin-form fieldset.channel").Length() != before+1 ||
		!strings.Contains(text(odd.Find(".error-summary")), "No way was added") {
		t.Errorf("add a way of no known kind: status %d, %d ways, %q", resp.StatusCode,
			odd.Find("form.admin-form fieldset.channel").Length(), text(odd.Find(".error-summary")))
	}

	// Fill the new row in and save: the new line is on the public page.
	form = formValues(t, page, "form.admin-form")
	p := strings.TrimSuffix(added.Find(`select[name$=".type"]`).AttrOr("name", ""), "type")
	form.Set(p+"number", "233733")
	form.Set(p+"keyword", "TIPS")
	form.Set("_action", "save")
	s.mustPost(t, edit, form, http.StatusSeeOther)
	got := mustListing(t, s, directory.KindHotline, "dhs-hsi-tip-line")
	if n := len(got.Channels); n != len(l.Channels)+1 || got.Channels[n-1].Keyword != "TIPS" {
		t.Errorf("after saving, ways = %+v", got.Channels)
	}
}

// "Remove" takes a way off on Save, and only that one.
func TestRemoveAWay(t *testing.T) {
	s, l, edit := editorOnHotline(t, "national-human-trafficking-hotline")
	form := s.openForm(t, edit)
	form.Set(channelKey(t, form, "HELP")+"remove", "1")
	s.mustPost(t, edit, form, http.StatusSeeOther)
	got := mustListing(t, s, directory.KindHotline, "national-human-trafficking-hotline")
	if len(got.Channels) != len(l.Channels)-1 {
		t.Fatalf("%d ways after removing one of %d", len(got.Channels), len(l.Channels))
	}
	for _, c := range got.Channels {
		if c.Keyword == "HELP" {
			t.Error("the removed way is still there")
		}
	}
}

// Each way shows the fields of its kind only; the long parts of the form are folded, and a
// part with a mistake in it opens.
func TestTheListingFormFitsTheTask(t *testing.T) {
	s, l, edit := editorEditing(t, directory.KindHotline, "national-human-trafficking-hotline")
	doc := s.doc(t, edit, http.StatusOK)
	if n := doc.Find("fieldset.channel").Length(); n != len(l.Channels) {
		t.Errorf("%d ways shown, want the hotline's %d and no blank rows", n, len(l.Channels))
	}
	text := doc.Find(`fieldset.channel`).FilterFunction(func(_ int, f *goquery.Selection) bool {
		return f.Find(`select[name$=".type"] option[selected]`).AttrOr("value", "") == "text"
	}).First()
	for field, hidden := range map[string]bool{"number": false, "keyword": false, "label": false, "address": true, "url": true, "vanity": true} {
		if got := text.Find(".way-" + field).Is("[hidden]"); got != hidden {
			t.Errorf("a text way's %s hidden = %v, want %v", field, got, hidden)
		}
	}
	open := func(d *goquery.Document, id string) bool { return d.Find("details#" + id).Is("[open]") }
	if !open(doc, "part-ways") || open(doc, "part-filters") || open(doc, "part-about") {
		t.Error("the ways should be open, the description and filters folded")
	}
	if doc.Find(".admin-form .actions button").FilterFunction(func(_ int, b *goquery.Selection) bool { return b.Text() == "Save" }).Length() != 1 {
		t.Error("no Save in the form's action bar")
	}
	form := formOn(t, doc)
	form.Set("website", "not a web address")
	_, page := s.mustPost(t, edit, form, http.StatusBadRequest)
	if !open(page, "part-more") || page.Find("details#part-more #f-website").Length() != 1 {
		t.Error("the part with the mistake is not open")
	}
}

// A draft's Publish is in the action bar at the foot of the form, with Save.
func TestPublishIsInTheActionBar(t *testing.T) {
	s, _, edit := editorEditing(t, directory.KindHotline, "dol-oig-hotline")
	form := formValues(t, s.doc(t, edit, http.StatusOK), "form.admin-form")
	if resp, _ := postAction(t, s, s.doc(t, edit, http.StatusOK), "Unpublish (back to draft)", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", resp.StatusCode)
	}
	bar := s.doc(t, edit, http.StatusOK).Find(".admin-form .actions")
	if !strings.Contains(text(bar), "Publish") || !strings.Contains(text(bar), "Preview the page") {
		t.Errorf("the action bar of a draft: %q", text(bar))
	}
}
