package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"signpost/internal/directory"
)

// Revision actions.
const (
	ActionSeed      = "seed"
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionPublish   = "publish"
	ActionUnpublish = "unpublish"
	ActionTrash     = "trash"
	ActionUntrash   = "untrash"
	ActionRestore   = "restore"
	ActionImport    = "import"
	ActionTranslate = "translate"
)

// CreateListing saves a new listing with its channels and terms (terms are matched by
// taxonomy and slug; unknown terms are an EINVALID error), and writes its first revision.
// It sets l.ID, l.Version, l.CreatedAt and l.UpdatedAt. A taken slug is an EINVALID error
// on the slug field.
func (s *Store) CreateListing(ctx context.Context, l *directory.Listing, by Actor, action string) error {
	if l.Status == "" {
		l.Status = directory.StatusDraft
	}
	return s.save(ctx, l, action, ActionCreate, func(tx *sql.Tx, action string) error {
		now := s.Now()
		plain := listingPlain(l)
		args := append([]any{string(l.Kind)}, values(plain)...)
		// #nosec G202 -- the column names are listingPlain's constants; every value is bound
		res, err := tx.ExecContext(ctx, `INSERT INTO listings (kind, `+columnNames(plain, "", ", ")+`,
			operated_by, status, todo, last_verified, created_at, updated_at, version)
			VALUES (?, `+placeholders(len(plain))+`, ?, ?, ?, ?, ?, ?, 1)`,
			append(args, nil, string(l.Status), joinTodo(l.Todo),
				nullableTime(l.LastVerified), now.Format(timeFormat), now.Format(timeFormat))...)
		if isUnique(err) {
			return slugTaken()
		} else if err != nil {
			return err
		}
		l.ID, _ = res.LastInsertId()
		l.Version, l.CreatedAt, l.UpdatedAt = 1, now, now
		if err := s.writeListingParts(ctx, tx, l); err != nil {
			return err
		}
		return s.snapshotListing(ctx, tx, l.ID, action, by)
	})
}

// UpdateListing saves l over the stored listing l.ID. l.Version must be the version the
// editor started from: if someone else saved since, nothing is written and the error is
// ECONFLICT (the caller shows both versions). A changed slug keeps the old URL working.
func (s *Store) UpdateListing(ctx context.Context, l *directory.Listing, by Actor, action string) error {
	return s.save(ctx, l, action, ActionUpdate, func(tx *sql.Tx, action string) error {
		var oldSlug, kind string
		var version int
		err := tx.QueryRowContext(ctx, `SELECT slug, kind, version FROM listings WHERE id = ?`, l.ID).Scan(&oldSlug, &kind, &version)
		if err != nil {
			return orNotFound(err, "Listing")
		}
		if version != l.Version {
			return conflictError()
		}
		if string(l.Kind) != kind {
			return &directory.Error{Code: directory.EINVALID, Message: "The kind of a listing cannot change.", Fields: map[string]string{"kind": "The kind of a listing cannot change."}}
		}
		now := s.Now()
		plain := listingPlain(l)
		// #nosec G202 -- the column names are listingPlain's constants; every value is bound
		_, err = tx.ExecContext(ctx, `UPDATE listings SET `+columnNames(plain, "", " = ?, ")+` = ?,
			status = ?, todo = ?, last_verified = ?, updated_at = ?, version = version + 1
			WHERE id = ?`,
			append(values(plain), string(l.Status), joinTodo(l.Todo), nullableTime(l.LastVerified), now.Format(timeFormat), l.ID)...)
		if isUnique(err) {
			return slugTaken()
		} else if err != nil {
			return err
		}
		if oldSlug != l.Slug {
			// The old URL answers 301 to the new one; a slug that comes back stops redirecting.
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO slug_redirects (kind, old_slug, listing_id) VALUES (?, ?, ?)`, kind, oldSlug, l.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM slug_redirects WHERE kind = ? AND old_slug = ?`, kind, l.Slug); err != nil {
				return err
			}
		}
		l.Version, l.UpdatedAt = version+1, now
		if err := s.writeListingParts(ctx, tx, l); err != nil {
			return err
		}
		return s.snapshotListing(ctx, tx, l.ID, action, by)
	})
}

