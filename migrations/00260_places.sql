-- +goose Up
-- Alaska's places, for search and the "Near" filter: towns, the boroughs and census areas
-- they are in, and the regional names people use (the Mat-Su, the Interior, the Y-K
-- Delta). A town's parent is its borough or census area; a borough's, its region (if any).
-- aliases are other names people type for the place ("Mat-Su", "Barrow"), '|' between them.
-- Migration 00261 (internal/store/places_seed.go) fills it from seeds/places.json; every
-- row names its source.
CREATE TABLE places (
    id      INTEGER PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    kind    TEXT NOT NULL CHECK (kind IN ('town', 'borough', 'region')),
    name    TEXT NOT NULL CHECK (name <> ''),
    parent  TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL CHECK (source <> '')
);

-- The listings located in a town, found by the town's name (search's "Near" filter).
CREATE INDEX locations_city ON locations (lower(trim(city)));

-- +goose Down
DROP INDEX locations_city;
DROP TABLE places;
