package store

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/spanish"
)

// searchPlan is what a search asks FTS5 for, from the words a visitor typed: one group per
// word or synonym phrase that can match (a word no entry holds in any form is left out),
// each group the OR of the forms, synonyms and corrections of what was typed.
type searchPlan struct {
	groups    []string // FTS5 expressions, one per group
	corrected string   // what was searched for, when a typed word was corrected
	help      bool     // a help-seeking word was typed
	broad     bool     // every word searched for (as typed or corrected) is in half the documents or more
	exact     string   // the text typed, for "an exact name first"
}

// all is the plan's expression when every group must match; any, when one is enough.
func (p searchPlan) all() string { return strings.Join(p.groups, " AND ") }
func (p searchPlan) any() string { return strings.Join(p.groups, " OR ") }

// extraStopWords are words of a sentence that say nothing of what is looked for, beyond
// Snowball's lists ("I need help", "my boss doesn't pay me").
var extraStopWords = map[string]bool{"need": true, "want": true, "please": true, "cant": true,
	"doesn": true, "didn": true, "won": true, "im": true, "ive": true, "someone": true, "somebody": true,
	"necesito": true, "quiero": true, "alguien": true, "favor": true, "por": true}

func isStopWord(lang, w string) bool {
	if extraStopWords[w] || english.IsStopWord(w) {
		return true
	}
	return lang == "es" && spanish.IsStopWord(w)
}

// helpWords are the words of someone looking for help: for them the hotline every page
// shows comes first.
var helpWords = map[string]bool{"help": true, "hotline": true, "call": true, "text": true,
	"phone": true, "number": true, "ayuda": true, "ayudar": true, "linea": true, "llamar": true,
	"llame": true, "llamo": true, "telefono": true, "mensaje": true}

// maxPrefixWords bounds how many whole words a typed prefix is spelled out as.
const maxPrefixWords = 16