// writeListingParts replaces a listing's channels, terms and operator. Channel labels and
// hours keep their translations when a channel with the same type and position survives.
func (s *Store) writeListingParts(ctx context.Context, tx *sql.Tx, l *directory.Listing) error {
	var op any
	if l.OperatedBy != nil && l.OperatedBy.Slug != "" {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM listings WHERE slug = ? AND kind IN ('organization', 'agency') AND id <> ?
			ORDER BY kind LIMIT 1`, l.OperatedBy.Slug, l.ID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return directory.InvalidField("operated_by", "No organization or agency has that address name.")
		} else if err != nil {
			return err
		}
		op = id
	}
	if _, err := tx.ExecContext(ctx, `UPDATE listings SET operated_by = ? WHERE id = ?`, op, l.ID); err != nil {
		return err
	}

	// Channels: update in place by position so their ids (and translations) survive edits.
	existing, err := queryAll(ctx, tx, scanID, `SELECT id FROM channels WHERE listing_id = ? ORDER BY position, id`, l.ID)
	if err != nil {
		return err
	}
	for i := range l.Channels {
		c := &l.Channels[i]
		c.ListingID, c.Position = l.ID, i
		if i < len(existing) {
			c.ID = existing[i]
			if _, err := tx.ExecContext(ctx, `UPDATE channels SET type = ?, number = ?, vanity = ?, keyword = ?, address = ?,
				url = ?, label = ?, hours = ?, todo = ?, position = ? WHERE id = ?`,
				string(c.Type), c.Number, c.Vanity, c.Keyword, c.Address, c.URL, c.Label, c.Hours, c.Todo, i, c.ID); err != nil {
				return err
			}
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO channels (listing_id, type, number, vanity, keyword, address, url, label, hours, todo, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, string(c.Type), c.Number, c.Vanity, c.Keyword, c.Address, c.URL, c.Label, c.Hours, c.Todo, i)
		if err != nil {
			return err
		}
		c.ID, _ = res.LastInsertId()
	}
	for _, id := range existing[min(len(existing), len(l.Channels)):] {
		if _, err := tx.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM translations WHERE entity = 'channels' AND entity_id = ?`, id); err != nil {
			return err
		}
	}

	// Terms, by taxonomy and slug.
	if _, err := tx.ExecContext(ctx, `DELETE FROM listing_terms WHERE listing_id = ?`, l.ID); err != nil {
		return err
	}
	for _, t := range l.Terms {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO listing_terms (listing_id, term_id)
			SELECT ?, id FROM terms WHERE taxonomy = ? AND slug = ?`, l.ID, t.Taxonomy, t.Slug)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM terms WHERE taxonomy = ? AND slug = ?`, t.Taxonomy, t.Slug).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return directory.InvalidField("terms", fmt.Sprintf("There is no %s term %q.", t.Taxonomy, t.Slug))
			}
		}
	}
	return nil
}

// snapshotListing writes the listing's whole stored record as a revision.
func (s *Store) snapshotListing(ctx context.Context, tx *sql.Tx, id int64, action string, by Actor) error {
	return s.snapshot(ctx, tx, "listings", id, action, by)
}

// SetListingStatus publishes or unpublishes a listing (a revision, without a version check:
// it changes nothing an editor is typing). Publishing is PublishListing's: a listing whose
// contact values changed while it was a draft may publish with its old ones, the new ones
// waiting for a second person; then a line goes in the audit log.
func (s *Store) SetListingStatus(ctx context.Context, id int64, status directory.Status, by Actor) error {
	if status == directory.StatusPublished {
		c, err := s.PublishListing(ctx, id, by)
		if err != nil || c == nil {
			return err
		}
		// The publish is done (or joins the caller's batch): a lost audit line must not undo it.
		_ = s.WriteAudit(ctx, directory.AuditEntry{Action: "proposed_contact_change", Entity: "listings", EntityID: id,
			UserID: by.ID, UserEmail: by.Email, Detail: "change " + strconv.FormatInt(c.ID, 10) + ": " + RepublishedNote})
		return nil
	}
	return s.setListingStatus(ctx, id, status, by)
}

func (s *Store) setListingStatus(ctx context.Context, id int64, status directory.Status, by Actor) error {
	action := ActionPublish
	if status != directory.StatusPublished {
		status, action = directory.StatusDraft, ActionUnpublish
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		return s.changeListing(ctx, tx, id, action, by, `UPDATE listings SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			string(status), s.Now().Format(timeFormat), id)
	})
}

// TrashListing moves a listing to the trash; RestoreFromTrash brings it back. Nothing is
// deleted: the trash is a flag, and the revision history stays.
func (s *Store) TrashListing(ctx context.Context, id int64, by Actor) error {
	return s.setTrashed(ctx, id, true, by)
}

// UntrashListing takes a listing out of the trash, as it was.
func (s *Store) UntrashListing(ctx context.Context, id int64, by Actor) error {
	return s.setTrashed(ctx, id, false, by)
}

func (s *Store) setTrashed(ctx context.Context, id int64, trashed bool, by Actor) error {
	return s.Update(ctx, func(tx *sql.Tx) error {
		var deleted any
		action := ActionUntrash
		if trashed {
			deleted, action = s.Now().Format(timeFormat), ActionTrash
		}
		return s.changeListing(ctx, tx, id, action, by, `UPDATE listings SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			deleted, s.Now().Format(timeFormat), id)
	})
}

