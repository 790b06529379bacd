// Package i18n holds the interface strings of the public site, one JSON catalogue per
// language in locales/, and picks a language for a visitor. Adding a language is a new
// catalogue file plus translated content in the database: no code changes.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.json
var localesFS embed.FS

// DefaultTag is the language content is written in and the root URLs serve.
const DefaultTag = "en"

// Locale is one language's catalogue.
type Locale struct {
	Tag  string // BCP 47 tag, also the URL prefix ("es" → /es/…)
	Name string // the language's own name for itself ("Español")
	tag  language.Tag

	messages map[string]string
	fallback *Locale
	printer  *message.Printer
}

// Catalog is every language the site speaks.
type Catalog struct {
	Default *Locale
	Locales []*Locale // the default first, then by tag
	byTag   map[string]*Locale
	matcher language.Matcher
}

// Load reads the embedded catalogues.
func Load() (*Catalog, error) { return LoadFS(localesFS, "locales") }

// LoadFS reads every <tag>.json in dir of fsys. The default language's catalogue must exist.
func LoadFS(fsys fs.FS, dir string) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	c := &Catalog{byTag: map[string]*Locale{}}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(b, &msgs); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		tagStr := strings.TrimSuffix(name, ".json")
		tag, err := language.Parse(tagStr)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		l := &Locale{Tag: tagStr, Name: msgs["language.name"], tag: tag, messages: msgs, printer: message.NewPrinter(tag)}
		c.byTag[tagStr] = l
		c.Locales = append(c.Locales, l)
	}
	c.Default = c.byTag[DefaultTag]
	if c.Default == nil {
		return nil, fmt.Errorf("i18n: no %s.json catalogue", DefaultTag)
	}
	slices.SortFunc(c.Locales, func(a, b *Locale) int {
		if a == c.Default {
			return -1
		} else if b == c.Default {
			return 1
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	tags := make([]language.Tag, len(c.Locales))
	for i, l := range c.Locales {
		tags[i] = l.tag
		if l != c.Default {
			l.fallback = c.Default
		}
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// Get returns the locale for tag, or nil.
func (c *Catalog) Get(tag string) *Locale { return c.byTag[tag] }

// Others returns every locale but l.
func (c *Catalog) Others(l *Locale) []*Locale {
	var out []*Locale
	for _, x := range c.Locales {
		if x != l {
			out = append(out, x)
		}
	}
	return out
}

// Match returns the locale that best fits an Accept-Language header, and whether the match
// is confident (an exact or close language match rather than the default by elimination).
func (c *Catalog) Match(acceptLanguage string) (*Locale, bool) {
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return c.Default, false
	}
	_, i, conf := c.matcher.Match(prefs...)
	return c.Locales[i], conf >= language.High
}

// Keys returns the catalogue's message keys, sorted; for completeness tests.
func (l *Locale) Keys() []string {
	keys := make([]string, 0, len(l.messages))
	for k := range l.messages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Has reports whether the catalogue itself has key (without falling back).
func (l *Locale) Has(key string) bool { _, ok := l.messages[key]; return ok }

// IsDefault reports whether l is the default language.
func (l *Locale) IsDefault() bool { return l.fallback == nil }

// T returns the message for key; a missing message falls back to the default language, then
// to the key itself (which a test keeps from ever reaching a page).
func (l *Locale) T(key string) string {
	if m, ok := l.messages[key]; ok {
		return m
	}
	if l.fallback != nil {
		return l.fallback.T(key)
	}
	return key
}

// F formats the message for key with args, with numbers written the language's way.
func (l *Locale) F(key string, args ...any) string {
	return l.printer.Sprintf(l.T(key), args...)
}

// Number formats n the language's way ("1,234.5" in English, "1234,5" in Spanish).
func (l *Locale) Number(n float64) string {
	if n == float64(int64(n)) {
		return l.printer.Sprintf("%d", int64(n))
	}
	return l.printer.Sprintf("%.1f", n)
}

// Date formats t as a long date in the language ("January 23, 2024", "23 de enero de 2024").
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	r := strings.NewReplacer(
		"{day}", strconv.Itoa(t.Day()),
		"{month}", l.T("month."+strconv.Itoa(int(t.Month()))),
		"{year}", strconv.Itoa(t.Year()),
	)
	return r.Replace(l.T("date.long"))
}

// Prefix is the URL path prefix of the language: "" for the default, "/es" for Spanish.
func (l *Locale) Prefix() string {
	if l.IsDefault() {
		return ""
	}
	return "/" + l.Tag
}

// Path returns p (a path of the default language, "/about") in this language ("/es/about").
func (l *Locale) Path(p string) string {
	if l.IsDefault() {
		return p
	}
	if p == "/" {
		return l.Prefix() + "/"
	}
	return l.Prefix() + p
}