// planSearch turns what a visitor typed into a searchPlan for lang. Numbers are matched in
// any format ("(888) 373-7888" is 8883737888), codes with or without their hyphen ("H2B",
// "H-2B"); synonyms (staff's list, the search's language and English) are tried on phrases
// of up to lex.maxSynLen words, longest first; words of a sentence (my, the, need) are left
// out unless nothing else was typed; each word also matches its other forms (Snowball stems)
// and, when no entry holds any form of it, the closest indexed spelling. The last word is
// also a prefix, so results come as the word is typed.
func (s *Store) planSearch(ctx context.Context, text, lang string) (searchPlan, *lexicon, error) {
	var p searchPlan
	tokens := QueryTokens(text)
	if len(tokens) == 0 {
		return p, nil, nil
	}
	lex, err := s.searchLexicon(ctx)
	if err != nil {
		return p, nil, err
	}
	words := make([]string, len(tokens))
	for i, t := range tokens {
		words[i] = fold(t)
	}
	words = joinNumber(words)
	p.exact = strings.Join(words, " ")

	type group struct {
		words []string // as typed (folded)
		syns  []string // synonym phrases
	}
	var groups []group
	for i := 0; i < len(words); {
		n := 0
		var syns []string
		for l := min(lex.maxSynLen, len(words)-i); l >= 1 && n == 0; l-- {
			if alts := lex.synonymsOf(lang, words[i:i+l]); len(alts) > 0 {
				n, syns = l, alts
			}
		}
		if n == 0 {
			n = 1
		}
		groups = append(groups, group{words: words[i : i+n], syns: syns})
		i += n
	}
	// A sentence's little words go, unless they are all there is.
	var kept []group
	for _, g := range groups {
		if len(g.syns) > 0 || len(g.words) > 1 || !isStopWord(lang, g.words[0]) {
			kept = append(kept, g)
		}
	}
	if len(kept) == 0 {
		kept = groups
	}

	shown := append([]string(nil), words...)
	corrected := false
	searched, narrowed := 0, false // groups that can match; whether one of them narrows
	pos := 0
	for gi, g := range kept {
		for _, w := range g.words {
			p.help = p.help || helpWords[w]
		}
		last := gi == len(kept)-1 && g.words[len(g.words)-1] == words[len(words)-1]
		var alts []string
		word := "" // the one word searched for, as typed or corrected
		add := func(xs ...string) {
			for _, x := range xs {
				if !containsString(alts, x) {
					alts = append(alts, x)
				}
			}
		}
		if xs := lex.phraseAlts(lang, g.words, last); len(xs) > 0 {
			add(xs...)
			if len(g.words) == 1 {
				word = g.words[0]
			}
		} else if e, err := s.freshWord(ctx, g.words, last); err != nil {
			return p, nil, err
		} else if e != "" {
			add(e)
		} else if len(g.words) == 1 {
			if c := lex.correct(g.words[0]); c != "" {
				if xs := lex.phraseAlts(lang, []string{c}, false); len(xs) > 0 {
					add(xs...)
					word = c
					for j := pos; j < len(shown); j++ {
						if shown[j] == g.words[0] {
							shown[j], corrected = c, true
							break
						}
					}
				}
			}
		}
		own := len(alts)
		for _, syn := range g.syns {
			add(lex.phraseAlts(lang, strings.Fields(syn), false)...)
		}
		if own > 0 {
			alts = lex.dropCommon(alts)
			own = min(own, len(alts))
		}
		if own > 0 && len(alts) > own {
			// FTS5's bm25 sums over the phrases of the query: the word typed, listed twice,
			// weighs more than a synonym, so an entry that says what the visitor said comes
			// before one that only says the other word. (Once more only, and only the word
			// itself: each phrase listed is one more read of its list.)
			alts = append(alts, alts[0])
		}
		pos++
		if len(alts) > 0 {
			searched++
			// bm25 (signpost_rank) weighs a word by log((N-n+0.5)/(n+0.5)), floored just
			// above 0: nothing once n, the documents that hold it, is half the N documents
			// (every language's, as bm25 counts them) or more. A phrase, a word only found
			// in its other forms or written since the lexicon was built narrows the search.
			narrowed = narrowed || word == "" || 2*lex.docs[word] < lex.total
		}
		switch len(alts) {
		case 0:
			// nothing holds it, in any form: it cannot help find anything
		case 1:
			p.groups = append(p.groups, alts[0])
		default:
			p.groups = append(p.groups, "("+strings.Join(alts, " OR ")+")")
		}
	}
	if corrected {
		p.corrected = strings.Join(shown, " ")
	}
	p.broad = searched > 0 && !narrowed
	return p, lex, nil
}

