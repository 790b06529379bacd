-- +goose Up
-- An event repeated many times in a row (a failed or throttled sign-in in a guessing
-- attack) is one audit line with a count, not one line each: a burst must not push the real
-- events off the pages. repeats counts the events, last_at is when the newest came.
ALTER TABLE audit_log ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at TEXT;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN last_at;
ALTER TABLE audit_log DROP COLUMN repeats;
