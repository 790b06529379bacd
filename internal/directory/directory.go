package directory

import (
	"slices"
	"time"
)

// Kind is the kind of a listing. Each kind has its own public section (/hotlines, …).
type Kind string

const (
	KindHotline      Kind = "hotline"
	KindOrganization Kind = "organization"
	KindAgency       Kind = "agency"
	KindResource     Kind = "resource"
)

// Kinds lists every kind in the order the site shows them.
var Kinds = []Kind{KindHotline, KindOrganization, KindAgency, KindResource}

// Section returns the URL path segment for the kind's public section ("hotlines").
func (k Kind) Section() string {
	switch k {
	case KindHotline:
		return "hotlines"
	case KindOrganization:
		return "organizations"
	case KindAgency:
		return "agencies"
	case KindResource:
		return "resources"
	}
	return ""
}

// KindFromSection is the inverse of Kind.Section; ok is false for an unknown section.
func KindFromSection(s string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Section() == s {
			return k, true
		}
	}
	return "", false
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Status is the publication state of an entry. Only published entries reach the public.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// ChannelType is how a person reaches a line.
type ChannelType string

const (
	ChannelVoice ChannelType = "voice"
	ChannelText  ChannelType = "text"
	ChannelEmail ChannelType = "email"
	ChannelWeb   ChannelType = "web"
)

// The JSON names of the entry types below are those of the revisions already stored (the
// Go names they had before they were written out): a revision is a snapshot in JSON, so a
// renamed field must keep its old JSON name, or restoring an old revision would silently
// drop it. TestRestoreRevisionsWrittenBefore restores revisions written by earlier code.

// Channel is one way to reach a listing: a number to call or text, an address, a web form.
type Channel struct {
	ID        int64       `json:"ID"`
	ListingID int64       `json:"ListingID"`
	Type      ChannelType `json:"Type"`
	// Number is E.164 ("+18883737888") for full numbers, or the number as dialled for short
	// numbers and SMS short codes ("911", "233733").
	Number  string `json:"Number"`
	Vanity  string `json:"Vanity"`  // a letter form as published ("1-800-THE-LOST"), shown beside the digits
	Keyword string `json:"Keyword"` // for text lines: the word to send
	Address string `json:"Address"` // for email
	URL     string `json:"URL"`     // for web
	Label   string `json:"Label"`
	Hours   string `json:"Hours"`
	// Todo marks a channel the sources mention without giving its number or address: staff see
	// it as "to fill in"; the public never sees an empty channel.
	Todo     bool `json:"Todo"`
	Position int  `json:"Position"`
}

// Empty reports whether the channel has nothing a person could use yet.
func (c Channel) Empty() bool {
	switch c.Type {
	case ChannelVoice, ChannelText:
		return c.Number == ""
	case ChannelEmail:
		return c.Address == ""
	case ChannelWeb:
		return c.URL == ""
	}
	return true
}

// Term is one value of a taxonomy: a service, a population served, an area, a language.
type Term struct {
	ID       int64  `json:"ID"`
	Taxonomy string `json:"Taxonomy"` // service | population | area | language
	Slug     string `json:"Slug"`
	Name     string `json:"Name"`
	// Position orders a taxonomy's terms; Version counts a term's saves (staff screens only;
	// both are left out of listing snapshots when zero).
	Position int `json:"Position,omitempty"`
	Version  int `json:"Version,omitempty"`
}

// Taxonomies lists the taxonomies in the order filters show them.
var Taxonomies = []string{"service", "population", "area", "language"}

// Ref names another entry: enough to link to it.
type Ref struct {
	ID   int64  `json:"ID,omitempty"` // set when read from the store
	Kind Kind   `json:"Kind"`
	Slug string `json:"Slug"`
	Name string `json:"Name"`
}

