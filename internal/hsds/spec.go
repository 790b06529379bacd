package hsds

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// The tabular form follows Open Referral's own data package, vendored unchanged (see
// spec/SOURCE.md): the export writes every file it names with every column in its order, and
// the import knows which tables and columns exist.
//
//go:embed spec/datapackage.json
var officialPackage []byte

// SpecBranch names the specification the tabular form follows.
const SpecBranch = "openreferral/specification 3.1-dev"

// resourceSpec is one table of the official package.
type resourceSpec struct {
	Name   string          `json:"name"`
	Path   string          `json:"path"`
	Schema json.RawMessage `json:"schema"`
	fields []fieldSpec
}

type fieldSpec struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Format      string `json:"format"`
	Constraints struct {
		Required bool     `json:"required"`
		Unique   bool     `json:"unique"`
		Enum     []string `json:"enum"`
	} `json:"constraints"`
}

// columns returns the table's column names, in order.
func (r *resourceSpec) columns() []string {
	out := make([]string, 0, len(r.fields))
	for _, f := range r.fields {
		out = append(out, f.Name)
	}
	return out
}

// unitColumns are schema/unit.json's properties: the official package lists none (see
// spec/SOURCE.md), and a CSV file needs a header.
var unitColumns = []string{"id", "name", "scheme", "identifier", "uri"}

// spec is the parsed official package.
var spec = mustParseSpec(officialPackage)

type packageSpec struct {
	Version   string          `json:"version"`
	Resources []*resourceSpec `json:"resources"`
	byPath    map[string]*resourceSpec
}

func mustParseSpec(b []byte) *packageSpec {
	var p packageSpec
	if err := json.Unmarshal(b, &p); err != nil {
		panic(fmt.Sprintf("hsds: the vendored datapackage.json cannot be read: %v", err))
	}
	p.byPath = map[string]*resourceSpec{}
	for _, r := range p.Resources {
		var s struct {
			Fields []fieldSpec `json:"fields"`
		}
		if err := json.Unmarshal(r.Schema, &s); err != nil {
			panic(fmt.Sprintf("hsds: the vendored datapackage.json cannot be read: %v", err))
		}
		r.fields = s.Fields
		if r.Name == "unit" && len(r.fields) == 0 {
			for _, c := range unitColumns {
				r.fields = append(r.fields, fieldSpec{Name: c, Type: "string"})
			}
		}
		p.byPath[r.Path] = r
	}
	return &p
}
