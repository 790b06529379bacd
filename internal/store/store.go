// Package store keeps Signpost's content in SQLite. It owns the schema (goose migrations,
// embedded), the seed load, and every SQL statement; every statement is parameterised.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	// The SQLite driver, registered as "sqlite3"; built with -tags sqlite_fts5.
	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"signpost/internal/directory"
	"signpost/migrations"
)

// timeFormat is how times are stored: RFC 3339 in UTC, sortable as text.
const timeFormat = "2006-01-02T15:04:05Z"

// Store is the SQLite database behind the site. It holds one writer connection and a pool
// of readers: SQLite allows one writer at a time, and funnelling writes through one
// connection turns "database is locked" races into an orderly queue, while WAL mode lets the
// readers go on during a write.
type Store struct {
	path   string
	writer *sql.DB
	// readPool is the read pool. A read-only store replaces it when the file changes under
	// it (see watchFile); everything reads through reader().
	readPool atomic.Pointer[sql.DB]
	readers  int
	readOnly bool
	log      *slog.Logger

	// generation counts committed writes. Caches of rendered public pages compare it to know
	// when to throw their copies away.
	generation atomic.Uint64

	// lex is what search knows of the index's words, rebuilt when the generation moves.
	lex lexiconCache
	// slog counts searches for "What visitors searched for" (searchlog.go).
	slog searchLog
	// places are the places search knows (searchplaces.go).
	places placeCache

	// now is the clock, replaceable in tests.
	now func() time.Time

	// stopWatch ends watchOtherWriters, which closes watchDone.
	stopWatch context.CancelFunc
	watchDone chan struct{}
}

// Options tune Open. The zero value is fine.
type Options struct {
	Logger *slog.Logger
	// Readers is the size of the read pool; 0 means 4.
	Readers int
	// ReadOnly opens a copy of the database that something else keeps current, such as
	// `litestream restore -f`: no migration (the schema must be the one this binary
	// knows), no write (every write method fails with EREADONLY), and the file watched for
	// changes (see watchFile).
	ReadOnly bool
}

// dsn builds a go-sqlite3 DSN. Pragmas go in the DSN, not in a one-off Exec, so that every
// connection the pool opens gets them:
//   - WAL lets readers run during a write and makes commits cheap;
//   - busy_timeout makes a connection wait for a lock instead of failing at once;
//   - foreign_keys is off by default in SQLite and must be set per connection;
//   - synchronous=NORMAL is durable in WAL mode except for the last commits on power loss
//     (not on a process crash such as kill -9, which the tests exercise);
//   - _txlock=immediate takes the write lock at BEGIN, so two writers never deadlock by both
//     upgrading a read transaction;
//   - readers keep up to 32 MB of pages each (cache_size, default 8 MB): a large directory's
//     search index then stays in SQLite's cache instead of being read again from the OS on
//     every search (p95 of a search at 100,000 listings 14 → 11 ms). A small directory's
//     database never fills it.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	if readOnly {
		q.Set("_query_only", "true")
		q.Set("_cache_size", "-32768")
		q.Set("_stmt_cache_size", "64")
	} else {
		q.Set("_txlock", "immediate")
	}
	return fileURI(path) + "?" + q.Encode()
}

// fileURI is path as an SQLite URI filename, escaped so that "?" or "#" in it stay part of
// the name.
func fileURI(path string) string { return "file:" + (&url.URL{Path: path}).EscapedPath() }

// Open opens (creating if needed) the database at path, runs every pending migration, and
// loads the seed content into a new database. It refuses a database that a newer version of
// Signpost has migrated, rather than run on a schema it does not know.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" || strings.Contains(path, ":memory:") {
		// A pool of :memory: connections would be several unrelated empty databases.
		return nil, fmt.Errorf("store: a database file path is required")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	readers := opts.Readers
	if readers <= 0 {
		readers = 4
	}
	s := &Store{path: path, log: log, now: time.Now, readers: readers, readOnly: opts.ReadOnly}
	if opts.ReadOnly {
		return s, s.openReadOnly(ctx)
	}

	var err error
	if s.writer, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		return nil, err
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetConnMaxIdleTime(0)
	s.writer.SetConnMaxLifetime(0)
	if err := s.writer.PingContext(ctx); err != nil {
		_ = s.writer.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.writer.Close()
		return nil, err
	}
	pool, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		_ = s.writer.Close()
		return nil, err
	}
	// One more reader than asked: watchOtherWriters keeps one connection for itself.
	pool.SetMaxOpenConns(readers + 1)
	pool.SetMaxIdleConns(readers + 1)
	s.readPool.Store(pool)
	s.startWatch(s.watchOtherWriters)
	return s, nil
}

