package store

import (
	"context"
	"database/sql"
	"strings"

	"signpost/internal/directory"
)

// DefaultLang is the language entries are written in; their own rows hold it, and
// translations hold every other language.
const DefaultLang = "en"

// translationSet maps an entry id to its translated fields.
type translationSet map[int64]map[string]trText

// trText is one stored translation and the English it was made from (source; unknown when
// !known, and then never taken as stale).
type trText struct {
	value  string
	source string
	known  bool
}

// stale reports whether the English moved on since the translation was made from it.
func (x trText) stale(english string) bool {
	return x.known && x.source != english
}

// loadTranslations returns the translations of entity's ids into lang. It returns nil for
// the default language.
func loadTranslations(ctx context.Context, q queryer, entity, lang string, ids []int64) (translationSet, error) {
	if lang == DefaultLang || lang == "" || len(ids) == 0 {
		return nil, nil
	}
	out := translationSet{}
	for chunk := range chunks(ids, 500) {
		args := []any{entity, lang}
		for _, id := range chunk {
			args = append(args, id)
		}
		err := eachRow(ctx, q, func(sc scanner) error {
			var id int64
			var field, value string
			var source sql.NullString
			if err := sc.Scan(&id, &field, &value, &source); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[string]trText{}
			}
			out[id][field] = trText{value: value, source: source.String, known: source.Valid}
			return nil
		}, `SELECT entity_id, field, value, source FROM translations
			WHERE entity = ? AND lang = ? AND entity_id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// translator applies one entry's translations to its fields, noting each field that has
// English text but no translation, so the page can mark it lang="en". A translation made
// from English that has since changed counts as none: the page shows the current English
// rather than an old number, hours or address.
type translator struct {
	lang         string
	fields       map[string]trText
	untranslated map[string]bool
	keepStale    string // a field whose translation shows even when its English changed
}

func (ts translationSet) for_(lang string, id int64) *translator {
	return &translator{lang: lang, fields: ts[id]}
}

// apply replaces *dst with the translation of field, if there is one.
func (t *translator) apply(field string, dst *string) {
	if t.lang == DefaultLang || t.lang == "" || *dst == "" {
		return
	}
	if v := t.fields[field]; strings.TrimSpace(v.value) != "" && (field == t.keepStale || !v.stale(*dst)) {
		*dst = v.value
		return
	}
	if t.untranslated == nil {
		t.untranslated = map[string]bool{}
	}
	t.untranslated[field] = true
}

// applyAll applies the translation of each of fields.
func (t *translator) applyAll(fields []directory.TextField) {
	for _, f := range fields {
		t.apply(f.Name, f.Text)
	}
}

// TranslationSources returns, for each translated field of entity id in lang whose English
// is known, the English it was made from. Compare with the current English to see which
// are stale.
func (s *Store) TranslationSources(ctx context.Context, entity string, id int64, lang string) (map[string]string, error) {
	return queryPairs(ctx, s.reader(), `SELECT field, source FROM translations
		WHERE entity = ? AND entity_id = ? AND lang = ? AND source IS NOT NULL`, entity, id, lang)
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// chunks yields ids in slices of at most n, keeping IN lists under SQLite's variable limit.
func chunks(ids []int64, n int) func(func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}
