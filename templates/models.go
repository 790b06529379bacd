// Package templates holds the templ components that render every page, and the view models
// they take. A component gets everything it shows through its view model: no component
// touches the database.
package templates

import (
	"html/template"

	"signpost/internal/directory"
	"signpost/internal/i18n"
)

// Layout is what every public page's frame needs.
type Layout struct {
	L           *i18n.Locale
	Title       string // the page's own title; the site name is added after it
	Description string
	// Path is the page's path in the default language ("/about"), used for the language
	// switcher and alternates; Canonical is the absolute URL of this page in this language.
	Path       string
	Canonical  string
	BaseURL    string
	Alternates []Alternate
	Others     []*i18n.Locale // the languages the switcher offers
	Site       directory.Settings
	Hotline    *directory.Listing // the primary hotline, on every page
	Emergency  string             // the emergency number ("911")
	CSS        string             // fingerprinted stylesheet path
	JS         string             // fingerprinted exit script path
	OGImage    string             // absolute URL of the share image
	NoIndex    bool
	JSONLD     []any // schema.org values, marshalled into <script type="application/ld+json">
	Active     string
	Crumbs     []Crumb
	ShowStats  bool // the Statistics page has figures and so is in the navigation
	// Untranslated is set when part of the page is shown in the default language because no
	// translation exists yet; the page says so.
	Untranslated bool
	// Offer is a language the visitor's browser prefers, offered at "/" only.
	Offer *i18n.Locale
	Query string // the search box's value
	// Preview marks a staff preview of a draft or unsaved edit: a banner says it is not
	// published.
	Preview bool
}

// Alternate is one language version of the page, for hreflang links.
type Alternate struct {
	Lang string // "en", "es", or "x-default"
	Href string
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Name string
	Path string // in the page's language; empty for the current page
}

// NavItem is one link in the site's navigation.
type NavItem struct {
	Key  string // message key and active marker
	Path string
}

// PrimaryNav lists the header navigation, in the default language's paths.
var PrimaryNav = []NavItem{
	{"nav.report-it", "/report-it"},
	{"nav.get-help", "/get-help"},
	{"nav.see-it", "/see-it"},
	{"nav.know-it", "/know-it"},
	{"nav.hotlines", "/hotlines"},
	{"nav.organizations", "/organizations"},
	{"nav.agencies", "/agencies"},
	{"nav.resources", "/resources"},
}

// MoreNav lists the pages linked from the footer besides PrimaryNav.
var MoreNav = []NavItem{
	{"nav.when-you-call", "/when-you-call"},
	{"nav.for-providers", "/for-providers"},
	{"nav.about", "/about"},
	{"nav.browsing-safely", "/browsing-safely"},
	{"nav.open-data", "/open-data"},
	{"nav.search", "/search"},
}

// StatsNav is the Statistics link, shown only when there are figures.
var StatsNav = NavItem{"nav.statistics", "/statistics"}

// Prose is a page's rendered Markdown body, and whether it fell back to the default language.
type Prose struct {
	HTML         template.HTML
	Untranslated bool
}

// PageVM is a page from the pages table with its rendered body.
type PageVM struct {
	Layout
	Page *directory.Page
	Body Prose
}

// HomeVM is the home page.
type HomeVM struct {
	PageVM
	Situations []directory.Situation
}

// KnowItVM is the Know it page.
type KnowItVM struct {
	PageVM
	Industries []directory.Industry
}

// SeeItVM is the See it page.
type SeeItVM struct {
	PageVM
	Signs []directory.Sign
	// Intro is the body's opening, before its first heading: it comes before the signs it
	// introduces; Body is the rest, after them.
	Intro Prose
}

// ReportItVM is the Report it page.
type ReportItVM struct {
	PageVM
	Situations []directory.Situation
}

// ListVM is a section's index: hotlines, organizations, agencies or resources.
type ListVM struct {
	PageVM
	Kind     directory.Kind
	Listings []*directory.Listing
	Groups   []ListGroup // resources by type; other kinds by need (see internal/web/needfirst.go)
	Pager    Pager
	// OrderNeed and OrderAZ are the list's URLs in need-first and in name order (empty for
	// resources); ByName is set when the page is in name order.
	OrderNeed, OrderAZ string
	ByName             bool
}

// ListGroup is a titled group of listings.
type ListGroup struct {
	Key      string // message key of the group's heading
	ID       string
	Listings []*directory.Listing
}

// Pager is pagination with stable URLs.
type Pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// ListingVM is one listing's page.
type ListingVM struct {
	Layout
	Listing *directory.Listing
	Body    Prose
	// Correction is the path of the "suggest a correction" form, when it exists.
	Correction string
	// Places are the listing's locations, in order (see places.templ).
	Places []directory.Location
}

// ProseExtra is a prose page with a list of listings after its body (Get help, For
// service providers).
type ProseExtra struct {
	PageVM
	ListKey  string
	Listings []*directory.Listing
}

// StatsVM is the Statistics page.
type StatsVM struct {
	PageVM
	Stats []directory.Stat
	Chart template.HTML // server-made SVG
}

// ErrorVM is the 404 and 500 page.
type ErrorVM struct {
	Layout
	Status  int
	Heading string
	Message string
}
