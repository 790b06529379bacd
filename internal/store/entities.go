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
	find    func(ctx context.Context, q queryer, id int64) (*T, error)
	version func(*T) int
	// keep copies into a restored record what a restore does not change: the id, the
	// version the save checks, and for most entries the publication state.
	keep func(restored, current *T)
	save func(ctx context.Context, s *Store, x *T, by Actor) error
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
	return &old, e.save(ctx, s, &old, by)
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
	entities = map[string]entity{
		"listings": entityOf[directory.Listing]{
			find: func(ctx context.Context, q queryer, id int64) (*directory.Listing, error) {
				return findListingByID(ctx, q, id, DefaultLang)
			},
			version: func(x *directory.Listing) int { return x.Version },
			// A listing's state and trash are kept by UpdateListing itself.
			keep: func(old, cur *directory.Listing) { old.ID, old.Kind, old.Version = cur.ID, cur.Kind, cur.Version },
			save: func(ctx context.Context, s *Store, x *directory.Listing, by Actor) error {
				return s.UpdateListing(ctx, x, by, ActionRestore)
			},
		},
		"pages": entityOf[directory.Page]{
			find:    findPageByID,
			version: func(x *directory.Page) int { return x.Version },
			keep:    func(old, cur *directory.Page) { old.ID, old.Slug, old.Version = cur.ID, cur.Slug, cur.Version },
			save: func(ctx context.Context, s *Store, x *directory.Page, by Actor) error {
				return s.UpdatePage(ctx, x, by, ActionRestore)
			},
		},
		"signs": entityOf[directory.Sign]{
			find:    findSign,
			version: func(x *directory.Sign) int { return x.Version },
			keep:    func(old, cur *directory.Sign) { old.ID, old.Version, old.Status = cur.ID, cur.Version, cur.Status },
			save: func(ctx context.Context, s *Store, x *directory.Sign, by Actor) error {
				return s.SaveSign(ctx, x, by, ActionRestore)
			},
		},
		"industries": entityOf[directory.Industry]{
			find:    findIndustry,
			version: func(x *directory.Industry) int { return x.Version },
			keep:    func(old, cur *directory.Industry) { old.ID, old.Version, old.Status = cur.ID, cur.Version, cur.Status },
			save: func(ctx context.Context, s *Store, x *directory.Industry, by Actor) error {
				return s.SaveIndustry(ctx, x, by, ActionRestore)
			},
		},
		"situations": entityOf[directory.Situation]{
			find:    findSituation,
			version: func(x *directory.Situation) int { return x.Version },
			keep:    func(old, cur *directory.Situation) { old.ID, old.Version, old.Status = cur.ID, cur.Version, cur.Status },
			save: func(ctx context.Context, s *Store, x *directory.Situation, by Actor) error {
				return s.SaveSituation(ctx, x, by, ActionRestore)
			},
		},
		"stats": entityOf[directory.Stat]{
			find:    findStat,
			version: func(x *directory.Stat) int { return x.Version },
			keep:    func(old, cur *directory.Stat) { old.ID, old.Version, old.Status = cur.ID, cur.Version, cur.Status },
			save: func(ctx context.Context, s *Store, x *directory.Stat, by Actor) error {
				return s.SaveStat(ctx, x, by, ActionRestore)
			},
		},
		"terms": entityOf[directory.Term]{
			find:    findTerm,
			version: func(x *directory.Term) int { return x.Version },
			keep:    func(old, cur *directory.Term) { old.ID, old.Taxonomy, old.Version = cur.ID, cur.Taxonomy, cur.Version },
			save: func(ctx context.Context, s *Store, x *directory.Term, by Actor) error {
				return s.SaveTerm(ctx, x, by, ActionRestore)
			},
			noDate: true,
		},
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
