package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"signpost/internal/directory"
)

// Staff accounts, sign-in throttling, the audit log and public corrections.

const userColumns = `id, email, password_hash, role, disabled, created_at, updated_at`

func scanUser(sc scanner) (*directory.User, error) {
	var u directory.User
	var role string
	var created, updated sql.NullString
	if err := sc.Scan(&u.ID, &u.Email, &u.PasswordHash, &role, &u.Disabled, &created, &updated); err != nil {
		return nil, err
	}
	u.Role = directory.Role(role)
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return &u, nil
}

// CreateUser adds a staff account. The email is unique regardless of case: a second
// account with the same email is an EINVALID error on the email field.
func (s *Store) CreateUser(ctx context.Context, u *directory.User) error {
	u.Email = strings.TrimSpace(u.Email)
	f := map[string]string{}
	if !directory.ValidEmail(u.Email) {
		f["email"] = "Enter an email address like name@example.org."
	}
	if !u.Role.Valid() {
		f["role"] = "Choose admin or editor."
	}
	if u.PasswordHash == "" {
		f["password"] = "A password is required."
	}
	if len(f) > 0 {
		return directory.Invalid(f)
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, password_hash, role, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, u.Email, u.PasswordHash, string(u.Role), u.Disabled, now.Format(timeFormat), now.Format(timeFormat))
		if isUnique(err) {
			return directory.InvalidField("email", "An account with this email already exists.")
		} else if err != nil {
			return err
		}
		u.ID, _ = res.LastInsertId()
		u.CreatedAt, u.UpdatedAt = now, now
		return nil
	})
}

// FindUserByEmail returns the account with email (any case). It returns ENOTFOUND if there
// is none.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*directory.User, error) {
	u, err := scanUser(s.writer.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.TrimSpace(email)))
	return u, orNotFound(err, "Account")
}

// FindUserByID returns the account id. It returns ENOTFOUND if there is none.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*directory.User, error) {
	u, err := scanUser(s.writer.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, orNotFound(err, "Account")
}

// ListUsers returns every account by email.
func (s *Store) ListUsers(ctx context.Context) ([]*directory.User, error) {
	return queryAll(ctx, s.writer, scanUser, `SELECT `+userColumns+` FROM users ORDER BY email COLLATE NOCASE`)
}

// UpdateUser saves an account's role, disabled flag and (when not empty) password hash.
// Disabling an account or changing its password ends its sessions elsewhere only when the
// caller also calls its session store; the account check on every request refuses a
// disabled account at once.
func (s *Store) UpdateUser(ctx context.Context, u *directory.User) error {
	if !u.Role.Valid() {
		return directory.InvalidField("role", "Choose admin or editor.")
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		now := s.Now().Format(timeFormat)
		q := `UPDATE users SET role = ?, disabled = ?, updated_at = ? WHERE id = ?`
		args := []any{string(u.Role), u.Disabled, now, u.ID}
		if u.PasswordHash != "" {
			q = `UPDATE users SET role = ?, disabled = ?, updated_at = ?, password_hash = ? WHERE id = ?`
			args = []any{string(u.Role), u.Disabled, now, u.PasswordHash, u.ID}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		} else if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Account")
		}
		return nil
	})
}

// CountActiveAdmins returns how many enabled admin accounts exist, so the last one cannot
// be disabled or demoted from the admin pages.
func (s *Store) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	err := s.writer.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`).Scan(&n)
	return n, err
}

// LoginFailures returns how many sign-ins failed in a row for key, and when the last one was.
func (s *Store) LoginFailures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var last sql.NullString
	err := s.writer.QueryRowContext(ctx, `SELECT failures, last_failure FROM login_attempts WHERE key = ?`, key).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	return n, parseTime(last), err
}

// RecordLoginFailure counts one more failed sign-in for each key. It does not bump the
// content generation: no public page depends on it.
func (s *Store) RecordLoginFailure(ctx context.Context, keys ...string) error {
	return s.bookkeeping(ctx, func(tx *sql.Tx) error { return recordLoginFailure(ctx, tx, s.Now(), keys) })
}

func recordLoginFailure(ctx context.Context, tx *sql.Tx, now time.Time, keys []string) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (key, failures, last_failure) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure = excluded.last_failure`, k, now.Format(timeFormat)); err != nil {
			return err
		}
	}
	return nil
}

