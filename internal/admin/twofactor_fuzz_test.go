package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// FuzzSecondStepCode: whatever is typed into the second step, the code is read without a
// crash, and an app code is accepted only if it is one of the three the app could show
// (the step before, now, the step after).
func FuzzSecondStepCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "abcd-efgh-ijkl-mnop", "", " - ", "١٢٣٤٥٦", strings.Repeat("9", 101)} {
		f.Add(s)
	}
	const secret = "JBSWY3DPEHPK3PXP"
	now := time.Unix(1_700_000_000, 0)
	want := map[string]bool{}
	for _, d := range []time.Duration{-totpPeriod, 0, totpPeriod} {
		c, err := totp.GenerateCodeCustom(secret, now.Add(d*time.Second), totpOpts)
		if err != nil {
			f.Fatal(err)
		}
		want[c] = true
	}
	f.Fuzz(func(t *testing.T, typed string) {
		code := normalizeCode(typed)
		if strings.ContainsAny(code, " -\t") || len(code) > 100 || normalizeCode(code) != code {
			t.Fatalf("normalizeCode(%q) = %q", typed, code)
		}
		if _, ok := matchTOTP(code, secret, now); ok != want[code] {
			t.Fatalf("matchTOTP(%q) = %v", code, ok)
		}
		hashRecoveryCode(code)
	})
}
