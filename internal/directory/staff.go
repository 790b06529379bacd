package directory

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a staff account may do. Editors edit content; admins also manage accounts
// and read the audit log.
type Role string

const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleEditor }

// User is a staff account. PasswordHash is a PHC-style encoded hash, never a password.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Role         Role
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// AuditEntry is one line of the audit log: who did what to which entry, and when. It never
// holds a client address.
type AuditEntry struct {
	ID        int64
	At        time.Time
	UserID    int64
	UserEmail string
	Action    string
	Entity    string
	EntityID  int64
	Detail    string
	// Repeats is how many times this same event happened in a row (1 for most); LastAt is
	// when the newest did. A guessing attack is one line with a count.
	Repeats int
	LastAt  time.Time
}

// Correction is a suggestion a visitor sent about a listing.
type Correction struct {
	ID          int64
	ListingID   int64
	Listing     Ref
	Field       string
	Message     string
	Status      string // open | accepted | dismissed
	CreatedAt   time.Time
	HandledAt   time.Time
	HandledByID int64
}

// Correction limits and statuses.
const (
	MaxCorrection       = 2000
	CorrectionOpen      = "open"
	CorrectionAccepted  = "accepted"
	CorrectionDismissed = "dismissed"
)

// fieldChecker collects per-field messages for Validate methods.
type fieldChecker map[string]string

func (f fieldChecker) text(field, value string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(value) == "":
		f[field] = "This is required."
	case !utf8.ValidString(value):
		f[field] = "This has characters we cannot read."
	case utf8.RuneCountInString(value) > max:
		f[field] = "This is too long."
	}
}

func (f fieldChecker) slug(s string) {
	if !ValidSlug(s) {
		f["slug"] = "Use lower-case letters, numbers and single hyphens, like national-hotline."
	}
}

func (f fieldChecker) status(s Status) {
	if s != "" && !statusOK[s] {
		f["status"] = "Choose draft or published."
	}
}

func (f fieldChecker) err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}

// Validate checks a page before it is saved.
func (p *Page) Validate() error {
	f := fieldChecker{}
	f.slug(p.Slug)
	f.text("title", p.Title, MaxName, true)
	f.text("description", p.Description, MaxSummary, false)
	f.text("body", p.Body, MaxBody, false)
	return f.err()
}

// Validate checks a sign before it is saved.
func (x *Sign) Validate() error {
	f := fieldChecker{}
	f.slug(x.Slug)
	f.text("text", x.Text, MaxSummary, true)
	f.status(x.Status)
	return f.err()
}

// Validate checks an industry before it is saved.
func (x *Industry) Validate() error {
	f := fieldChecker{}
	f.slug(x.Slug)
	f.text("name", x.Name, MaxName, true)
	f.status(x.Status)
	return f.err()
}

// Validate checks a situation before it is saved.
func (x *Situation) Validate() error {
	f := fieldChecker{}
	f.slug(x.Slug)
	f.text("title", x.Title, MaxName, true)
	f.text("detail", x.Detail, MaxSummary, false)
	f.status(x.Status)
	return f.err()
}

// Validate checks a figure before it is saved.
func (x *Stat) Validate() error {
	f := fieldChecker{}
	if x.Year < 1900 || x.Year > 2200 {
		f["year"] = "Enter a year like 2023."
	}
	f.text("measure", x.Measure, MaxName, true)
	f.text("unit", x.Unit, 40, false)
	f.text("source_name", x.SourceName, MaxShort, false)
	if x.SourceURL != "" && !ValidWebURL(x.SourceURL) {
		f["source_url"] = "Enter a full web address starting with https:// or http://."
	}
	f.status(x.Status)
	return f.err()
}

// Validate checks the settings before they are saved.
func (st *Settings) Validate() error {
	f := fieldChecker{}
	f.text("site_name", st.SiteName, MaxName, true)
	f.text("region", st.Region, MaxName, false)
	f.text("tagline", st.Tagline, MaxShort, false)
	if !ValidWebURL(st.ExitURL) {
		f["exit_url"] = "Enter a full web address starting with https://, such as a weather site."
	}
	if !ValidStoredNumber(st.EmergencyNumber) {
		f["emergency_number"] = "Enter the emergency number, like 911."
	}
	if st.PrimaryHotline != "" && !ValidSlug(st.PrimaryHotline) {
		f["primary_hotline"] = "Choose a hotline."
	}
	if st.ContactEmail != "" && !ValidEmail(st.ContactEmail) {
		f["contact_email"] = "Enter an email address like name@example.org."
	}
	if st.VerifyDays < 1 || st.VerifyDays > 3650 {
		f["verify_days"] = "Enter a number of days between 1 and 3650."
	}
	return f.err()
}

// Validate checks a term before it is saved.
func (t *Term) Validate() error {
	f := fieldChecker{}
	if !slices.Contains(Taxonomies, t.Taxonomy) {
		f["taxonomy"] = "Choose service, population, area or language."
	}
	f.slug(t.Slug)
	f.text("name", t.Name, MaxName, true)
	return f.err()
}
