-- +goose Up
-- Search ranks an entry named exactly what was typed first (store.namedExactly): this finds
-- it by name, case aside, without reading every name.
CREATE INDEX listings_name_nocase ON listings (name COLLATE NOCASE);

-- +goose Down
DROP INDEX listings_name_nocase;
