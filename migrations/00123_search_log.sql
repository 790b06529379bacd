-- +goose Up
-- What visitors searched for, so staff can see what search does not answer: per week (the
-- Monday's date: never a finer time), language and phrase, how many searches, how many found
-- nothing, how many results were opened. Nothing else about a visitor is kept.
--
-- A phrase's words are stored only once it was searched at least 3 times in the week;
-- until then the row has only key, a SHA-256 of the language and phrase, to count by. The
-- staff screen shows only rows with words, so no single visitor's words are ever shown.
-- Rows older than 90 days are deleted whenever counts are written.
CREATE TABLE search_log (
    week     TEXT NOT NULL,
    lang     TEXT NOT NULL,
    key      TEXT NOT NULL,
    phrase   TEXT NOT NULL DEFAULT '',
    searches INTEGER NOT NULL DEFAULT 0,
    empty    INTEGER NOT NULL DEFAULT 0,
    clicks   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, lang, key)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE search_log;
