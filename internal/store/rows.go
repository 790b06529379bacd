package store

import (
	"context"
	"database/sql"

	"signpost/internal/directory"
)

// closeRows ends a loop over rows: it returns the error that stopped Next, if any, else
// the error from Close. Checking Close alone is not enough: when Next fails, database/sql
// closes the rows itself, so Close returns nil and the error is only in Err, and the loop
// would hand back a short list as if it were whole. TestEveryRowsLoopChecksErr keeps every
// loop honest.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// scanner is one row to read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// eachRow runs query on q and calls fn with each row, in order. It stops at fn's first
// error, and checks the rows' own error at the end (closeRows): a query that fails part
// way is an error, never a short answer.
func eachRow(ctx context.Context, q queryer, fn func(scanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		if err := fn(rows); err != nil {
			_ = rows.Close()
			return err
		}
	}
	return closeRows(rows)
}

// queryAll runs query on q and returns every row as scan reads it (nil for none), or an
// error, never a short list (see eachRow).
func queryAll[T any](ctx context.Context, q queryer, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, func(sc scanner) error {
		x, err := scan(sc)
		out = append(out, x)
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanID reads a row of one integer, such as an id.
func scanID(sc scanner) (id int64, err error) {
	err = sc.Scan(&id)
	return id, err
}

// queryPairs runs a query of two text columns and returns the first's values mapped to the
// second's (a later row wins a repeated key).
func queryPairs(ctx context.Context, q queryer, query string, args ...any) (map[string]string, error) {
	out := map[string]string{}
	err := eachRow(ctx, q, func(sc scanner) error {
		var k, v string
		err := sc.Scan(&k, &v)
		out[k] = v
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanRef reads a row of a listing's id, kind, slug and name.
func scanRef(sc scanner) (r directory.Ref, err error) {
	var kind string
	err = sc.Scan(&r.ID, &kind, &r.Slug, &r.Name)
	r.Kind = directory.Kind(kind)
	return r, err
}
