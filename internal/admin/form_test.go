package admin

import (
	"encoding/json"
	"reflect"
	"testing"

	"signpost/internal/directory"
)

// The history names a changed field as the form labels it, not by its Go name.
func TestHistoryNamesFieldsAsTheFormDoes(t *testing.T) {
	labels := listingForm(directory.KindHotline, choices{}).labels()
	older, _ := json.Marshal(directory.Listing{Name: "Line", Open247: false, Website: "https://a.example"})
	newer, _ := json.Marshal(directory.Listing{Name: "Line", Open247: true, Website: "https://b.example"})
	got := map[string]bool{}
	for _, row := range diffJSON(older, newer, labels) {
		got[row.Field] = true
	}
	for _, want := range []string{"Open 24 hours", "Website"} {
		if !got[want] {
			t.Errorf("history rows %v, want one named %q", got, want)
		}
	}
	if got["open247"] {
		t.Error(`the history still says "open247"`)
	}
}

// Every field a form reads into its entry is found in the entry's revisions, so the
// history can name it.
func TestEveryFormFieldNamesItsRevisionField(t *testing.T) {
	check := func(kind string, labels map[string]string, names []string) {
		for _, n := range names {
			if labels[n] == "" {
				t.Errorf("%s: no label for revision field %q", kind, n)
			}
		}
	}
	for _, k := range directory.Kinds {
		check(string(k), listingForm(k, choices{}).labels(), []string{"Name", "Slug", "Summary", "Body", "Website", "Email",
			"Social", "Hours", "Open247", "OperatedBy", "Terms", "Todo", "Status", "Source"})
	}
	check("resource", listingForm(directory.KindResource, choices{}).labels(), []string{"ResourceType", "Publisher", "Published"})
	check("page", pageForm().labels(), []string{"Slug", "Title", "Description", "Body", "Todo"})
	check("sign", signForm().labels(), []string{"Text", "Slug", "Position", "Status"})
	check("industry", industryForm().labels(), []string{"Name", "Slug", "Position", "Status"})
	check("situation", situationForm(choices{}).labels(), []string{"Title", "Detail", "Listing", "Also", "Slug", "Position", "Status"})
	check("stat", statForm().labels(), []string{"Year", "Measure", "Value", "Unit", "SourceName", "SourceURL", "Todo", "Status"})
	check("term", termForm().labels(), []string{"Taxonomy", "Name", "Slug", "Position"})
	check("settings", settingsForm(choices{}).labels(), []string{"SiteName", "Region", "Tagline", "ExitURL", "EmergencyNumber",
		"PrimaryHotline", "ContactEmail", "VerifyDays"})
}

// Every field of a listing and of a channel is either on the form or named here as kept
// out of it: a field added to directory.Listing fails this test until its form line is
// written (or it is added here, with the reason).
func TestListingAndChannelFormsCoverEveryField(t *testing.T) {
	notOnForm := map[string]string{
		"ID": "store", "Kind": "the section", "Version": "store", "CreatedAt": "store", "UpdatedAt": "store",
		"DeletedAt": "trash button", "LastVerified": "verify button", "Channels": "channel rows",
		"Operates": "read-only, from other listings", "Lang": "store", "Untranslated": "store",
		"ListingID": "store", "Position": "row order",
		"Pin": "its own form beside Mark verified (pin.go)",
	}
	cover := func(name string, labels map[string]string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if _, ok := notOnForm[f.Name]; !ok && labels[f.Name] == "" {
				t.Errorf("%s.%s is on no form: add it to the form, or to notOnForm with the reason", name, f.Name)
			}
		}
	}
	cover("Listing", listingForm(directory.KindResource, choices{}).labels(), reflect.TypeOf(directory.Listing{}))
	cover("Channel", channelForm.labels(), reflect.TypeOf(directory.Channel{}))
}
