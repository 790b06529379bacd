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

// Channel is one way to reach a listing: a number to call or text, an address, a web form.
type Channel struct {
	ID        int64
	ListingID int64
	Type      ChannelType
	// Number is E.164 ("+18883737888") for full numbers, or the number as dialled for short
	// numbers and SMS short codes ("911", "233733").
	Number  string
	Vanity  string // a letter form as published ("1-800-THE-LOST"), shown beside the digits
	Keyword string // for text lines: the word to send
	Address string // for email
	URL     string // for web
	Label   string
	Hours   string
	// Todo marks a channel the sources mention without giving its number or address: staff see
	// it as "to fill in"; the public never sees an empty channel.
	Todo     bool
	Position int
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
	ID       int64
	Taxonomy string // service | population | area | language
	Slug     string
	Name     string
	// Position orders a taxonomy's terms; Version counts a term's saves (staff screens only;
	// both are left out of listing snapshots when zero).
	Position int `json:",omitempty"`
	Version  int `json:",omitempty"`
}

// Taxonomies lists the taxonomies in the order filters show them.
var Taxonomies = []string{"service", "population", "area", "language"}

// Ref names another entry: enough to link to it.
type Ref struct {
	ID   int64 `json:",omitempty"` // set when read from the store
	Kind Kind
	Slug string
	Name string
}

// Listing is a hotline, organization, agency or resource: anything with its own public page.
type Listing struct {
	ID      int64
	Kind    Kind
	Slug    string
	Name    string
	Summary string // plain text, one or two sentences
	Body    string // Markdown
	Website string
	Email   string
	Social  string
	Hours   string
	Open247 bool
	// OperatedBy is the organization or agency that runs this line, if known.
	OperatedBy *Ref
	// Resource fields.
	ResourceType string
	Publisher    string
	Published    string // as the source gives it: "January 2022", "Annual"
	// Pin is staff's place for the listing at the top of its lists (1 first); 0: placed by
	// need (see the public list pages).
	Pin int
	// WorksIn names where an organization that works only outside the country works, as
	// its source says ("Brazil"); empty otherwise.
	WorksIn string
	// SourceDate is the date a source document gives for its facts (YYYY-MM-DD), shown as
	// the source's date. It is never a check by staff: that is LastVerified.
	SourceDate string

	Status       Status
	Source       string   // the seed document(s) the record came from
	Todo         []string // fields the sources redact or omit, for staff to fill in
	LastVerified time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    time.Time
	Version      int

	Channels []Channel
	Terms    []Term
	// Operates lists the lines this organization or agency runs.
	Operates []Ref

	// Lang is the language the text fields were resolved in; Untranslated names the fields
	// that fell back to English because no translation exists yet.
	Lang         string
	Untranslated map[string]bool
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
	ID           int64
	Slug         string
	Title        string
	Description  string
	Body         string // Markdown
	Source       string
	Todo         []string
	UpdatedAt    time.Time
	Version      int
	Lang         string
	Untranslated map[string]bool
}

// Sign is one of the signs that someone may be trafficked.
type Sign struct {
	ID           int64
	Slug         string
	Text         string
	Position     int
	Source       string
	Status       Status // draft or published
	DeletedAt    time.Time
	Version      int
	Untranslated map[string]bool
}

// Industry is a kind of work people are trafficked into.
type Industry struct {
	ID           int64
	Slug         string
	Name         string
	Position     int
	Source       string
	Status       Status // draft or published
	DeletedAt    time.Time
	Version      int
	Untranslated map[string]bool
}

// Situation is one row of the "which line fits what you saw" guide.
type Situation struct {
	ID           int64
	Slug         string
	Title        string
	Detail       string
	Position     int
	Listing      *Listing // the line that fits, with its channels
	Also         []Ref    // other lines that fit
	Source       string
	Status       Status // draft or published
	DeletedAt    time.Time
	Version      int
	Untranslated map[string]bool
}

// Stat is one figure staff enter for the Statistics page. Value is nil until staff fill it in.
type Stat struct {
	ID           int64
	Year         int
	Measure      string
	Value        *float64
	Unit         string
	SourceName   string
	SourceURL    string
	Source       string
	Todo         []string
	Status       Status // draft or published
	DeletedAt    time.Time
	Version      int
	Untranslated map[string]bool
}

// Settings are the working group's own facts: its name, region, numbers and exit destination.
// They live in the database so another group can run Signpost without touching code.
type Settings struct {
	SiteName        string
	Region          string
	Tagline         string
	ExitURL         string
	EmergencyNumber string
	PrimaryHotline  string // slug of the hotline shown on every page
	ContactEmail    string
	// VerifyDays is how long a listing's last verification counts before the dashboard asks
	// staff to check it again.
	VerifyDays int
	// Version counts saves of the settings, for conflict checks like any entry's.
	Version      int
	UpdatedAt    time.Time
	Untranslated map[string]bool
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
