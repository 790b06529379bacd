package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"signpost/internal/directory"
)

// The write path of everything that is not a listing: pages, signs, industries, situations,
// statistics and site settings. Like listings, every save checks the version the editor
// started from (a stale save is ECONFLICT and writes nothing), validates, and writes the
// whole record as a revision.

// SettingVerifyDays is how many days a listing's verification counts (default 180).
const SettingVerifyDays = "verify_days"

// DefaultVerifyDays is the verification period when no setting says otherwise.
const DefaultVerifyDays = 180

// conflictError is the ECONFLICT a stale save gets.
func conflictError() error {
	return directory.Errorf(directory.ECONFLICT, "Someone else saved this entry while you were editing it. Nothing you typed is lost: compare the two versions below.")
}

// checkVersion refuses a save that did not start from the stored version of table's row id.
func checkVersion(ctx context.Context, tx *sql.Tx, table string, id int64, version int, what string) error {
	var cur int
	// table is one of the fixed names of this file, never user input.
	err := tx.QueryRowContext(ctx, `SELECT version FROM `+table+` WHERE id = ?`, id).Scan(&cur)
	if err != nil {
		return orNotFound(err, what)
	}
	if cur != version {
		return conflictError()
	}
	return nil
}

// save is how every save starts: x is validated, then fn runs in one write transaction
// with the revision's action (action, or def when the caller gave none). Nothing is
// written unless both succeed.
func (s *Store) save(ctx context.Context, x interface{ Validate() error }, action, def string, fn func(tx *sql.Tx, action string) error) error {
	if err := x.Validate(); err != nil {
		return err
	}
	action = cmp.Or(action, def)
	return s.Update(ctx, func(tx *sql.Tx) error { return fn(tx, action) })
}

// --- pages ---

// FindPageByID returns a page's English record, for staff.
func (s *Store) FindPageByID(ctx context.Context, id int64) (*directory.Page, error) {
	return findPageByID(ctx, s.reader(), id)
}