// Listing is a hotline, organization, agency or resource: anything with its own public page.
type Listing struct {
	ID      int64  `json:"ID"`
	Kind    Kind   `json:"Kind"`
	Slug    string `json:"Slug"`
	Name    string `json:"Name"`
	Summary string `json:"Summary"` // plain text, one or two sentences
	Body    string `json:"Body"`    // Markdown
	Website string `json:"Website"`
	Email   string `json:"Email"`
	Social  string `json:"Social"`
	Hours   string `json:"Hours"`
	Open247 bool   `json:"Open247"`
	// OperatedBy is the organization or agency that runs this line, if known.
	OperatedBy *Ref `json:"OperatedBy"`
	// Resource fields.
	ResourceType string `json:"ResourceType"`
	Publisher    string `json:"Publisher"`
	Published    string `json:"Published"` // as the source gives it: "January 2022", "Annual"
	// Pin is staff's place for the listing at the top of its lists (1 first); 0: placed by
	// need (see the public list pages).
	Pin int `json:"Pin"`
	// WorksIn names where an organization that works only outside the country works, as
	// its source says ("Brazil"); empty otherwise.
	WorksIn string `json:"WorksIn"`
	// SourceDate is the date a source document gives for its facts (YYYY-MM-DD), shown as
	// the source's date. It is never a check by staff: that is LastVerified.
	SourceDate string `json:"SourceDate"`

	Status       Status    `json:"Status"`
	Source       string    `json:"Source"` // the seed document(s) the record came from
	Todo         []string  `json:"Todo"`   // fields the sources redact or omit, for staff to fill in
	LastVerified time.Time `json:"LastVerified"`
	CreatedAt    time.Time `json:"CreatedAt"`
	UpdatedAt    time.Time `json:"UpdatedAt"`
	DeletedAt    time.Time `json:"DeletedAt"`
	Version      int       `json:"Version"`

	Channels []Channel `json:"Channels"`
	Terms    []Term    `json:"Terms"`
	// Operates lists the lines this organization or agency runs.
	Operates []Ref `json:"Operates"`

	// Lang is the language the text fields were resolved in; Untranslated names the fields
	// that fell back to English because no translation exists yet.
	Lang         string          `json:"Lang"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Ref returns a reference to l.
func (l *Listing) Ref() Ref { return Ref{Kind: l.Kind, Slug: l.Slug, Name: l.Name} }

// Path returns the listing's public path without a language prefix ("/organizations/polaris").
func (l *Listing) Path() string { return "/" + l.Kind.Section() + "/" + l.Slug }

// Path returns the public path of the entry r names.
func (r Ref) Path() string { return "/" + r.Kind.Section() + "/" + r.Slug }

// TermsOf returns the listing's terms in one taxonomy.
func (l *Listing) TermsOf(taxonomy string) []Term {
	var out []Term
	for _, t := range l.Terms {
		if t.Taxonomy == taxonomy {
			out = append(out, t)
		}
	}
	return out
}

// PublicChannels returns the channels a visitor can use (none that are still to fill in).
func (l *Listing) PublicChannels() []Channel {
	var out []Channel
	for _, c := range l.Channels {
		if !c.Empty() {
			out = append(out, c)
		}
	}
	return out
}

// Page is an editable prose page (About, Know it, …). The structured parts of a page (signs,
// industries, situations, listings) come from their own tables.
type Page struct {
	ID           int64           `json:"ID"`
	Slug         string          `json:"Slug"`
	Title        string          `json:"Title"`
	Description  string          `json:"Description"`
	Body         string          `json:"Body"` // Markdown
	Source       string          `json:"Source"`
	Todo         []string        `json:"Todo"`
	UpdatedAt    time.Time       `json:"UpdatedAt"`
	Version      int             `json:"Version"`
	Lang         string          `json:"Lang"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Path returns the page's public path without a language prefix: "/" for the home page,
// "/" and its slug for any other ("/know-it").
func (p *Page) Path() string { return PagePath(p.Slug) }

// PagePath is the public path of the page with this slug (see Page.Path).
func PagePath(slug string) string {
	if slug == "home" {
		return "/"
	}
	return "/" + slug
}

// Sign is one of the signs that someone may be trafficked.
type Sign struct {
	ID           int64           `json:"ID"`
	Slug         string          `json:"Slug"`
	Text         string          `json:"Text"`
	Position     int             `json:"Position"`
	Source       string          `json:"Source"`
	Status       Status          `json:"Status"` // draft or published
	DeletedAt    time.Time       `json:"DeletedAt"`
	Version      int             `json:"Version"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Industry is a kind of work people are trafficked into.
type Industry struct {
	ID           int64           `json:"ID"`
	Slug         string          `json:"Slug"`
	Name         string          `json:"Name"`
	Position     int             `json:"Position"`
	Source       string          `json:"Source"`
	Status       Status          `json:"Status"` // draft or published
	DeletedAt    time.Time       `json:"DeletedAt"`
	Version      int             `json:"Version"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Situation is one row of the "which line fits what you saw" guide.
type Situation struct {
	ID           int64           `json:"ID"`
	Slug         string          `json:"Slug"`
	Title        string          `json:"Title"`
	Detail       string          `json:"Detail"`
	Position     int             `json:"Position"`
	Listing      *Listing        `json:"Listing"` // the line that fits, with its channels
	Also         []Ref           `json:"Also"`    // other lines that fit
	Source       string          `json:"Source"`
	Status       Status          `json:"Status"` // draft or published
	DeletedAt    time.Time       `json:"DeletedAt"`
	Version      int             `json:"Version"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Stat is one figure staff enter for the Statistics page. Value is nil until staff fill it in.
type Stat struct {
	ID           int64           `json:"ID"`
	Year         int             `json:"Year"`
	Measure      string          `json:"Measure"`
	Value        *float64        `json:"Value"`
	Unit         string          `json:"Unit"`
	SourceName   string          `json:"SourceName"`
	SourceURL    string          `json:"SourceURL"`
	Source       string          `json:"Source"`
	Todo         []string        `json:"Todo"`
	Status       Status          `json:"Status"` // draft or published
	DeletedAt    time.Time       `json:"DeletedAt"`
	Version      int             `json:"Version"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// Settings are the working group's own facts: its name, region, numbers and exit destination.
// They live in the database so another group can run Signpost without touching code.
type Settings struct {
	SiteName        string `json:"SiteName"`
	Region          string `json:"Region"`
	Tagline         string `json:"Tagline"`
	ExitURL         string `json:"ExitURL"`
	EmergencyNumber string `json:"EmergencyNumber"`
	PrimaryHotline  string `json:"PrimaryHotline"` // slug of the hotline shown on every page
	ContactEmail    string `json:"ContactEmail"`
	// VerifyDays is how long a listing's last verification counts before the dashboard asks
	// staff to check it again.
	VerifyDays int `json:"VerifyDays"`
	// ContactsWithoutApproval lets a published listing's numbers and addresses change
	// without a second staff member (a group of one). False, the default, asks for one.
	ContactsWithoutApproval bool `json:"ContactsWithoutApproval"`
	// Version counts saves of the settings, for conflict checks like any entry's.
	Version      int             `json:"Version"`
	UpdatedAt    time.Time       `json:"UpdatedAt"`
	Untranslated map[string]bool `json:"Untranslated"`
}

// ListingFilter selects listings for a list page.
type ListingFilter struct {
	Kind   Kind // empty: every kind
	Lang   string
	Offset int
	Limit  int // 0: no limit
	// Drafts includes unpublished listings (staff views only).
	Drafts bool
	// ResourceTypes narrows resources to these types.
	ResourceTypes []string
	// AnyTerms keeps listings with at least one of these terms ("service/shelter").
	AnyTerms []string
	// Kinds keeps listings of any of these kinds (with Kind, both apply).
	Kinds []Kind
	// ModifiedAfter keeps listings changed at or after this time (the open data API).
	ModifiedAfter time.Time
	// NoOperator keeps listings that no organization or agency is recorded as running.
	NoOperator bool
	// ProvidedBy keeps the services of the organization, agency or hotline with this id, as
	// the open data API counts them: its own listing (unless a hotline run by another) and
	// the hotlines it runs.
	ProvidedBy int64
	// ByID orders by id instead of name: a stable order for paging through open data.
	ByID bool
}

// SitemapEntry is one public path (without a language prefix) and when its content last
// changed.
type SitemapEntry struct {
	Path    string
	LastMod time.Time
}

// WorksElsewhere reports whether the listing serves only a place away from the group's
// region and the country as a whole: a named place (WorksIn) or only abroad.
func (l *Listing) WorksElsewhere() bool { return l.WorksIn != "" || l.WorksOnlyAbroad() }

// WorksOnlyAbroad reports whether the listing serves only outside the country: its only
// area is "international".
func (l *Listing) WorksOnlyAbroad() bool {
	areas := l.TermsOf("area")
	if len(areas) == 0 {
		return false
	}
	for _, t := range areas {
		if t.Slug != "international" {
			return false
		}
	}
	return true
}
