package store

import (
	"context"
	"encoding/json"
)

// Actor is who made a change: a staff account, or the system (seed, import) with ID 0.
type Actor struct {
	ID    int64
	Email string
}

// SystemActor stands for changes no person made (the seed load).
var SystemActor = Actor{Email: "system"}

func writeRevision(ctx context.Context, q queryer, now any, entity string, id int64, lang string, version int, action string, data any, by Actor) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	var uid any
	if by.ID != 0 {
		uid = by.ID
	}
	if lang == "" {
		lang = DefaultLang
	}
	_, err = q.ExecContext(ctx, `INSERT INTO revisions (entity, entity_id, lang, version, action, data, user_id, user_email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, entity, id, lang, version, action, string(b), uid, by.Email, now)
	return err
}
