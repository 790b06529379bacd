package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
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

// --- restoring translations (issue 13) ---
//
// A translation's revisions record the English each field was made from (revisions.source,
// 00210). Restoring an English version brings back, field by field, the translation made
// from the English restored; a field with none stays as it is, and is then stale (made
// from other English), so the public page shows the English, marked, never a translation
// of another number. Restoring a translation's version brings its sources back with it, so
// a translation of English that has since changed is restored flagged, not shown as current.

// TextRef names a translated field: of the entry itself (Way 0), or of its line number Way
// (a listing's channels; 1 first).
type TextRef struct {
	Field string
	Way   int
}

// LangRestore is what restoring an English version did to one language: the fields brought
// back as translated from the English restored, and those left stale (no translation of
// that English exists), which staff see as "English changed".
type LangRestore struct {
	Lang     string
	Restored []TextRef
	Stale    []TextRef
}

// Restored says what RestoreVersion did.
type Restored struct {
	Rev *Revision
	// Entity and EntityID name the entry whose screens show the revision: a line's
	// translation belongs to its listing.
	Entity   string
	EntityID int64
	// Langs: for an English version, each language whose translation the restore changed or
	// left stale, in tag order.
	Langs []LangRestore
	// Stale: for a translation's version, the fields restored that were made from English
	// that has changed since; they are flagged "English changed".
	Stale []TextRef
}

// trRow is one stored translation with what it was made from (source.Valid: known).
type trRow struct {
	value  string
	source sql.NullString
	review bool
}

func currentTranslations(ctx context.Context, q queryer, entity string, id int64, lang string) (map[string]trRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT field, value, source, needs_review FROM translations
		WHERE entity = ? AND entity_id = ? AND lang = ?`, entity, id, lang)
	if err != nil {
		return nil, err
	}
	out := map[string]trRow{}
	for rows.Next() {
		var f string
		var r trRow
		if err := rows.Scan(&f, &r.value, &r.source, &r.review); err != nil {
			_ = rows.Close()
			return nil, err
		}
		out[f] = r
	}
	return out, closeRows(rows)
}

// trRevision is one revision of a translation: its text and the English each field was
// made from (nil: not known).
type trRevision struct {
	id     int64
	values map[string]string
	source map[string]string
}

// translationRevisions returns the revisions of entity id in lang, newest first. A revision
// written before sources were recorded is taken as made from the English of that time.
func translationRevisions(ctx context.Context, q queryer, entity string, id int64, lang string) ([]trRevision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, data, source FROM revisions
		WHERE entity = ? AND entity_id = ? AND lang = ? ORDER BY id DESC`, entity, id, lang)
	if err != nil {
		return nil, err
	}
	var out []trRevision
	for rows.Next() {
		var r trRevision
		var data string
		var src sql.NullString
		if err := rows.Scan(&r.id, &data, &src); err != nil {
			_ = rows.Close()
			return nil, err
		}
		if json.Unmarshal([]byte(data), &r.values) != nil {
			continue // not a translation's snapshot: nothing to restore from
		}
		if src.Valid {
			_ = json.Unmarshal([]byte(src.String), &r.source)
		}
		out = append(out, r)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].source == nil {
			if out[i].source, err = englishAt(ctx, q, entity, id, out[i].id); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// englishAt returns the English of entity id as its last English revision before revID
// held it (for a line, its listing's): what a translation saved at revID was made from.
// It returns nil when there is none.
func englishAt(ctx context.Context, q queryer, entity string, id int64, revID int64) (map[string]string, error) {
	owner, ownerID := entity, id
	if entity == "channels" {
		err := q.QueryRowContext(ctx, `SELECT listing_id FROM channels WHERE id = ?`, id).Scan(&ownerID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		owner = "listings"
	}
	e := entities[owner]
	if e == nil {
		return nil, nil
	}
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM revisions WHERE entity = ? AND entity_id = ? AND lang = ? AND id < ?
		ORDER BY id DESC LIMIT 1`, owner, ownerID, DefaultLang, revID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	t, err := e.textsOf([]byte(data))
	if err != nil {
		return nil, nil // a snapshot of another shape: not known
	}
	if entity != "channels" {
		return t.fields, nil
	}
	for _, c := range t.channels {
		if c.id == id {
			return c.fields, nil
		}
	}
	return nil, nil
}

// liveEnglish returns the English of entity id (or of a line) as stored now, and the line's
// place (0 for an entry).
func liveEnglish(ctx context.Context, q queryer, entity string, id int64) (map[string]string, int, error) {
	if entity == "channels" {
		var label, hours string
		err := q.QueryRowContext(ctx, `SELECT label, hours FROM channels WHERE id = ?`, id).Scan(&label, &hours)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, notFound("Line")
		} else if err != nil {
			return nil, 0, err
		}
		var way int // the line's place: 1 first, as the form numbers them
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM channels c, channels me WHERE me.id = ? AND c.listing_id = me.listing_id
			AND (c.position < me.position OR (c.position = me.position AND c.id <= me.id))`, id).Scan(&way); err != nil {
			return nil, 0, err
		}
		return map[string]string{"label": label, "hours": hours}, way, nil
	}
	e := entities[entity]
	if e == nil {
		return nil, 0, directory.Errorf(directory.EINVALID, "Unknown kind of entry %q.", entity)
	}
	t, err := e.texts(ctx, q, id)
	return t.fields, 0, err
}

