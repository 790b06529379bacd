package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"
)

// needFirstSeedVersion is the Go migration that fills the columns 00140 added (works_in,
// source_date) from seeds/, for the listings the seed migration loaded. It runs once, on a
// database the seed migration filled moments before; a listing staff already removed is
// skipped.
const needFirstSeedVersion = 141

// seedNeedFirst is one listing's fields for needFirstSeedVersion.
type seedNeedFirst struct {
	Kind       string            `json:"kind"`
	Slug       string            `json:"slug"`
	WorksIn    string            `json:"works_in"`
	SourceDate string            `json:"source_date"`
	ES         map[string]string `json:"es"`
}

func loadNeedFirstSeeds(ctx context.Context, tx *sql.Tx, fsys fs.FS, now time.Time) error {
	ts := now.UTC().Format(timeFormat)
	for _, name := range []string{"listings.json", "resources.json"} {
		var list []seedNeedFirst
		if err := readSeed(fsys, name, &list); err != nil {
			return err
		}
		for _, l := range list {
			if l.WorksIn == "" && l.SourceDate == "" {
				continue
			}
			if l.SourceDate != "" {
				if _, err := time.Parse("2006-01-02", l.SourceDate); err != nil {
					return fmt.Errorf("seed: listing %s: source_date %q is not YYYY-MM-DD", l.Slug, l.SourceDate)
				}
			}
			var id int64
			err := tx.QueryRowContext(ctx, `UPDATE listings SET works_in = ?, source_date = ?
				WHERE kind = ? AND slug = ? RETURNING id`, l.WorksIn, l.SourceDate, l.Kind, l.Slug).Scan(&id)
			if err == sql.ErrNoRows {
				continue
			} else if err != nil {
				return fmt.Errorf("seed: listing %s: %w", l.Slug, err)
			}
			if es := l.ES["works_in"]; es != "" && l.WorksIn != "" {
				if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO translations
					(entity, entity_id, field, lang, value, needs_review, updated_at) VALUES ('listings', ?, 'works_in', ?, ?, 1, ?)`,
					id, seedLang, es, ts); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// needFirstRevisionVersion writes a revision of each listing whose works_in or source_date
// (filled by 00141, which wrote no revision) its latest revision does not hold. Since
// those two are saved with the rest of a listing, a restore writes them too: without this,
// restoring the seed revision would empty them with no revision left that had the value.
const needFirstRevisionVersion = 270

func snapshotNeedFirst(ctx context.Context, tx *sql.Tx, now time.Time) error {
	ids, err := queryAll(ctx, tx, scanID, `SELECT l.id FROM listings l
		WHERE (l.works_in <> '' OR l.source_date <> '') AND NOT EXISTS (
			SELECT 1 FROM revisions r WHERE r.id = (SELECT max(id) FROM revisions
				WHERE entity = 'listings' AND entity_id = l.id AND lang = 'en')
			AND json_extract(r.data, '$.WorksIn') IS l.works_in
			AND json_extract(r.data, '$.SourceDate') IS l.source_date)`)
	if err != nil {
		return err
	}
	ts := now.UTC().Format(timeFormat)
	for _, id := range ids {
		if err := snapshotSeeded(ctx, tx, ts, id); err != nil {
			return err
		}
	}
	return nil
}
