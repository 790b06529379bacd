// Package phone parses the phone numbers staff type and formats them for people and for
// phones. Stored numbers are E.164 ("+18883737888"), or the digits of a short number as
// dialled ("911", the SMS short code "233733"), which have no E.164 form.
package phone

import (
	"errors"
	"net/url"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for numbers typed without a country code.
const DefaultRegion = "US"

// ErrInvalid is returned by Parse for input that is not a phone number.
var ErrInvalid = errors.New("not a valid phone number")

// maxShort is the longest number treated as a short number (emergency numbers, SMS short
// codes) rather than a full one.
const maxShort = 6

// Parse normalises a typed number to its stored form. It accepts the usual ways of writing a
// number ("(907) 786-8900", "1-888-373-7888", "+1 802 872 6199") and letter forms
// ("1-800-THE-LOST"). A string of at most six digits is a short number and is kept as is.
func Parse(s, region string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrInvalid
	}
	if allDigits(s) && len(s) <= maxShort {
		return s, nil
	}
	if region == "" {
		region = DefaultRegion
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ErrInvalid
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// IsShort reports whether a stored number is a short number.
func IsShort(stored string) bool { return allDigits(stored) && len(stored) <= maxShort }

// Display formats a stored number the way people in the region are used to reading it:
// "1-888-373-7888" for North American toll-free numbers (as they are advertised),
// "(907) 786-8900" for other North American numbers, and the international format for the rest.
func Display(stored string) string {
	if stored == "" || IsShort(stored) {
		return stored
	}
	num, err := phonenumbers.Parse(stored, DefaultRegion)
	if err != nil {
		return stored
	}
	if num.GetCountryCode() == 1 {
		nsn := phonenumbers.GetNationalSignificantNumber(num)
		if len(nsn) == 10 {
			if nsn[0] == '8' && nsn[1] == nsn[2] { // 800, 833, 844, 855, 866, 877, 888
				return "1-" + nsn[0:3] + "-" + nsn[3:6] + "-" + nsn[6:]
			}
			return "(" + nsn[0:3] + ") " + nsn[3:6] + "-" + nsn[6:]
		}
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// Spoken returns the number with its digits spaced, for print and for screen readers that
// would otherwise read "911" as "nine hundred eleven".
func Spoken(stored string) string {
	var b strings.Builder
	for i, r := range Display(stored) {
		if unicode.IsDigit(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TelURI returns the tel: link for a stored number.
func TelURI(stored string) string { return "tel:" + stored }

// SMSURI returns an sms: link that opens a new text to number with keyword as its body.
// "?&body=" is the form both iOS and Android Messages accept.
func SMSURI(stored, keyword string) string {
	if keyword == "" {
		return "sms:" + stored
	}
	return "sms:" + stored + "?&body=" + url.QueryEscape(keyword)
}
