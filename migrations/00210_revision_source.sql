-- +goose Up
-- A translation's revision remembers the English each field was made from (a JSON object,
-- field → English; NULL for English revisions and for translations saved before this).
-- Restoring an English version then brings back the translation made from that English, and
-- restoring a translation's version brings back its source too, so a translation of other
-- English is flagged "English changed" rather than shown as if it were current.
ALTER TABLE revisions ADD COLUMN source TEXT;

-- +goose Down
ALTER TABLE revisions DROP COLUMN source;
