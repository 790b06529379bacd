package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
func MatchExpression(text string) string { return matchTokens(QueryTokens(text)) }

// matchTokens is MatchExpression of the words already split.
func matchTokens(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteFTS(t))
	}
	b.WriteByte('*')
	return b.String()
}

// quoteFTS quotes one word as an FTS5 string. Tokens hold only letters and digits, so there
// is no quote to double; doubling them anyway keeps the expression safe if QueryTokens ever
// changes.
func quoteFTS(t string) string {
	return `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
}

// prefixIndexed is the longest prefix search_fts has its own index for (prefix = '2 3 4'):
// up to it, a prefix query reads one list.
const prefixIndexed = 4

// spellOutDocs is how many documents the words a prefix begins must be in, together, before
// the prefix is spelled out as those words (a variable for tests).
//
// Why spell it out: FTS5 answers a prefix with no index of its own by merging the lists of
// every word it begins into a new list, for the match and again for bm25; at 100,000
// listings, "legal" cost 3 ms more than the words it stands for. Spelled out, bm25 weighs
// each word by how rare it is on its own, where the prefix weighs them as one: a rare word
// the prefix begins ("hotlinemain", from a web address) lifts the few entries that have it.
// Below spellOutDocs the merge costs little, so a directory of a working group's size keeps
// the prefix's own ranking. See lexicon.phraseExpr.
var spellOutDocs = 2000

// foldToken returns a typed word as search_fts's tokenizer (unicode61, remove_diacritics 2)
// stores it, lower case with accents removed, when that is certain: for words of ASCII
// letters and digits and of Latin letters with accents (U+00C0 to U+024F) that decompose to
// an ASCII letter and combining marks ("Inmigración" → "inmigracion"). For any other word
// it returns false, and the search keeps FTS5's own prefix query.
func foldToken(t string) (string, bool) {
	var b strings.Builder
	for _, r := range t {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case r >= 0xC0 && r <= 0x24F:
			base := ""
			for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
				if 'a' <= d && d <= 'z' {
					base += string(d)
				} else if !unicode.Is(unicode.Mn, d) {
					return "", false
				}
			}
			if len(base) != 1 {
				return "", false
			}
			b.WriteString(base)
		default:
			return "", false
		}
	}
	return b.String(), true
}
