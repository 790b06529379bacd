-- +goose Up
-- Each translation remembers the English it was made from. When the English moves on, the
-- translation is stale: the public page shows the current English (marked as such) and the
-- translate screen and dashboard flag it. NULL: not known (never flagged).
ALTER TABLE translations ADD COLUMN source TEXT;

-- The search index follows a translation's text, not its source: the two update triggers
-- (00020, 00120) fire only when the text or what it belongs to changes. Without this, the
-- UPDATEs below (and every save that records a source) would reindex each translated
-- listing and page, and each listing filed under a translated term: at 100,000 listings
-- that left the full-text index in pieces and made search several times slower.
DROP TRIGGER search_translations_update;
DROP TRIGGER search_more_translations_update;
-- +goose StatementBegin
CREATE TRIGGER search_translations_update AFTER UPDATE OF entity, entity_id, lang, field, value ON translations
WHEN new.entity IN ('listings', 'pages') OR old.entity IN ('listings', 'pages')
BEGIN
    INSERT INTO search_reindex SELECT old.entity, old.entity_id WHERE old.entity IN ('listings', 'pages');
    INSERT INTO search_reindex SELECT new.entity, new.entity_id WHERE new.entity IN ('listings', 'pages')
        AND (new.entity <> old.entity OR new.entity_id <> old.entity_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_more_translations_update AFTER UPDATE OF entity, entity_id, lang, field, value ON translations
WHEN new.entity IN ('channels', 'terms', 'signs', 'industries', 'situations')
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM channels WHERE new.entity = 'channels' AND id = new.entity_id;
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE new.entity = 'terms' AND term_id = new.entity_id;
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = CASE new.entity
        WHEN 'signs' THEN 'see-it' WHEN 'industries' THEN 'know-it' WHEN 'situations' THEN 'report-it' END;
END;
-- +goose StatementEnd

-- Existing translations count as made from today's English, so nothing is flagged on day one.
UPDATE translations SET source = (SELECT CASE translations.field
        WHEN 'name' THEN x.name WHEN 'summary' THEN x.summary WHEN 'body' THEN x.body
        WHEN 'hours' THEN x.hours WHEN 'works_in' THEN x.works_in END
    FROM listings x WHERE x.id = translations.entity_id)
    WHERE entity = 'listings';
UPDATE translations SET source = (SELECT CASE translations.field
        WHEN 'title' THEN x.title WHEN 'description' THEN x.description WHEN 'body' THEN x.body END
    FROM pages x WHERE x.id = translations.entity_id)
    WHERE entity = 'pages';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'label' THEN x.label WHEN 'hours' THEN x.hours END
    FROM channels x WHERE x.id = translations.entity_id)
    WHERE entity = 'channels';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'text' THEN x.text END
    FROM signs x WHERE x.id = translations.entity_id)
    WHERE entity = 'signs';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'name' THEN x.name END
    FROM industries x WHERE x.id = translations.entity_id)
    WHERE entity = 'industries';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'title' THEN x.title WHEN 'detail' THEN x.detail END
    FROM situations x WHERE x.id = translations.entity_id)
    WHERE entity = 'situations';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'measure' THEN x.measure END
    FROM stats x WHERE x.id = translations.entity_id)
    WHERE entity = 'stats';
UPDATE translations SET source = (SELECT CASE translations.field WHEN 'name' THEN x.name END
    FROM terms x WHERE x.id = translations.entity_id)
    WHERE entity = 'terms';
UPDATE translations SET source = (SELECT x.value FROM settings x WHERE x.key = translations.field)
    WHERE entity = 'settings';

-- A translation rewritten without saying what English it was made from forgets its source:
-- not known, so never flagged. (The store sets the source after writing the text.)
-- +goose StatementBegin
CREATE TRIGGER translations_source_unknown AFTER UPDATE OF value ON translations
WHEN new.value IS NOT old.value AND new.source IS old.source
BEGIN
    UPDATE translations SET source = NULL
    WHERE entity = new.entity AND entity_id = new.entity_id AND lang = new.lang AND field = new.field;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER translations_source_unknown;
DROP TRIGGER search_translations_update;
DROP TRIGGER search_more_translations_update;
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
CREATE TRIGGER search_more_translations_update AFTER UPDATE ON translations
WHEN new.entity IN ('channels', 'terms', 'signs', 'industries', 'situations')
BEGIN
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM channels WHERE new.entity = 'channels' AND id = new.entity_id;
    INSERT INTO search_reindex SELECT 'listings', listing_id FROM listing_terms WHERE new.entity = 'terms' AND term_id = new.entity_id;
    INSERT INTO search_reindex SELECT 'pages', id FROM pages WHERE slug = CASE new.entity
        WHEN 'signs' THEN 'see-it' WHEN 'industries' THEN 'know-it' WHEN 'situations' THEN 'report-it' END;
END;
-- +goose StatementEnd
ALTER TABLE translations DROP COLUMN source;
