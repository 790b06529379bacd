package directory

import (
	"strings"
	"unicode"

	"signpost/internal/phone"
)

// A line's number and keyword live in their own fields; what the public reads is built from
// them. A label only adds a purpose ("Tips from the public"), so it can never contradict the
// number: a label (or its translation) that names another number or keyword is refused.

// LabelProblem returns why label cannot be this channel's label, or "" when it can: it names
// a number or a keyword that is not the line's own. The label may be a translation.
func (c Channel) LabelProblem(label string) string {
	for _, n := range phone.NumbersIn(label) {
		switch {
		case c.Type == ChannelVoice || c.Type == ChannelText:
			if n != c.Number {
				return "This text says " + phone.Display(n) + ", but the line's number is " + orNone(phone.Display(c.Number)) +
					". Leave numbers out of the label: the page shows the number from its own field."
			}
		case len(n) >= 7:
			return "This text holds a phone number (" + phone.Display(n) + "). Add it as its own call or text line instead."
		}
	}
	for _, k := range keywordsIn(c.Type, label) {
		if !strings.EqualFold(k, c.Keyword) {
			return "This text says to send " + k + ", but the line's keyword is " + orNone(c.Keyword) +
				". Leave the keyword out of the label: the page shows it from its own field."
		}
	}
	return ""
}

// LabelNamesLine reports whether label repeats a number or a keyword. The public page then
// shows the plain "Call" or "Text" in its place, so an old label can never say a number
// the fields no longer hold.
func (c Channel) LabelNamesLine(label string) bool {
	for _, n := range phone.NumbersIn(label) {
		if c.Type == ChannelVoice || c.Type == ChannelText || len(n) >= 7 {
			return true
		}
	}
	return len(keywordsIn(c.Type, label)) > 0
}

// Purpose is the label the public reads: c.Label, or "" when it repeats a number or a
// keyword (the page then says the plain "Call" or "Text"). Every public rendering (the page,
// its structured data) uses it, so they say the same.
func (c Channel) Purpose() string {
	if c.LabelNamesLine(c.Label) {
		return ""
	}
	return c.Label
}

func orNone(s string) string {
	if s == "" {
		return "empty"
	}
	return s
}

// sendVerbs are the words that come before a keyword to send ("Text BEFREE to 233733",
// "Envíe BEFREE al 233733").
var sendVerbs = map[string]bool{"text": true, "txt": true, "send": true, "sms": true,
	"envíe": true, "envie": true, "mande": true, "escriba": true, "texto": true}

// keywordLinks are the words that come after one ("… to 233733", "… al 233733").
var keywordLinks = map[string]bool{"to": true, "al": true, "a": true, "por": true}

// keywordsIn returns the words label asks people to send: the word after "Text" or
// "Envíe" when it is in capitals or followed by "to"/"al", and on text lines any word of
// four or more capitals ("HOPE").
func keywordsIn(t ChannelType, label string) []string {
	words := strings.FieldsFunc(label, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var out []string
	for i, w := range words {
		caps := allCaps(w)
		after := i > 0 && sendVerbs[strings.ToLower(words[i-1])]
		linked := i+1 < len(words) && keywordLinks[strings.ToLower(words[i+1])]
		switch {
		case after && (caps || linked) && !keywordLinks[strings.ToLower(w)]:
			out = append(out, w)
		case t == ChannelText && caps && len([]rune(w)) >= 4:
			out = append(out, w)
		}
	}
	return out
}

// allCaps reports whether w is a word of two or more letters, all capitals.
func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2
}
