-- +goose Up
-- Times are stored as RFC 3339 text in UTC ("2024-01-23T00:00:00Z"), so they sort and compare
-- as strings and read well in the sqlite3 shell. Lists of field names (todo) are stored as
-- space-separated text: they are small, never queried by element, and keep rows simple.

-- The working group's own facts (name, region, exit destination, numbers): data, not code.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- Hotlines, organizations, agencies and resources share one table: they share a page shape,
-- search, filters, revisions, verification and corrections. Resource-only columns stay empty
-- for the other kinds.
CREATE TABLE listings (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('hotline', 'organization', 'agency', 'resource')),
    slug          TEXT NOT NULL CHECK (slug <> ''),
    name          TEXT NOT NULL CHECK (name <> ''),
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    website       TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    social        TEXT NOT NULL DEFAULT '',
    hours         TEXT NOT NULL DEFAULT '',
    open_24_7     INTEGER NOT NULL DEFAULT 0,
    operated_by   INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    resource_type TEXT NOT NULL DEFAULT '',
    publisher     TEXT NOT NULL DEFAULT '',
    published     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    source        TEXT NOT NULL DEFAULT '',
    todo          TEXT NOT NULL DEFAULT '',
    last_verified TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT,
    -- version counts saves; a save names the version it started from, so a second editor's
    -- stale save is refused instead of overwriting the first.
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, slug)
);
CREATE INDEX listings_public ON listings (kind, status, deleted_at, name);
CREATE INDEX listings_updated ON listings (updated_at);

-- Old slugs keep working: a renamed listing's old URL answers 301 to the new one.
CREATE TABLE slug_redirects (
    kind       TEXT NOT NULL,
    old_slug   TEXT NOT NULL,
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, old_slug)
) WITHOUT ROWID;

CREATE TABLE channels (
    id         INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    type       TEXT NOT NULL CHECK (type IN ('voice', 'text', 'email', 'web')),
    number     TEXT NOT NULL DEFAULT '',
    vanity     TEXT NOT NULL DEFAULT '',
    keyword    TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    label      TEXT NOT NULL DEFAULT '',
    hours      TEXT NOT NULL DEFAULT '',
    todo       INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX channels_listing ON channels (listing_id, position);

-- Taxonomy terms (service, population, area, language) that filters and HSDS use.
CREATE TABLE terms (
    id       INTEGER PRIMARY KEY,
    taxonomy TEXT NOT NULL CHECK (taxonomy IN ('service', 'population', 'area', 'language')),
    slug     TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (taxonomy, slug)
);

CREATE TABLE listing_terms (
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    term_id    INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    PRIMARY KEY (listing_id, term_id)
) WITHOUT ROWID;
CREATE INDEX listing_terms_term ON listing_terms (term_id, listing_id);

CREATE TABLE pages (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    todo        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE signs (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    text       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    source     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE industries (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    source     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    version    INTEGER NOT NULL DEFAULT 1
);

-- The "which line fits what you saw" guide.
CREATE TABLE situations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    listing_id INTEGER REFERENCES listings (id) ON DELETE SET NULL,
    status     TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    source     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE situation_also (
    situation_id INTEGER NOT NULL REFERENCES situations (id) ON DELETE CASCADE,
    listing_id   INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (situation_id, listing_id)
) WITHOUT ROWID;

-- Figures for the Statistics page. value stays NULL until staff enter it: a figure the sources
-- do not give is never guessed.
CREATE TABLE stats (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    measure     TEXT NOT NULL,
    value       REAL,
    unit        TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL DEFAULT '',
    source_url  TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    todo        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);

-- Every translatable field of every entry, for every language but English (English lives in
-- the entry's own row). entity is the table name ('listings', 'pages', 'settings', …);
-- settings use entity_id 0 and the setting's key as field.
CREATE TABLE translations (
    entity       TEXT NOT NULL,
    entity_id    INTEGER NOT NULL,
    field        TEXT NOT NULL,
    lang         TEXT NOT NULL,
    value        TEXT NOT NULL,
    needs_review INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, lang, field)
) WITHOUT ROWID;

-- Nothing is lost: every save of every entry writes its whole record here.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    lang       TEXT NOT NULL DEFAULT 'en',
    version    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    data       TEXT NOT NULL,
    user_id    INTEGER,
    user_email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX revisions_entity ON revisions (entity, entity_id, lang, id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- The schema alexedwards/scs's sqlite3store expects.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Sign-in throttling that survives a restart. key is "email:<address>" or "ip:<address>".
CREATE TABLE login_attempts (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER,
    user_email TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  INTEGER,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Public "suggest a correction" submissions, waiting for staff.
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    field      TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
    created_at TEXT NOT NULL,
    handled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    handled_at TEXT
);
CREATE INDEX corrections_status ON corrections (status, created_at);

-- +goose Down
DROP TABLE corrections;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE revisions;
DROP TABLE translations;
DROP TABLE stats;
DROP TABLE situation_also;
DROP TABLE situations;
DROP TABLE industries;
DROP TABLE signs;
DROP TABLE pages;
DROP TABLE listing_terms;
DROP TABLE terms;
DROP TABLE channels;
DROP TABLE slug_redirects;
DROP TABLE listings;
DROP TABLE settings;
