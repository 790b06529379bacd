-- +goose Up
-- Places a listing can be found at: an office, a drop-in centre. A listing may have several,
-- in order. Some addresses are kept private (a shelter's): the row keeps the address for
-- staff, and the public site and the open data publish only the city and state.
CREATE TABLE locations (
    id          INTEGER PRIMARY KEY,
    listing_id  INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    street2     TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT 'US',
    latitude    REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude   REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    private     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_listing ON locations (listing_id, position);

-- The open data ids of records taken from another directory's HSDS data (and of records
-- whose id that data named), so that they keep their ids in every later export: a record
-- exported, imported elsewhere and exported again has the same id throughout. The key names
-- the record in Signpost's own terms ("service:12", "phone:40", "taxonomy:area"); records
-- with no row here get the ids Signpost derives (internal/hsds/ids.go).
CREATE TABLE hsds_ids (
    key     TEXT PRIMARY KEY,
    hsds_id TEXT NOT NULL
);
CREATE INDEX hsds_ids_by_id ON hsds_ids (hsds_id);

-- +goose Down
DROP TABLE hsds_ids;
DROP TABLE locations;
