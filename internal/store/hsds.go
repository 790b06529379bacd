package store

import (
	"context"
	"database/sql"
)

// SettingHSDSNamespace is the setting that holds this database's namespace for open data
// ids (see migrations/00021_hsds.sql).
const SettingHSDSNamespace = "hsds_namespace"

// Setting returns one setting's raw value, for settings the Settings struct does not carry.
// It returns ENOTFOUND if the setting does not exist.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, orNotFound(err, "Setting")
}

// HSDSIDs returns the open data ids kept from imported data (migrations/00130_locations.sql),
// by record key ("service:12").
func (s *Store) HSDSIDs(ctx context.Context) (map[string]string, error) {
	return queryPairs(ctx, s.reader(), `SELECT key, hsds_id FROM hsds_ids`)
}

// SaveHSDSIDs keeps the open data ids ids (record key → id). A key that already has an id
// keeps it: the first directory a record's id came from names it from then on.
func (s *Store) SaveHSDSIDs(ctx context.Context, ids map[string]string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.Update(ctx, func(tx *sql.Tx) error { return saveHSDSIDs(ctx, tx, ids) })
}

func saveHSDSIDs(ctx context.Context, tx *sql.Tx, ids map[string]string) error {
	for k, v := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO hsds_ids (key, hsds_id) VALUES (?, ?)`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// batchKey marks a context whose writes go into one Batch transaction.
type batchKey struct{}

// Batch runs fn with a context in which every write of the store (CreateListing,
// UpdateListing, SaveLocations, SaveHSDSIDs…) goes into one transaction, committed when fn
// returns nil and rolled back whole when it returns an error: an import is saved entirely or
// not at all. Each write inside is its own savepoint, so one that fails (a slug taken, a
// conflict) undoes only itself and the caller may go on. Reads through the read pool do not
// see the batch's writes until it commits.
func (s *Store) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.readOnly {
		return errReadOnly
	}
	if _, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		return fn(ctx) // already in one
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(context.WithValue(ctx, batchKey{}, tx)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.generation.Add(1)
	return nil
}

// updateInBatch runs one write of a Batch inside a savepoint.
func updateInBatch(ctx context.Context, tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT batch_write`); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO batch_write`); rerr != nil {
			return rerr
		}
		_, _ = tx.ExecContext(ctx, `RELEASE batch_write`) // after ROLLBACK TO, only pops the savepoint
		return err
	}
	_, err := tx.ExecContext(ctx, `RELEASE batch_write`)
	return err
}
