package hsds

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"signpost/internal/directory"
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
	published := map[int64]bool{}
	for _, l := range list {
		published[l.ID] = true
	}
	d := &Dataset{Taxonomies: m.taxonomies(), Terms: m.taxonomyTerms()}
	for _, l := range list {
		if l.Kind == directory.KindHotline && l.OperatedBy != nil && !published[l.OperatedBy.ID] {
			// Run by an organization that is not published (a draft, or in the trash): the
			// line stands as its own organization, so that no id points at a record the
			// download does not have.
			c := *l
			c.OperatedBy = nil
			l = &c
		}
		if isOrganization(l) {
			d.Organizations = append(d.Organizations, m.organization(l))
		}
		d.Services = append(d.Services, m.service(l))
	}
	return d, nil
}

// mapperStore is what a mapper reads: the namespace of our ids, the ids kept from imported
// data, the terms and the places.
type mapperStore interface {
	Setting(ctx context.Context, key string) (string, error)
	HSDSIDs(ctx context.Context) (map[string]string, error)
	ListTerms(ctx context.Context, taxonomy, lang string) ([]directory.Term, error)
	ListLocations(ctx context.Context) (map[int64][]directory.Location, error)
}

func newMapper(ctx context.Context, st mapperStore) (*mapper, error) {
	ns, err := st.Setting(ctx, "hsds_namespace")
	if err != nil {
		return nil, err
	}
	terms, err := st.ListTerms(ctx, "", "en")
	if err != nil {
		return nil, err
	}
	known, err := st.HSDSIDs(ctx)
	if err != nil {
		return nil, err
	}
	locs, err := st.ListLocations(ctx)
	if err != nil {
		return nil, err
	}
	return newMapperFrom(ns, terms, known, locs), nil
}

// record is one row of a table: column → value. Columns it does not name are empty.
type record map[string]string

// recordOf is the row of one of the model's records (a Location, a Phone…): each text field,
// and each coordinate, under its JSON name, which HSDS gives its table column too. Lists
// and nested records are rows of their own tables.
func recordOf(v any) record {
	r := record{}
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		switch f := rv.Field(i).Interface().(type) {
		case string:
			r[name] = f
		case *float64:
			r[name] = num(f)
		}
	}
	return r
}

