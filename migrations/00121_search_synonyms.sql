-- +goose Up
-- Other words for the same thing, per language: a search for words also looks for each of
-- means (a comma-separated list of words or phrases). "lawyer" → "legal, attorney". Staff
-- extend the list in the admin; every save is a revision. The first list is loaded from
-- seeds/synonyms.json by the Go migration after this one.
CREATE TABLE search_synonyms (
    id         INTEGER PRIMARY KEY,
    lang       TEXT NOT NULL DEFAULT 'en',
    words      TEXT NOT NULL CHECK (words <> ''),
    means      TEXT NOT NULL CHECK (means <> ''),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (lang, words)
);

-- +goose Down
DROP TABLE search_synonyms;
