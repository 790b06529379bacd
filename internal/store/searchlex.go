package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/spanish"
	"golang.org/x/text/unicode/norm"
)

// lexicon is what a search knows of the words in the index and of the words visitors use
// for them: every word of search_fts with how many documents hold it, the words grouped by
// their English and Spanish stems (Snowball), by first letter (for typos), and staff's
// synonyms. It is built from the database when a search finds the content changed (the
// store's generation moved), and shared by every search until then.
type lexicon struct {
	generation uint64
	docs       map[string]int      // word → documents that hold it
	words      []string            // every word, sorted
	stems      map[string][]string // language + ":" + stem → the words with that stem
	byFirst    map[rune][]string   // first letter → words, for typos
	synonyms   map[string]map[string][]string
	maxSynLen  int   // most words in a synonym's phrase
	hotlineID  int64 // the hotline every page shows
	total      int   // documents in the index
}

// lexiconCache holds the newest lexicon; building one is serialised so that a crowd of
// searches after an edit builds it once.
type lexiconCache struct {
	mu       sync.Mutex
	lex      *lexicon
	building bool // a build runs in the background
}

// bigLexicon is how many documents the index must hold before searches stop waiting for a
// new lexicon: past it, a search after an edit uses the lexicon it has while a new one is
// built in the background. A working group's directory (hundreds of documents) builds in a
// few milliseconds and always waits; 100,000 listings take most of a second. A word
// written since (a new name) is still found as typed (see freshWord); only its other forms,
// corrections and new synonyms wait for the build. (By size, not by the time the last build
// took: on a busy machine a small build can be slow, and staff's new synonym must work at
// once.)
const bigLexicon = 20_000

// searchLexicon returns the lexicon of the store's current content, or of a recent one
// while a slow build runs.
func (s *Store) searchLexicon(ctx context.Context) (*lexicon, error) {
	gen := s.Generation()
	c := &s.lex
	c.mu.Lock()
	if c.lex != nil && (c.lex.generation == gen || c.building) {
		lex := c.lex
		c.mu.Unlock()
		return lex, nil
	}
	if c.lex != nil && c.lex.total > bigLexicon {
		c.building = true
		stale := c.lex
		c.mu.Unlock()
		// #nosec G118 -- the build outlives the search that started it, on purpose: the
		// search goes on with the lexicon it has.
		go func() {
			lex, err := s.buildLexicon(context.Background(), gen)
			c.mu.Lock()
			defer c.mu.Unlock()
			c.building = false
			if err != nil {
				s.log.Warn("building the search lexicon", "err", err)
				return
			}
			c.lex = lex
		}()
		return stale, nil
	}
	defer c.mu.Unlock()
	lex, err := s.buildLexicon(ctx, gen)
	if err != nil {
		return nil, err
	}
	c.lex = lex
	return lex, nil
}

func (s *Store) buildLexicon(ctx context.Context, gen uint64) (*lexicon, error) {
	lex := &lexicon{generation: gen, docs: map[string]int{}, stems: map[string][]string{},
		byFirst: map[rune][]string{}, synonyms: map[string]map[string][]string{}}
	rows, err := s.reader().QueryContext(ctx, `SELECT term, doc FROM search_vocab`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			_ = rows.Close()
			return nil, err
		}
		lex.docs[w] = n
		lex.words = append(lex.words, w)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	sort.Strings(lex.words)
	for _, w := range lex.words {
		if !isWordToken(w) {
			continue
		}
		for _, lang := range stemLangs {
			k := lang + ":" + stem(lang, w)
			lex.stems[k] = append(lex.stems[k], w)
		}
		r, _ := utf8.DecodeRuneInString(w)
		lex.byFirst[r] = append(lex.byFirst[r], w)
	}

	syn, err := s.reader().QueryContext(ctx, `SELECT lang, words, means FROM search_synonyms`)
	if err != nil {
		return nil, err
	}
	for syn.Next() {
		var lang, words, means string
		if err := syn.Scan(&lang, &words, &means); err != nil {
			_ = syn.Close()
			return nil, err
		}
		folded := foldWords(words)
		if len(folded) == 0 {
			continue
		}
		key := stemKey(lang, folded)
		if lex.synonyms[lang] == nil {
			lex.synonyms[lang] = map[string][]string{}
		}
		for _, m := range strings.Split(means, ",") {
			if alt := strings.Join(foldWords(m), " "); alt != "" && !slices.Contains(lex.synonyms[lang][key], alt) {
				lex.synonyms[lang][key] = append(lex.synonyms[lang][key], alt)
			}
		}
		lex.maxSynLen = max(lex.maxSynLen, len(folded))
	}
	if err := closeRows(syn); err != nil {
		return nil, err
	}

	err = s.reader().QueryRowContext(ctx, `SELECT coalesce((SELECT l.id FROM listings l JOIN settings st
		ON st.key = ? AND l.kind = 'hotline' AND l.slug = st.value), 0), (SELECT count(*) FROM search_docs)`,
		SettingPrimaryHotline).Scan(&lex.hotlineID, &lex.total)
	return lex, err
}

