// Package phone parses the phone numbers staff type and formats them for people and for
// phones. Stored numbers are E.164 ("+18883737888"), or the digits of a short number as
// dialled ("911", the SMS short code "233733"), which have no E.164 form.
package phone

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

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

// NumbersIn returns the numbers written in free text, in their stored form where they can be
// read ("Call 1-888-373-7888" → "+18883737888", "Text 233733" → "233733"), or as their
// digits where they cannot. What is not a phone number is left out: runs of fewer than three
// digits ("24/7", "9-5"), digits joined to letters ("8am", "24h", "I-914"), and four bare
// digits that read as a time or a year ("0800", "1800", "2024").
func NumbersIn(text string) []string {
	var out []string
	for _, loc := range numberRE.FindAllStringIndex(text, -1) {
		m := text[loc[0]:loc[1]]
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m)
		if len(digits) < 3 || touchesLetter(text, loc[0], loc[1]) || (digits == m && timeOrYear(m)) {
			continue
		}
		if len(digits) <= maxShort {
			out = append(out, digits)
		} else if stored, err := Parse(m, DefaultRegion); err == nil {
			out = append(out, stored)
		} else {
			out = append(out, digits)
		}
	}
	return out
}

// touchesLetter reports whether text[start:end] has a letter right before or after it, or
// a letter and a hyphen before it ("I-914").
func touchesLetter(text string, start, end int) bool {
	after, _ := utf8.DecodeRuneInString(text[end:])
	before, n := utf8.DecodeLastRuneInString(text[:start])
	if before == '-' {
		before, _ = utf8.DecodeLastRuneInString(text[:start-n])
	}
	return unicode.IsLetter(after) || unicode.IsLetter(before)
}

// timeOrYear reports whether four digits read as a 24-hour time ("0800") or a year ("2024").
func timeOrYear(d string) bool {
	if len(d) != 4 {
		return false
	}
	hh, mm := (d[0]-'0')*10+d[1]-'0', (d[2]-'0')*10+d[3]-'0'
	return hh < 24 && mm < 60 || d[:2] == "19" || d[:2] == "20"
}

// numberRE finds runs of digits joined by the separators people write numbers with.
var numberRE = regexp.MustCompile(`\+?\(?[0-9]+\)?(?:[ .\-]?\(?[0-9]+\)?)*`)
