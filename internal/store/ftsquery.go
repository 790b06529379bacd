package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a search reads of the text typed: enough for any real question, small
// enough that a pasted book or a hostile request costs nothing.
const (
	MaxQueryBytes  = 1000 // bytes of the raw text looked at
	MaxQueryTokens = 12   // words kept
	MaxTokenRunes  = 40   // letters kept of each word
)

// QueryTokens splits what a visitor typed into the words a search looks for: runs of
// letters and digits, everything else (punctuation, FTS5 syntax, control characters, invalid
// UTF-8) a separator. It keeps at most MaxQueryTokens words of at most MaxTokenRunes letters.
func QueryTokens(text string) []string {
	if len(text) > MaxQueryBytes {
		text = text[:MaxQueryBytes]
	}
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
	}
	for i := 0; i < len(text) && len(out) < MaxQueryTokens; {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		// Letters and numbers are words, as for FTS5's unicode61 tokenizer. Private-use
		// characters are not: the snippet markers are private-use characters.
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if n < MaxTokenRunes {
				b.WriteRune(r)
				n++
			}
			continue
		}
		flush()
	}
	if len(out) < MaxQueryTokens {
		flush()
	}
	return out
}

// MatchExpression turns what a visitor typed into a safe FTS5 MATCH expression: every word
// quoted as a string (so AND, NEAR, *, ^, column filters and quotes are only ever text), and
// the last word marked as a prefix, so results come as the word is typed ("immig" finds
// "immigration"). Words must all match (implicit AND). Only the last word is a prefix: each
// prefix makes FTS5 merge the lists of every word it begins, and whole words before it are
// what was meant. It returns "" when nothing searchable was typed.
func MatchExpression(text string) string {
	tokens := QueryTokens(text)
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Tokens hold only letters and digits, so there is no quote to double; doubling them
		// anyway keeps the expression safe if QueryTokens ever changes.
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteByte('*')
	return b.String()
}