// ReserveLoginAttempt lets one password check through for keys, or says how long to wait.
// In one write transaction it reads each key's failures in a row and asks wait how long that
// key must still wait; if none must, it counts the attempt as a failure for every key before
// the password is checked (the caller clears the keys after a success). Checking and
// counting in one step means a burst of parallel attempts gets exactly the free tries, not
// as many as arrive before the first failure is written. A refused attempt counts nothing,
// so it cannot lengthen the wait.
func (s *Store) ReserveLoginAttempt(ctx context.Context, wait func(key string, failures int, last time.Time) time.Duration, keys ...string) (time.Duration, error) {
	var longest time.Duration
	err := s.bookkeeping(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			var n int
			var last sql.NullString
			err := tx.QueryRowContext(ctx, `SELECT failures, last_failure FROM login_attempts WHERE key = ?`, k).Scan(&n, &last)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			longest = max(longest, wait(k, n, parseTime(last)))
		}
		if longest > 0 {
			return nil
		}
		return recordLoginFailure(ctx, tx, s.Now(), keys)
	})
	return longest, err
}

// bookkeeping runs fn in a write transaction that, unlike Update, leaves the content
// generation alone: for writes no public page shows (see exec).
func (s *Store) bookkeeping(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return errReadOnly
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// ClearLoginFailures forgets the failures of key (after a successful sign-in).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.exec(ctx, `DELETE FROM login_attempts WHERE key = ?`, key)
	return err
}

// WriteAudit appends one line to the audit log.
func (s *Store) WriteAudit(ctx context.Context, e directory.AuditEntry) error {
	if s.readOnly {
		return errReadOnly
	}
	if tx, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		// Inside a Batch the writer is taken by its transaction: the line joins it (a
		// restore holding a number for approval writes one while restoring).
		return writeAudit(ctx, tx, s.Now(), e)
	}
	return writeAudit(ctx, s.writer, s.Now(), e)
}

func writeAudit(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, now time.Time, e directory.AuditEntry) error {
	var uid, eid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	if e.EntityID != 0 {
		eid = e.EntityID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, user_email, action, entity, entity_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, now.Format(timeFormat), uid, e.UserEmail, e.Action, e.Entity, eid, e.Detail)
	return err
}