func findPageByID(ctx context.Context, q queryer, id int64) (*directory.Page, error) {
	var p directory.Page
	var todo string
	var updated sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, slug, title, description, body, source, todo, updated_at, version
		FROM pages WHERE id = ?`, id).Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &p.Body, &p.Source, &todo, &updated, &p.Version)
	if err != nil {
		return nil, orNotFound(err, "Page")
	}
	p.Todo, p.UpdatedAt, p.Lang = splitTodo(todo), parseTime(updated), DefaultLang
	return &p, nil
}

// ListPagesForStaff returns every page by slug.
func (s *Store) ListPagesForStaff(ctx context.Context) ([]*directory.Page, error) {
	ids, err := queryAll(ctx, s.reader(), scanID, `SELECT id FROM pages ORDER BY slug`)
	if err != nil {
		return nil, err
	}
	var out []*directory.Page
	for _, id := range ids {
		p, err := s.FindPageByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// UpdatePage saves a page's English text. Pages are bound to the site's routes, so their
// slugs do not change and they are neither created nor deleted here.
func (s *Store) UpdatePage(ctx context.Context, p *directory.Page, by Actor, action string) error {
	return s.save(ctx, p, action, ActionUpdate, func(tx *sql.Tx, action string) error {
		if err := checkVersion(ctx, tx, "pages", p.ID, p.Version, "Page"); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE pages SET title = ?, description = ?, body = ?, todo = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, p.Title, p.Description, p.Body, joinTodo(p.Todo), now.Format(timeFormat), p.ID); err != nil {
			return err
		}
		return s.snapshot(ctx, tx, "pages", p.ID, action, by)
	})
}

// --- signs, industries, situations, stats: small entries with a status and a trash ---

// Entry tables that share the status and trash columns.
var entryTables = map[string]string{"signs": "Sign", "industries": "Industry", "situations": "Situation", "stats": "Figure"}

// FindSignByID returns a sign's English record, draft or trashed, for staff.
func (s *Store) FindSignByID(ctx context.Context, id int64) (*directory.Sign, error) {
	return findSign(ctx, s.reader(), id)
}

var findSign = findEntryOf("Sign", `SELECT status, deleted_at, `+signColumns+` FROM signs WHERE id = ?`,
	func(x *directory.Sign) (*directory.Status, *time.Time, []any) {
		return &x.Status, &x.DeletedAt, signFields(x)
	})

// findEntry reads the row of an entry table by id: its state (status, deleted_at, the
// query's first two columns) into status and deleted, the rest into dst. No row is
// ENOTFOUND for what.
func findEntry(ctx context.Context, q queryer, what, query string, id int64, status *directory.Status, deleted *time.Time, dst ...any) error {
	var st string
	var del sql.NullString
	if err := q.QueryRowContext(ctx, query, id).Scan(append([]any{&st, &del}, dst...)...); err != nil {
		return orNotFound(err, what)
	}
	*status, *deleted = directory.Status(st), parseTime(del)
	return nil
}

// findEntryOf is the find of an entry table's record by id (findEntry with query; parts
// names the record's state and the rest of its columns).
func findEntryOf[T any](what, query string, parts func(*T) (*directory.Status, *time.Time, []any)) func(context.Context, queryer, int64) (*T, error) {
	return func(ctx context.Context, q queryer, id int64) (*T, error) {
		var x T
		status, deleted, dst := parts(&x)
		return entryOrNil(&x, findEntry(ctx, q, what, query, id, status, deleted, dst...))
	}
}

// entryOrNil returns x, or nil with err.
func entryOrNil[T any](x *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return x, nil
}

// FindIndustryByID returns an industry's English record, for staff.
func (s *Store) FindIndustryByID(ctx context.Context, id int64) (*directory.Industry, error) {
	return findIndustry(ctx, s.reader(), id)
}

var findIndustry = findEntryOf("Industry", `SELECT status, deleted_at, `+industryColumns+` FROM industries WHERE id = ?`,
	func(x *directory.Industry) (*directory.Status, *time.Time, []any) {
		return &x.Status, &x.DeletedAt, industryFields(x)
	})

// FindSituationByID returns a situation of the guide, with references to its lines, for staff.
func (s *Store) FindSituationByID(ctx context.Context, id int64) (*directory.Situation, error) {
	return findSituation(ctx, s.reader(), id)
}

func findSituation(ctx context.Context, q queryer, id int64) (*directory.Situation, error) {
	var x directory.Situation
	var lid sql.NullInt64
	if err := findEntry(ctx, q, "Situation", `SELECT status, deleted_at, id, slug, title, detail, position, listing_id, source, version
		FROM situations WHERE id = ?`, id, &x.Status, &x.DeletedAt, &x.ID, &x.Slug, &x.Title, &x.Detail, &x.Position, &lid, &x.Source, &x.Version); err != nil {
		return nil, err
	}
	if lid.Valid {
		var l directory.Listing
		var kind string
		if err := q.QueryRowContext(ctx, `SELECT id, kind, slug, name FROM listings WHERE id = ?`, lid.Int64).Scan(&l.ID, &kind, &l.Slug, &l.Name); err == nil {
			l.Kind = directory.Kind(kind)
			x.Listing = &l
		}
	}
	var err error
	x.Also, err = queryAll(ctx, q, scanRef, `SELECT 0, l.kind, l.slug, l.name FROM situation_also sa JOIN listings l ON l.id = sa.listing_id
		WHERE sa.situation_id = ? ORDER BY sa.position`, id)
	if err != nil {
		return nil, err
	}
	return &x, nil
}

// FindStatByID returns a figure's record, for staff.
func (s *Store) FindStatByID(ctx context.Context, id int64) (*directory.Stat, error) {
	return findStat(ctx, s.reader(), id)
}

func findStat(ctx context.Context, q queryer, id int64) (*directory.Stat, error) {
	var x directory.Stat
	var v sql.NullFloat64
	var todo string
	if err := findEntry(ctx, q, "Figure", `SELECT status, deleted_at, id, year, measure, value, unit, source_name, source_url, source, todo,
		version FROM stats WHERE id = ?`, id, &x.Status, &x.DeletedAt, &x.ID, &x.Year, &x.Measure, &v, &x.Unit, &x.SourceName, &x.SourceURL, &x.Source, &todo, &x.Version); err != nil {
		return nil, err
	}
	if v.Valid {
		f := v.Float64
		x.Value = &f
	}
	x.Todo = splitTodo(todo)
	return &x, nil
}

// ListEntryIDs returns the ids of every row of an entry table (signs, industries,
// situations, stats), drafts and trash included, in the order the site shows them.
func (s *Store) ListEntryIDs(ctx context.Context, table string) ([]int64, error) {
	if entryTables[table] == "" {
		return nil, fmt.Errorf("store: unknown entry table %q", table)
	}
	order := "position, id"
	if table == "stats" {
		order = "measure, year, id"
	}
	return queryAll(ctx, s.reader(), scanID, `SELECT id FROM `+table+` ORDER BY `+order) // #nosec G202 -- table checked against entryTables, order fixed
}

// validateEntry publishes a new entry with no state (entries are published unless staff
// make a draft), then validates it.
func validateEntry(status *directory.Status, validate func() error) error {
	if *status == "" {
		*status = directory.StatusPublished
	}
	return validate()
}

// SaveSign creates (ID 0) or updates a sign.
func (s *Store) SaveSign(ctx context.Context, x *directory.Sign, by Actor, action string) error {
	if err := validateEntry(&x.Status, x.Validate); err != nil {
		return err
	}
	return s.saveEntry(ctx, "signs", &x.ID, x.Version, by, action,
		[]string{"slug", "text", "position", "status"}, x.Slug, x.Text, x.Position, string(x.Status))
}

// SaveIndustry creates (ID 0) or updates an industry.
func (s *Store) SaveIndustry(ctx context.Context, x *directory.Industry, by Actor, action string) error {
	if err := validateEntry(&x.Status, x.Validate); err != nil {
		return err
	}
	return s.saveEntry(ctx, "industries", &x.ID, x.Version, by, action,
		[]string{"slug", "name", "position", "status"}, x.Slug, x.Name, x.Position, string(x.Status))
}

// SaveStat creates (ID 0) or updates a figure. A figure with no value is kept off the
// public page and listed as "to fill in".
func (s *Store) SaveStat(ctx context.Context, x *directory.Stat, by Actor, action string) error {
	if err := validateEntry(&x.Status, x.Validate); err != nil {
		return err
	}
	var v any
	if x.Value != nil {
		v = *x.Value
	}
	return s.saveEntry(ctx, "stats", &x.ID, x.Version, by, action,
		[]string{"year", "measure", "value", "unit", "source_name", "source_url", "todo", "status"},
		x.Year, x.Measure, v, x.Unit, x.SourceName, x.SourceURL, joinTodo(x.Todo), string(x.Status))
}

// SaveSituation creates (ID 0) or updates a situation of the guide, with its line
// (x.Listing, by kind and slug) and the other lines that fit (x.Also).
func (s *Store) SaveSituation(ctx context.Context, x *directory.Situation, by Actor, action string) error {
	if err := validateEntry(&x.Status, x.Validate); err != nil {
		return err
	}
	resolve := func(tx *sql.Tx, r directory.Ref, field string) (int64, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM listings WHERE kind = ? AND slug = ?`, string(r.Kind), r.Slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, directory.InvalidField(field, "Choose a listing from the list.")
		}
		return id, err
	}
	return s.saveEntryWith(ctx, "situations", &x.ID, x.Version, by, action, func(tx *sql.Tx) ([]string, []any, error) {
		var line any
		if x.Listing != nil && x.Listing.Slug != "" {
			id, err := resolve(tx, x.Listing.Ref(), "line")
			if err != nil {
				return nil, nil, err
			}
			line = id
		}
		return []string{"slug", "title", "detail", "position", "listing_id", "status"},
			[]any{x.Slug, x.Title, x.Detail, x.Position, line, string(x.Status)}, nil
	}, func(tx *sql.Tx, id int64) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM situation_also WHERE situation_id = ?`, id); err != nil {
			return err
		}
		for i, r := range x.Also {
			lid, err := resolve(tx, r, "also")
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO situation_also (situation_id, listing_id, position) VALUES (?, ?, ?)`, id, lid, i); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) saveEntry(ctx context.Context, table string, id *int64, version int, by Actor, action string, cols []string, vals ...any) error {
	return s.saveEntryWith(ctx, table, id, version, by, action, func(*sql.Tx) ([]string, []any, error) { return cols, vals, nil }, nil)
}