func num(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// rows returns each table's rows, by file name.
func (d *Dataset) rows() map[string][]record {
	out := map[string][]record{}
	add := func(path string, r record) { out[path] = append(out[path], r) }
	seen := map[string]bool{}
	once := func(id string) bool {
		if seen[id] {
			return false
		}
		seen[id] = true
		return true
	}
	addLocation := func(l Location) {
		if !once(l.ID) {
			return
		}
		add("locations.csv", recordOf(l))
		addAll(out, "addresses.csv", l.Addresses)
	}
	for _, o := range d.Organizations {
		add("organizations.csv", recordOf(o))
		for _, l := range o.Locations {
			addLocation(l)
		}
	}
	for _, s := range d.Services {
		add("services.csv", recordOf(s))
		for _, p := range s.Phones {
			if !once(p.ID) {
				continue
			}
			add("phones.csv", recordOf(p))
			addAll(out, "languages.csv", p.Languages)
		}
		addAll(out, "languages.csv", s.Languages)
		addAll(out, "schedules.csv", s.Schedules)
		addAll(out, "service_areas.csv", s.ServiceAreas)
		addAll(out, "attributes.csv", s.Attributes)
		for _, sl := range s.ServiceAtLocations {
			if sl.Location != nil {
				l := *sl.Location
				if l.OrganizationID == "" {
					l.OrganizationID = s.OrganizationID
				}
				addLocation(l)
			}
			add("service_at_location.csv", recordOf(sl))
		}
	}
	addAll(out, "taxonomies.csv", d.Taxonomies)
	addAll(out, "taxonomy_terms.csv", d.Terms)
	return out
}

// addAll adds a row to the table at path for each of xs.
func addAll[T any](out map[string][]record, path string, xs []T) {
	for _, x := range xs {
		out[path] = append(out[path], recordOf(x))
	}
}

// WriteZip writes the dataset as HSDS tabular data: every file of the official data package,
// each with every official column in its order (empty where Signpost has nothing), and a
// datapackage.json that describes them, zipped.
func (d *Dataset) WriteZip(w io.Writer, title string, created time.Time) error {
	zw := zip.NewWriter(w)
	rows := d.rows()
	for _, t := range spec.Resources {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: t.Path, Method: zip.Deflate, Modified: created})
		if err != nil {
			return err
		}
		// Values are written as they are, with no quote put before a leading = + - or @ (the
		// usual guard against a spreadsheet reading a cell as a formula): every phone number
		// begins with +, and the files are for other directories' programs, which would take
		// the quote as data. What is in them is staff-reviewed text, never a visitor's.
		cw := csv.NewWriter(f)
		cols := t.columns()
		if err := cw.Write(cols); err != nil {
			return err
		}
		line := make([]string, len(cols))
		for _, r := range rows[t.Path] {
			for i, c := range cols {
				line[i] = r[c]
			}
			if err := cw.Write(line); err != nil {
				return err
			}
		}
		if cw.Flush(); cw.Error() != nil {
			return cw.Error()
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

// datapackage describes the CSV files as a Frictionless tabular data package: the official
// one (every table's schema with its types, formats, required fields and foreign keys), with
// this directory's title and the date of the export.
func datapackage(title string, created time.Time) map[string]any {
	var resources []map[string]any
	for _, t := range spec.Resources {
		schema := json.RawMessage(t.Schema)
		if t.Name == "unit" {
			var fields []map[string]string
			for _, c := range unitColumns {
				fields = append(fields, map[string]string{"name": c, "type": "string"})
			}
			b, _ := json.Marshal(map[string]any{"primaryKey": "id", "fields": fields}) // #nosec G104 -- a map of strings always encodes
			schema = b
		}
		resources = append(resources, map[string]any{
			"name": t.Name, "path": t.Path, "profile": "tabular-data-resource",
			"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
		})
	}
	return map[string]any{
		"name":         "hsds",
		"title":        title,
		"profile":      "tabular-data-package",
		"created":      created.UTC().Format(time.RFC3339),
		"version":      spec.Version,
		"hsds_version": Version,
		"homepage":     "https://docs.openreferral.org",
		"sources":      []map[string]string{{"title": "Open Referral HSDS (" + SpecBranch + "), CC BY-SA 4.0", "path": "https://github.com/openreferral/specification"}},
		"resources":    resources,
	}
}

// ExportPath is the stable URL path of the bulk download, under the API's mount point.
const ExportPath = "/export.zip"

// exportCache holds the bulk download built for one generation of the data. A download is
// built once per change and served from memory to everyone after (a directory's is a few
// MB); requests that arrive while it is being built wait for that build instead of each
// starting their own.
type exportCache struct {
	mu   sync.Mutex
	gen  uint64
	data []byte
	etag string
	at   time.Time
}

// get returns the download of generation gen, building it with build if needed.
func (c *exportCache) get(gen uint64, build func() ([]byte, error)) ([]byte, string, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && c.gen == gen {
		return c.data, c.etag, c.at, nil
	}
	b, err := build()
	if err != nil {
		return nil, "", time.Time{}, err
	}
	sum := sha256.Sum256(b)
	c.gen, c.data, c.etag, c.at = gen, b, `"`+hex.EncodeToString(sum[:16])+`"`, time.Now().UTC().Truncate(time.Second)
	return c.data, c.etag, c.at, nil
}

func (a *API) handleExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	data, etag, at, err := a.export.get(a.store.Generation(), func() ([]byte, error) {
		site, err := a.store.Settings(ctx, "en")
		if err != nil {
			return nil, err
		}
		d, err := LoadDataset(ctx, a.store)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := d.WriteZip(&buf, site.SiteName, time.Now()); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	})
	if err != nil {
		a.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="hsds.zip"`)
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match (304), Range and HEAD, and streams from memory.
	http.ServeContent(w, r, "hsds.zip", at, bytes.NewReader(data))
}
