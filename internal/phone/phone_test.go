package phone

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1-888-373-7888", "+18883737888"},
		{"(907) 786-8900", "+19077868900"},
		{"1-800-THE-LOST", "+18008435678"},
		{"1-866-4USWAGE", "+18664879243"},
		{"800.799.7233", "+18007997233"},
		{"+1 802 872 6199", "+18028726199"},
		{"911", "911"},
		{"233733", "233733"},
	} {
		got, err := Parse(tt.in, "")
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "hello", "123-45", "+1 000 000 0000", "99999999999999999999"} {
		if got, err := Parse(bad, ""); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", bad, got)
		}
	}
}

func TestDisplay(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"+18883737888", "1-888-373-7888"},
		{"+19077868900", "(907) 786-8900"},
		{"911", "911"},
		{"+442079460000", "+44 20 7946 0000"},
	} {
		if got := Display(tt.in); got != tt.want {
			t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLinks(t *testing.T) {
	if got, want := TelURI("+18883737888"), "tel:+18883737888"; got != want {
		t.Errorf("TelURI = %q, want %q", got, want)
	}
	if got, want := SMSURI("233733", "BEFREE"), "sms:233733?&body=BEFREE"; got != want {
		t.Errorf("SMSURI = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1-888-373-7888", "911", "(907) 786-8900", "+1 802 872 6199", "1-800-THE-LOST", "\x00", "++1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, "")
		if err != nil {
			return
		}
		// A parsed number parses again to itself, and always displays as something.
		again, err := Parse(got, "")
		if err != nil || again != got {
			t.Fatalf("Parse(%q) = %q, reparsed as %q, %v", s, got, again, err)
		}
		if Display(got) == "" {
			t.Fatalf("Display(%q) is empty", got)
		}
	})
}

func TestNumbersIn(t *testing.T) {
	for _, tt := range []struct {
		text string
		want string
	}{
		{"Text BEFREE to 233733", "233733"},
		{"Call 1-888-373-7888 or (907) 786-8900", "+18883737888 +19077868900"},
		{"Llame al 911", "911"},
		{"Call +1 802 872 6199", "+18028726199"},
		{"Open 24/7, 9-5", ""},
		{"from 0800 (8am) until 1800 (6pm)", ""},
		{"Since 2024", ""},
		{"Form I-914, 24h", ""},
		{"Short code 7233", "7233"},
	} {
		if got := strings.Join(NumbersIn(tt.text), " "); got != tt.want {
			t.Errorf("NumbersIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzNumbersIn(f *testing.F) {
	for _, s := range []string{"Text BEFREE to 233733", "(907) 786-8900", "I-914", "0800", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range NumbersIn(text) {
			if n == "" {
				t.Errorf("NumbersIn(%q) holds an empty number", text)
			}
		}
	})
}
