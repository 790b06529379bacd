-- +goose Up
-- Full-text search over every published listing and page, in every language they are written
-- in. The index is kept by triggers, so whatever writes the data (the admin, the import, a
-- restore, the sqlite3 shell) keeps it right without knowing it exists.
--
-- search_docs names what each indexed document is: one per entry and language. An English
-- document always exists for a published entry; a document for another language exists when
-- the entry has any translation into it, and holds the translated fields with English in place
-- of those not translated yet (what a visitor of that language reads). Drafts and trashed
-- listings have no document at all, so they can never appear in results.
--
-- Filters ride in the index too: the tags column holds one token per fact a filter can ask
-- for ("khotline", "t12" for term 12, "open247"), so that a filtered search is one FTS5
-- query and can stop after the first rows it needs, instead of testing every match against
-- listing_terms. Its bm25 weight is 0: tags never rank. (The language is not a tag: bm25
-- counts the documents of every phrase of a query, and a tag on every document would cost
-- each search a walk through the whole index.)
--
-- has lists, on an English document, the other languages the entry has its own document in
-- (" es "): a search in Spanish takes Spanish documents, and English ones of entries that
-- have none.
CREATE TABLE search_docs (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL CHECK (entity IN ('listings', 'pages')),
    entity_id INTEGER NOT NULL,
    lang      TEXT NOT NULL,
    has       TEXT NOT NULL DEFAULT '',
    UNIQUE (entity, entity_id, lang)
);

-- The text, with rowid = search_docs.id. unicode61 with remove_diacritics 2 folds case and
-- accents ("Inmigración" matches "inmigracion"); prefix indexes on 2, 3 and 4 characters
-- answer as-you-type prefix queries ("imm*", "text*") from one list instead of merging the
-- lists of every word that starts so. The index stores its own copy of the text because
-- snippet() needs it.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    name, summary, body, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
-- bm25 weights: a word in the name counts ten times a word in the body, a word in the summary
-- four times, so an entry named for what was typed ranks above one that mentions it; tags
-- count for nothing.
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0)');

-- search_reindex is a procedure in SQLite's clothing: inserting (entity, entity_id) into this
-- view rebuilds that entry's documents in every language. Every trigger below calls it, so the
-- rules for what is indexed live in one place.
CREATE VIEW search_reindex (entity, entity_id) AS SELECT entity, entity_id FROM search_docs WHERE 0;

-- +goose StatementBegin
CREATE TRIGGER search_reindex_do INSTEAD OF INSERT ON search_reindex
BEGIN
    DELETE FROM search_fts WHERE rowid IN
        (SELECT id FROM search_docs WHERE entity = new.entity AND entity_id = new.entity_id);
    DELETE FROM search_docs WHERE entity = new.entity AND entity_id = new.entity_id;

    INSERT INTO search_docs (entity, entity_id, lang)
    SELECT 'listings', l.id, x.lang
    FROM listings l,
         (SELECT 'en' AS lang UNION
          SELECT DISTINCT lang FROM translations WHERE entity = 'listings' AND entity_id = new.entity_id) x
    WHERE new.entity = 'listings' AND l.id = new.entity_id
      AND l.status = 'published' AND l.deleted_at IS NULL;

    INSERT INTO search_docs (entity, entity_id, lang)
    SELECT 'pages', p.id, x.lang
    FROM pages p,
         (SELECT 'en' AS lang UNION
          SELECT DISTINCT lang FROM translations WHERE entity = 'pages' AND entity_id = new.entity_id) x
    -- The search page's own text is instructions for searching, not something to find.
    WHERE new.entity = 'pages' AND p.id = new.entity_id AND p.slug <> 'search';

    UPDATE search_docs SET has = coalesce((SELECT ' ' || group_concat(o.lang, ' ') || ' ' FROM search_docs o
        WHERE o.entity = new.entity AND o.entity_id = new.entity_id AND o.lang <> 'en'), '')
    WHERE entity = new.entity AND entity_id = new.entity_id AND lang = 'en';

    INSERT INTO search_fts (rowid, name, summary, body, tags)
    SELECT d.id,
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'listings'
            AND t.entity_id = l.id AND t.lang = d.lang AND t.field = 'name'), l.name),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'listings'
            AND t.entity_id = l.id AND t.lang = d.lang AND t.field = 'summary'), l.summary),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'listings'
            AND t.entity_id = l.id AND t.lang = d.lang AND t.field = 'body'), l.body)
            || ' ' || l.publisher,
        'k' || l.kind
            || coalesce((SELECT ' ' || group_concat('t' || lt.term_id, ' ') FROM listing_terms lt WHERE lt.listing_id = l.id), '')
            || CASE WHEN l.open_24_7 THEN ' open247' ELSE '' END
    FROM search_docs d JOIN listings l ON l.id = d.entity_id
    WHERE new.entity = 'listings' AND d.entity = 'listings' AND d.entity_id = new.entity_id;

    INSERT INTO search_fts (rowid, name, summary, body, tags)
    SELECT d.id,
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'title'), p.title),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'description'), p.description),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'body'), p.body),
        'kpage'
    FROM search_docs d JOIN pages p ON p.id = d.entity_id
    WHERE new.entity = 'pages' AND d.entity = 'pages' AND d.entity_id = new.entity_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_listings_insert AFTER INSERT ON listings
