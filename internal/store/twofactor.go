package store

import (
	"context"
	"database/sql"
	"errors"

	"signpost/internal/directory"
)

// Second factors of staff accounts: authenticator-app secrets, recovery codes and passkeys.
// None of it is content: writes go through exec or a transaction without touching what
// public pages show.

// SecondFactors returns which second factors the account has.
func (s *Store) SecondFactors(ctx context.Context, userID int64) (directory.SecondFactors, error) {
	var f directory.SecondFactors
	err := s.writer.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM user_totp WHERE user_id = ?1),
		(SELECT count(*) FROM passkeys WHERE user_id = ?1),
		(SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL)`, userID).
		Scan(&f.TOTP, &f.Passkeys, &f.RecoveryLeft)
	return f, err
}

// ListSecondFactors returns the second factors of every account that has any, by account id.
func (s *Store) ListSecondFactors(ctx context.Context) (map[int64]directory.SecondFactors, error) {
	out := map[int64]directory.SecondFactors{}
	err := eachRow(ctx, s.writer, func(sc scanner) error {
		var id int64
		var f directory.SecondFactors
		err := sc.Scan(&id, &f.TOTP, &f.Passkeys, &f.RecoveryLeft)
		out[id] = f
		return err
	}, `SELECT u.id,
		EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id),
		(SELECT count(*) FROM passkeys p WHERE p.user_id = u.id),
		(SELECT count(*) FROM recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)
		FROM users u`)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TOTPSecret returns the account's authenticator-app secret. It returns ENOTFOUND if the
// account has none.
func (s *Store) TOTPSecret(ctx context.Context, userID int64) (string, error) {
	var secret string
	err := s.writer.QueryRowContext(ctx, `SELECT secret FROM user_totp WHERE user_id = ?`, userID).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("Authenticator app")
	}
	return secret, err
}

// SetTOTP gives the account an authenticator app, replacing any it had, with step as the
// step of the code that confirmed it (so that code cannot be used again to sign in), and
// replaces its recovery codes with codeHashes.
func (s *Store) SetTOTP(ctx context.Context, userID int64, secret string, step int64, codeHashes []string) error {
	return s.bookkeeping(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_totp (user_id, secret, last_step, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = excluded.last_step, created_at = excluded.created_at`,
			userID, secret, step, s.Now().Format(timeFormat)); err != nil {
			return err
		}
		return replaceRecoveryCodes(ctx, tx, userID, codeHashes)
	})
}

// UseTOTPStep records that a code for step was accepted. It returns false, and records
// nothing, if a code for this step or a later one was accepted before: the check and the
// record are one statement, so two requests racing with the same code cannot both pass.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.exec(ctx, `UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RemoveTOTP takes the authenticator app off the account. Recovery codes stay while the
// account still has a passkey, and go with the last factor.
func (s *Store) RemoveTOTP(ctx context.Context, userID int64) error {
	return s.removeFactor(ctx, userID, `DELETE FROM user_totp WHERE user_id = ?`, userID)
}

// removeFactor runs one deletion and, if no second factor is left, deletes the recovery
// codes too: they would be a way in that nothing else protects.
func (s *Store) removeFactor(ctx context.Context, userID int64, query string, args ...any) error {
	return s.bookkeeping(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?1
		AND NOT EXISTS (SELECT 1 FROM user_totp WHERE user_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM passkeys WHERE user_id = ?1)`, userID)
		return err
	})
}

// ResetSecondFactors removes every second factor and recovery code of the account (an
// operator's or another admin's way back in for someone who lost them all).
func (s *Store) ResetSecondFactors(ctx context.Context, userID int64) error {
	return s.bookkeeping(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM user_totp WHERE user_id = ?`, `DELETE FROM passkeys WHERE user_id = ?`,
			`DELETE FROM recovery_codes WHERE user_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReplaceRecoveryCodes makes codeHashes the account's only recovery codes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, codeHashes []string) error {
	return s.bookkeeping(ctx, func(tx *sql.Tx) error {
		return replaceRecoveryCodes(ctx, tx, userID, codeHashes)
	})
}

func replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64, codeHashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, h := range codeHashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode marks the unused recovery code with digest codeHash as used. It returns
// false if the account has no such unused code; a code is accepted once only, even by two
// requests at the same moment.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (bool, error) {
	res, err := s.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE id = (SELECT id FROM recovery_codes
		WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1)`, s.Now().Format(timeFormat), userID, codeHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AddPasskey stores a new passkey for p.UserID and sets p.ID.
func (s *Store) AddPasskey(ctx context.Context, p *directory.Passkey) error {
	now := s.Now()
	res, err := s.exec(ctx, `INSERT INTO passkeys (user_id, credential_id, name, credential, created_at) VALUES (?, ?, ?, ?, ?)`,
		p.UserID, p.CredentialID, p.Name, string(p.Credential), now.Format(timeFormat))
	if isUnique(err) {
		return directory.Errorf(directory.ECONFLICT, "This passkey is already registered.")
	} else if err != nil {
		return err
	}
	p.ID, _ = res.LastInsertId()
	p.CreatedAt = now
	return nil
}

// ListPasskeys returns the account's passkeys, oldest first.
func (s *Store) ListPasskeys(ctx context.Context, userID int64) ([]directory.Passkey, error) {
	return queryAll(ctx, s.writer, func(sc scanner) (p directory.Passkey, err error) {
		var cred string
		var created, used sql.NullString
		err = sc.Scan(&p.ID, &p.UserID, &p.CredentialID, &p.Name, &cred, &created, &used)
		p.Credential = []byte(cred)
		p.CreatedAt, p.LastUsedAt = parseTime(created), parseTime(used)
		return p, err
	}, `SELECT id, user_id, credential_id, name, credential, created_at, last_used_at
		FROM passkeys WHERE user_id = ? ORDER BY id`, userID)
}

// UpdatePasskeyCredential saves a passkey's credential after a sign-in (its counter moves)
// and when it was last used.
func (s *Store) UpdatePasskeyCredential(ctx context.Context, id int64, credential []byte) error {
	_, err := s.exec(ctx, `UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?`,
		string(credential), s.Now().Format(timeFormat), id)
	return err
}

// RemovePasskey deletes the account's passkey id. It returns ENOTFOUND if the account has
// no such passkey.
func (s *Store) RemovePasskey(ctx context.Context, userID, id int64) error {
	var n int
	if err := s.writer.QueryRowContext(ctx, `SELECT count(*) FROM passkeys WHERE id = ? AND user_id = ?`, id, userID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("Passkey")
	}
	return s.removeFactor(ctx, userID, `DELETE FROM passkeys WHERE id = ? AND user_id = ?`, id, userID)
}
