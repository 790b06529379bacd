package admin_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// Two staff with the same entry open: saves that touch different fields combine; only a
// field both changed differently is shown, side by side, with who saved and a choice.

// twoEditors starts a site with an admin (A) and an editor (B) signed in, each in their
// own browser.
func twoEditors(t *testing.T) (a, b *staffSite) {
	t.Helper()
	a = signedIn(t, adminEmail)
	b = a.asOther(t, editorEmail)
	contactsAtOnce(t, a) // a group of one: approvals are approvals_test.go's
	return a, b
}

// twoOnListing is twoEditors on the listing of kind with slug: it returns the listing as
// both find it and the address of its edit form.
func twoOnListing(t *testing.T, kind directory.Kind, slug string) (a, b *staffSite, l *directory.Listing, edit string) {
	t.Helper()
	a, b = twoEditors(t)
	l = mustListing(t, a, kind, slug)
	return a, b, l, editPath(l)
}

func TestConcurrentEditsToDifferentFieldsAreCombined(t *testing.T) {
	a, b, l, edit := twoOnListing(t, directory.KindHotline, "dol-oig-hotline")
	fb := b.openForm(t, edit)

	// A changes the email and the first phone number, and saves.
	a.saveForm(t, edit, map[string]string{"email": "tips@oig.example.org", "channels.0.number": "907-555-0100"})
	// B, still on the version they opened, changes the description and saves later.
	fb.Set("body", "Report fraud in work visa programs.\r\n\r\nThe hotline takes calls and emails.")
	b.mustPost(t, edit, fb, http.StatusSeeOther) // combined
	flash := text(b.doc(t, edit, http.StatusOK).Find(".flash"))
	if !strings.HasPrefix(flash, "Saved.") || !strings.Contains(flash, adminEmail) {
		t.Errorf("flash after a combined save = %q, want it to say it was combined with %s's save", flash, adminEmail)
	}

	got := mustListing(t, a, directory.KindHotline, "dol-oig-hotline")
	if got.Email != "tips@oig.example.org" {
		t.Errorf("email = %q: B's save reverted A's change", got.Email)
	}
	if got.Channels[0].Number != "+19075550100" {
		t.Errorf("first number = %q: B's save reverted A's change", got.Channels[0].Number)
	}
	if got.Body != "Report fraud in work visa programs.\n\nThe hotline takes calls and emails." {
		t.Errorf("body = %q: B's change is lost", got.Body)
	}
	if len(got.Channels) != len(l.Channels) || got.Channels[2].Address != l.Channels[2].Address {
		t.Errorf("channels after the combined save = %+v, want %+v with the first number changed", got.Channels, l.Channels)
	}
	// The public page shows both changes.
	pub := text(a.doc(t, got.Path(), http.StatusOK).Find("main"))
	for _, want := range []string{"tips@oig.example.org", "(907) 555-0100", "The hotline takes calls and emails."} {
		if !strings.Contains(pub, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
}

func TestSameFieldChangedTwiceShowsOnlyThatFieldWithAChoice(t *testing.T) {
	a, b, l, edit := twoOnListing(t, directory.KindOrganization, "polaris")
	fb := b.openForm(t, edit)

	a.saveForm(t, edit, map[string]string{"body": "A's description.", "summary": "A's summary.", "hours": "Monday to Friday"})
	// B changes the same two fields, and the name; the browser sends line breaks as CRLF
	// and the ticked filters in another order: neither is a change.
	fb.Set("body", "B's description.")
	fb.Set("summary", "B's summary.")
	fb.Set("name", "Polaris Project")
	terms := fb["terms"]
	slices.Reverse(terms)
	fb["terms"] = terms
	_, doc := b.mustPost(t, edit, fb, http.StatusConflict)
	if got := mustListing(t, a, directory.KindOrganization, "polaris"); got.Body != "A's description." || got.Name != l.Name {
		t.Errorf("a conflicting save wrote something: body %q, name %q", got.Body, got.Name)
	}
	conflict := doc.Find(".conflict")
	fields := texts(conflict.Find("tbody th"))
	if !slices.Equal(fields, []string{"Summary", "Description"}) && !slices.Equal(fields, []string{"Description", "Summary"}) {
		t.Errorf("conflict rows = %q, want only Summary and Description", fields)
	}
	head := text(conflict.Find("thead"))
	if !strings.Contains(head, adminEmail) || !strings.Contains(head, "UTC") {
		t.Errorf("the conflict does not say who saved and when: %q", head)
	}
	for _, want := range []string{"A's description.", "B's description.", "A's summary.", "B's summary."} {
		if !strings.Contains(text(conflict), want) {
			t.Errorf("the conflict table lacks %q", want)
		}
	}
	// The form keeps everything B typed, and has A's other change.
	if got := doc.Find("#f-body").Text(); got != "B's description." {
		t.Errorf("form body = %q, want B's", got)
	}
	if got := doc.Find("#f-name").AttrOr("value", ""); got != "Polaris Project" {
		t.Errorf("form name = %q, want B's", got)
	}
	if got := doc.Find("#f-hours").AttrOr("value", ""); got != "Monday to Friday" {
		t.Errorf("form hours = %q, want A's", got)
	}
	// The choices belong to the form; B keeps their description and takes A's summary.
	radios := doc.Find(`input[type="radio"][form="entry-form"]`)
	if radios.Length() != 4 {
		t.Errorf("%d choices, want 2 per field", radios.Length())
	}
	again := formOn(t, doc)
	again.Set("_keep.body", "mine")
	again.Set("_keep.summary", "theirs")
	b.mustPost(t, edit, again, http.StatusSeeOther)
	got := mustListing(t, a, directory.KindOrganization, "polaris")
	if got.Body != "B's description." || got.Summary != "A's summary." || got.Hours != "Monday to Friday" || got.Name != "Polaris Project" {
		t.Errorf("after the choices: body %q, summary %q, hours %q, name %q", got.Body, got.Summary, got.Hours, got.Name)
	}
	if len(got.Terms) != len(l.Terms) {
		t.Errorf("filters = %d, want the %d it had", len(got.Terms), len(l.Terms))
	}
}

func TestLineEndingsAndUnchangedFiltersAreNoConflict(t *testing.T) {
	a, b, l, edit := twoOnListing(t, directory.KindOrganization, "polaris")
	fa, fb := a.openForm(t, edit), b.openForm(t, edit)

	// Both change the description to the same text; B's browser sends CRLF and trailing
	// spaces. A also unticks a filter; B ticks one and reorders the rest.
	fa.Set("body", "One line.\nTwo lines.")
	terms := fa["terms"]
	dropped := terms[0]
	fa["terms"] = terms[1:]
	a.mustPost(t, edit, fa, http.StatusSeeOther)
	fb.Set("body", "One line.  \r\nTwo lines.\r\n")
	bt := slices.Clone(fb["terms"])
	slices.Reverse(bt)
	fb["terms"] = append(bt, "language/es")
	b.mustPost(t, edit, fb, http.StatusSeeOther)
	got := mustListing(t, a, directory.KindOrganization, "polaris")
	if got.Body != "One line.\nTwo lines." {
		t.Errorf("body = %q", got.Body)
	}
	var have []string
	for _, t := range got.Terms {
		have = append(have, t.Taxonomy+"/"+t.Slug)
	}
	if slices.Contains(have, dropped) || !slices.Contains(have, "language/es") || len(have) != len(l.Terms) {
		t.Errorf("filters = %q: want A's removal of %s and B's Spanish", have, dropped)
	}
}

func TestConcurrentPageEditsCombineAndConflict(t *testing.T) {
	a, b := twoEditors(t)
	ctx := t.Context()
	pages, err := a.Store.ListPagesForStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var about *directory.Page
	for _, p := range pages {
		if p.Slug == "about" {
			about = p
		}
	}
	if about == nil {
		t.Fatal("no about page")
	}
	edit := "/admin/pages/" + itoa(about.ID)

	// Different fields: both saved.
	fb := b.openForm(t, edit)
	a.saveForm(t, edit, map[string]string{"title": "About the working group"})
	fb.Set("description", "Who we are and how we started.")
	b.mustPost(t, edit, fb, http.StatusSeeOther)
	got, _ := a.Store.FindPageByID(ctx, about.ID)
	if got.Title != "About the working group" || got.Description != "Who we are and how we started." || got.Body != about.Body {
		t.Errorf("page after both saves: title %q, description %q", got.Title, got.Description)
	}

	// The same field: only it is shown; keeping mine saves mine.
	fb = b.openForm(t, edit)
	a.saveForm(t, edit, map[string]string{"description": "A's words."})
	fb.Set("description", "B's words.")
	_, doc := b.mustPost(t, edit, fb, http.StatusConflict)
	if rows := text(doc.Find(".conflict tbody th")); rows != "Description" {
		t.Errorf("conflict rows = %q, want Description only", rows)
	}
	again := formOn(t, doc)
	again.Set("_keep.description", "mine")
	b.mustPost(t, edit, again, http.StatusSeeOther)
	if got, _ := a.Store.FindPageByID(ctx, about.ID); got.Description != "B's words." || got.Title != "About the working group" {
		t.Errorf("after keeping mine: description %q, title %q", got.Description, got.Title)
	}
	if !strings.Contains(a.doc(t, "/about", http.StatusOK).Find("h1").Text(), "About the working group") {
		t.Error("the public page does not show the new title")
	}
}

func TestWaysToReachMergeWayByWay(t *testing.T) {
	a, b, l, edit := twoOnListing(t, directory.KindHotline, "dol-oig-hotline")
	fb := b.openForm(t, edit)
	// A relabels the second way and removes the third (the email); B relabels both.
	a.saveForm(t, edit, map[string]string{"channels.1.label": "A's label",
		"channels.2.address": "", "channels.2.label": "", "channels.2.hours": ""})
	fb.Set("channels.1.label", "B's label")
	fb.Set("channels.2.label", "B's email label")
	fb.Set("channels.3.label", "B's web label")
	_, doc := b.mustPost(t, edit, fb, http.StatusConflict)
	rows := texts(doc.Find(".conflict tbody th"))
	if !slices.Equal(rows, []string{"Way 2, label", "Way 4"}) {
		t.Fatalf("conflict rows = %q, want the second way's label and the removed email", rows)
	}
	// B takes A's label and A's removal; B's web label (no conflict) stays.
	again := formOn(t, doc)
	for _, k := range []string{"_keep.channels.1.label", "_keep.channels.3"} {
		name := doc.Find(`input[type="radio"][value="theirs"][name="`+k+`"]`).AttrOr("name", "")
		if name == "" {
			t.Fatalf("no choice %s", k)
		}
		again.Set(name, "theirs")
	}
	b.mustPost(t, edit, again, http.StatusSeeOther)
	got := mustListing(t, a, directory.KindHotline, "dol-oig-hotline")
	if len(got.Channels) != len(l.Channels)-1 {
		t.Fatalf("%d ways, want %d (the email removed)", len(got.Channels), len(l.Channels)-1)
	}
	if got.Channels[1].Label != "A's label" || got.Channels[2].Label != "B's web label" {
		t.Errorf("labels = %q, %q", got.Channels[1].Label, got.Channels[2].Label)
	}
	for _, c := range got.Channels {
		if c.Type == directory.ChannelEmail {
			t.Errorf("the email way A removed is back: %+v", c)
		}
	}
}

func TestActionFromAnUnchangedStaleFormKeepsTheirSave(t *testing.T) {
	a, b, _, edit := twoOnListing(t, directory.KindOrganization, "polaris")
	fb := b.openForm(t, edit)
	a.saveForm(t, edit, map[string]string{"summary": "A's summary."})
	// B, who typed nothing, presses "Mark verified today" on the form opened before.
	fb.Del("_action")
	b.mustPost(t, edit+"/verify", fb, http.StatusSeeOther)
	got := mustListing(t, a, directory.KindOrganization, "polaris")
	if got.Summary != "A's summary." || got.LastVerified.IsZero() {
		t.Errorf("summary %q, verified %v: want A's summary kept and the listing verified", got.Summary, got.LastVerified)
	}
}

func TestConcurrentSettingsAndFilterEditsCombine(t *testing.T) {
	a := signedIn(t, adminEmail)
	mustAddUser(t, a.Store, "bo@example.org", directory.RoleAdmin)
	b := a.asOther(t, "bo@example.org")
	ctx := t.Context()

	// The settings, never saved before (the seed's version): two admins, two fields.
	fb := b.openForm(t, "/admin/settings")
	a.saveForm(t, "/admin/settings", map[string]string{"tagline": "Help is here."})
	fb.Set("region", "Alaska and the Yukon")
	b.mustPost(t, "/admin/settings", fb, http.StatusSeeOther) // combined
	st, _ := a.Store.SettingsForStaff(ctx)
	if st.Tagline != "Help is here." || st.Region != "Alaska and the Yukon" {
		t.Errorf("settings: tagline %q, region %q", st.Tagline, st.Region)
	}

	// A filter, never saved before.
	terms, _ := a.Store.ListTerms(ctx, "", "en")
	path := "/admin/filters/" + itoa(terms[0].ID)
	fb = b.openForm(t, path)
	a.saveForm(t, path, map[string]string{"name": "Renamed filter"})
	fb.Set("position", "42")
	b.mustPost(t, path, fb, http.StatusSeeOther)
	if got, _ := a.Store.FindTermByID(ctx, terms[0].ID); got.Name != "Renamed filter" || got.Position != 42 {
		t.Errorf("filter: name %q, position %d", got.Name, got.Position)
	}
}

func TestConflictOnAChoiceShowsItsName(t *testing.T) {
	a, b, _, edit := twoOnListing(t, directory.KindHotline, "dol-oig-hotline")
	polaris := mustListing(t, a, directory.KindOrganization, "polaris")
	fb := b.openForm(t, edit)
	a.saveForm(t, edit, map[string]string{"operated_by": "polaris"})
	var other string
	for _, v := range attrs(b.doc(t, edit, http.StatusOK).Find(`#f-operated_by option`), "value") {
		if v != "" && v != "polaris" {
			other = v
			break
		}
	}
	fb.Set("operated_by", other)
	_, doc := b.mustPost(t, edit, fb, http.StatusConflict)
	if got := text(doc.Find(".conflict td.before .merge-value")); got != polaris.Name {
		t.Errorf("theirs shows %q, want the organization's name %q", got, polaris.Name)
	}
}
