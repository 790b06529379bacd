package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"signpost/internal/directory"
)

// errReadOnly is what every write to a read-only store returns.
var errReadOnly = directory.Errorf(directory.EREADONLY,
	"This server shows a read-only copy of the directory. Changes are made on the main server.")

// roDSN is a connection that only reads and sets nothing in the file, not even the journal
// mode: the copy's journal mode is its writer's to choose (`litestream restore -f` writes in
// rollback-journal mode).
func roDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_cache_size", "-32768")
	return fileURI(path) + "?" + q.Encode()
}

// openReadOnly opens s (see Options.ReadOnly): both pools read-only, the schema checked
// rather than migrated, the file watched.
func (s *Store) openReadOnly(ctx context.Context) error {
	if _, err := os.Stat(s.path); err != nil {
		return fmt.Errorf("store: read-only: %w", err)
	}
	var err error
	if s.writer, err = sql.Open("sqlite3", roDSN(s.path)); err != nil {
		return err
	}
	s.writer.SetMaxOpenConns(1)
	fail := func(err error) error {
		_ = s.writer.Close()
		return err
	}
	p, err := s.provider()
	if err != nil {
		return fail(fmt.Errorf("store: migrations: %w", err))
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fail(fmt.Errorf("store: read-only: %s holds no Signpost database yet: %w", s.path, err))
	}
	switch latest := latestVersion(p); {
	case current > latest:
		return fail(fmt.Errorf("%w (database schema version %d, this binary knows up to %d)", ErrTooNew, current, latest))
	case current < latest:
		return fail(fmt.Errorf("store: read-only: the database is at schema version %d and this Signpost expects %d: "+
			"run the version of Signpost that writes it, or upgrade that one first", current, latest))
	}
	pool, err := s.openReadPool()
	if err != nil {
		return fail(err)
	}
	if err := pool.PingContext(ctx); err != nil {
		_ = pool.Close()
		return fail(fmt.Errorf("store: open %s: %w", s.path, err))
	}
	s.readPool.Store(pool)
	s.startWatch(s.watchFile)
	s.log.Info("read-only", "path", s.path, "schema", current)
	return nil
}

func (s *Store) openReadPool() (*sql.DB, error) {
	pool, err := sql.Open("sqlite3", roDSN(s.path))
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(s.readers)
	pool.SetMaxIdleConns(s.readers)
	return pool, nil
}

// fileStamp is what changes when anything writes the database file or its WAL.
type fileStamp struct {
	size, walSize int64
	mod, walMod   time.Time
	header        [100]byte // SQLite's file header: the change counter, the journal mode…
}

func stampOf(path string) (fileStamp, error) {
	var st fileStamp
	f, err := os.Open(path) // #nosec G304 -- the operator's database path
	if err != nil {
		return st, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return st, err
	}
	st.size, st.mod = fi.Size(), fi.ModTime()
	if _, err := f.ReadAt(st.header[:], 0); err != nil && !errors.Is(err, io.EOF) {
		return st, err
	}
	if wi, err := os.Stat(path + "-wal"); err == nil {
		st.walSize, st.walMod = wi.Size(), wi.ModTime()
	}
	return st, nil
}

// watchFile keeps a read-only store current. Litestream in follow mode writes the pages of
// each update into the file itself, not through SQLite: a connection opened while the file
// was in WAL mode (as a fresh restore is) goes on reading its own cached pages, and PRAGMA
// data_version does not change. So the store looks at the file, its WAL and its header
// (which carries the change counter Litestream sets on each update) once a second; when
// any has changed it opens a new read pool, lets the old one finish its queries and close,
// and moves the generation on so that the page caches render again.
func (s *Store) watchFile(ctx context.Context) {
	defer close(s.watchDone)
	last, _ := stampOf(s.path)
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur, err := stampOf(s.path)
		if err != nil {
			s.log.Warn("watching the read-only copy", "err", err)
			continue
		}
		if cur == last {
			continue
		}
		last = cur
		pool, err := s.openReadPool()
		if err != nil {
			s.log.Warn("reopening the read-only copy", "err", err)
			continue
		}
		old := s.readPool.Swap(pool)
		s.generation.Add(1)
		go func() { _ = old.Close() }() // Close waits for the queries in flight
	}
}
