package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

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
	// texts returns the translatable English of id as stored now; textsOf, as a revision's
	// snapshot holds it. A listing's lines come with it, in order.
	texts(ctx context.Context, q queryer, id int64) (entryTexts, error)
	textsOf(data []byte) (entryTexts, error)
}

// entryTexts is the English text of an entry, field by field, and of each of its lines
// (a listing's channels, which are translated apart).
type entryTexts struct {
	fields   map[string]string
	channels []channelTexts
}

// channelTexts is one line's English, with its id and place (1 first).
type channelTexts struct {
	id     int64
	way    int
	fields map[string]string
}

// textsOfRecord reads the translatable fields of x (an entry type with TextFields).
func textsOfRecord(x any) entryTexts {
	out := entryTexts{fields: map[string]string{}}
	if t, ok := x.(interface{ TextFields() []directory.TextField }); ok {
		for _, f := range t.TextFields() {
			out.fields[f.Name] = *f.Text
		}
	}
	if l, ok := x.(*directory.Listing); ok {
		for i := range l.Channels {
			c := &l.Channels[i]
			ct := channelTexts{id: c.ID, way: i + 1, fields: map[string]string{}}
			for _, f := range c.TextFields() {
				ct.fields[f.Name] = *f.Text
			}
			out.channels = append(out.channels, ct)
		}
	}
	return out
}

// entityOf is an entity stored in a table of its own, read by find and written by save. T
// has an ID and a Version (which its revisions take).
type entityOf[T any] struct {
	find func(ctx context.Context, q queryer, id int64) (*T, error)
	save func(s *Store, ctx context.Context, x *T, by Actor, action string) error
	// keep names the fields of T a restore copies from the current record, besides its ID
	// and Version (the version the save checks): what has buttons of its own.
	keep []string
	// noDate: the table has no updated_at.
	noDate bool
}

func (e entityOf[T]) snapshot(ctx context.Context, q queryer, id int64) (any, int, error) {
	x, err := e.find(ctx, q, id)
	if err != nil {
		return nil, 0, err
	}
	return x, int(reflect.ValueOf(x).Elem().FieldByName("Version").Int()), nil
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
	if err := keepUnknown(data, &old, cur); err != nil {
		return nil, fmt.Errorf("a revision of %d: %w", id, err)
	}
	o, c := reflect.ValueOf(&old).Elem(), reflect.ValueOf(cur).Elem()
	for _, name := range append([]string{"ID", "Version"}, e.keep...) {
		o.FieldByName(name).Set(c.FieldByName(name))
	}
	return &old, e.save(s, ctx, &old, by, ActionRestore)
}

// keepUnknown copies into restored, from current, each field that the revision's data does
// not name: a field added since the revision was written (a listing's works_in came with
// 00140) keeps its value, rather than being emptied by a restore that knew nothing of it.
func keepUnknown[T any](data []byte, restored, current *T) error {
	var named map[string]json.RawMessage
	if err := json.Unmarshal(data, &named); err != nil {
		return err
	}
	r, c := reflect.ValueOf(restored).Elem(), reflect.ValueOf(current).Elem()
	if r.Kind() != reflect.Struct {
		return nil
	}
	for i := range r.NumField() {
		f := r.Type().Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() || strings.Contains(opts, "omitempty") {
			continue // an omitempty field left out was empty, not unknown
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := named[name]; !ok {
			r.Field(i).Set(c.Field(i))
		}
	}
	return nil
}

func (e entityOf[T]) dated() bool { return !e.noDate }

func (e entityOf[T]) texts(ctx context.Context, q queryer, id int64) (entryTexts, error) {
	x, err := e.find(ctx, q, id)
	if err != nil {
		return entryTexts{}, err
	}
	return textsOfRecord(x), nil
}

func (e entityOf[T]) textsOf(data []byte) (entryTexts, error) {
	var x T
	if err := json.Unmarshal(data, &x); err != nil {
		return entryTexts{}, err
	}
	return textsOfRecord(&x), nil
}

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
	// What a restore keeps of the current record besides its id and version: what never
	// changes (a listing's kind, a page's slug, a term's taxonomy), and a small entry's
	// state (publication), which has buttons of its own.
	state := []string{"Status"}
	entities = map[string]entity{
		"listings":   entityOf[L]{find: findListing, save: (*Store).restoreListing, keep: []string{"Kind"}}, // a restored number waits too (approvals.go)
		"pages":      entityOf[P]{find: findPageByID, save: (*Store).UpdatePage, keep: []string{"Slug"}},
		"signs":      entityOf[S]{find: findSign, save: (*Store).SaveSign, keep: state},
		"industries": entityOf[I]{find: findIndustry, save: (*Store).SaveIndustry, keep: state},
		"situations": entityOf[G]{find: findSituation, save: (*Store).SaveSituation, keep: state},
		"stats":      entityOf[F]{find: findStat, save: (*Store).SaveStat, keep: state},
		"terms":      entityOf[T]{find: findTerm, save: (*Store).SaveTerm, keep: []string{"Taxonomy"}, noDate: true},
		"settings":   settingsEntity{},
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

func (settingsEntity) texts(ctx context.Context, q queryer, _ int64) (entryTexts, error) {
	var st directory.Settings
	out := textsOfRecord(&st)
	for k := range out.fields {
		var v sql.NullString
		if err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, k).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return entryTexts{}, err
		}
		out.fields[k] = v.String
	}
	return out, nil
}

func (settingsEntity) textsOf(data []byte) (entryTexts, error) {
	var st directory.Settings
	if err := json.Unmarshal(data, &st); err != nil {
		return entryTexts{}, err
	}
	return textsOfRecord(&st), nil
}

// touch marks a translated entry as changed, for caches and sitemaps; the settings'
// translations do not touch their rows.
func (settingsEntity) touch(context.Context, *sql.Tx, string, int64, string) error { return nil }
