package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"signpost/internal/directory"
)

// synonymsVersion is the goose version of the Go migration that loads seeds/synonyms.json
// into search_synonyms (00121).
const synonymsVersion = 122

// seedSynonym is one entry of seeds/synonyms.json.
type seedSynonym struct {
	Lang  string   `json:"lang"`
	Words string   `json:"words"`
	Means []string `json:"means"`
}

// loadSynonyms loads the seeded synonyms; an entry staff already have for the same words is
// kept as it is.
func loadSynonyms(ctx context.Context, tx *sql.Tx, fsys fs.FS, now string) error {
	b, err := fs.ReadFile(fsys, "synonyms.json")
	if err != nil {
		return fmt.Errorf("seed synonyms: %w", err)
	}
	var list []seedSynonym
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("seed synonyms: %w", err)
	}
	for _, x := range list {
		syn := directory.Synonym{Lang: x.Lang, Words: x.Words, Means: x.Means}
		if err := syn.Validate(); err != nil {
			return fmt.Errorf("seed synonyms: %q: %w", x.Words, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_synonyms (lang, words, means, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (lang, words) DO NOTHING`,
			syn.Lang, syn.Words, strings.Join(syn.Means, ", "), now, now); err != nil {
			return fmt.Errorf("seed synonyms: %q: %w", x.Words, err)
		}
	}
	return nil
}

// ListSynonyms returns every synonym, by language and words.
func (s *Store) ListSynonyms(ctx context.Context) ([]directory.Synonym, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, lang, words, means, updated_at, version
		FROM search_synonyms ORDER BY lang, words COLLATE NOCASE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []directory.Synonym
	for rows.Next() {
		x, err := scanSynonym(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *x)
	}
	return out, rows.Err()
}

// FindSynonym returns one synonym, or ENOTFOUND.
func (s *Store) FindSynonym(ctx context.Context, id int64) (*directory.Synonym, error) {
	x, err := scanSynonym(s.reader().QueryRowContext(ctx, `SELECT id, lang, words, means, updated_at, version
		FROM search_synonyms WHERE id = ?`, id))
	return x, orNotFound(err, "Synonym")
}

func scanSynonym(r interface{ Scan(...any) error }) (*directory.Synonym, error) {
	var x directory.Synonym
	var means string
	var updated sql.NullString
	if err := r.Scan(&x.ID, &x.Lang, &x.Words, &means, &updated, &x.Version); err != nil {
		return nil, err
	}
	for _, m := range strings.Split(means, ",") {
		if m = strings.TrimSpace(m); m != "" {
			x.Means = append(x.Means, m)
		}
	}
	x.UpdatedAt = parseTime(updated)
	return &x, nil
}

// SaveSynonym adds x (ID 0) or updates it from the version staff started from (a stale save
// is ECONFLICT), and writes the whole entry as a revision. Invalid input is EINVALID with
// per-field messages; words already in the list for the language are EINVALID too.
func (s *Store) SaveSynonym(ctx context.Context, x *directory.Synonym, by Actor) error {
	if err := x.Validate(); err != nil {
		return err
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		now := s.Now().Format(timeFormat)
		action := ActionUpdate
		means := strings.Join(x.Means, ", ")
		var err error
		if x.ID == 0 {
			action = ActionCreate
			var res sql.Result
			res, err = tx.ExecContext(ctx, `INSERT INTO search_synonyms (lang, words, means, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?)`, x.Lang, x.Words, means, now, now)
			if err == nil {
				x.ID, _ = res.LastInsertId()
				x.Version = 1
			}
		} else {
			if err := checkVersion(ctx, tx, "search_synonyms", x.ID, x.Version, "Synonym"); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE search_synonyms SET lang = ?, words = ?, means = ?, updated_at = ?,
				version = version + 1 WHERE id = ?`, x.Lang, x.Words, means, now, x.ID)
			x.Version++
		}
		if isUnique(err) {
			return &directory.Error{Code: directory.EINVALID, Message: "Please fix the marked fields.",
				Fields: map[string]string{"words": "These words are in the list already: edit that entry instead."}}
		} else if err != nil {
			return err
		}
		return writeRevision(ctx, tx, now, SynonymEntity, x.ID, DefaultLang, x.Version, action, x, by)
	})
}

// DeleteSynonym removes a synonym, keeping its last state as a revision.
func (s *Store) DeleteSynonym(ctx context.Context, id int64, version int, by Actor) error {
	x, err := s.FindSynonym(ctx, id)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		if err := checkVersion(ctx, tx, "search_synonyms", id, version, "Synonym"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_synonyms WHERE id = ?`, id); err != nil {
			return err
		}
		return writeRevision(ctx, tx, s.Now().Format(timeFormat), SynonymEntity, id, DefaultLang, x.Version+1, actionDelete, x, by)
	})
}

// SynonymEntity is the revisions' name for synonyms (all their revisions are in
// DefaultLang, whatever the synonym's language, so one history holds them all).
const SynonymEntity = "search_synonyms"

// RestoreSynonymRevision makes a synonym what it was in revision revID, as a new revision
// (so the restore can be undone too); a deleted synonym comes back with a new id, which it
// returns.
func (s *Store) RestoreSynonymRevision(ctx context.Context, revID int64, by Actor) (int64, error) {
	rev, err := s.FindRevision(ctx, revID)
	if err != nil {
		return 0, err
	}
	if rev.Entity != SynonymEntity {
		return 0, notFound("Revision")
	}
	var old directory.Synonym
	if err := json.Unmarshal(rev.Data, &old); err != nil {
		return 0, err
	}
	x := directory.Synonym{ID: rev.EntityID, Lang: old.Lang, Words: old.Words, Means: old.Means}
	if cur, err := s.FindSynonym(ctx, rev.EntityID); err == nil {
		x.Version = cur.Version
	} else if directory.ErrorCode(err) == directory.ENOTFOUND {
		x.ID = 0
	} else {
		return 0, err
	}
	if err := s.SaveSynonym(ctx, &x, by); err != nil {
		return 0, err
	}
	return x.ID, nil
}

// actionDelete is the revision action of a removed synonym (synonyms have no trash).
const actionDelete = "delete"