// startWatch runs watch (which closes watchDone when it returns) until Close.
func (s *Store) startWatch(watch func(context.Context)) {
	var ctx context.Context
	ctx, s.stopWatch = context.WithCancel(context.Background())
	s.watchDone = make(chan struct{})
	go watch(ctx)
}

// ErrTooNew is returned by Open for a database migrated by a newer Signpost.
var ErrTooNew = errors.New("store: the database was migrated by a newer version of Signpost")

func (s *Store) provider() (*goose.Provider, error) {
	sqlFS, err := fs.Sub(migrations.FS, ".")
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectSQLite3, s.writer, sqlFS,
		goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(goMigrations()...),
	)
}

func (s *Store) migrate(ctx context.Context) error {
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	latest := latestVersion(p)
	if current > latest {
		return fmt.Errorf("%w (database schema version %d, this binary knows up to %d): upgrade Signpost or restore a backup", ErrTooNew, current, latest)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		s.log.Info("migrated", "version", r.Source.Version, "path", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// latestVersion is the newest migration this binary has.
func latestVersion(p *goose.Provider) int64 {
	var latest int64
	for _, src := range p.ListSources() {
		latest = max(latest, src.Version)
	}
	return latest
}

// SchemaVersion returns the database's goose version.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stopWatch()
	<-s.watchDone
	if err := s.FlushSearchLog(context.Background()); err != nil {
		s.log.Warn("writing search counts", "err", err)
	}
	return errors.Join(s.reader().Close(), s.writer.Close())
}

// reader returns the read pool.
func (s *Store) reader() *sql.DB { return s.readPool.Load() }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// DB returns the writer connection, for libraries that keep their own tables in the same
// file (the session store). Everything else goes through Store's methods.
func (s *Store) DB() *sql.DB { return s.writer }

// ReadDB returns the read pool.
func (s *Store) ReadDB() *sql.DB { return s.reader() }

// Ping checks that the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.reader().QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// Generation returns a number that changes after every committed write.
func (s *Store) Generation() uint64 { return s.generation.Load() }

// Now returns the store's clock reading, truncated to seconds as stored.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Second) }

// Update runs fn in a write transaction and commits it if fn returns nil. Changes become
// visible to the public (and caches are invalidated) only after the commit.
func (s *Store) Update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return errReadOnly
	}
	if tx, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		return updateInBatch(ctx, tx, fn) // part of a Batch (store/hsds.go)
	}
	// The transaction is bookkeeping's; what makes it an update is the generation after it.
	if err := s.bookkeeping(ctx, fn); err != nil {
		return err
	}
	s.generation.Add(1)
	return nil
}

// exec runs one write outside a transaction: for bookkeeping that no public page shows
// (sign-in failures, the audit log, suggestions), so the generation stays and the page
// caches keep their copies.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.readOnly {
		return nil, errReadOnly
	}
	return s.writer.ExecContext(ctx, query, args...)
}

// queryer is what both *sql.DB and *sql.Tx offer, so read helpers work inside a write.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	for _, layout := range []string{timeFormat, time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s.String); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func splitTodo(s string) []string { return strings.Fields(s) }
func joinTodo(f []string) string  { return strings.Join(f, " ") }

// notFound is the ENOTFOUND error for a missing entry.
func notFound(what string) error {
	return directory.Errorf(directory.ENOTFOUND, "%s not found.", what)
}

// orNotFound returns err, except that a query that found no row (sql.ErrNoRows) becomes
// the ENOTFOUND error for what.
func orNotFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return err
}
