package hsds_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
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

var staff = hsds.Actor{Email: "staff@example.org"}

func exportZip(t *testing.T, site *webtest.Site) []byte {
	t.Helper()
	resp, body := site.Get(t, "/api/hsds/export.zip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return []byte(body)
}

// previewUpload reads an upload and previews it against st, as the import screen does.
func previewUpload(t *testing.T, st hsds.ImportStore, name string, data []byte) *hsds.Preview {
	t.Helper()
	up, err := hsds.ParseUpload(name, data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := hsds.BuildPreview(t.Context(), st, up)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExportIsHSDSTabularData(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	files := unzip(t, exportZip(t, site))
	// Every file and value passes Open Referral's own data package (vendored unchanged), as
	// `frictionless validate` would check it.
	official := loadPackage(t, "spec/datapackage.json")
	if errs := validatePackage(official, files); len(errs) > 0 {
		t.Errorf("%d errors against the official datapackage.json, the first: %s", len(errs), strings.Join(errs[:min(len(errs), 20)], "\n"))
	}
	// And our own datapackage.json describes them as they are.
	var ours tsPackage
	if err := json.Unmarshal([]byte(files["datapackage.json"]), &ours); err != nil {
		t.Fatal(err)
	}
	if errs := validatePackage(ours, files); len(errs) > 0 {
		t.Errorf("%d errors against the export's own datapackage.json: %v", len(errs), errs[:min(len(errs), 20)])
	}
	if !strings.Contains(files["phones.csv"], "+18883737888,,voice") || !strings.Contains(files["services.csv"], "National Human Trafficking Hotline") {
		t.Error("the national hotline's number is not in the export")
	}
	if !strings.Contains(files["datapackage.json"], `"tabular-data-package"`) {
		t.Error("datapackage.json is not a tabular data package")
	}
	// The Open data page links the download.
	doc := site.MustDoc(t, "/open-data", http.StatusOK)
	if doc.Find(`a[href="/api/hsds/export.zip"]`).Length() == 0 {
		t.Error("the Open data page does not link the zip")
	}
}

func TestExportThenImportChangesNothing(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := t.Context()
	// Make the data less tidy than the seed: a verified date, a Spanish translation.
	verifyPolaris(t, site)
	st := app.ImportStore{Store: site.Store}
	p := previewUpload(t, st, "hsds.zip", exportZip(t, site))
	for _, c := range p.Changed {
		t.Errorf("round trip changes %s: %v", c.Listing.Name, c.Fields)
	}
	for _, c := range p.Added {
		t.Errorf("round trip adds %s", c.Listing.Name)
	}
	for _, pr := range p.Invalid {
		t.Errorf("round trip refuses %s", pr)
	}
	for _, pr := range p.LeftOut {
		t.Errorf("round trip leaves out %s", pr)
	}
	if p.Unchanged < 40 {
		t.Errorf("only %d listings matched", p.Unchanged)
	}
	_, before, _ := site.Store.ListListings(ctx, directory.ListingFilter{Drafts: true})
	res, err := hsds.Apply(ctx, st, p, staff)
	if err != nil || res.Added+res.Changed != 0 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	if _, after, _ := site.Store.ListListings(ctx, directory.ListingFilter{Drafts: true}); after != before {
		t.Errorf("listings: %d before, %d after", before, after)
	}
}

func TestImportPreviewsThenAppliesAsRevisions(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	ctx := t.Context()
	st := app.ImportStore{Store: site.Store}

	// Another directory sends back our data with one change and one new line, plus rows we
	// cannot take.
	data := exportZip(t, site)
	files := unzip(t, data)
	files["services.csv"] = strings.Replace(files["services.csv"], "Polaris runs the National", "Polaris still runs the National", 1)
	files["organizations.csv"] = addRow(t, files["organizations.csv"], map[string]string{
		"id": "b1c2d3e4-0000-4000-8000-000000000001", "name": "Kenai Youth Shelter", "description": "Shelter for young people.", "website": "https://example.org/kenai"})
	for _, r := range []map[string]string{
		{"id": "b1c2d3e4-0000-4000-8000-000000000002", "organization_id": "b1c2d3e4-0000-4000-8000-000000000001", "name": "Kenai Youth Shelter Line", "description": "A line for young people.", "status": "active"},
		{"name": "No id", "status": "active"},
		{"id": "b1c2d3e4-0000-4000-8000-000000000003", "description": "No name", "status": "active"},
		{"id": "b1c2d3e4-0000-4000-8000-000000000004", "name": "Closed place", "status": "defunct"},
		{"id": "b1c2d3e4-0000-4000-8000-000000000005", "name": "Bad website", "url": "not a url", "status": "active"},
	} {
		files["services.csv"] = addRow(t, files["services.csv"], r)
	}
	files["phones.csv"] = addRow(t, files["phones.csv"], map[string]string{"id": "b1c2d3e4-0000-4000-8000-000000000009",
		"service_id": "b1c2d3e4-0000-4000-8000-000000000002", "number": "+1 907 555 0142", "type": "voice", "description": "Call the line"})
	files["service_areas.csv"] = addRow(t, files["service_areas.csv"], map[string]string{
		"id": "b1c2d3e4-0000-4000-8000-00000000000a", "service_id": "b1c2d3e4-0000-4000-8000-000000000002", "name": "Kenai Peninsula"})
	files["languages.csv"] = addRow(t, files["languages.csv"], map[string]string{
		"id": "b1c2d3e4-0000-4000-8000-00000000000b", "service_id": "b1c2d3e4-0000-4000-8000-000000000002", "name": "Dena'ina", "code": "tfn"})
	p := previewUpload(t, st, "back.zip", zipOf(t, files))
	var added []string
	for _, c := range p.Added {
		added = append(added, string(c.Listing.Kind)+":"+c.Listing.Name)
	}
	if strings.Join(added, ",") != "organization:Kenai Youth Shelter,organization:Bad website,hotline:Kenai Youth Shelter Line" {
		t.Errorf("added = %v", added)
	}
	if len(p.Changed) != 1 || p.Changed[0].Existing.Slug != "polaris" || strings.Join(p.Changed[0].Fields, ",") != "summary" {
		t.Errorf("changed = %+v", p.Changed)
	}
	if len(p.Invalid) != 3 {
		t.Errorf("invalid = %v, want 3 (no id, no name, defunct)", p.Invalid)
	}
	// An area and a language the directory has no filter for, and a website that is not a
	// web address: the rows are imported without them, and the preview says so.
	var leftOut []string
	for _, pr := range p.LeftOut {
		leftOut = append(leftOut, pr.String())
	}
	if len(leftOut) != 3 || !strings.Contains(leftOut[0], `"Kenai Peninsula"`) || !strings.Contains(leftOut[1], `"Dena'ina"`) ||
		!strings.Contains(leftOut[2], `"not a url" (website) is left out`) {
		t.Errorf("left out = %q, want the Kenai Peninsula area, the Dena'ina language and the website", leftOut)
	}
	// Nothing is saved by a preview.
	if _, err := site.Store.FindListing(ctx, directory.KindOrganization, "kenai-youth-shelter", "en"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatal("the preview saved something")
	}

	res, err := hsds.Apply(ctx, st, p, staff)
	if err != nil || res.Added != 3 || res.Changed != 1 || len(res.Failed) != 0 {
		t.Fatalf("apply = %+v, %v", res, err)
	}
	line, _, _ := site.Store.ListListings(ctx, directory.ListingFilter{Drafts: true, Kind: directory.KindHotline})
	var got *directory.Listing
	for _, l := range line {
		if l.Name == "Kenai Youth Shelter Line" {
			got = l
		}
	}
	if got == nil || got.Status != directory.StatusDraft || len(got.Channels) != 1 || got.Channels[0].Number != "+19075550142" {
		t.Fatalf("the new line = %+v", got)
	}
	// It is run by the new organization (a draft too, so only the stored row says so).
	var operator string
	site.Store.DB().QueryRow(`SELECT o.slug FROM listings l JOIN listings o ON o.id = l.operated_by WHERE l.id = ?`, got.ID).Scan(&operator)
	if operator != "kenai-youth-shelter" {
		t.Errorf("the new line is run by %q", operator)
	}
	polaris, _ := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en")
	revs, _ := site.Store.ListRevisions(ctx, "listings", polaris.ID, "en")
	if revs[0].Action != store.ActionImport {
		t.Errorf("the change was saved as %q, want an import revision", revs[0].Action)
	}
	// It can be undone like any edit.
	if _, err := site.Store.RestoreListingRevision(ctx, revs[1].ID, store.Actor{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := site.Store.FindListing(ctx, directory.KindOrganization, "polaris", "en"); strings.Contains(p.Summary, "still runs") {
		t.Error("restoring the revision before the import did not undo it")
	}
}

func TestImportReadsOneCSV(t *testing.T) {
	site := webtest.MustStart(t, webtest.Options{})
	p := previewUpload(t, app.ImportStore{Store: site.Store}, "orgs.csv", []byte("id,name,description\nx1,Nome Harbor Aid,Helps fishers.\n"))
	if len(p.Added) != 1 || p.Added[0].Listing.Slug != "nome-harbor-aid" {
		t.Fatalf("preview = %+v", p)
	}
	for _, bad := range [][]byte{nil, []byte("hello"), []byte("PK\x03\x04garbage")} {
		if _, err := hsds.ParseUpload("x.bin", bad); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("ParseUpload(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// FuzzParseUpload feeds the CSV reader anything: it must answer with rows, problems or a
// clear error, never panic.
func FuzzParseUpload(f *testing.F) {
	f.Add("services.csv", "id,organization_id,name,status\n1,2,A line,active\n")
	f.Add("organizations.csv", "id,name\n\"1,x\n")
	f.Add("phones.csv", "id,number\n1,\xff\n")
	f.Add("services.csv", "\ufeffid,name,organization_id,status\n1,\"a\"\"b\",,active\n2\n")
	f.Add("x.csv", "id,name\n")
	f.Add("service.json", `{"id":"1","name":"A line","status":"active","phones":[{"id":"2","number":"\"+1 907 555 0100\""}],"organization":{"id":"3","name":"O","phones":[{"id":"2"}]}}`)
	f.Add("list.json", `{"contents":[{"id":"1","name":"O","services":[{"id":"2","name":"S","status":"active","service_at_locations":[{"id":"4","location":{"id":"5","addresses":[{"id":"6"}]}}]}]}]}`)
	f.Add("x.json", `[1,"a",null,{"attributes":[{"taxonomy_term":{"id":"t"}}]}]`)
	f.Fuzz(func(t *testing.T, name, body string) {
		up, err := hsds.ParseUpload(name, []byte(body))
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("ParseUpload: %v", err)
			}
			return
		}
		for _, p := range up.Problems {
			if p.Reason == "" {
				t.Fatal("a problem without a reason")
			}
		}
	})
}

func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, _ := zw.Create("export/" + name)
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// addRow appends a row to CSV text, its values placed under the header's columns.
func addRow(t *testing.T, text string, values map[string]string) string {
	t.Helper()
	header, err := csv.NewReader(strings.NewReader(text)).Read()
	if err != nil {
		t.Fatal(err)
	}
	row := make([]string, len(header))
	for i, h := range header {
		row[i] = values[h]
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + b.String()
}

// FuzzImportPreview previews anything that parses against a real directory: a preview
// must list problems, never panic.
func FuzzImportPreview(f *testing.F) {
	f.Add("organizations.csv", "id,name,description,email,website\nx1,Nome Harbor Aid,Helps fishers.,not-an-email,ftp://x\n")
	f.Add("services.csv", "id,organization_id,name,status,assured_date\n1,2,Crisis Line,active,yesterday\n1,2,Twice,active,\n")
	f.Add("service.json", `{"id":"1","name":"A","status":"active","phones":[{"id":"2","number":"+1 907 555 0100","type":"text"},{"id":"3","number":"+1 907 555 0100","type":"text"}],"attributes":[{"id":"a","taxonomy_term":{"id":"t","code":"kind:hotline","taxonomy":"kind"}}],"service_at_locations":[{"id":"4","location":{"id":"5","latitude":99,"longitude":"x","addresses":[{"id":"6","address_1":"1 Main","city":"Nome"}]}}]}`)
	st := app.ImportStore{Store: webtest.MustOpenStore(f)}
	f.Fuzz(func(t *testing.T, name, body string) {
		up, err := hsds.ParseUpload(name, []byte(body))
		if err != nil {
			return
		}
		if _, err := hsds.BuildPreview(t.Context(), st, up); err != nil {
			t.Fatalf("BuildPreview: %v", err)
		}
	})
}

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
	ctx := t.Context()
	st := app.ImportStore{Store: site.Store}
	p := previewUpload(t, st, name, data)
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

// verifyPolaris marks Polaris verified now: a change of the data, and a date to export.
func verifyPolaris(t *testing.T, site *webtest.Site) {
	t.Helper()
	polaris, err := site.Store.FindListing(t.Context(), directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Store.MarkListingVerified(t.Context(), polaris.ID, store.Actor{}); err != nil {
		t.Fatal(err)
	}
}

// addPolarisPlaces gives Polaris an office and a private place, so that locations,
// addresses and service_at_location have rows too.
func addPolarisPlaces(t *testing.T, site *webtest.Site) {
	t.Helper()
	polaris, err := site.Store.FindListing(t.Context(), directory.KindOrganization, "polaris", "en")
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 61.2176, -149.8997
	if err := site.Store.SaveLocations(t.Context(), polaris.ID, []directory.Location{
		{Name: "Anchorage office", Street: "632 W 6th Ave", City: "Anchorage", State: "AK", PostalCode: "99501", Latitude: &lat, Longitude: &lon},
		{City: "Juneau", State: "AK", Private: true},
	}); err != nil {
		t.Fatal(err)
	}
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
	a := webtest.MustStart(t, webtest.Options{})
	addPolarisPlaces(t, a)
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
