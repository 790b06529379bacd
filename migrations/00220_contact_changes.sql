-- +goose Up
-- Changes to a published listing's phone numbers, text codes, email and web addresses that
-- wait for a second staff member (issue 13): a wrong number on this site sends a victim to
-- the wrong place. The listing keeps its approved values, which the public sees, until
-- another staff member approves; base holds the contact values live when the change was
-- proposed (to tell whether they changed since), proposed what they would become, both as
-- JSON (store.ContactSet). At most one change per listing waits at a time: a newer one
-- replaces it.
CREATE TABLE contact_changes (
    id             INTEGER PRIMARY KEY,
    listing_id     INTEGER NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    base           TEXT NOT NULL,
    proposed       TEXT NOT NULL,
    base_version   INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting', 'approved', 'refused', 'withdrawn', 'replaced')),
    proposed_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    proposed_email TEXT NOT NULL DEFAULT '',
    proposed_at    TEXT NOT NULL,
    decided_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_email  TEXT NOT NULL DEFAULT '',
    decided_at     TEXT,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_changes_status ON contact_changes (status, listing_id);

-- +goose Down
DROP TABLE contact_changes;
