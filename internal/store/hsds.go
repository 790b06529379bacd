package store

import (
	"context"
	"database/sql"
	"errors"
)

// SettingHSDSNamespace is the setting that holds this database's namespace for open data
// ids (see migrations/00021_hsds.sql).
const SettingHSDSNamespace = "hsds_namespace"

// Setting returns one setting's raw value, for settings the Settings struct does not carry.
// It returns ENOTFOUND if the setting does not exist.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Setting")
	}
	return v, err
}
