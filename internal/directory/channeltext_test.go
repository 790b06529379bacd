package directory

import (
	"strings"
	"testing"
)

func TestLabelProblem(t *testing.T) {
	text := Channel{Type: ChannelText, Number: "233744", Keyword: "HOPE"}
	voice := Channel{Type: ChannelVoice, Number: "+18883737888"}
	web := Channel{Type: ChannelWeb, URL: "https://example.org"}
	for _, tt := range []struct {
		c     Channel
		label string
		bad   bool
		names bool
	}{
		{text, "Tips from the public", false, false},
		{text, "", false, false},
		{text, "Text BEFREE to 233733", true, true},             // the bug: old number and keyword
		{text, "Text HOPE to 233733", true, true},               // old number
		{text, "Text BEFREE to 233744", true, true},             // old keyword
		{text, "Text hope to 233744", false, true},              // its own, any case
		{text, "Envíe BEFREE por mensaje de texto", true, true}, // Spanish, old keyword
		{text, "Envíe HOPE al 233 744", false, true},
		{text, "Open 24/7", false, false},
		{voice, "Call 1-888-373-7888", false, true},
		{voice, "Call (888) 373-7888", false, true},
		{voice, "Call 1-888-373-7889", true, true},
		{voice, "Llame al 911", true, true},
		{voice, "Call (in the U.S.)", false, false},
		{voice, "Llame (en EE. UU.)", false, false},
		{web, "Find your local FBI office", false, false},
		{web, "Form I-914", false, false},
		{web, "Or call 1-888-373-7888", true, true},
	} {
		msg := tt.c.LabelProblem(tt.label)
		if (msg != "") != tt.bad {
			t.Errorf("%s line, label %q: problem %q, want one: %v", tt.c.Type, tt.label, msg, tt.bad)
		}
		if got := tt.c.LabelNamesLine(tt.label); got != tt.names {
			t.Errorf("%s line, label %q: LabelNamesLine = %v, want %v", tt.c.Type, tt.label, got, tt.names)
		}
	}
}

func TestValidateRefusesALabelThatContradictsTheLine(t *testing.T) {
	l := Listing{Kind: KindHotline, Name: "Hotline", Slug: "hotline", Channels: []Channel{
		{Type: ChannelText, Number: "233744", Keyword: "HOPE", Label: "Text BEFREE to 233733"}}}
	err := l.Validate()
	var e *Error
	if err == nil || !asError(err, &e) || !strings.Contains(e.Fields["channels.0.label"], "233733") {
		t.Fatalf("Validate = %v, want a message on channels.0.label naming 233733", err)
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func FuzzLabelProblem(f *testing.F) {
	for _, s := range []string{"Text BEFREE to 233733", "Llame al 911", "(907) 786-8900", "+1 802 872 6199", "24/7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, label string) {
		c := Channel{Type: ChannelText, Number: "233733", Keyword: "BEFREE"}
		if c.LabelProblem(label) != "" && !c.LabelNamesLine(label) {
			t.Errorf("label %q refused but not seen as naming the line", label)
		}
	})
}