// changeListing runs query, one UPDATE of listing id's row, then records the listing's
// revision under action. A listing that does not exist is ENOTFOUND.
func (s *Store) changeListing(ctx context.Context, tx *sql.Tx, id int64, action string, by Actor, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	} else if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Listing")
	}
	return s.snapshotListing(ctx, tx, id, action, by)
}

// MarkListingVerified sets the last-verified date to today and changes nothing else (no new
// version, so an editor with the form open is not put in conflict).
func (s *Store) MarkListingVerified(ctx context.Context, id int64, by Actor) error {
	return s.Update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE listings SET last_verified = ? WHERE id = ?`, s.Now().Format(timeFormat), id)
		if err != nil {
			return err
		} else if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Listing")
		}
		return nil
	})
}

// Revision is one saved state of an entry.
type Revision struct {
	ID        int64
	Entity    string
	EntityID  int64
	Lang      string
	Version   int
	Action    string
	Data      json.RawMessage
	UserEmail string
	CreatedAt string
}

// ListRevisions returns an entry's revisions in lang, newest first.
func (s *Store) ListRevisions(ctx context.Context, entity string, id int64, lang string) ([]Revision, error) {
	if lang == "" {
		lang = DefaultLang
	}
	return queryAll(ctx, s.reader(), scanRevision, `SELECT `+revisionColumns+` FROM revisions
		WHERE entity = ? AND entity_id = ? AND lang = ? ORDER BY id DESC`, entity, id, lang)
}

const revisionColumns = `id, entity, entity_id, lang, version, action, data, user_email, created_at`

func scanRevision(sc scanner) (r Revision, err error) {
	var data string
	err = sc.Scan(&r.ID, &r.Entity, &r.EntityID, &r.Lang, &r.Version, &r.Action, &data, &r.UserEmail, &r.CreatedAt)
	r.Data = json.RawMessage(data)
	return r, err
}

// FindRevision returns one revision by id.
func (s *Store) FindRevision(ctx context.Context, id int64) (*Revision, error) {
	r, err := scanRevision(s.reader().QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE id = ?`, id))
	if err != nil {
		return nil, orNotFound(err, "Revision")
	}
	return &r, nil
}

// RestoreListingRevision makes a listing's English content what it was in revision revID,
// as a new revision (so the restore itself can be undone). It keeps the current status and
// trash state unless the revision is restored with them.
func (s *Store) RestoreListingRevision(ctx context.Context, revID int64, by Actor) (*directory.Listing, error) {
	rev, err := s.FindRevision(ctx, revID)
	if err != nil {
		return nil, err
	}
	if rev.Entity != "listings" || rev.Lang != DefaultLang {
		return nil, directory.Errorf(directory.EINVALID, "That revision is not a listing's.")
	}
	// An undo puts back what an admin's import changed: at once, like the import itself.
	ctx = context.WithValue(ctx, contactsAtOnceKey{}, true)
	old, err := entities["listings"].(entityOf[directory.Listing]).restoreRecord(ctx, s, rev.EntityID, rev.Data, by)
	if err != nil {
		return nil, err
	}
	return old, nil
}

// SaveTranslations stores fields of entity id in lang (a non-default language) and writes a
// revision of that language's text. An empty value removes the translation, so the page
// falls back to English and says so.
func (s *Store) SaveTranslations(ctx context.Context, entity string, id int64, lang string, fields map[string]string, needsReview bool, by Actor) error {
	return s.SaveTranslationsFrom(ctx, entity, id, lang, fields, nil, needsReview, by)
}

// SaveTranslationsFrom is SaveTranslations that also records, per field, the English each
// translation was made from (english; a field missing from it whose text changes is left with none, never flagged), so
// that a later change to the English flags the translation as stale.
func (s *Store) SaveTranslationsFrom(ctx context.Context, entity string, id int64, lang string, fields, english map[string]string, needsReview bool, by Actor) error {
	if lang == DefaultLang || lang == "" {
		return directory.Errorf(directory.EINVALID, "English text is edited on the entry itself.")
	}
	e := entities[entity]
	if e == nil && entity != "channels" { // a listing's channels have translations, not revisions of their own
		return directory.Errorf(directory.EINVALID, "Unknown kind of entry %q.", entity)
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		return s.putTranslations(ctx, tx, entity, id, lang, fields, english, needsReview, ActionTranslate, by)
	})
}

func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

func slugTaken() error {
	return directory.InvalidField("slug", "Another entry of this kind already uses this address name.")
}
