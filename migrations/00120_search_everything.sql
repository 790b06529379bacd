-- +goose Up
-- Search finds everything a page shows, and leads to the page that shows it: a listing's
-- lines (numbers in every form people type them, text keywords, labels, hours), the
-- services, people, areas and languages it is filed under; the signs on "See it", the kinds
-- of work on "Know it", and the "which line fits" situations on "Report it".
--
-- That text goes in a fifth column, extra, weighted between the summary and the body. The
-- index is rebuilt with it; search_reindex_do (00020) is replaced by one that also fills
-- extra, and more triggers reindex an entry when a line, a term, a sign, a kind of work or
-- a situation (or a translation of one) changes: whatever writes them keeps search right.
--
-- search_docs.prior is how much an entry's own standing weighs in its rank (bm25 is
-- multiplied by it, and lower ranks first): a line that serves Alaska ranks above one that
-- serves the whole country, and both above one that only works abroad; the site's pages
-- weigh as much as a line for Alaska.
DROP TRIGGER search_reindex_do;
DROP TABLE search_vocab;
DROP TABLE search_fts;
ALTER TABLE search_docs ADD COLUMN prior REAL NOT NULL DEFAULT 1.0;

CREATE VIRTUAL TABLE search_fts USING fts5 (
    name, summary, body, tags, extra,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0, 2.0)');
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');

-- +goose StatementBegin
CREATE TRIGGER search_reindex_do INSTEAD OF INSERT ON search_reindex
BEGIN
    DELETE FROM search_fts WHERE rowid IN
        (SELECT id FROM search_docs WHERE entity = new.entity AND entity_id = new.entity_id);
    DELETE FROM search_docs WHERE entity = new.entity AND entity_id = new.entity_id;

    INSERT INTO search_docs (entity, entity_id, lang, prior)
    SELECT 'listings', l.id, x.lang,
        coalesce((SELECT max(CASE t.slug WHEN 'local' THEN 1.3 WHEN 'statewide' THEN 1.3
                WHEN 'national' THEN 1.15 WHEN 'international' THEN 0.7 ELSE 1.0 END)
            FROM listing_terms lt JOIN terms t ON t.id = lt.term_id
            WHERE lt.listing_id = l.id AND t.taxonomy = 'area'), 1.0)
    FROM listings l,
         (SELECT 'en' AS lang UNION
          SELECT DISTINCT lang FROM translations WHERE entity = 'listings' AND entity_id = new.entity_id) x
    WHERE new.entity = 'listings' AND l.id = new.entity_id
      AND l.status = 'published' AND l.deleted_at IS NULL;

    -- The site's own pages (Report it, Signs…) are the answer to the tasks they are named
    -- for, and weigh a little more than a listing that mentions the task.
    INSERT INTO search_docs (entity, entity_id, lang, prior)
    SELECT 'pages', p.id, x.lang, 1.3
    FROM pages p,
         (SELECT 'en' AS lang UNION
          SELECT DISTINCT lang FROM translations WHERE entity = 'pages' AND entity_id = new.entity_id) x
    WHERE new.entity = 'pages' AND p.id = new.entity_id AND p.slug <> 'search';

    UPDATE search_docs SET has = coalesce((SELECT ' ' || group_concat(o.lang, ' ') || ' ' FROM search_docs o
        WHERE o.entity = new.entity AND o.entity_id = new.entity_id AND o.lang <> 'en'), '')
    WHERE entity = new.entity AND entity_id = new.entity_id AND lang = 'en';

    INSERT INTO search_fts (rowid, name, summary, body, tags, extra)
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
            || CASE WHEN l.open_24_7 THEN ' open247' ELSE '' END,
        -- The lines: a number as stored (+18883737888), as digits with and without the
        -- country code, and in its three groups (888 373 7888), so any way of typing it
        -- finds it; the vanity form, the text keyword, the label and the hours.
        coalesce((SELECT group_concat(
            CASE WHEN length(replace(c.number, '+', '')) = 11 AND c.number LIKE '+1%'
                THEN substr(c.number, 2) || ' ' || substr(c.number, 3) || ' ' || substr(c.number, 3, 3)
                    || ' ' || substr(c.number, 6, 3) || ' ' || substr(c.number, 9)
                ELSE replace(c.number, '+', '') END
            || ' ' || c.vanity || ' ' || c.keyword || ' ' || c.hours || ' '
            || coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'channels'
                AND t.entity_id = c.id AND t.lang = d.lang AND t.field = 'label'), c.label), ' ')
            FROM channels c WHERE c.listing_id = l.id), '')
        || ' ' || coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'listings'
            AND t.entity_id = l.id AND t.lang = d.lang AND t.field = 'hours'), l.hours)
        -- What it is filed under: services, people, areas, languages, by name.
        || ' ' || coalesce((SELECT group_concat(coalesce((SELECT nullif(trim(tr.value), '') FROM translations tr
                WHERE tr.entity = 'terms' AND tr.entity_id = t.id AND tr.lang = d.lang AND tr.field = 'name'), t.name), ' ')
            FROM listing_terms lt JOIN terms t ON t.id = lt.term_id WHERE lt.listing_id = l.id), '')
    FROM search_docs d JOIN listings l ON l.id = d.entity_id
    WHERE new.entity = 'listings' AND d.entity = 'listings' AND d.entity_id = new.entity_id;

    INSERT INTO search_fts (rowid, name, summary, body, tags, extra)
    SELECT d.id,
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'title'), p.title),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'description'), p.description),
        coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'pages'
            AND t.entity_id = p.id AND t.lang = d.lang AND t.field = 'body'), p.body),
        'kpage',
        -- The lists these pages show under their text (internal/web/public.go).
        CASE p.slug
        WHEN 'see-it' THEN coalesce((SELECT group_concat(coalesce((SELECT nullif(trim(t.value), '') FROM translations t
                WHERE t.entity = 'signs' AND t.entity_id = x.id AND t.lang = d.lang AND t.field = 'text'), x.text), ' ')
            FROM signs x WHERE x.status = 'published' AND x.deleted_at IS NULL), '')
        WHEN 'know-it' THEN coalesce((SELECT group_concat(coalesce((SELECT nullif(trim(t.value), '') FROM translations t
                WHERE t.entity = 'industries' AND t.entity_id = x.id AND t.lang = d.lang AND t.field = 'name'), x.name), ' ')
            FROM industries x WHERE x.status = 'published' AND x.deleted_at IS NULL), '')
        WHEN 'report-it' THEN coalesce((SELECT group_concat(
                coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'situations'
                    AND t.entity_id = x.id AND t.lang = d.lang AND t.field = 'title'), x.title) || ' ' ||
                coalesce((SELECT nullif(trim(t.value), '') FROM translations t WHERE t.entity = 'situations'
                    AND t.entity_id = x.id AND t.lang = d.lang AND t.field = 'detail'), x.detail), ' ')
            FROM situations x WHERE x.status = 'published' AND x.deleted_at IS NULL), '')
        ELSE '' END
    FROM search_docs d JOIN pages p ON p.id = d.entity_id
    WHERE new.entity = 'pages' AND d.entity = 'pages' AND d.entity_id = new.entity_id;
