package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"signpost/internal/directory"
)

// Spreadsheet imports (internal/sheet; the screen is internal/admin/sheet.go).

// Bounds of the uploads waiting between upload and import: each is kept an hour at most,
// and only so many at once, so repeated uploads cannot fill the disk.
const (
	sheetUploadTTL  = time.Hour
	maxSheetUploads = 20
)

// KeepSheetUpload keeps an uploaded spreadsheet for its uploader and returns its token (128
// random bits). Expired uploads are deleted first; with too many waiting, it is ETOOMANY.
func (s *Store) KeepSheetUpload(ctx context.Context, userID int64, name string, data []byte) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b[:])
	now := s.Now()
	err := s.bookkeeping(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sheet_uploads WHERE created_at < ?`, now.Add(-sheetUploadTTL).Format(timeFormat)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sheet_uploads`).Scan(&n); err != nil {
			return err
		}
		if n >= maxSheetUploads {
			return directory.Errorf(directory.ETOOMANY, "Too many spreadsheets are waiting to be imported. Try again in an hour.")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sheet_uploads (token, user_id, file_name, data, created_at) VALUES (?, ?, ?, ?, ?)`,
			token, userID, name, data, now.Format(timeFormat))
		return err
	})
	return token, err
}

// FindSheetUpload returns the file kept under token for userID; ENOTFOUND if there is none,
// it is another account's, or it has expired.
func (s *Store) FindSheetUpload(ctx context.Context, token string, userID int64) (name string, data []byte, err error) {
	err = s.reader().QueryRowContext(ctx, `SELECT file_name, data FROM sheet_uploads WHERE token = ? AND user_id = ? AND created_at >= ?`,
		token, userID, s.Now().Add(-sheetUploadTTL).Format(timeFormat)).Scan(&name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, directory.Errorf(directory.ENOTFOUND, "That upload has expired or was already imported. Upload the file again.")
	}
	return name, data, err
}

// SheetImport is what one spreadsheet import did, for its undo.
type SheetImport struct {
	ID        int64
	FileName  string
	UserID    int64
	UserEmail string
	CreatedAt time.Time
	UndoneAt  time.Time
	UndoneBy  string
	// Added are the listings the import added; Changed those it changed.
	Added   []int64       `json:"added"`
	Changed []SheetChange `json:"changed"`
}

// SheetChange is a listing an import changed: its revision before the change, and its
// places then.
type SheetChange struct {
	ListingID int64                `json:"listing"`
	Revision  int64                `json:"revision"`
	Places    []directory.Location `json:"places"`
}

// SaveSheetImport records an import, deletes its upload and writes its audit line, in the
// import's transaction when ctx is a Batch's. It sets x.ID. An upload already gone (imported
// by another request) is ECONFLICT, so the import that made it is rolled back whole.
func (s *Store) SaveSheetImport(ctx context.Context, x *SheetImport, token string, audit directory.AuditEntry) error {
	rec, err := json.Marshal(struct {
		Added   []int64       `json:"added"`
		Changed []SheetChange `json:"changed"`
	}{x.Added, x.Changed})
	if err != nil {
		return err
	}
	now := s.Now()
	return s.Update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sheet_imports (file_name, user_id, user_email, created_at, record) VALUES (?, ?, ?, ?, ?)`,
			x.FileName, nullableID(x.UserID), x.UserEmail, now.Format(timeFormat), string(rec))
		if err != nil {
			return err
		}
		x.ID, _ = res.LastInsertId()
		x.CreatedAt = now
		// The upload goes with the import: a second "Import" (a double click, a second tab)
		// finds it gone and saves nothing.
		res, err = tx.ExecContext(ctx, `DELETE FROM sheet_uploads WHERE token = ?`, token)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.Errorf(directory.ECONFLICT, "This file was already imported, or its upload expired. Nothing more was saved.")
		}
		audit.EntityID = x.ID
		return writeAudit(ctx, tx, now, audit)
	})
}

// FindSheetImport returns an import by id; ENOTFOUND if there is none.
func (s *Store) FindSheetImport(ctx context.Context, id int64) (*SheetImport, error) {
	x := &SheetImport{ID: id}
	var uid sql.NullInt64
	var created, rec string
	var undone sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT file_name, user_id, user_email, created_at, record, undone_at, undone_by
		FROM sheet_imports WHERE id = ?`, id).Scan(&x.FileName, &uid, &x.UserEmail, &created, &rec, &undone, &x.UndoneBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Import")
	} else if err != nil {
		return nil, err
	}
	x.UserID = uid.Int64
	x.CreatedAt, _ = time.Parse(timeFormat, created)
	if undone.Valid {
		x.UndoneAt, _ = time.Parse(timeFormat, undone.String)
	}
	if err := json.Unmarshal([]byte(rec), x); err != nil {
		return nil, err
	}
	return x, nil
}

// MarkSheetImportUndone records that an import was undone, with its audit line, in the
// undo's transaction when ctx is a Batch's. An import already undone is ECONFLICT.
func (s *Store) MarkSheetImportUndone(ctx context.Context, id int64, by Actor, audit directory.AuditEntry) error {
	now := s.Now()
	return s.Update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sheet_imports SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL`,
			now.Format(timeFormat), by.Email, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return directory.Errorf(directory.ECONFLICT, "This import was already undone.")
		}
		return writeAudit(ctx, tx, now, audit)
	})
}

// LatestRevisionID returns the id of the newest revision of an entry in English, 0 if it
// has none.
func (s *Store) LatestRevisionID(ctx context.Context, entity string, id int64) (int64, error) {
	var rev sql.NullInt64
	err := s.reader().QueryRowContext(ctx, `SELECT max(id) FROM revisions WHERE entity = ? AND entity_id = ? AND lang = ?`,
		entity, id, DefaultLang).Scan(&rev)
	return rev.Int64, err
}
