package store

import (
	"context"
	"database/sql"
	"errors"

	"signpost/internal/directory"
)

// Terms (the filters: services, people served, areas, languages) have no version column;
// like the settings, their version is the number of their revisions. They are not deleted
// from the admin: a term in use would silently leave every listing that has it.

// FindTermByID returns a term's English record with its position and version, for staff.
func (s *Store) FindTermByID(ctx context.Context, id int64) (*directory.Term, error) {
	return findTerm(ctx, s.reader(), id)
}

func findTerm(ctx context.Context, q queryer, id int64) (*directory.Term, error) {
	var t directory.Term
	err := q.QueryRowContext(ctx, `SELECT id, taxonomy, slug, name, position,
		(SELECT count(*) FROM revisions WHERE entity = 'terms' AND entity_id = terms.id AND lang = 'en')
		FROM terms WHERE id = ?`, id).Scan(&t.ID, &t.Taxonomy, &t.Slug, &t.Name, &t.Position, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Filter")
	}
	return &t, err
}

// SaveTerm creates (ID 0) or updates a term. t.Version must be the version the editor
// started from (ECONFLICT otherwise). A term's taxonomy does not change once made.
func (s *Store) SaveTerm(ctx context.Context, t *directory.Term, by Actor, action string) error {
	def := ActionUpdate
	if t.ID == 0 {
		def = ActionCreate
	}
	return s.save(ctx, t, action, def, func(tx *sql.Tx, action string) error {
		if t.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO terms (taxonomy, slug, name, position) VALUES (?, ?, ?, ?)`,
				t.Taxonomy, t.Slug, t.Name, t.Position)
			if isUnique(err) {
				return slugTaken()
			} else if err != nil {
				return err
			}
			t.ID, _ = res.LastInsertId()
		} else {
			cur, err := findTerm(ctx, tx, t.ID)
			if err != nil {
				return err
			}
			if cur.Version != t.Version {
				return conflictError()
			}
			_, err = tx.ExecContext(ctx, `UPDATE terms SET slug = ?, name = ?, position = ? WHERE id = ?`, t.Slug, t.Name, t.Position, t.ID)
			if isUnique(err) {
				return slugTaken()
			} else if err != nil {
				return err
			}
			// Listings show their terms' names: they count as changed, for sitemaps.
			if _, err := tx.ExecContext(ctx, `UPDATE listings SET updated_at = ? WHERE id IN
				(SELECT listing_id FROM listing_terms WHERE term_id = ?)`, s.Now().Format(timeFormat), t.ID); err != nil {
				return err
			}
		}
		saved, err := findTerm(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		t.Version = saved.Version + 1
		saved.Version = t.Version
		return writeRevision(ctx, tx, s.Now().Format(timeFormat), "terms", t.ID, DefaultLang, t.Version, action, saved, by)
	})
}
