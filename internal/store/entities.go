package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"signpost/internal/directory"
)

// entity is what the generic write path (snapshots, restores, last change, translations)
// needs of one kind of entry. Each kind has one, in entities; a new kind of entry adds
// itself there instead of to a switch in each function.
type entity interface {
	// snapshot returns the stored record of id as a revision holds it, and its version.
	snapshot(ctx context.Context, q queryer, id int64) (data any, version int, err error)
	// restore makes id's content what data (a revision's snapshot) says, as a new revision.
	restore(ctx context.Context, s *Store, id int64, data []byte, by Actor) error
	// dated reports whether the entity's own table has an updated_at column, for LastChange.
	dated() bool
	// touch marks entry id of table as changed at now (its translation changed), for caches
	// and sitemaps.
	touch(ctx context.Context, tx *sql.Tx, table string, id int64, now string) error
}

// entityOf is an entity stored in a table of its own, read by find and written by save.
type entityOf[T any] struct {
	find func(ctx context.Context, q queryer, id int64) (*T, error)
	save func(s *Store, ctx context.Context, x *T, by Actor, action string) error
	// version is the record's version, which its revision takes.
	version func(*T) int
	// keep copies into a restored record what a restore does not change.
	keep func(restored, current *T)
	// noDate: the table has no updated_at.
	noDate bool
}

func (e entityOf[T]) snapshot(ctx context.Context, q queryer, id int64) (any, int, error) {
	x, err := e.find(ctx, q, id)
	if err != nil {
		return nil, 0, err
	}
	return x, e.version(x), nil
}

func (e entityOf[T]) restore(ctx context.Context, s *Store, id int64, data []byte, by Actor) error {
	_, err := e.restoreRecord(ctx, s, id, data, by)
	return err
}

// restoreRecord is restore, returning the record as saved.
func (e entityOf[T]) restoreRecord(ctx context.Context, s *Store, id int64, data []byte, by Actor) (*T, error) {
	var old T
	if err := json.Unmarshal(data, &old); err != nil {
		return nil, fmt.Errorf("a revision of %d: %w", id, err)
	}
	cur, err := e.find(ctx, s.reader(), id)
	if err != nil {
		return nil, err
	}
	e.keep(&old, cur)
	return &old, e.save(s, ctx, &old, by, ActionRestore)
}

func (e entityOf[T]) dated() bool { return !e.noDate }

func (e entityOf[T]) touch(ctx context.Context, tx *sql.Tx, table string, id int64, now string) error {
	if e.noDate {
		return nil
	}
	// #nosec G202 -- table is a key of entities, never user input
	_, err := tx.ExecContext(ctx, `UPDATE `+table+` SET updated_at = ? WHERE id = ?`, now, id)
	return err
}

// entities are the kinds of entry that have revisions, by their table (and revision) name.
// They are set in init because their save functions lead back to snapshot, which reads
// entities: a package-level initializer would be a cycle.
var entities map[string]entity

func init() {
	type (
		L = directory.Listing
		P = directory.Page
		S = directory.Sign
		I = directory.Industry
		G = directory.Situation
		F = directory.Stat
		T = directory.Term
	)
	findListing := func(ctx context.Context, q queryer, id int64) (*L, error) {
		return findListingByID(ctx, q, id, DefaultLang)
	}
	// What a restore keeps of the current record: its id, the version the save checks, and
	// its state (publication and trash), which have buttons of their own.
	entities = map[string]entity{
		"listings": entityOf[L]{findListing, (*Store).restoreListing, // a restored number waits too (approvals.go)
			func(x *L) int { return x.Version }, func(o, c *L) { o.ID, o.Kind, o.Version = c.ID, c.Kind, c.Version }, false},
		"pages": entityOf[P]{findPageByID, (*Store).UpdatePage,
			func(x *P) int { return x.Version }, func(o, c *P) { o.ID, o.Slug, o.Version = c.ID, c.Slug, c.Version }, false},
		"signs": entityOf[S]{findSign, (*Store).SaveSign,
			func(x *S) int { return x.Version }, func(o, c *S) { o.ID, o.Version, o.Status = c.ID, c.Version, c.Status }, false},
		"industries": entityOf[I]{findIndustry, (*Store).SaveIndustry,
			func(x *I) int { return x.Version }, func(o, c *I) { o.ID, o.Version, o.Status = c.ID, c.Version, c.Status }, false},
		"situations": entityOf[G]{findSituation, (*Store).SaveSituation,
			func(x *G) int { return x.Version }, func(o, c *G) { o.ID, o.Version, o.Status = c.ID, c.Version, c.Status }, false},
		"stats": entityOf[F]{findStat, (*Store).SaveStat,
			func(x *F) int { return x.Version }, func(o, c *F) { o.ID, o.Version, o.Status = c.ID, c.Version, c.Status }, false},
		"terms": entityOf[T]{findTerm, (*Store).SaveTerm,
			func(x *T) int { return x.Version }, func(o, c *T) { o.ID, o.Taxonomy, o.Version = c.ID, c.Taxonomy, c.Version }, true},
		"settings": settingsEntity{},
	}
}

// settingsEntity: the settings are rows of keys, not one row, and write their own revisions.
type settingsEntity struct{}

func (settingsEntity) snapshot(context.Context, queryer, int64) (any, int, error) {
	return nil, 0, fmt.Errorf("store: the settings write their own revisions")
}

func (settingsEntity) restore(ctx context.Context, s *Store, _ int64, data []byte, by Actor) error {
	var old directory.Settings
	if err := json.Unmarshal(data, &old); err != nil {
		return err
	}
	cur, err := s.SettingsForStaff(ctx)
	if err != nil {
		return err
	}
	old.Version = cur.Version
	return s.UpdateSettings(ctx, &old, by, ActionRestore)
}

func (settingsEntity) dated() bool { return true }

// touch marks a translated entry as changed, for caches and sitemaps; the settings'
// translations do not touch their rows.
func (settingsEntity) touch(context.Context, *sql.Tx, string, int64, string) error { return nil }
