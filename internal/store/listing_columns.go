package store

import (
	"fmt"
	"strings"

	"signpost/internal/directory"
)

// column is one column of a table and the field of a record it holds.
type column struct {
	name string
	ptr  any // *string or *bool
}

// listingPlain lists the listing's columns that hold one field as it is (text or a flag):
// one list for reading (listingColumns, scanListing), inserting and updating, so that a
// field added to directory.Listing is one line here, beside its migration.
func listingPlain(l *directory.Listing) []column {
	return []column{{"slug", &l.Slug}, {"name", &l.Name}, {"summary", &l.Summary}, {"body", &l.Body},
		{"website", &l.Website}, {"email", &l.Email}, {"social", &l.Social}, {"hours", &l.Hours},
		{"open_24_7", &l.Open247}, {"resource_type", &l.ResourceType}, {"publisher", &l.Publisher},
		{"published", &l.Published}, {"source", &l.Source}}
}

// listingColumns is what queryListings and scanListing read: the plain columns between the
// id and kind and the rest.
var listingColumns = `l.id, l.kind, ` + columnNames(listingPlain(&directory.Listing{}), "l.", ", ") + `,
	l.operated_by, l.status, l.todo, l.last_verified, l.created_at, l.updated_at, l.deleted_at, l.version`

// columnNames joins the columns' names, each with prefix, by sep.
func columnNames(cols []column, prefix, sep string) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = prefix + c.name
	}
	return strings.Join(names, sep)
}

// pointers are the columns' fields, to scan into.
func pointers(cols []column) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.ptr
	}
	return out
}

// values are the columns' fields' values, to write.
func values(cols []column) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		switch p := c.ptr.(type) {
		case *string:
			out[i] = *p
		case *bool:
			out[i] = *p
		default:
			panic(fmt.Sprintf("store: column %s holds a %T", c.name, c.ptr))
		}
	}
	return out
}
