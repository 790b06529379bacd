package hsds_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"signpost/internal/app"
	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/internal/store"
	"signpost/internal/webtest"
)

// Open Referral's example dataset (testdata/spec, vendored unchanged) as another directory
// would send it.
func officialExampleZip(t *testing.T) []byte {
	t.Helper()
	files := map[string]string{}
	paths, _ := filepath.Glob("testdata/spec/examples/csv/*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = string(b)
	}
	return zipOf(t, files)
}

// importAndPublish previews and applies an upload, then publishes what it added, so that
// the export shows it.
func importAndPublish(t *testing.T, site *webtest.Site, name string, data []byte) *hsds.Preview {
	t.Helper()
	ctx := context.Background()
	up, err := hsds.ParseUpload(name, data)
	if err != nil {
		t.Fatal(err)
	}
	st := app.ImportStore{Store: site.Store}
	p, err := hsds.BuildPreview(ctx, st, up)
	if err != nil {
		t.Fatal(err)
	}
	res, err := hsds.Apply(ctx, st, p, staff)
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("apply = %+v, %v", res, err)
	}
	list, _, _ := site.Store.ListListings(ctx, directory.ListingFilter{Drafts: true})
	for _, l := range list {
		if l.Status == directory.StatusDraft && l.Source == "import" {
			if err := site.Store.SetListingStatus(ctx, l.ID, directory.StatusPublished, store.Actor{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

func TestOfficialExampleImportsWithItsIDs(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	p := importAndPublish(t, site, "example.zip", officialExampleZip(t))

	var added []string
	for _, c := range p.Added {
		added = append(added, string(c.Listing.Kind)+":"+c.Listing.Name)
	}
	// The service is a counselling service of the organization: not a hotline.
	if strings.Join(added, ",") != "organization:Example Organization Inc.,organization:Community Counselling" {
		t.Errorf("added = %v", added)
	}
	if len(p.Invalid) > 0 {
		t.Errorf("refused: %v", p.Invalid)
	}
	// What Signpost cannot take is named, table by table and column by column.
	var notTaken []string
	for _, x := range p.NotTaken {
		notTaken = append(notTaken, x.String())
	}
	all := strings.Join(notTaken, "\n")
	for _, want := range []string{"funding.csv: not taken", "contacts.csv: not taken", "services.csv: columns not taken", "fees_description",
		"phones.csv: columns not taken (Signpost has no field for them): location_id, contact_id, service_at_location_id, extension"} {
		if !strings.Contains(all, want) {
			t.Errorf("the preview does not say %q; it says:\n%s", want, all)
		}
	}

	files := unzip(t, exportZip(t, site))
	for file, id := range map[string]string{
		"organizations.csv":       "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
		"services.csv":            "ac148810-d857-441c-9679-408f346de14b",
		"phones.csv":              "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
		"locations.csv":           "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
		"addresses.csv":           "74706e55-df26-4b84-80fe-ecc30b5befb4",
		"service_at_location.csv": "e94c9f38-1e8f-4564-91d4-d53501ab1765",
		"schedules.csv":           "48102e86-bb50-41c4-8f1e-e269368c41d1",
	} {
		if !strings.Contains(files[file], id) {
			t.Errorf("%s does not keep the example's id %s:\n%s", file, id, files[file])
		}
	}
	if !strings.Contains(files["phones.csv"], "+441234234567") {
		t.Errorf("the example's phone (quoted in its field) was not taken:\n%s", files["phones.csv"])
	}
	if !strings.Contains(files["addresses.csv"], "1-30 Main Street") {
		t.Errorf("the example's address was not taken:\n%s", files["addresses.csv"])
	}
	if errs := validatePackage(loadPackage(t, "spec/datapackage.json"), files); len(errs) > 0 {
		t.Errorf("after the import, %d errors against the official datapackage: %v", len(errs), errs[:min(len(errs), 10)])
	}
}

func TestOfficialJSONExamplesImport(t *testing.T) {
	// The full forms carry phones and places; the list forms are summaries.
	ids := map[string]map[string]string{
		"service_full.json": {"services.csv": "ac148810-d857-441c-9679-408f346de14b", "phones.csv": "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
			"locations.csv": "3a19ff88-4620-4d17-9830-ac1d859eb5d5"},
		"organization_full.json": {"services.csv": "ac148810-d857-441c-9679-408f346de14b", "phones.csv": "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
			"organizations.csv": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"},
		"service_list.json":      {"services.csv": "ac148810-d857-441c-9679-408f346de14b"},
		"organization_list.json": {"organizations.csv": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"},
	}
	for name, want := range ids {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/spec/examples/" + name)
			if err != nil {
				t.Fatal(err)
			}
			site := webtest.MustStart(t, webtest.Options{})
			p := importAndPublish(t, site, name, data)
			var names []string
			for _, c := range p.Added {
				names = append(names, c.Listing.Name)
			}
			if len(names) == 0 {
				t.Errorf("%s added nothing", name)
			}
			files := unzip(t, exportZip(t, site))
			for file, id := range want {
				if !strings.Contains(files[file], id) {
					t.Errorf("%s does not keep the example's id %s", file, id)
				}
			}
		})
	}
}

// timestamps are the values an export may change from one run to the next.
var timestamps = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

func TestExportImportExportKeepsEveryID(t *testing.T) {
	ctx := context.Background()
	a := webtest.MustStart(t, webtest.Options{})
	// A place, so that locations, addresses and service_at_location have rows too.
	polaris, _ := a.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	lat, lon := 61.2176, -149.8997
	if err := a.Store.SaveLocations(ctx, polaris.ID, []directory.Location{
		{Name: "Anchorage office", Street: "632 W 6th Ave", City: "Anchorage", State: "AK", PostalCode: "99501", Latitude: &lat, Longitude: &lon},
		{City: "Juneau", State: "AK", Private: true},
	}); err != nil {
		t.Fatal(err)
	}
	first := unzip(t, exportZip(t, a))

	b := webtest.MustStart(t, webtest.Options{})
	importAndPublish(t, b, "a.zip", zipOf(t, first))
	second := unzip(t, exportZip(t, b))

	for name, want := range first {
		got := second[name]
		if name == "datapackage.json" {
			continue
		}
		want, got = timestamps.ReplaceAllString(want, "T"), timestamps.ReplaceAllString(got, "T")
		if got != want {
			wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
			for i := range max(len(wl), len(gl)) {
				var w, g string
				if i < len(wl) {
					w = wl[i]
				}
				if i < len(gl) {
					g = gl[i]
				}
				if w != g {
					t.Errorf("%s line %d:\nfirst  %s\nsecond %s", name, i+1, w, g)
					break
				}
			}
		}
	}
}