// saveEntryWith inserts or updates one row of table with the columns cols returns, runs
// after (for dependent rows), and snapshots the result, all in one transaction.
func (s *Store) saveEntryWith(ctx context.Context, table string, id *int64, version int, by Actor, action string,
	cols func(*sql.Tx) ([]string, []any, error), after func(tx *sql.Tx, id int64) error) error {
	what := entryTables[table]
	return s.Update(ctx, func(tx *sql.Tx) error {
		names, vals, err := cols(tx)
		if err != nil {
			return err
		}
		now := s.Now().Format(timeFormat)
		if *id == 0 {
			action = cmp.Or(action, ActionCreate)
			q := `INSERT INTO ` + table + ` (` // #nosec G202 -- table checked against entryTables; columns from the spec; values bound
			for _, n := range names {
				q += n + ", "
			}
			q += `updated_at, version) VALUES (` + placeholders(len(names)+1) + `, 1)`
			res, err := tx.ExecContext(ctx, q, append(vals, now)...)
			if isUnique(err) {
				return slugTaken()
			} else if err != nil {
				return err
			}
			*id, _ = res.LastInsertId()
		} else {
			action = cmp.Or(action, ActionUpdate)
			if err := checkVersion(ctx, tx, table, *id, version, what); err != nil {
				return err
			}
			q := `UPDATE ` + table + ` SET ` // #nosec G202 -- table checked against entryTables; columns from the spec; values bound
			for _, n := range names {
				q += n + " = ?, "
			}
			q += `updated_at = ?, version = version + 1 WHERE id = ?`
			_, err := tx.ExecContext(ctx, q, append(vals, now, *id)...)
			if isUnique(err) {
				return slugTaken()
			} else if err != nil {
				return err
			}
		}
		if after != nil {
			if err := after(tx, *id); err != nil {
				return err
			}
		}
		return s.snapshot(ctx, tx, table, *id, action, by)
	})
}

