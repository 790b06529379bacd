package hsds_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"signpost/internal/hsds"
)

// A Frictionless Table Schema check of a tabular data package, for the tests: what
// `frictionless validate datapackage.json` reports, for the parts HSDS uses. Per file: the
// header is the schema's field names in order (no column missing, extra or moved); per
// value: required, unique, enum, type (string, number, integer, boolean, date, time,
// datetime) and format (uuid, email, uri); per package: primary keys unique and every
// foreign key pointing at an existing row.

type tsForeignKey struct {
	Fields    any `json:"fields"`
	Reference struct {
		Resource string `json:"resource"`
		Fields   any    `json:"fields"`
	} `json:"reference"`
}

type tsResource struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Schema struct {
		Fields      []hsds.FieldSpec `json:"fields"`
		PrimaryKey  any              `json:"primaryKey"`
		ForeignKeys []tsForeignKey   `json:"foreignKeys"`
	} `json:"schema"`
}

type tsPackage struct {
	Resources []tsResource `json:"resources"`
}

func one(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) == 1 {
			s, _ := x[0].(string)
			return s
		}
	}
	return ""
}

var (
	tsUUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	timeRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$`)
)

// checkValue returns why v is not a valid value of f, or "".
func checkValue(f hsds.FieldSpec, v string) string {
	if v == "" {
		if f.Constraints.Required {
			return "required"
		}
		return ""
	}
	if len(f.Constraints.Enum) > 0 && !slices.Contains(f.Constraints.Enum, v) {
		return "not one of " + strings.Join(f.Constraints.Enum, ", ")
	}
	switch f.Type {
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "not a number"
		}
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "not an integer"
		}
	case "boolean":
		if !slices.Contains([]string{"true", "false", "True", "False", "TRUE", "FALSE", "1", "0"}, v) {
			return "not a boolean"
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "not a date (YYYY-MM-DD)"
		}
	case "time":
		if !timeRE.MatchString(v) {
			return "not a time (HH:MM:SS)"
		}
	case "datetime":
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "not a datetime (RFC 3339)"
		}
	}
	switch f.Format {
	case "uuid":
		if !tsUUID.MatchString(v) {
			return "not a uuid"
		}
	case "email":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return "not an email address"
		}
	case "uri":
		if u, err := url.Parse(v); err != nil || u.Scheme == "" {
			return "not a uri"
		}
	}
	return ""
}

// validatePackage checks files (file name → contents) against the package pkg and returns
// every error, as "file: row N: field: why".
func validatePackage(pkg tsPackage, files map[string]string) []string {
	var errs []string
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	values := map[string]map[string]map[string]bool{} // resource → field → values
	type fk struct {
		res, file, field, refRes, refField string
	}
	var fks []fk
	rows := map[string][]map[string]string{}
	for _, r := range pkg.Resources {
		body, ok := files[r.Path]
		if !ok {
			fail("%s: missing (resource %s)", r.Path, r.Name)
			continue
		}
		values[r.Name] = map[string]map[string]bool{}
		for _, k := range r.Schema.ForeignKeys {
			fks = append(fks, fk{r.Name, r.Path, one(k.Fields), k.Reference.Resource, one(k.Reference.Fields)})
		}
		if len(r.Schema.Fields) == 0 {
			continue // upstream declares no fields (unit): nothing to check against
		}
		cr := csv.NewReader(strings.NewReader(body))
		recs, err := cr.ReadAll()
		if err != nil || len(recs) == 0 {
			fail("%s: not CSV: %v", r.Path, err)
			continue
		}
		var want []string
		for _, f := range r.Schema.Fields {
			want = append(want, f.Name)
		}
		if !slices.Equal(recs[0], want) {
			fail("%s: header %v, the schema's fields %v", r.Path, recs[0], want)
			continue
		}
		pk := one(r.Schema.PrimaryKey)
		seen := map[string]map[string]bool{}
		for i, rec := range recs[1:] {
			row := map[string]string{}
			for j, f := range r.Schema.Fields {
				v := rec[j]
				row[f.Name] = v
				if why := checkValue(f, v); why != "" {
					fail("%s: row %d: %s %q: %s", r.Path, i+2, f.Name, v, why)
				}
				if v == "" {
					continue
				}
				if f.Constraints.Unique || f.Name == pk {
					if seen[f.Name] == nil {
						seen[f.Name] = map[string]bool{}
					}
					if seen[f.Name][v] {
						fail("%s: row %d: %s %q: not unique", r.Path, i+2, f.Name, v)
					}
					seen[f.Name][v] = true
				}
				if values[r.Name][f.Name] == nil {
					values[r.Name][f.Name] = map[string]bool{}
				}
				values[r.Name][f.Name][v] = true
			}
			rows[r.Name] = append(rows[r.Name], row)
		}
	}
	for _, k := range fks {
		for i, row := range rows[k.res] {
			if v := row[k.field]; v != "" && !values[k.refRes][k.refField][v] {
				fail("%s: row %d: %s %q: foreign key to %s.%s points at nothing", k.file, i+2, k.field, v, k.refRes, k.refField)
			}
		}
	}
	return errs
}

func loadPackage(t *testing.T, path string) tsPackage {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p tsPackage
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestValidateZipFromEnv checks any HSDS zip against the official datapackage.json, for
// people comparing exports: HSDS_VALIDATE_ZIP=/path/to/export.zip go test -run
// TestValidateZipFromEnv -v ./internal/hsds. It is skipped without the variable.
func TestValidateZipFromEnv(t *testing.T) {
	path := os.Getenv("HSDS_VALIDATE_ZIP")
	if path == "" {
		t.Skip("HSDS_VALIDATE_ZIP is not set")
	}
	b, err := os.ReadFile(path) // #nosec G304 -- a file the person running the test names
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for name, body := range unzip(t, b) {
		files[filepath.Base(name)] = body
	}
	errs := validatePackage(loadPackage(t, "spec/datapackage.json"), files)
	kinds := map[string]int{}
	for _, e := range errs {
		file, rest, _ := strings.Cut(e, ": ")
		why := rest
		if i := strings.LastIndex(rest, ": "); i >= 0 {
			why = rest[i+2:]
		}
		if strings.HasPrefix(rest, "header") {
			why = "header differs from the schema's fields"
		}
		kinds[file+": "+why]++
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		t.Logf("%6d  %s", kinds[k], k)
	}
	t.Logf("%d errors against the official datapackage.json", len(errs))
}
