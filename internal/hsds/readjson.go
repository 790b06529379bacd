package hsds

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// HSDS JSON (the API's documents) is flattened into the tabular form's tables: every nested
// object becomes a row of its own table, linked to the object it sits in.

// nestedTables maps the keys of HSDS JSON's nested objects to their table's file and type.
var nestedTables = map[string]struct{ file, typ string }{
	"organization":             {"organizations.csv", "organization"},
	"services":                 {"services.csv", "service"},
	"service":                  {"services.csv", "service"},
	"phones":                   {"phones.csv", "phone"},
	"schedules":                {"schedules.csv", "schedule"},
	"service_areas":            {"service_areas.csv", "service_area"},
	"languages":                {"languages.csv", "language"},
	"attributes":               {"attributes.csv", "attribute"},
	"taxonomy_term":            {"taxonomy_terms.csv", "taxonomy_term"},
	"taxonomy_detail":          {"taxonomies.csv", "taxonomy"},
	"service_at_locations":     {"service_at_location.csv", "service_at_location"},
	"location":                 {"locations.csv", "location"},
	"locations":                {"locations.csv", "location"},
	"addresses":                {"addresses.csv", "address"},
	"contacts":                 {"contacts.csv", "contact"},
	"funding":                  {"funding.csv", "funding"},
	"cost_options":             {"cost_options.csv", "cost_option"},
	"required_documents":       {"required_documents.csv", "required_document"},
	"program":                  {"programs.csv", "program"},
	"programs":                 {"programs.csv", "program"},
	"organization_identifiers": {"organization_identifiers.csv", "organization_identifier"},
	"accessibility":            {"accessibility.csv", "accessibility"},
	"metadata":                 {"metadata.csv", "metadata"},
	"capacities":               {"service_capacity.csv", "service_capacity"},
	"additional_websites":      {"url.csv", "url"},
	"additional_urls":          {"url.csv", "url"},
}

// jsonReader flattens documents into an upload's tables.
type jsonReader struct {
	up   *Upload
	name string         // the document's file name, for messages
	seen map[string]int // file + id → row: a record nested in several places is one row
	item int
}

// readJSON reads one HSDS JSON document: a service, an organization, a service at a
// location, a list of them, or an API page ({"contents": […]}).
func (up *Upload) readJSON(file string, data []byte) error {
	if len(data) > maxJSONBytes {
		return directory.Errorf(directory.EINVALID, "A JSON file may be at most %d MB.", maxJSONBytes>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return directory.Errorf(directory.EINVALID, "The JSON file cannot be read: it is not valid JSON.")
	}
	jr := &jsonReader{up: up, name: file, seen: map[string]int{}}
	var items []any
	switch v := doc.(type) {
	case []any:
		items = v
	case map[string]any:
		if c, ok := v["contents"].([]any); ok {
			items = c
		} else {
			items = []any{v}
		}
	}
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			continue
		}
		jr.item++
		jr.object(topType(obj), obj, "", "")
	}
	return nil
}

// topType tells what a top-level document is: a service has a status (required) and names
// its organization; a service at a location links both; anything else is an organization.
func topType(obj map[string]any) string {
	_, status := obj["status"]
	_, org := obj["organization_id"]
	_, svc := obj["service_id"]
	_, loc := obj["location_id"]
	switch {
	case svc && loc:
		return "service_at_location"
	case status || org:
		return "service"
	}
	return "organization"
}

var fileOfType = map[string]string{"service": "services.csv", "organization": "organizations.csv", "service_at_location": "service_at_location.csv"}

// object adds obj as a row of typ, linked to its parent (parentTyp, parentID), then its
// nested objects. It returns obj's id.
func (jr *jsonReader) object(typ string, obj map[string]any, parentTyp, parentID string) string {
	file := fileOfType[typ]
	for _, n := range nestedTables {
		if n.typ == typ {
			file = n.file
		}
	}
	vals := map[string]string{}
	type child struct {
		key string
		v   any
	}
	var children []child
	for _, k := range slices.Sorted(maps.Keys(obj)) { // sorted: the same file reads the same way every time
		v := obj[k]
		switch x := v.(type) {
		case string:
			vals[k] = x
		case json.Number:
			vals[k] = x.String()
		case bool:
			vals[k] = strconv.FormatBool(x)
		case map[string]any, []any:
			children = append(children, child{k, v})
		}
	}
	if parentID != "" {
		switch typ {
		case "attribute", "metadata":
			if vals["link_id"] == "" && typ == "attribute" {
				vals["link_id"], vals["link_entity"] = parentID, parentTyp
			}
			if typ == "metadata" && vals["resource_id"] == "" {
				vals["resource_id"], vals["resource_type"] = parentID, parentTyp
			}
		case "service", "location":
			// Owned by an organization (its services, its places), else referenced.
			if parentTyp == "organization" && vals["organization_id"] == "" {
				vals["organization_id"] = parentID
			}
		case "taxonomy_term", "taxonomy", "organization", "program":
			// Referenced, not owned: the link is the parent's own column.
		default:
			if vals[parentTyp+"_id"] == "" {
				vals[parentTyp+"_id"] = parentID
			}
		}
	}
	id := vals["id"]
	t := jr.up.table(file)
	if len(t.rows) == 0 && t.file == file {
		// Messages name the JSON document and the kind of record ("service.json, phones").
		t.file = jr.name + ", " + strings.TrimSuffix(file, ".csv")
	}
	if i, ok := jr.seen[file+"\x00"+id]; ok && id != "" {
		// Seen elsewhere (a phone under its service and under its organization): what this
		// copy adds (the other link) fills the row's empty columns.
		t.fill(i, vals)
	} else {
		if id != "" {
			jr.seen[file+"\x00"+id] = len(t.rows)
		}
		t.addRow(jr.item, vals)
	}
	for _, c := range children {
		n, ok := nestedTables[c.key]
		if !ok {
			continue
		}
		switch v := c.v.(type) {
		case map[string]any:
			cid := jr.object(n.typ, v, typ, id)
			jr.link(typ, id, c.key, cid)
		case []any:
			for _, e := range v {
				if o, ok := e.(map[string]any); ok {
					jr.object(n.typ, o, typ, id)
				}
			}
		}
	}
	return id
}

// fill sets the empty columns of row i from vals.
func (t *rawTable) fill(i int, vals map[string]string) {
	for _, c := range slices.Sorted(maps.Keys(vals)) {
		v := vals[c]
		if v == "" || t.get(t.rows[i], c) != "" {
			continue
		}
		if _, ok := t.header[c]; !ok {
			t.header[c] = len(t.cols)
			t.cols = append(t.cols, c)
		}
		r := &t.rows[i]
		for len(r.fields) < len(t.cols) {
			r.fields = append(r.fields, "")
		}
		r.fields[t.header[c]] = v
	}
}

// link fills the column of a parent that names a referenced object (a service's
// organization_id, a service at a location's location_id) when the document left it out.
func (jr *jsonReader) link(typ, id, key, childID string) {
	col := map[string]string{"organization": "organization_id", "location": "location_id", "service": "service_id",
		"program": "program_id", "taxonomy_term": "taxonomy_term_id", "taxonomy_detail": "taxonomy_id"}[key]
	if col == "" || childID == "" {
		return
	}
	file := fileOfType[typ]
	for _, n := range nestedTables {
		if n.typ == typ {
			file = n.file
		}
	}
	t := jr.up.tables[file]
	if t == nil {
		return
	}
	if i, ok := jr.seen[file+"\x00"+id]; ok {
		t.fill(i, map[string]string{col: childID})
	}
}