// WriteAuditRepeat records e like WriteAudit, unless the same event (action, account,
// entry and detail) was recorded in the last hour: then it counts one more on that line.
// A line gathers repeats for a day at most, so each day of a long attack has its own.
func (s *Store) WriteAuditRepeat(ctx context.Context, e directory.AuditEntry) error {
	now := s.Now()
	return s.bookkeeping(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE audit_log SET repeats = repeats + 1, last_at = ?1 WHERE id = (
			SELECT id FROM audit_log WHERE at >= ?2 AND coalesce(last_at, at) >= ?3 AND action = ?4
				AND coalesce(user_id, 0) = ?5 AND user_email = ?6 AND entity = ?7 AND coalesce(entity_id, 0) = ?8 AND detail = ?9
			ORDER BY id DESC LIMIT 1)`,
			now.Format(timeFormat), now.Add(-24*time.Hour).Format(timeFormat), now.Add(-time.Hour).Format(timeFormat),
			e.Action, e.UserID, e.UserEmail, e.Entity, e.EntityID, e.Detail)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		return writeAudit(ctx, tx, now, e)
	})
}

// ListAudit returns the newest audit lines, at most limit, starting after offset.
func (s *Store) ListAudit(ctx context.Context, limit, offset int) ([]directory.AuditEntry, error) {
	return queryAll(ctx, s.reader(), func(sc scanner) (e directory.AuditEntry, err error) {
		var at, last sql.NullString
		err = sc.Scan(&e.ID, &at, &e.UserID, &e.UserEmail, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.Repeats, &last)
		e.At, e.LastAt = parseTime(at), parseTime(last)
		return e, err
	}, `SELECT id, at, coalesce(user_id, 0), user_email, action, entity,
		coalesce(entity_id, 0), detail, repeats, coalesce(last_at, at) FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
}

// CreateCorrection files a visitor's suggestion about a published listing. It returns
// ENOTFOUND if the listing is not public, EINVALID for an empty or too long message.
func (s *Store) CreateCorrection(ctx context.Context, c *directory.Correction) error {
	c.Message = strings.TrimSpace(c.Message)
	if c.Message == "" || len([]rune(c.Message)) > directory.MaxCorrection || len(c.Field) > 40 {
		return directory.InvalidField("message", "Write what should change, in at most 2000 characters.")
	}
	// Written outside Update on purpose: a suggestion changes no public page, so it must not
	// empty the page cache (visitors could otherwise flush it by sending suggestions).
	now := s.Now()
	res, err := s.exec(ctx, `INSERT INTO corrections (listing_id, field, message, status, created_at)
		SELECT id, ?, ?, 'open', ? FROM listings WHERE id = ? AND status = 'published' AND deleted_at IS NULL`,
		c.Field, c.Message, now.Format(timeFormat), c.ListingID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Listing")
	}
	c.ID, _ = res.LastInsertId()
	c.Status, c.CreatedAt = directory.CorrectionOpen, now
	return nil
}

const correctionColumns = `c.id, c.listing_id, l.kind, l.slug, l.name, c.field, c.message, c.status, c.created_at,
	c.handled_at, coalesce(c.handled_by, 0)`

func scanCorrection(sc scanner) (*directory.Correction, error) {
	var c directory.Correction
	var kind string
	var created, handled sql.NullString
	if err := sc.Scan(&c.ID, &c.ListingID, &kind, &c.Listing.Slug, &c.Listing.Name, &c.Field, &c.Message, &c.Status,
		&created, &handled, &c.HandledByID); err != nil {
		return nil, err
	}
	c.Listing.Kind = directory.Kind(kind)
	c.CreatedAt, c.HandledAt = parseTime(created), parseTime(handled)
	return &c, nil
}

// ListCorrections returns corrections with status (every status if empty), newest first.
func (s *Store) ListCorrections(ctx context.Context, status string) ([]*directory.Correction, error) {
	q := `SELECT ` + correctionColumns + ` FROM corrections c JOIN listings l ON l.id = c.listing_id`
	var args []any
	if status != "" {
		q += ` WHERE c.status = ?`
		args = append(args, status)
	}
	return queryAll(ctx, s.reader(), scanCorrection, q+` ORDER BY c.id DESC LIMIT 500`, args...)
}

// FindCorrection returns one correction. It returns ENOTFOUND if there is none.
func (s *Store) FindCorrection(ctx context.Context, id int64) (*directory.Correction, error) {
	c, err := scanCorrection(s.writer.QueryRowContext(ctx, `SELECT `+correctionColumns+` FROM corrections c
		JOIN listings l ON l.id = c.listing_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Suggestion")
	}
	return c, err
}

// SetCorrectionStatus marks a correction accepted or dismissed by by.
func (s *Store) SetCorrectionStatus(ctx context.Context, id int64, status string, by Actor) error {
	if status != directory.CorrectionAccepted && status != directory.CorrectionDismissed && status != directory.CorrectionOpen {
		return directory.Errorf(directory.EINVALID, "Unknown status %q.", status)
	}
	var uid any
	if by.ID != 0 {
		uid = by.ID
	}
	res, err := s.exec(ctx, `UPDATE corrections SET status = ?, handled_by = ?, handled_at = ? WHERE id = ?`,
		status, uid, s.Now().Format(timeFormat), id)
	if err != nil {
		return err
	} else if n, _ := res.RowsAffected(); n == 0 {
		return notFound("Suggestion")
	}
	return nil
}

// Translations returns the stored fields of entity id in lang, without any fallback, and
// whether any of them is flagged as needing review.
func (s *Store) Translations(ctx context.Context, entity string, id int64, lang string) (map[string]string, bool, error) {
	out := map[string]string{}
	review := false
	err := eachRow(ctx, s.reader(), func(sc scanner) error {
		var f, v string
		var nr bool
		err := sc.Scan(&f, &v, &nr)
		out[f] = v
		review = review || nr
		return err
	}, `SELECT field, value, needs_review FROM translations WHERE entity = ? AND entity_id = ? AND lang = ?`, entity, id, lang)
	if err != nil {
		return nil, false, err
	}
	return out, review, nil
}

// CountSessions returns how many staff sessions the database holds, live or not yet cleaned
// up: the bound on sessions opened only to keep a form across a new sign-in.
func (s *Store) CountSessions(ctx context.Context) (int, error) {
	var n int
	err := s.writer.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n)
	return n, err
}

// ForgetLoginFailures deletes the failure counts last added before t, so the table holds
// only what the throttle still uses.
func (s *Store) ForgetLoginFailures(ctx context.Context, before time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM login_attempts WHERE last_failure < ?`, before.UTC().Format(timeFormat))
	return err
}
