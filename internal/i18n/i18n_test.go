package i18n

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCataloguesAreComplete keeps every language's catalogue in step with the default one:
// a key missing from a translation would show English on that language's pages.
func TestCataloguesAreComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Locales) < 2 {
		t.Fatalf("only %d languages", len(c.Locales))
	}
	verb := regexp.MustCompile(`%[a-z]`)
	for _, l := range c.Locales {
		if l.Name == "" {
			t.Errorf("%s: no language.name", l.Tag)
		}
		for _, key := range c.Default.Keys() {
			if !l.Has(key) {
				t.Errorf("%s: missing %q", l.Tag, key)
				continue
			}
			// The same formatting verbs, in the same order, or F would print garbage.
			if got, want := verb.FindAllString(l.T(key), -1), verb.FindAllString(c.Default.T(key), -1); strings.Join(got, "") != strings.Join(want, "") {
				t.Errorf("%s: %q has verbs %v, want %v", l.Tag, key, got, want)
			}
		}
		for _, key := range l.Keys() {
			if !c.Default.Has(key) {
				t.Errorf("%s: %q is not in the default catalogue", l.Tag, key)
			}
		}
	}
}

func TestDatesAndNumbersFollowTheLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2024, time.January, 23, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ tag, date, number string }{
		{"en", "January 23, 2024", "12,345"},
		{"es", "23 de enero de 2024", "12.345"},
	} {
		l := c.Get(tt.tag)
		if got := l.Date(d); got != tt.date {
			t.Errorf("%s date = %q, want %q", tt.tag, got, tt.date)
		}
		if got := l.Number(12345); got != tt.number {
			t.Errorf("%s number = %q, want %q", tt.tag, got, tt.number)
		}
	}
}

func TestMatchOffersOnlyAConfidentChoice(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		header, want string
		confident    bool
	}{
		{"es-MX,es;q=0.9,en;q=0.5", "es", true},
		{"es", "es", true},
		{"en-US,en;q=0.9", "en", true},
		{"", "en", false},
		{"zz-nonsense;;;", "en", false},
	} {
		l, ok := c.Match(tt.header)
		if l.Tag != tt.want || (tt.want != "en" && ok != tt.confident) {
			t.Errorf("Match(%q) = %s, %v; want %s, %v", tt.header, l.Tag, ok, tt.want, tt.confident)
		}
	}
}

func TestPaths(t *testing.T) {
	c, _ := Load()
	es := c.Get("es")
	if got := es.Path("/"); got != "/es/" {
		t.Errorf("es root = %q", got)
	}
	if got := es.Path("/organizations/polaris"); got != "/es/organizations/polaris" {
		t.Errorf("es path = %q", got)
	}
	if got := c.Default.Path("/about"); got != "/about" {
		t.Errorf("en path = %q", got)
	}
}