// SetEntryStatus publishes or unpublishes a sign, industry, situation or figure.
func (s *Store) SetEntryStatus(ctx context.Context, table string, id int64, status directory.Status, by Actor) error {
	if table == "listings" {
		return s.SetListingStatus(ctx, id, status, by)
	}
	if entryTables[table] == "" {
		return directory.Errorf(directory.EINVALID, "That kind of entry has no status.")
	}
	action := ActionPublish
	if status != directory.StatusPublished {
		status, action = directory.StatusDraft, ActionUnpublish
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		// #nosec G202 -- table checked against entryTables above; values bound
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			string(status), s.Now().Format(timeFormat), id)
		if err != nil {
			return err
		} else if n, _ := res.RowsAffected(); n == 0 {
			return notFound(entryTables[table])
		}
		return s.snapshot(ctx, tx, table, id, action, by)
	})
}

// TrashEntry moves a sign, industry, situation or figure to the trash (trashed) or back.
func (s *Store) TrashEntry(ctx context.Context, table string, id int64, trashed bool, by Actor) error {
	if table == "listings" {
		return s.setTrashed(ctx, id, trashed, by)
	}
	if entryTables[table] == "" {
		return directory.Errorf(directory.EINVALID, "That kind of entry cannot be deleted.")
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		var deleted any
		action := ActionUntrash
		if trashed {
			deleted, action = s.Now().Format(timeFormat), ActionTrash
		}
		// #nosec G202 -- table checked against entryTables above; values bound
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			deleted, s.Now().Format(timeFormat), id)
		if err != nil {
			return err
		} else if n, _ := res.RowsAffected(); n == 0 {
			return notFound(entryTables[table])
		}
		return s.snapshot(ctx, tx, table, id, action, by)
	})
}

// snapshot writes the whole stored record of table's row id as a revision.
func (s *Store) snapshot(ctx context.Context, tx *sql.Tx, table string, id int64, action string, by Actor) error {
	e := entities[table]
	if e == nil {
		return fmt.Errorf("store: no snapshot for %q", table)
	}
	data, version, err := e.snapshot(ctx, tx, id)
	if err != nil {
		return err
	}
	return writeRevision(ctx, tx, s.Now().Format(timeFormat), table, id, DefaultLang, version, action, data, by)
}