// putTranslations writes fields of entity id in lang (an empty value removes one), each
// with the English it was made from (sources; a field missing from it has none when its
// text changed, and keeps its own otherwise), then a
// revision of the language's text with action. It runs inside tx.
func (s *Store) putTranslations(ctx context.Context, tx *sql.Tx, entity string, id int64, lang string, fields, sources map[string]string,
	review bool, action string, by Actor) error {
	now := s.Now().Format(timeFormat)
	for field, value := range fields {
		if value == "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM translations WHERE entity = ? AND entity_id = ? AND lang = ? AND field = ?`,
				entity, id, lang, field); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO translations (entity, entity_id, field, lang, value, needs_review, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (entity, entity_id, lang, field) DO UPDATE SET value = excluded.value,
				needs_review = excluded.needs_review, updated_at = excluded.updated_at`,
			entity, id, field, lang, value, review, now); err != nil {
			return err
		}
		// The source after the text: the translations_source_unknown trigger clears it
		// when the text changes.
		// A field missing from sources keeps the one it has while its text stays the same.
		if src, ok := sources[field]; ok {
			if _, err := tx.ExecContext(ctx, `UPDATE translations SET source = ? WHERE entity = ? AND entity_id = ? AND lang = ? AND field = ?`,
				src, entity, id, lang, field); err != nil {
				return err
			}
		}
	}
	if e := entities[entity]; e != nil {
		if err := e.touch(ctx, tx, entity, id, now); err != nil {
			return err
		}
	}
	return writeTranslationRevision(ctx, tx, now, entity, id, lang, action, by)
}

// writeTranslationRevision writes entity id's whole text in lang as a revision, with the
// English each field was made from.
func writeTranslationRevision(ctx context.Context, tx *sql.Tx, now string, entity string, id int64, lang, action string, by Actor) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revisions WHERE entity = ? AND entity_id = ? AND lang = ?`, entity, id, lang).Scan(&n); err != nil {
		return err
	}
	cur, err := currentTranslations(ctx, tx, entity, id, lang)
	if err != nil {
		return err
	}
	all, sources := map[string]string{}, map[string]string{}
	for f, r := range cur {
		all[f] = r.value
		if r.source.Valid {
			sources[f] = r.source.String
		}
	}
	if err := writeRevision(ctx, tx, now, entity, id, lang, n+1, action, all, by); err != nil {
		return err
	}
	b, err := json.Marshal(sources)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE revisions SET source = ? WHERE id = last_insert_rowid()`, string(b))
	return err
}

// realignTranslation makes the translation of one entry (or line) in lang fit its English
// after a restore (after; before: the English until then). Each field whose translation was
// not made from after takes the newest translation that was; one with none is left stale
// (a translation whose English was not known is taken as made from before, so it is
// flagged too). It writes a revision when anything changed.
func (s *Store) realignTranslation(ctx context.Context, tx *sql.Tx, entity string, id int64, lang string, before, after map[string]string,
	way int, by Actor) (restored, stale []TextRef, err error) {
	cur, err := currentTranslations(ctx, tx, entity, id, lang)
	if err != nil {
		return nil, nil, err
	}
	review := false
	for _, r := range cur {
		review = review || r.review
	}
	var revs []trRevision
	loaded := false
	fields, sources := map[string]string{}, map[string]string{}
	for _, f := range sortedKeys(after) {
		en := after[f]
		c, has := cur[f]
		has = has && c.value != ""
		if en == "" || (has && c.source.Valid && c.source.String == en) {
			continue // nothing to translate, or the translation fits
		}
		if !loaded {
			if revs, err = translationRevisions(ctx, tx, entity, id, lang); err != nil {
				return nil, nil, err
			}
			loaded = true
		}
		found := false
		for _, r := range revs {
			if v := r.values[f]; v != "" && r.source != nil && r.source[f] == en {
				fields[f], sources[f] = v, en
				restored, found = append(restored, TextRef{Field: f, Way: way}), true
				break
			}
		}
		if found || !has {
			continue
		}
		if !c.source.Valid {
			if before[f] == en {
				continue // English not changed by the restore, translation's source not known
			}
			fields[f], sources[f] = c.value, before[f]
		}
		stale = append(stale, TextRef{Field: f, Way: way})
	}
	if len(fields) == 0 {
		return restored, stale, nil
	}
	return restored, stale, s.putTranslations(ctx, tx, entity, id, lang, fields, sources, review, ActionRestore, by)
}

// translatedLangs returns the languages entity id has a translation or a translation's
// revision in, in tag order.
func translatedLangs(ctx context.Context, q queryer, entity string, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT lang FROM translations WHERE entity = ? AND entity_id = ? AND lang <> ?
		UNION SELECT lang FROM revisions WHERE entity = ? AND entity_id = ? AND lang <> ? ORDER BY 1`,
		entity, id, DefaultLang, entity, id, DefaultLang)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			_ = rows.Close()
			return nil, err
		}
		out = append(out, l)
	}
	return out, closeRows(rows)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
