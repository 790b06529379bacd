-- +goose Up
-- Second factors of staff accounts: an authenticator app (TOTP), one-time recovery codes
-- and passkeys (WebAuthn). Deleting an account deletes its factors.

-- The TOTP secret is kept as the app has it: the server must compute codes from it. A
-- database reader who has it still needs the password, which is only stored hashed.
-- last_step is the last 30-second step a code was accepted for: a code is refused for a
-- step at or before it, so one code cannot sign in twice.
CREATE TABLE user_totp (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     TEXT NOT NULL,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Recovery codes are stored only as SHA-256 digests: each code is 80 random bits, so a
-- digest cannot be turned back into a code by trying them all.
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- credential is go-webauthn's Credential as JSON (public key, sign count, flags); only
-- public keys are stored.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    credential    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- +goose Down
DROP TABLE passkeys;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
