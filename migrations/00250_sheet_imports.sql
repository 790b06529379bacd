-- +goose Up
-- Spreadsheet imports (internal/sheet, internal/admin/sheet.go). An uploaded file waits here
-- between the upload and the import, under a random token and for its uploader only; rows
-- older than an hour are deleted at the next upload, and at most a few wait at once.
CREATE TABLE sheet_uploads (
    token      TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- What each import did, so that it can be undone in one step: the listings it added, and for
-- each listing it changed the revision before the change and its places then (JSON).
CREATE TABLE sheet_imports (
    id         INTEGER PRIMARY KEY,
    file_name  TEXT NOT NULL,
    user_id    INTEGER,
    user_email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    record     TEXT NOT NULL,
    undone_at  TEXT,
    undone_by  TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE sheet_imports;
DROP TABLE sheet_uploads;
