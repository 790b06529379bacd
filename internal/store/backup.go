package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to dst while the site keeps serving. It
// runs VACUUM INTO on the writer connection: one read snapshot (in WAL mode writers in
// other processes go on; this process's writes wait their turn behind it) written out as
// a compact database. See BackupFile for where dst ends up and what is checked.
func (s *Store) Backup(ctx context.Context, dst string) error {
	return backupTo(ctx, s.writer, dst)
}

// BackupFile backs up the database at src, as Backup does, without migrating it or
// creating it: `signpost backup` runs beside a live server, perhaps of another version.
func BackupFile(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// mode=rw: never create an empty database where the live one was expected.
	db, err := sql.Open("sqlite3", dsn(src, false)+"&mode=rw")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return backupTo(ctx, db, dst)
}

// backupTo writes the copy beside dst, syncs it, checks it with PRAGMA integrity_check,
// and only then renames it to dst: dst is either a whole, checked backup or absent. It
// refuses to overwrite an existing dst, which may be an earlier backup someone needs.
func backupTo(ctx context.Context, db *sql.DB, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("store: backup: %s already exists", dst)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".partial")
	_ = os.Remove(tmp) // a leftover from an interrupted run
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := checkAndSync(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	return syncDir(filepath.Dir(dst))
}

// checkAndSync runs PRAGMA integrity_check on the database at path, makes it readable by
// its owner only (it holds staff password hashes and sessions), and flushes it to disk.
func checkAndSync(ctx context.Context, path string) error {
	if err := IntegrityCheck(ctx, path); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0) // #nosec G304 -- the backup file we just wrote
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// IntegrityCheck runs PRAGMA integrity_check on the database file at path, read only, and
// returns an error unless SQLite answers "ok".
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("integrity check of %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("integrity check of %s: %s", path, result)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- the folder the caller named
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
