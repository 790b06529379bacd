package templates

import (
	"net/url"
	"signpost/internal/i18n"
	"strings"
	"time"

	"signpost/internal/directory"
	"signpost/internal/phone"
)

func pageTitle(p Layout) string {
	if p.Title == "" || p.Title == p.Site.SiteName {
		return p.Site.SiteName
	}
	return p.Title + " – " + p.Site.SiteName
}

func navItems(p Layout) []NavItem { return PrimaryNav }

func footerItems(p Layout) []NavItem {
	items := append([]NavItem{}, PrimaryNav...)
	items = append(items, MoreNav...)
	if p.ShowStats {
		items = append(items, StatsNav)
	}
	return items
}

func firstChannel(l *directory.Listing, typ string) (directory.Channel, bool) {
	for _, c := range l.Channels {
		if string(c.Type) == typ && !c.Empty() {
			return c, true
		}
	}
	return directory.Channel{}, false
}

func telURI(n string) string          { return phone.TelURI(n) }
func smsURI(n, keyword string) string { return phone.SMSURI(n, keyword) }
func displayNumber(n string) string   { return phone.Display(n) }
func mailtoURI(addr string) string    { return "mailto:" + addr }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// firstLines returns up to n usable voice or text channels, for cards.
func firstLines(x *directory.Listing, n int) []directory.Channel {
	var out []directory.Channel
	for _, c := range x.PublicChannels() {
		if c.Type == directory.ChannelVoice || c.Type == directory.ChannelText {
			out = append(out, c)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// cardLines are the lines a card shows: every call and text line of a hotline (a card must
// not hide the second text keyword), and the first two of anything else.
func cardLines(x *directory.Listing) []directory.Channel {
	if x.Kind == directory.KindHotline {
		return firstLines(x, 100)
	}
	return firstLines(x, 2)
}

// canReach reports whether a listing's page gives any way to reach it or its work: a line,
// a website or an email address.
func canReach(x *directory.Listing) bool {
	return len(x.PublicChannels()) > 0 || x.Website != "" || x.Email != ""
}

// sourceDate is the date the listing's source document gives, if it has one.
func sourceDate(x *directory.Listing) (time.Time, bool) {
	if x.SourceDate == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", x.SourceDate)
	return t, err == nil
}

func termNames(ts []directory.Term) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func statValue(l *i18n.Locale, s directory.Stat) string {
	if s.Value == nil {
		return ""
	}
	v := l.Number(*s.Value)
	if s.Unit != "" {
		v += " " + s.Unit
	}
	return v
}

// lineLabel is what a line says before its number: its label, which only adds a purpose,
// or the plain verb (key) when it has none, or when it repeats a number or a keyword. The
// number and keyword themselves are always built from the line's own fields, so a label can
// never contradict them.
func lineLabel(l *i18n.Locale, c directory.Channel, key string) string {
	return orDefault(c.Purpose(), l.T(key))
}

// worksAbroad labels an organization that works only outside the country: "Works in
// Brazil", or, where the source names no country, "Works outside the United States".
func worksAbroad(l *i18n.Locale, x *directory.Listing) string {
	if x.WorksIn != "" {
		return l.F("listing.works_in", x.WorksIn)
	}
	return l.T("listing.works_abroad")
}