// RestoreRevision makes an entry's content what it was in revision revID, as a new
// revision. It keeps the entry's current publication and trash state. See RestoreVersion.
func (s *Store) RestoreRevision(ctx context.Context, revID int64, by Actor) error {
	_, err := s.RestoreVersion(ctx, revID, by)
	return err
}

// RestoreVersion is RestoreRevision, saying what it did. Restoring an English version
// restores, in the same transaction, each translation made from the English it brings
// back (field by field, the newest made from that English), and leaves any other
// translation flagged "English changed", so no language shows a translation of English that
// is not live. Restoring a translation's version restores the English each field was made
// from with it: fields made from English that has changed since are flagged (Restored.Stale).
func (s *Store) RestoreVersion(ctx context.Context, revID int64, by Actor) (*Restored, error) {
	rev, err := s.FindRevision(ctx, revID)
	if err != nil {
		return nil, err
	}
	if rev.Lang != DefaultLang {
		return s.restoreTranslation(ctx, rev, by)
	}
	e := entities[rev.Entity]
	if e == nil {
		return nil, directory.Errorf(directory.EINVALID, "That revision cannot be restored.")
	}
	res := &Restored{Rev: rev, Entity: rev.Entity, EntityID: rev.EntityID}
	err = s.Batch(ctx, func(ctx context.Context) error {
		tx := ctx.Value(batchKey{}).(*sql.Tx)
		before, err := e.texts(ctx, tx, rev.EntityID)
		if err != nil {
			return err
		}
		if err := e.restore(ctx, s, rev.EntityID, rev.Data, by); err != nil {
			return err
		}
		return s.Update(ctx, func(tx *sql.Tx) error {
			after, err := e.texts(ctx, tx, rev.EntityID)
			if err != nil {
				return err
			}
			type unit struct {
				entity        string
				id            int64
				way           int
				before, after map[string]string
			}
			units := []unit{{rev.Entity, rev.EntityID, 0, before.fields, after.fields}}
			for _, c := range after.channels {
				u := unit{"channels", c.id, c.way, nil, c.fields}
				for _, b := range before.channels {
					if b.id == c.id {
						u.before = b.fields
					}
				}
				units = append(units, u)
			}
			byLang := map[string]*LangRestore{}
			for _, u := range units {
				langs, err := translatedLangs(ctx, tx, u.entity, u.id)
				if err != nil {
					return err
				}
				for _, lang := range langs {
					restored, stale, err := s.realignTranslation(ctx, tx, u.entity, u.id, lang, u.before, u.after, u.way, by)
					if err != nil {
						return err
					}
					if len(restored)+len(stale) == 0 {
						continue
					}
					lr := byLang[lang]
					if lr == nil {
						lr = &LangRestore{Lang: lang}
						byLang[lang] = lr
					}
					lr.Restored, lr.Stale = append(lr.Restored, restored...), append(lr.Stale, stale...)
				}
			}
			for _, lang := range slices.Sorted(maps.Keys(byLang)) {
				res.Langs = append(res.Langs, *byLang[lang])
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// restoreTranslation brings back a language's text as it was in rev (a translation
// revision holds every translated field of the entry in that language), with the English
// each field was made from: a field made from English that has changed since is flagged.
func (s *Store) restoreTranslation(ctx context.Context, rev *Revision, by Actor) (*Restored, error) {
	var old map[string]string
	if err := json.Unmarshal(rev.Data, &old); err != nil {
		return nil, err
	}
	res := &Restored{Rev: rev, Entity: rev.Entity, EntityID: rev.EntityID}
	err := s.Update(ctx, func(tx *sql.Tx) error {
		if rev.Entity == "channels" {
			res.Entity = "listings"
			err := tx.QueryRowContext(ctx, `SELECT listing_id FROM channels WHERE id = ?`, rev.EntityID).Scan(&res.EntityID)
			if errors.Is(err, sql.ErrNoRows) {
				return directory.Errorf(directory.ENOTFOUND, "That line no longer exists, so its translation cannot be restored.")
			} else if err != nil {
				return err
			}
		}
		var source map[string]string
		var recorded sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT source FROM revisions WHERE id = ?`, rev.ID).Scan(&recorded); err != nil {
			return err
		}
		if recorded.Valid {
			if err := json.Unmarshal([]byte(recorded.String), &source); err != nil {
				return err
			}
		} else {
			var err error
			if source, err = englishAt(ctx, tx, rev.Entity, rev.EntityID, rev.ID); err != nil {
				return err
			}
		}
		cur, err := currentTranslations(ctx, tx, rev.Entity, rev.EntityID, rev.Lang)
		if err != nil {
			return err
		}
		live, way, err := liveEnglish(ctx, tx, rev.Entity, rev.EntityID)
		if err != nil {
			return err
		}
		review := false
		fields, sources := map[string]string{}, map[string]string{}
		for f, c := range cur {
			review = review || c.review
			if _, ok := old[f]; !ok {
				fields[f] = "" // a field added since is removed again
			}
		}
		for _, f := range sortedKeys(old) {
			v := old[f]
			fields[f] = v
			if v == "" {
				continue
			}
			src, known := source[f]
			if !known {
				// Made from English no one recorded: the same text keeps what it had; other
				// text counts as made from no English, so it is flagged rather than shown.
				if c, ok := cur[f]; ok && c.value == v && c.source.Valid {
					src, known = c.source.String, true
				} else if !ok || c.value != v {
					src, known = "", true
				}
			}
			if known {
				sources[f] = src
				if live[f] != "" && src != live[f] {
					res.Stale = append(res.Stale, TextRef{Field: f, Way: way})
				}
			}
		}
		return s.putTranslations(ctx, tx, rev.Entity, rev.EntityID, rev.Lang, fields, sources, review, ActionRestore, by)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// --- settings ---

// SettingsForStaff returns the English settings with the verification period and the
// settings' version.
func (s *Store) SettingsForStaff(ctx context.Context) (directory.Settings, error) {
	st, err := s.Settings(ctx, DefaultLang)
	if err != nil {
		return st, err
	}
	var emergency, days sql.NullString
	_ = s.reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, SettingEmergencyNumber).Scan(&emergency)
	st.EmergencyNumber = emergency.String // the stored value, not the public default
	_ = s.reader().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, SettingVerifyDays).Scan(&days)
	st.VerifyDays = DefaultVerifyDays
	if n, err := strconv.Atoi(days.String); err == nil && n > 0 {
		st.VerifyDays = n
	}
	err = s.reader().QueryRowContext(ctx, `SELECT count(*) FROM revisions WHERE entity = 'settings' AND lang = 'en'`).Scan(&st.Version)
	return st, err
}

// oneOrZero is a yes-or-no setting as stored.
func oneOrZero(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// UpdateSettings saves the site settings. st.Version must be the version the editor
// started from (ECONFLICT otherwise).
func (s *Store) UpdateSettings(ctx context.Context, st *directory.Settings, by Actor, action string) error {
	return s.save(ctx, st, action, ActionUpdate, func(tx *sql.Tx, action string) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revisions WHERE entity = 'settings' AND lang = 'en'`).Scan(&n); err != nil {
			return err
		}
		if n != st.Version {
			return conflictError()
		}
		if st.PrimaryHotline != "" {
			var ok int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM listings WHERE kind = 'hotline' AND slug = ?`, st.PrimaryHotline).Scan(&ok); err != nil {
				return err
			} else if ok == 0 {
				return directory.InvalidField("primary_hotline", "Choose a hotline from the list.")
			}
		}
		now := s.Now().Format(timeFormat)
		for k, v := range map[string]string{
			SettingSiteName: st.SiteName, SettingRegion: st.Region, SettingTagline: st.Tagline, SettingExitURL: st.ExitURL,
			SettingEmergencyNumber: st.EmergencyNumber, SettingPrimaryHotline: st.PrimaryHotline,
			SettingContactEmail: st.ContactEmail, SettingVerifyDays: strconv.Itoa(st.VerifyDays),
			SettingContactsWithoutApproval: oneOrZero(st.ContactsWithoutApproval),
		} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, k, v, now); err != nil {
				return err
			}
		}
		st.Version = n + 1
		snap := *st
		snap.Untranslated = nil
		return writeRevision(ctx, tx, now, "settings", 0, DefaultLang, n+1, action, snap, by)
	})
}
