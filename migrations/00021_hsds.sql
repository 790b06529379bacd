-- +goose Up
-- The open data export names every record with a UUID (HSDS ids are UUIDs). Each database
-- gets its own random namespace for them, so two directories running Signpost never hand a
-- 211 line the same id for different records, and ids stay the same from one export to
-- the next.
INSERT OR IGNORE INTO settings (key, value, updated_at)
VALUES ('hsds_namespace', lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- +goose Down
DELETE FROM settings WHERE key = 'hsds_namespace';