BEGIN
    INSERT INTO search_reindex VALUES ('listings', new.id);
END;
-- +goose StatementEnd

-- Only the columns that are indexed or decide visibility: marking a listing verified or
-- setting its operator does not rebuild its documents.
-- +goose StatementBegin
CREATE TRIGGER search_listings_update AFTER UPDATE OF name, summary, body, publisher, status, deleted_at, open_24_7 ON listings
BEGIN
    INSERT INTO search_reindex VALUES ('listings', new.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_listings_delete AFTER DELETE ON listings
BEGIN
    INSERT INTO search_reindex VALUES ('listings', old.id);
END;
-- +goose StatementEnd

-- A listing's terms are tags of its documents.
-- +goose StatementBegin
CREATE TRIGGER search_listing_terms_insert AFTER INSERT ON listing_terms
BEGIN
    INSERT INTO search_reindex VALUES ('listings', new.listing_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_listing_terms_delete AFTER DELETE ON listing_terms
BEGIN
    INSERT INTO search_reindex VALUES ('listings', old.listing_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_pages_insert AFTER INSERT ON pages
BEGIN
    INSERT INTO search_reindex VALUES ('pages', new.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_pages_update AFTER UPDATE OF title, description, body ON pages
BEGIN
    INSERT INTO search_reindex VALUES ('pages', new.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_pages_delete AFTER DELETE ON pages
BEGIN
    INSERT INTO search_reindex VALUES ('pages', old.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_translations_insert AFTER INSERT ON translations
WHEN new.entity IN ('listings', 'pages')
BEGIN
    INSERT INTO search_reindex VALUES (new.entity, new.entity_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_translations_update AFTER UPDATE ON translations
WHEN new.entity IN ('listings', 'pages') OR old.entity IN ('listings', 'pages')
BEGIN
    INSERT INTO search_reindex SELECT old.entity, old.entity_id WHERE old.entity IN ('listings', 'pages');
    INSERT INTO search_reindex SELECT new.entity, new.entity_id WHERE new.entity IN ('listings', 'pages')
        AND (new.entity <> old.entity OR new.entity_id <> old.entity_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_translations_delete AFTER DELETE ON translations
WHEN old.entity IN ('listings', 'pages')
BEGIN
    INSERT INTO search_reindex VALUES (old.entity, old.entity_id);
END;
-- +goose StatementEnd

-- Index what is already there.
INSERT INTO search_reindex SELECT 'listings', id FROM listings;
INSERT INTO search_reindex SELECT 'pages', id FROM pages;

-- +goose Down
DROP TRIGGER search_translations_delete;
DROP TRIGGER search_translations_update;
DROP TRIGGER search_translations_insert;
DROP TRIGGER search_pages_delete;
DROP TRIGGER search_pages_update;
DROP TRIGGER search_pages_insert;
DROP TRIGGER search_listing_terms_delete;
DROP TRIGGER search_listing_terms_insert;
DROP TRIGGER search_listings_delete;
DROP TRIGGER search_listings_update;
DROP TRIGGER search_listings_insert;
DROP TRIGGER search_reindex_do;
DROP VIEW search_reindex;
DROP TABLE search_fts;
DROP TABLE search_docs;
