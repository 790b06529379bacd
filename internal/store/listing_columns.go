package store

import (
	"context"
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
		{"published", &l.Published}, {"source", &l.Source}, {"works_in", &l.WorksIn}, {"source_date", &l.SourceDate}}
}

// listingRest are the columns scanListing reads after the plain ones: set by their own
// code (writeListingParts, the state buttons, SetListingPin for pin), not by a save's
// plain fields.
var listingRest = []string{"operated_by", "status", "todo", "last_verified", "created_at", "updated_at", "deleted_at", "version", "pin"}

// listingColumns is what queryListings and scanListing read: the id and kind, the plain
// columns, then listingRest.
var listingColumns = listingSelect(nil)

// listingSelect is listingColumns for a table that may lack some of them: a column that is
// not in have (when have is not nil) is read as its empty value.
func listingSelect(have map[string]bool) string {
	item := func(name, empty string) string {
		if have != nil && !have[name] {
			return empty + " AS " + name
		}
		return "l." + name
	}
	out := []string{item("id", "NULL"), item("kind", "NULL")}
	for _, c := range listingPlain(&directory.Listing{}) {
		empty := "''"
		if _, ok := c.ptr.(*bool); ok {
			empty = "0"
		}
		out = append(out, item(c.name, empty))
	}
	for _, name := range listingRest {
		out = append(out, item(name, "NULL"))
	}
	return strings.Join(out, ", ")
}

// findListingInMigration is findListingByID for a Go migration. A migration runs today's
// code on the schema of its own version: the seed migration (version 2) reads its
// listings back to write their first revisions before 00140 adds pin, works_in and
// source_date. It reads the columns the table has, and leaves the rest empty.
func findListingInMigration(ctx context.Context, q queryer, id int64) (*directory.Listing, error) {
	cols, err := listingSelectAsIs(ctx, q)
	if err != nil {
		return nil, err
	}
	list, err := queryListings(ctx, q, "", `SELECT `+cols+` FROM listings l WHERE l.id = ?`, id)
	if err != nil {
		return nil, err
	} else if len(list) == 0 {
		return nil, notFound("Listing")
	}
	return list[0], nil
}

// listingSelectAsIs is listingSelect for the listings table as it is now.
func listingSelectAsIs(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_info('listings')`)
	if err != nil {
		return "", err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			_ = rows.Close()
			return "", err
		}
		have[name] = true
	}
	if err := closeRows(rows); err != nil {
		return "", err
	}
	return listingSelect(have), nil
}

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
