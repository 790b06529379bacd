package admin

import (
	"errors"
	"strings"
	"testing"

	"signpost/internal/directory"
)

// FuzzParseListing feeds the listing form parser arbitrary values: it must never panic, and
// a form it accepts (no parse errors) that then validates has only stored-form numbers.
func FuzzParseListing(f *testing.F) {
	f.Add("Polaris", "polaris", "voice", "(907) 786-8900", "", "1", "service/shelter")
	f.Add("Line", "", "voice", "1-800-THE-LOST", "", "", "")
	f.Add("Text line", "text-line", "text", "233733", "HELP", "", "language/es")
	f.Add("", "Bad Slug", "email", "", "", "1", "nonsense")
	f.Add("Web", "web", "web", "+1 802 872 6199", "", "", "/")
	f.Add("x", "x", "voice", "911", "", "", "a/b/c")
	f.Add("\xff", "-", "fax", "++1", "\x00", "yes", "service/")
	f.Fuzz(func(t *testing.T, name, slug, typ, number, keyword, todo, term string) {
		d := &entryData{
			Values: map[string]string{"name": name, "slug": slug, "summary": name, "body": keyword, "todo": todo},
			Multi:  map[string][]string{"terms": {term}},
			Channels: []map[string]string{
				{"type": typ, "number": number, "keyword": keyword, "todo": todo},
				{}, // a spare row
				{"type": "web", "url": number},
			},
		}
		l := &directory.Listing{Kind: directory.KindHotline}
		errs, rows := parseListing(d, l)
		if len(rows) != len(l.Channels) {
			t.Fatalf("rows %v for %d channels", rows, len(l.Channels))
		}
		for _, i := range rows {
			if i < 0 || i >= len(d.Channels) || channelRowEmpty(d.Channels[i]) {
				t.Fatalf("channel from row %d, which is empty or missing", i)
			}
		}
		err := mergeListingErrors(errs, l.Validate(), rows)
		if err == nil {
			for _, c := range l.Channels {
				if (c.Type == directory.ChannelVoice || c.Type == directory.ChannelText) && c.Number != "" && !directory.ValidStoredNumber(c.Number) {
					t.Fatalf("accepted number %q", c.Number)
				}
			}
			if !directory.ValidSlug(l.Slug) {
				t.Fatalf("accepted slug %q", l.Slug)
			}
			return
		}
		var e *directory.Error
		if !errors.As(err, &e) || e.Code != directory.EINVALID || len(e.Fields) == 0 {
			t.Fatalf("error %v is not a field error", err)
		}
		for k := range e.Fields {
			if i, _, ok := channelKey(k); ok && (i >= len(d.Channels) || channelRowEmpty(d.Channels[i])) {
				t.Fatalf("error %q points at row %d, which has nothing typed", k, i)
			}
		}
	})
}

func FuzzChannelKey(f *testing.F) {
	for _, s := range []string{"channels.0.number", "channels.39.url", "channels.40.url", "channels.-1.x", "channels..x", "channels.1", "name"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, k string) {
		i, field, ok := channelKey(k)
		if ok && (i < 0 || i >= maxChannels || field == "" || !strings.HasPrefix(k, "channels.")) {
			t.Fatalf("channelKey(%q) = %d %q", k, i, field)
		}
	})
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if ok, _ := VerifyPassword(h, "a long enough password"); !ok {
		t.Error("the right password does not verify")
	}
	if ok, _ := VerifyPassword(h, "a long enough passworD"); ok {
		t.Error("a wrong password verifies")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=1,t=1,p=1$!!$AAAA"} {
		if ok, err := VerifyPassword(bad, "x"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v", bad, ok, err)
		}
	}
	for pw, ok := range map[string]bool{"short": false, "password1234": false, "aaaaaaaaaaaaaaa": false, "Adaline is my name": false,
		"four unrelated words here": true} {
		if got := CheckPasswordStrength(pw, "adaline@example.org") == ""; got != ok {
			t.Errorf("CheckPasswordStrength(%q) ok = %v, want %v", pw, got, ok)
		}
	}
}

func TestFieldLabels(t *testing.T) {
	labels := map[string]string{"summary": "Summary", "source_url": "Source address"}
	for in, want := range map[string]string{
		"Summary":           "Summary",
		"SourceURL":         "Source address",
		"Channels.1.Number": "Way 2, number",
		"LastVerified":      "last verified",
		"Terms.0":           "Filter 1",
	} {
		if got := fieldLabel(in, labels); got != want {
			t.Errorf("fieldLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
