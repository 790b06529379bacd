package hsds

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"signpost/internal/directory"
)

// table is one CSV file of the tabular form: its HSDS table name, file and columns.
type table struct {
	name    string
	path    string
	columns []string
}

// tables are the files the export writes and the import reads, with HSDS's file names and
// column names (schema/*.json "path" and properties).
var (
	tOrganizations = table{"organization", "organizations.csv", []string{"id", "name", "description", "email", "website"}}
	tServices      = table{"service", "services.csv", []string{"id", "organization_id", "name", "description", "url", "email", "status", "assured_date", "last_modified"}}
	tPhones        = table{"phone", "phones.csv", []string{"id", "service_id", "organization_id", "number", "type", "description"}}
	tLanguages     = table{"language", "languages.csv", []string{"id", "service_id", "phone_id", "name", "code"}}
	tSchedules     = table{"schedule", "schedules.csv", []string{"id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"}}
	tServiceAreas  = table{"service_area", "service_areas.csv", []string{"id", "service_id", "name", "description"}}
	tTaxonomies    = table{"taxonomy", "taxonomies.csv", []string{"id", "name", "description"}}
	tTerms         = table{"taxonomy_term", "taxonomy_terms.csv", []string{"id", "code", "name", "description", "taxonomy", "taxonomy_id", "language"}}
	tAttributes    = table{"attribute", "attributes.csv", []string{"id", "link_id", "link_entity", "taxonomy_term_id"}}
	allTables      = []table{tOrganizations, tServices, tPhones, tLanguages, tSchedules, tServiceAreas, tTaxonomies, tTerms, tAttributes}
)

// Dataset is the whole directory as HSDS records.
type Dataset struct {
	Organizations []Organization
	Services      []Service
	Taxonomies    []Taxonomy
	Terms         []TaxonomyTerm
}

// LoadDataset reads every published hotline, organization and agency as HSDS records.
func LoadDataset(ctx context.Context, st Store) (*Dataset, error) {
	m, err := newMapper(ctx, st)
	if err != nil {
		return nil, err
	}
	list, _, err := st.ListListings(ctx, directory.ListingFilter{Kinds: serviceKinds, Lang: "en", ByID: true})
	if err != nil {
		return nil, err
	}
	d := &Dataset{Taxonomies: m.taxonomies(), Terms: m.taxonomyTerms()}
	for _, l := range list {
		if isOrganization(l) {
			d.Organizations = append(d.Organizations, m.organization(l))
		}
		d.Services = append(d.Services, m.service(l))
	}
	return d, nil
}

// termStore is what a mapper reads: the namespace of our ids and the terms.
type termStore interface {
	Setting(ctx context.Context, key string) (string, error)
	ListTerms(ctx context.Context, taxonomy, lang string) ([]directory.Term, error)
}

func newMapper(ctx context.Context, st termStore) (*mapper, error) {
	ns, err := st.Setting(ctx, "hsds_namespace")
	if err != nil {
		return nil, err
	}
	terms, err := st.ListTerms(ctx, "", "en")
	if err != nil {
		return nil, err
	}
	return &mapper{ids: ids{ns: ns}, terms: terms}, nil
}

// rows returns each table's rows, in the order of its columns.
func (d *Dataset) rows() map[string][][]string {
	out := map[string][][]string{}
	add := func(t table, row ...string) { out[t.path] = append(out[t.path], row) }
	for _, o := range d.Organizations {
		add(tOrganizations, o.ID, o.Name, o.Description, o.Email, o.Website)
	}
	seenPhone := map[string]bool{}
	for _, s := range d.Services {
		add(tServices, s.ID, s.OrganizationID, s.Name, s.Description, s.URL, s.Email, s.Status, s.AssuredDate, s.LastModified)
		for _, p := range s.Phones {
			if seenPhone[p.ID] {
				continue
			}
			seenPhone[p.ID] = true
			add(tPhones, p.ID, p.ServiceID, p.OrganizationID, p.Number, p.Type, p.Description)
			for _, l := range p.Languages {
				add(tLanguages, l.ID, "", l.PhoneID, l.Name, l.Code)
			}
		}
		for _, l := range s.Languages {
			add(tLanguages, l.ID, l.ServiceID, "", l.Name, l.Code)
		}
		for _, x := range s.Schedules {
			add(tSchedules, x.ID, x.ServiceID, x.Freq, x.Byday, x.OpensAt, x.ClosesAt, x.Description)
		}
		for _, a := range s.ServiceAreas {
			add(tServiceAreas, a.ID, a.ServiceID, a.Name, a.Description)
		}
		for _, a := range s.Attributes {
			add(tAttributes, a.ID, a.LinkID, a.LinkEntity, a.TaxonomyTermID)
		}
	}
	for _, t := range d.Taxonomies {
		add(tTaxonomies, t.ID, t.Name, t.Description)
	}
	for _, t := range d.Terms {
		add(tTerms, t.ID, t.Code, t.Name, t.Description, t.Taxonomy, t.TaxonomyID, t.Language)
	}
	return out
}

// WriteZip writes the dataset as HSDS tabular data: one CSV per table and a
// datapackage.json that describes them, zipped.
func (d *Dataset) WriteZip(w io.Writer, title string, created time.Time) error {
	zw := zip.NewWriter(w)
	rows := d.rows()
	for _, t := range allTables {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: t.path, Method: zip.Deflate, Modified: created})
		if err != nil {
			return err
		}
		// Values are written as they are, with no quote put before a leading = + - or @ (the
		// usual guard against a spreadsheet reading a cell as a formula): every phone number
		// begins with +, and the files are for other directories' programs, which would take
		// the quote as data. What is in them is staff-reviewed text, never a visitor's.
		cw := csv.NewWriter(f)
		if err := cw.Write(t.columns); err != nil {
			return err
		}
		if err := cw.WriteAll(rows[t.path]); err != nil {
			return err
		}
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "datapackage.json", Method: zip.Deflate, Modified: created})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(datapackage(title, created)); err != nil {
		return err
	}
	return zw.Close()
}

// datapackage describes the CSV files as a Frictionless tabular data package, as HSDS's
// tabular form asks.
func datapackage(title string, created time.Time) map[string]any {
	var resources []map[string]any
	for _, t := range allTables {
		var fields []map[string]string
		for _, c := range t.columns {
			fields = append(fields, map[string]string{"name": c, "type": "string"})
		}
		resources = append(resources, map[string]any{
			"name": t.name, "path": t.path, "profile": "tabular-data-resource",
			"format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
			"schema": map[string]any{"fields": fields, "primaryKey": "id"},
		})
	}
	return map[string]any{
		"name":      "hsds",
		"title":     title,
		"profile":   "tabular-data-package",
		"created":   created.UTC().Format(time.RFC3339),
		"resources": resources,
	}
}

// ExportPath is the stable URL path of the bulk download, under the API's mount point.
const ExportPath = "/export.zip"

func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	site, err := a.store.Settings(ctx, "en")
	if err != nil {
		a.error(w, r, err)
		return
	}
	d, err := LoadDataset(ctx, a.store)
	if err != nil {
		a.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := d.WriteZip(&buf, site.SiteName, time.Now()); err != nil {
		a.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="hsds.zip"`)
	h.Set("Cache-Control", cacheControl)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // an error means the client has gone
	}
}
