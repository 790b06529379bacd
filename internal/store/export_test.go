package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// SetSpellOutDocs sets how many documents a prefix's words must be in before a search spells
// the prefix out (see matchExpression), until the returned function restores it.
func SetSpellOutDocs(n int) (restore func()) {
	old := spellOutDocs
	spellOutDocs = n
	return func() { spellOutDocs = old }
}

// AddRevisionForTest stores data as the newest English revision of entity id, as if an
// earlier version of the code had written it, and returns its id.
func (s *Store) AddRevisionForTest(ctx context.Context, entity string, id int64, data []byte) (int64, error) {
	var revID int64
	err := s.Update(ctx, func(tx *sql.Tx) error {
		if err := writeRevision(ctx, tx, s.Now().Format(timeFormat), entity, id, DefaultLang, 1000, ActionUpdate,
			json.RawMessage(data), SystemActor); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT max(id) FROM revisions`).Scan(&revID)
	})
	return revID, err
}
