// Package admin holds the templ components of the staff screens under /admin and their view
// models. They are plain server-rendered forms: no script, no inline style, English only.
package admin

import (
	"html/template"
	"strings"
	"time"

	"signpost/internal/directory"
)

// Page is what every staff screen's frame needs.
type Page struct {
	Title  string
	User   *directory.User // nil on the sign-in page
	CSRF   string          // the session's form token, sent back in every form
	CSS    []string        // stylesheet URLs
	Active string          // the navigation item to mark
	Flash  string          // a one-time message after a redirect ("Saved.")
	// Nav is the staff navigation this account sees (Nav, then AdminNav for admins, less
	// the screens this site does not have).
	Nav []NavItem
	// Counts is what waits for staff by navigation key ("corrections": 3), shown in the menu.
	Counts map[string]int
}

// IsAdmin reports whether the signed-in account is an admin.
func (p Page) IsAdmin() bool { return p.User != nil && p.User.Role == directory.RoleAdmin }

// NavItem is one link of the staff navigation.
type NavItem struct{ Key, Label, Path string }

// Nav lists the staff navigation; AdminNav is shown to admins only.
var (
	Nav = []NavItem{
		{"dashboard", "Dashboard", "/admin/"},
		{"hotlines", "Hotlines", "/admin/hotlines"},
		{"organizations", "Organizations", "/admin/organizations"},
		{"agencies", "Agencies", "/admin/agencies"},
		{"resources", "Resources", "/admin/resources"},
		{"pages", "Pages", "/admin/pages"},
		{"signs", "Signs", "/admin/signs"},
		{"industries", "Industries", "/admin/industries"},
		{"situations", "Which line fits", "/admin/situations"},
		{"stats", "Statistics", "/admin/stats"},
		{"filters", "Filters", "/admin/filters"},
		{"corrections", "Suggestions", "/admin/corrections"},
		{"approvals", "Approvals", "/admin/approvals"},
		{"search-words", "Search words", "/admin/search-words"},
		{"searches", "Visitor searches", "/admin/searches"},
		{"trash", "Trash", "/admin/trash"},
	}
	AdminNav = []NavItem{
		{"settings", "Settings", "/admin/settings"},
		{"import", "Import data", "/admin/import"},
		{"sheet", "Import a spreadsheet", "/admin/sheet"},
		{"users", "Accounts", "/admin/users"},
		{"audit", "Audit log", "/admin/audit"},
	}
)

// FieldError is one line of a form's error summary.
type FieldError struct {
	ID      string // the input's id, for the link
	Message string
}

// Field is one form control with its label, hint, value and error.
type Field struct {
	Name  string
	Label string
	Hint  string
	// Type is text, textarea, markdown (a textarea with a preview), email, url, number,
	// password, checkbox, checkboxes, select or readonly.
	Type     string
	Value    string
	Checked  bool
	Options  []Option
	Error    string
	Required bool
	Rows     int
	Auto     string // autocomplete
	Max      int    // maxlength, 0 for none
}

// ID is the control's id attribute.
func (f Field) ID() string { return "f-" + f.Name }

// Option is one choice of a select or a checkbox group.
type Option struct {
	Value, Label string
	Selected     bool
	Group        string // a checkbox group's legend, for grouping terms by taxonomy
}

// ChannelRow is one way to reach a listing in the listing form.
type ChannelRow struct {
	Index  int
	Type   string
	Fields []Field // number, vanity, keyword, address, url, label, hours, todo
	Error  string
	// Removed is ticked "Remove": the row stays on screen until saved, then goes.
	Removed bool
}

// Conflict shows the version someone else saved beside what the editor typed.
type Conflict struct {
	Rows []DiffRow // field, their saved value, the value in the form
	// An entry's conflict (conflict.templ): only the fields both people changed, who saved
	// theirs and when, and a choice per field.
	Fields []ConflictField
	By, At string
}

// DiffRow is one changed field between two versions.
type DiffRow struct {
	Field, Before, After string
}

// FormVM is an entry's edit (or new) screen.
type FormVM struct {
	Page
	Heading  string
	Entity   string // the admin section ("hotlines", "signs", "settings")
	ID       int64
	Action   string // the form's URL
	Version  int
	Fields   []Field
	Channels []ChannelRow
	// Sections fold a listing's long form into parts (form.templ); nil shows Fields in one run.
	Sections  []FormSection
	NewWay    ChannelRow // a blank way, for the script that adds one in place (Index -1)
	Errors    []FieldError
	Message   string
	Preview   template.HTML // Markdown preview, shown when the editor asked for it
	Conflict  *Conflict
	Status    directory.Status
	HasStatus bool
	Trashed   bool
	CanTrash  bool
	// Primary is the hotline on every page: it must stay published, so the screen offers
	// neither Unpublish nor Move to trash (a refused action would leave the form behind).
	Primary   bool
	Verified  time.Time // listings only
	CanVerify bool
	Pin       int    // listings: place at the top of its public lists, 0 for none
	PinText   string // the place as typed, shown again with PinError
	PinError  string
	Public    string // the public page, when there is one
	History   string
	Langs     []LangLink // translation screens
	// PagePreviews post the form to show it as the public page, one per language.
	PagePreviews []LangLink
	// Correction is the visitor's suggestion being applied with this save.
	Correction *directory.Correction
	New        bool

	// Pending is the contact change waiting for a second staff member (approvals.go).
	Pending *PendingContacts
}

