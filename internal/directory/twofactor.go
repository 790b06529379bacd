package directory

import "time"

// SecondFactors says which second ways of signing in a staff account has.
type SecondFactors struct {
	TOTP         bool // an authenticator app
	Passkeys     int  // how many passkeys
	RecoveryLeft int  // unused recovery codes
}

// Any reports whether the account has a second factor it can sign in with (recovery codes
// alone do not count: they are the way back when the others are lost).
func (f SecondFactors) Any() bool { return f.TOTP || f.Passkeys > 0 }

// Passkey is one WebAuthn credential of a staff account. Credential is the library's
// serialised credential (public key and counters), opaque here.
type Passkey struct {
	ID           int64
	UserID       int64
	CredentialID []byte
	Name         string
	Credential   []byte
	CreatedAt    time.Time
	LastUsedAt   time.Time
}