END;
-- +goose StatementEnd

-- A listing's lines.
-- +goose StatementBegin
CREATE TRIGGER search_channels_insert AFTER INSERT ON channels
BEGIN
    INSERT INTO search_reindex VALUES ('listings', new.listing_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_channels_update AFTER UPDATE ON channels
BEGIN
    INSERT INTO search_reindex VALUES ('listings', old.listing_id);
    INSERT INTO search_reindex SELECT 'listings', new.listing_id WHERE new.listing_id <> old.listing_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_channels_delete AFTER DELETE ON channels
BEGIN
    INSERT INTO search_reindex VALUES ('listings', old.listing_id);
END;
-- +goose StatementEnd

-- A term's name is in the documents of every listing filed under it.
-- +goose StatementBegin
CREATE TRIGGER search_terms_update AFTER UPDATE OF name ON terms
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE term_id = new.id;
END;
-- +goose StatementEnd

-- Signs, kinds of work and situations are in the page that shows them.
-- +goose StatementBegin
CREATE TRIGGER search_signs_insert AFTER INSERT ON signs
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'see-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_signs_update AFTER UPDATE ON signs
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'see-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_signs_delete AFTER DELETE ON signs
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'see-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_industries_insert AFTER INSERT ON industries
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'know-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_industries_update AFTER UPDATE ON industries
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'know-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_industries_delete AFTER DELETE ON industries
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'know-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_situations_insert AFTER INSERT ON situations
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'report-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_situations_update AFTER UPDATE ON situations
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'report-it';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_situations_delete AFTER DELETE ON situations
BEGIN
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = 'report-it';
END;
-- +goose StatementEnd

-- Their translations, likewise (listings' and pages' own are 00020's).
-- +goose StatementBegin
CREATE TRIGGER search_more_translations AFTER INSERT ON translations
WHEN new.entity IN ('channels', 'terms', 'signs', 'industries', 'situations')
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM channels WHERE new.entity = 'channels' AND id = new.entity_id;
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE new.entity = 'terms' AND term_id = new.entity_id;
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = CASE new.entity
        WHEN 'signs' THEN 'see-it' WHEN 'industries' THEN 'know-it' WHEN 'situations' THEN 'report-it' END;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_more_translations_update AFTER UPDATE ON translations
WHEN new.entity IN ('channels', 'terms', 'signs', 'industries', 'situations')
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM channels WHERE new.entity = 'channels' AND id = new.entity_id;
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE new.entity = 'terms' AND term_id = new.entity_id;
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = CASE new.entity
        WHEN 'signs' THEN 'see-it' WHEN 'industries' THEN 'know-it' WHEN 'situations' THEN 'report-it' END;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_more_translations_delete AFTER DELETE ON translations
WHEN old.entity IN ('channels', 'terms', 'signs', 'industries', 'situations')
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM channels WHERE old.entity = 'channels' AND id = old.entity_id;
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE old.entity = 'terms' AND term_id = old.entity_id;
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = CASE old.entity
        WHEN 'signs' THEN 'see-it' WHEN 'industries' THEN 'know-it' WHEN 'situations' THEN 'report-it' END;
END;
-- +goose StatementEnd

INSERT INTO search_reindex SELECT 'listings', id FROM listings;
INSERT INTO search_reindex SELECT 'pages', id FROM pages;

-- +goose Down
-- The wider index stays (00020's code reads it by column name); the extra triggers go.
DROP TRIGGER search_more_translations_delete;
DROP TRIGGER search_more_translations_update;
DROP TRIGGER search_more_translations;
DROP TRIGGER search_situations_delete;
DROP TRIGGER search_situations_update;
DROP TRIGGER search_situations_insert;
DROP TRIGGER search_industries_delete;
DROP TRIGGER search_industries_update;
DROP TRIGGER search_industries_insert;
DROP TRIGGER search_signs_delete;
DROP TRIGGER search_signs_update;
DROP TRIGGER search_signs_insert;
DROP TRIGGER search_terms_update;
DROP TRIGGER search_channels_delete;
DROP TRIGGER search_channels_update;
DROP TRIGGER search_channels_insert;