// LangLink is a link to an entry's translation screen.
type LangLink struct{ Tag, Name, Path string }

// ListRow is one entry in a section's list.
type ListRow struct {
	ID      int64
	Name    string
	Path    string // its edit screen
	Status  directory.Status
	Trashed bool
	Detail  string
	Updated time.Time
	// Verified is when a listing was last checked with its source (zero: never).
	Verified time.Time
}

// ListVM is a section's list of entries.
type ListVM struct {
	Page
	Heading string
	New     string // the new-entry screen, if entries can be created here
	NewText string
	Rows    []ListRow
	Trash   bool // rows are trashed entries with a restore button
	// Find is the list's own URL, for the find-by-name form; Query is what was typed.
	Find  string
	Query string
	// State and Sort are the list's filter and order as chosen, with their choices;
	// ShowVerified adds the last-verified column.
	State, Sort   string
	States, Sorts []Option
	ShowVerified  bool
	// Bulk is the form that acts on the ticked entries ("" when none can be done here),
	// BulkActions what it can do.
	Bulk        string
	BulkActions []Option
}

// Revision is one row of an entry's history with what it changed.
type Revision struct {
	ID      int64
	Version int
	Action  string
	By      string
	At      string
	Lang    string
	Changes []DiffRow
	// Of names what the version is of when it is not the entry itself ("Way 2": a line).
	Of string
	// Restorable: an older version (the newest is the one in use).
	Restorable bool
}

// HistoryVM is an entry's history.
type HistoryVM struct {
	Page
	Heading   string
	Back      string
	Revisions []Revision
}

// LoginVM is the sign-in page.
type LoginVM struct {
	Page
	Email   string
	Message string // one message for every failure: never which part was wrong
	Next    string
}

// UsersVM is the accounts screen (admins only).
type UsersVM struct {
	Page
	Users  []*directory.User
	Form   []Field // the new-account form
	Errors []FieldError
	Self   int64
	// Factors are the second factors of each account (none if absent).
	Factors map[int64]directory.SecondFactors
}

// AuditVM is the audit log (admins only).
type AuditVM struct {
	Page
	Entries []directory.AuditEntry
	Next    string
	// Rows are Entries in plain words, one for one: what was done, to which entry by name.
	Rows []AuditRow
}

// AuditRow is an audit line as staff read it.
type AuditRow struct {
	At, Who, What, Detail string
	Entry, Path           string // the entry's kind and name, its screen if it still exists
	Repeats               int    // how many times the same event came, when more than once
	LastAt                string // when the last of them came
}

// CorrectionsVM is the queue of visitors' suggestions.
type CorrectionsVM struct {
	Page
	Open    []*directory.Correction
	Handled []*directory.Correction
}

// TranslateRow is one translatable field: the English text beside the translation.
type TranslateRow struct {
	Field   Field
	English string
	// Stale: the translation was made from English that has changed since; From is that
	// English.
	Stale bool
	From  string
}

// TranslateVM edits an entry's text in one language.
type TranslateVM struct {
	Page
	Heading     string
	Lang        LangLink
	Action      string
	Back        string
	History     string
	Rows        []TranslateRow
	NeedsReview bool
	Errors      []FieldError
	// Version counts the saves of this language's text, for conflict checks.
	Version  int
	Conflict *Conflict
}

// MessageVM is a short page with a heading and a sentence (refused, not found).
type MessageVM struct {
	Page
	Heading, Message string
}

// PlacesVM is the screen that edits a listing's places (issue 14).
type PlacesVM struct {
	Page
	Action, Back string
	Rows         []PlaceRow
	Message      string
	// Towns are the towns search knows (seeds/places.json), offered as the city is typed:
	// a listing is found by a town when its city is spelt as the town is.
	Towns []string
}

// PlaceRow is one place as typed, kept as text so a bad row comes back as it was.
type PlaceRow struct {
	Name, Street, Street2, City, State, PostalCode, Latitude, Longitude string
	Private, Remove                                                     bool
	Errors                                                              map[string]string // by field: "city", "latitude"
}

// Blank reports whether nothing was typed in the row.
func (r PlaceRow) Blank() bool {
	return strings.TrimSpace(r.Name+r.Street+r.Street2+r.City+r.State+r.PostalCode+r.Latitude+r.Longitude) == ""
}