// dropCommon leaves out of a group's alternatives (but the first: the word typed) the single
// words that are in so many documents that they say little and cost much: bm25 reads the
// whole list of every phrase of a query, and a word in a tenth of 100,000 documents costs
// more than the rest of the search. A directory of a working group's size (under
// commonMinDocs documents a word) never drops one.
func (lex *lexicon) dropCommon(alts []string) []string {
	if !dropCommonWords {
		return alts
	}
	limit := max(commonMinDocs, lex.total/10)
	out := alts[:1]
	for _, a := range alts[1:] {
		if w, ok := strings.CutPrefix(a, `"`); ok && strings.HasSuffix(w, `"`) && !strings.Contains(w, " ") {
			if lex.docs[strings.TrimSuffix(w, `"`)] > limit {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// commonMinDocs is the fewest documents a word must be in before dropCommon leaves it out.
const commonMinDocs = 2000

// dropCommonWords turns dropCommon on (a variable for benchmarks).
var dropCommonWords = true

// freshWord returns an expression for a one-word group that the lexicon does not know but
// the index holds: written since the lexicon was built, by another process or a raw SQL
// write the generation has not seen yet.
func (s *Store) freshWord(ctx context.Context, words []string, prefix bool) (string, error) {
	if len(words) != 1 {
		return "", nil
	}
	w := words[0]
	hi := w + "\x00"
	if prefix {
		hi = w + "\U0010FFFF"
	}
	var n int
	err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_vocab WHERE term >= ? AND term < ? LIMIT 1)`,
		w, hi).Scan(&n)
	switch {
	case err != nil || n == 0:
		return "", err
	case prefix:
		return quoteFTS(w) + "*", nil
	default:
		return quoteFTS(w), nil
	}
}

// synonymsOf returns staff's synonyms of the phrase words, in lang or else in English,
// compared by stem so that "lawyers" finds the synonyms of "lawyer".
func (lex *lexicon) synonymsOf(lang string, words []string) []string {
	for _, sl := range []string{lang, "en"} {
		if alts := lex.synonyms[sl][stemKey(sl, words)]; len(alts) > 0 {
			return alts
		}
		if sl == "en" {
			break
		}
	}
	return nil
}

func stemKey(lang string, words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = stem(lang, w)
	}
	return strings.Join(out, " ")
}

// phraseAlts returns FTS5 expressions that each match the phrase words: for one word, each
// of its indexed forms (and, if prefix, the words it begins); for several, one expression with every word in any of its forms.
// It returns nil if a word has no form in the index. The forms are listed once each: every
// phrase of an expression costs FTS5 a read of its whole list when ranking.
func (lex *lexicon) phraseAlts(lang string, words []string, prefix bool) []string {
	var parts [][]string
	for i, w := range words {
		var alts []string
		for _, f := range lex.variants(lang, w) {
			alts = append(alts, quoteFTS(f))
		}
		if prefix && i == len(words)-1 {
			// The prefix as FTS5's own, or spelled out as the words it begins when they are
			// few and common (see spellOutDocs), or when the word typed is a whole word
			// already: the prefix's own list would add a read of every form again.
			more := lex.withPrefix(w, maxPrefixWords)
			docs := 0
			for _, m := range more {
				docs += lex.docs[m]
			}
			whole := lex.docs[w] > 0 && len(more) <= maxPrefixWords
			switch {
			case len(more) == 0:
			case !whole && (utf8.RuneCountInString(w) <= prefixIndexed || len(more) > maxPrefixWords || docs <= spellOutDocs):
				alts = append(alts, quoteFTS(w)+"*")
			default:
				for _, m := range more {
					if q := quoteFTS(m); !containsString(alts, q) {
						alts = append(alts, q)
					}
				}
			}
		}
		if len(alts) == 0 {
			// A code typed without its hyphen: "h2b" is the phrase "h 2b".
			if split := splitLettersDigits(w); len(split) > 1 && lex.allIndexed(split) {
				alts = append(alts, quoteFTS(strings.Join(split, " ")))
			}
		}
		if len(alts) == 0 {
			return nil
		}
		parts = append(parts, alts)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	var and []string
	for _, alts := range parts {
		if len(alts) == 1 {
			and = append(and, alts[0])
		} else {
			and = append(and, "("+strings.Join(alts, " OR ")+")")
		}
	}
	return []string{"(" + strings.Join(and, " AND ") + ")"}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (lex *lexicon) allIndexed(words []string) bool {
	for _, w := range words {
		if lex.docs[w] == 0 {
			return false
		}
	}
	return true
}

// splitLettersDigits splits a word where letters meet digits: "h2b" → h, 2b (as the
// tokenizer splits "H-2B"; a digit run keeps the letters after it).
func splitLettersDigits(w string) []string {
	var out []string
	start := 0
	prevLetter := false
	for i, r := range w {
		letter := unicode.IsLetter(r)
		if i > 0 && prevLetter && !letter {
			out = append(out, w[start:i])
			start = i
		}
		prevLetter = letter
	}
	return append(out, w[start:])
}

// joinNumber makes a phone number typed in groups or with a country code one word, as the
// index holds it: "1 888 373 7888", "(888) 373-7888" and "18883737888" are 8883737888.
func joinNumber(words []string) []string {
	digits := ""
	for _, w := range words {
		for _, r := range w {
			if r < '0' || r > '9' {
				return words
			}
		}
		digits += w
	}
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) == 10 && utf8.RuneCountInString(digits) == 10 {
		return []string{digits}
	}
	return words
}
