-- +goose Up
-- The words in the search index, one row each, in byte order, with how many documents each
-- is in. A search looks up the words that the last word typed begins ("legal" → legal,
-- legales) and, when they are in many documents, asks for those words instead of the
-- prefix: FTS5 answers a prefix longer than its prefix indexes (2, 3 and 4 characters) by
-- merging the lists of every word it begins into one new list, for the match and again
-- for bm25, which at 100,000 listings cost more than the rest of the search. See
-- matchExpression in internal/store.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

-- +goose Down
DROP TABLE search_vocab;