// stemLangs are the languages with a stemmer; a search stems in its own language and, for
// the English text that stands in for what is not translated yet, in English.
var stemLangs = []string{"en", "es"}

func stem(lang, w string) string {
	if lang == "es" {
		return spanish.Stem(w, true)
	}
	return english.Stem(w, true)
}

// isWordToken reports whether w has a letter (numbers and codes are neither stemmed nor
// corrected).
func isWordToken(w string) bool {
	return strings.IndexFunc(w, unicode.IsLetter) >= 0 && strings.IndexFunc(w, unicode.IsDigit) < 0
}

// fold returns a word as the index's tokenizer stores it: lower case, accents removed.
func fold(w string) string {
	if f, ok := foldToken(w); ok {
		return f
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldWords splits text into folded words, as QueryTokens does.
func foldWords(text string) []string {
	var out []string
	for _, t := range QueryTokens(text) {
		out = append(out, fold(t))
	}
	return out
}

// variants returns the words of the index that mean w in form: w itself if indexed, and the
// words with its stem in the search's language and in English.
func (lex *lexicon) variants(lang, w string) []string {
	var out []string
	if lex.docs[w] > 0 {
		out = append(out, w)
	}
	if !isWordToken(w) {
		return out
	}
	for _, sl := range []string{lang, "en"} {
		for _, v := range lex.stems[sl+":"+stem(sl, w)] {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	// The commonest forms first, and not too many: each is one more list for FTS5 to read.
	if len(out) > maxVariants {
		slices.SortStableFunc(out[1:], func(a, b string) int { return lex.docs[b] - lex.docs[a] })
		out = out[:maxVariants]
	}
	return out
}

// maxVariants bounds the forms of one word a search asks for.
const maxVariants = 8

// correct returns the indexed word closest to w in spelling (one edit for short words, two
// for longer ones, a swap of two letters counting as one), the commonest of the closest,
// or "" when none is that close. Only words of 4 letters or more are corrected: shorter ones
// are too close to too many words.
func (lex *lexicon) correct(w string) string {
	n := utf8.RuneCountInString(w)
	if n < 4 || !isWordToken(w) {
		return ""
	}
	maxDist := 1
	if n >= 8 {
		maxDist = 2
	}
	first, _ := utf8.DecodeRuneInString(w)
	best, bestDist, bestDocs := "", maxDist+1, 0
	rw := []rune(w)
	for _, c := range lex.byFirst[first] {
		cn := utf8.RuneCountInString(c)
		if cn < n-maxDist || cn > n+maxDist || c == w {
			continue
		}
		d := editDistance(rw, []rune(c), maxDist)
		if d < bestDist || d == bestDist && lex.docs[c] > bestDocs {
			best, bestDist, bestDocs = c, d, lex.docs[c]
		}
	}
	if bestDist > maxDist {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b (insertions, deletions,
// substitutions and swaps of neighbours), or limit+1 once it must exceed limit.
func editDistance(a, b []rune, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// withPrefix returns up to limit+1 indexed words that begin with p.
func (lex *lexicon) withPrefix(p string, limit int) []string {
	i := sort.SearchStrings(lex.words, p)
	var out []string
	for ; i < len(lex.words) && strings.HasPrefix(lex.words[i], p) && len(out) <= limit; i++ {
		out = append(out, lex.words[i])
	}
	return out
}
