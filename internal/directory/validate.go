package directory

import (
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	e164RE   = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	shortRE  = regexp.MustCompile(`^[0-9]{2,6}$`)
	statusOK = map[Status]bool{StatusDraft: true, StatusPublished: true}
)

// Length limits for staff-written fields: generous for real text, small enough that a
// pasted novel or a hostile request cannot bloat the database.
const (
	MaxName    = 200
	MaxSummary = 600
	MaxBody    = 50_000
	MaxShort   = 300
)

// ValidSlug reports whether s can be a slug: lower-case letters, digits and single hyphens.
func ValidSlug(s string) bool { return len(s) <= 100 && slugRE.MatchString(s) }

// ValidWebURL reports whether s is an absolute http(s) URL with a host.
func ValidWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n<>\"")
}

// ValidEmail reports whether s is a plain email address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// ValidStoredNumber reports whether n is a stored phone number: E.164, or a short number.
func ValidStoredNumber(n string) bool { return e164RE.MatchString(n) || shortRE.MatchString(n) }

// Validate checks l before it is saved. It returns an EINVALID *Error whose Fields name each
// problem by form field ("name", "website", "channels.0.number"), or nil.
func (l *Listing) Validate() error {
	f := map[string]string{}
	check := func(field, value string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(value) == "":
			f[field] = "This is required."
		case !utf8.ValidString(value):
			f[field] = "This has characters we cannot read."
		case utf8.RuneCountInString(value) > max:
			f[field] = "This is too long."
		}
	}
	if !l.Kind.Valid() {
		f["kind"] = "Choose a kind of listing."
	}
	check("name", l.Name, MaxName, true)
	check("summary", l.Summary, MaxSummary, false)
	check("body", l.Body, MaxBody, false)
	check("hours", l.Hours, MaxShort, false)
	check("social", l.Social, MaxShort, false)
	check("publisher", l.Publisher, MaxShort, false)
	check("published", l.Published, MaxShort, false)
	check("works_in", l.WorksIn, MaxShort, false)
	if _, err := time.Parse(time.DateOnly, l.SourceDate); l.SourceDate != "" && err != nil {
		f["source_date"] = "Enter a date like 2024-05-01, or leave it empty."
	}
	if !ValidSlug(l.Slug) {
		f["slug"] = "Use lower-case letters, numbers and single hyphens, like national-hotline."
	}
	if l.Website != "" && !ValidWebURL(l.Website) {
		f["website"] = "Enter a full web address starting with https:// or http://."
	}
	if l.Email != "" && !ValidEmail(l.Email) {
		f["email"] = "Enter an email address like name@example.org."
	}
	if l.Status != "" && !statusOK[l.Status] {
		f["status"] = "Choose draft or published."
	}
	for i, c := range l.Channels {
		key := func(s string) string { return "channels." + strconv.Itoa(i) + "." + s }
		check(key("label"), c.Label, MaxShort, false)
		check(key("hours"), c.Hours, MaxShort, false)
		check(key("vanity"), c.Vanity, 40, false)
		check(key("keyword"), c.Keyword, 40, false)
		switch c.Type {
		case ChannelVoice, ChannelText:
			if c.Number != "" && !ValidStoredNumber(c.Number) {
				f[key("number")] = "Enter a phone number like 1-888-373-7888, or a short number like 911."
			}
		case ChannelEmail:
			if c.Address != "" && !ValidEmail(c.Address) {
				f[key("address")] = "Enter an email address like name@example.org."
			}
		case ChannelWeb:
			if c.URL != "" && !ValidWebURL(c.URL) {
				f[key("url")] = "Enter a full web address starting with https:// or http://."
			}
		default:
			f[key("type")] = "Choose call, text, email or web."
		}
		if msg := c.LabelProblem(c.Label); msg != "" && f[key("label")] == "" {
			f[key("label")] = msg
		}
		if c.Empty() && !c.Todo {
			f[key(channelField(c.Type))] = "Fill this in, or mark it as to fill in later."
		}
	}
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}

func channelField(t ChannelType) string {
	switch t {
	case ChannelEmail:
		return "address"
	case ChannelWeb:
		return "url"
	}
	return "number"
}
