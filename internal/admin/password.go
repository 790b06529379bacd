package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, two passes, one lane). A
// sign-in costs some tens of milliseconds, which the throttle keeps rare.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// maxPasswordLength bounds the work one sign-in can ask of argon2.
const maxPasswordLength = 1024

// commonPasswords are passwords of 12 or more characters that appear near the top of every
// leaked-password list; a short list, checked case-insensitively.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`123456789012 1234567890123 12345678901234 123456789123 111111111111
		000000000000 qwertyuiopas qwertyuiop123 qwerty123456 1q2w3e4r5t6y 1qaz2wsx3edc password1234
		password12345 password123456 passwordpassword iloveyou1234 letmein12345 welcome12345 welcome123456
		administrator admin1234567 adminadmin123 changeme1234 trustno11234 football1234 baseball1234
		sunshine1234 princess1234 monkey123456 dragon123456 abcdefghijkl abc123456789 aaaaaaaaaaaa
		passw0rd1234 p@ssw0rd1234 p@ssword1234 qwertyqwerty asdfghjkl123 zxcvbnm12345 superman1234
		michael12345 jennifer1234 alaska123456 anchorage123 signpost1234 correcthorsebatterystaple`) {
		commonPasswords[p] = true
	}
}

// CheckPasswordStrength returns a message for a password that may not be used, or "".
func CheckPasswordStrength(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("Use at least %d characters. A few unrelated words make a good password.", MinPasswordLength)
	case len(pw) > maxPasswordLength:
		return "Use at most 1024 characters."
	case commonPasswords[strings.ToLower(pw)]:
		return "This password is too common. Choose another."
	case strings.Count(pw, pw[:1]) == len(pw):
		return "This password is too easy to guess. Choose another."
	case email != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(strings.SplitN(email, "@", 2)[0])) && len(strings.SplitN(email, "@", 2)[0]) >= 4:
		return "Do not use your email address in your password."
	}
	return ""
}

// HashPassword returns the argon2id hash of pw in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// passwordChecks counts the argon2 computations VerifyPassword has run: what a sign-in
// throttle must keep few, read by the tests that attack it.
var passwordChecks atomic.Int64

var errBadHash = errors.New("admin: not an argon2id hash")

// VerifyPassword reports whether pw matches the encoded hash. The comparison takes the same
// time wherever the first difference is.
func VerifyPassword(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<21 || t == 0 || t > 16 || p == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, errBadHash
	}
	if len(pw) > maxPasswordLength {
		return false, nil
	}
	passwordChecks.Add(1)
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want))) // #nosec G115 -- len(want) <= 128, checked above
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when no account has the email typed, so that a wrong
// email takes as long as a wrong password and the timing says nothing about who has an
// account.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not a real password, only for timing")
	if err != nil {
		panic(err)
	}
	return h
})
