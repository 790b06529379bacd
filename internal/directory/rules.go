package directory

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The rules every layer shares (the admin forms, the store, the open data import): one copy
// each, so that a field added to a listing cannot be forgotten by one of them.

// MaxSlugMade bounds the slugs Slug makes, below ValidSlug's limit.
const MaxSlugMade = 80

// Slug makes an address name from a title: "Polaris Project" → "polaris-project",
// "Asociación Niños" → "asociacion-ninos". Accents are dropped, not turned into hyphens;
// every other run of non-letters becomes one hyphen. It returns "" when nothing is left.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// the accent of the letter before it
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if b.Len() >= MaxSlugMade {
				return strings.Trim(b.String(), "-")
			}
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// SameContent reports whether c and o say the same to a visitor: every field but the ids
// and the position. It compares whole structs, so a field added to Channel counts at once.
func (c Channel) SameContent(o Channel) bool {
	c.ID, c.ListingID, c.Position = 0, 0, 0
	o.ID, o.ListingID, o.Position = 0, 0, 0
	return c == o
}

// SameChannels reports whether a and b hold the same channels in the same order.
func SameChannels(a, b []Channel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].SameContent(b[i]) {
			return false
		}
	}
	return true
}

// TextField is one field of an entry that is written per language: its name in forms,
// translations and revisions, and where its text lives.
type TextField struct {
	Name string
	Text *string
}

// TextFields lists a listing's translatable fields, in form order.
func (l *Listing) TextFields() []TextField {
	return []TextField{{"name", &l.Name}, {"summary", &l.Summary}, {"body", &l.Body}, {"hours", &l.Hours}, {"works_in", &l.WorksIn}}
}

// TextFields lists a channel's translatable fields.
func (c *Channel) TextFields() []TextField {
	return []TextField{{"label", &c.Label}, {"hours", &c.Hours}}
}

// TextFields lists a page's translatable fields, in form order.
func (p *Page) TextFields() []TextField {
	return []TextField{{"title", &p.Title}, {"description", &p.Description}, {"body", &p.Body}}
}

// TextFields lists a sign's translatable fields.
func (x *Sign) TextFields() []TextField { return []TextField{{"text", &x.Text}} }

// TextFields lists an industry's translatable fields.
func (x *Industry) TextFields() []TextField { return []TextField{{"name", &x.Name}} }

// TextFields lists a situation's translatable fields, in form order.
func (x *Situation) TextFields() []TextField {
	return []TextField{{"title", &x.Title}, {"detail", &x.Detail}}
}

// TextFields lists a figure's translatable fields.
func (x *Stat) TextFields() []TextField { return []TextField{{"measure", &x.Measure}} }

// TextFields lists a term's translatable fields.
func (t *Term) TextFields() []TextField { return []TextField{{"name", &t.Name}} }

// TextFields lists the settings written per language, in form order.
func (s *Settings) TextFields() []TextField {
	return []TextField{{"site_name", &s.SiteName}, {"region", &s.Region}, {"tagline", &s.Tagline}}
}

// TextFieldNames returns the names of fields, in order.
func TextFieldNames(fields []TextField) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}
