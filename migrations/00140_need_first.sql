-- +goose Up
-- Need first (issue 17). pin: staff's place for a listing at the top of its lists (1 first;
-- NULL: placed by need). works_in: where an organization that works only abroad works, as
-- the source names it ("Brazil"), shown as "Works in Brazil". source_date: the date a
-- source document gives for what it says, shown as the source's date; last_verified is only
-- ever a date on which staff checked the entry.
ALTER TABLE listings ADD COLUMN pin INTEGER CHECK (pin IS NULL OR pin > 0);
ALTER TABLE listings ADD COLUMN works_in TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN source_date TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE listings DROP COLUMN source_date;
ALTER TABLE listings DROP COLUMN works_in;
ALTER TABLE listings DROP COLUMN pin;
