package admin

import "signpost/internal/directory"

// SecondStepVM is the sign-in step after the password.
type SecondStepVM struct {
	Page     Page
	Email    string
	TOTP     bool // the account has an authenticator app
	Passkeys bool // the account has a passkey
	Message  string
	Script   string // the passkey script's URL
}

// TwoFactorVM is the screen of one's own second factors.
type TwoFactorVM struct {
	Page     Page
	Factors  directory.SecondFactors
	Passkeys []directory.Passkey
	Required bool // this account must have a second factor
	Message  string
	Script   string
}

// TOTPSetupVM sets up an authenticator app: the code to scan, the same secret as text,
// and the field for the first code.
type TOTPSetupVM struct {
	Page    Page
	QR      string // a data: URL of a PNG, drawn here: no other site is asked for it
	Secret  string
	Message string
}

// RecoveryCodesVM shows new recovery codes, once.
type RecoveryCodesVM struct {
	Page  Page
	Codes []string
}
