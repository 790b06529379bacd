package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"signpost/internal/directory"
)

// DashItem is one entry the staff dashboard points at.
type DashItem struct {
	Entity string // table: listings, pages, stats, channels, settings…
	ID     int64
	Kind   directory.Kind // for listings
	Name   string
	Detail string // which fields, when, which language
	When   time.Time
}

// Dashboard is what needs staff attention.
type Dashboard struct {
	VerifyDays int
	Unverified []DashItem // published listings not verified within VerifyDays
	Drafts     []DashItem
	// Todo lists fields the sources left empty, for staff to fill in. Detail holds their
	// names, separated by spaces: a column ("website"), a setting ("contact_email"), or
	// "channel:" and the type of a way to reach a listing ("channel:email").
	Todo         []DashItem
	NeedsReview  map[string][]DashItem // Detail: field names; "stale:" before one whose English changed since
	Missing      map[string][]DashItem // per language: entries with English text but no translation
	OpenSuggests int
}

// staleSQL is true for a translation (t, joined to its entry) whose English changed since
// it was made: its source is known and differs from the entry's English now.
const staleSQL = `coalesce(t.source <> CASE
	WHEN t.entity = 'listings' THEN CASE t.field WHEN 'name' THEN l.name WHEN 'summary' THEN l.summary
		WHEN 'body' THEN l.body WHEN 'hours' THEN l.hours WHEN 'works_in' THEN l.works_in END
	WHEN t.entity = 'pages' THEN CASE t.field WHEN 'title' THEN p.title WHEN 'description' THEN p.description WHEN 'body' THEN p.body END
	WHEN t.entity = 'signs' AND t.field = 'text' THEN sg.text
	WHEN t.entity = 'industries' AND t.field = 'name' THEN i.name
	WHEN t.entity = 'situations' THEN CASE t.field WHEN 'title' THEN si.title WHEN 'detail' THEN si.detail END
	WHEN t.entity = 'stats' AND t.field = 'measure' THEN st.measure
	WHEN t.entity = 'terms' AND t.field = 'name' THEN tm.name
	WHEN t.entity = 'settings' THEN se.value END, 0)`

// scanDashItem reads a row of entity, id, kind, name, detail and time.
func scanDashItem(sc scanner) (it DashItem, err error) {
	var kind string
	var when sql.NullString
	err = sc.Scan(&it.Entity, &it.ID, &kind, &it.Name, &it.Detail, &when)
	it.Kind, it.When = directory.Kind(kind), parseTime(when)
	return it, err
}

// LoadDashboard gathers the dashboard for the given languages (other than English).
func (s *Store) LoadDashboard(ctx context.Context, langs []string) (*Dashboard, error) {
	st, err := s.SettingsForStaff(ctx)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{VerifyDays: st.VerifyDays, NeedsReview: map[string][]DashItem{}, Missing: map[string][]DashItem{}}
	cutoff := s.Now().AddDate(0, 0, -st.VerifyDays).Format(timeFormat)
	q := func(dst *[]DashItem, query string, args ...any) (err error) {
		*dst, err = queryAll(ctx, s.reader(), scanDashItem, query, args...)
		return err
	}
	if err := q(&d.Unverified, `SELECT 'listings', id, kind, name, '', last_verified FROM listings
		WHERE status = 'published' AND deleted_at IS NULL AND (last_verified IS NULL OR last_verified < ?)
		ORDER BY last_verified IS NOT NULL, last_verified, name LIMIT 500`, cutoff); err != nil {
		return nil, err
	}
	if err := q(&d.Drafts, `
		SELECT 'listings', id, kind, name, '', updated_at FROM listings WHERE status = 'draft' AND deleted_at IS NULL
		UNION ALL SELECT 'signs', id, '', text, '', updated_at FROM signs WHERE status = 'draft' AND deleted_at IS NULL
		UNION ALL SELECT 'industries', id, '', name, '', updated_at FROM industries WHERE status = 'draft' AND deleted_at IS NULL
		UNION ALL SELECT 'situations', id, '', title, '', updated_at FROM situations WHERE status = 'draft' AND deleted_at IS NULL
		UNION ALL SELECT 'stats', id, '', measure || ' ' || year, '', updated_at FROM stats WHERE status = 'draft' AND deleted_at IS NULL
		ORDER BY 6 DESC LIMIT 500`); err != nil {
		return nil, err
	}
	if err := q(&d.Todo, `
		SELECT 'listings', id, kind, name, todo, updated_at FROM listings WHERE todo <> '' AND deleted_at IS NULL
		UNION ALL SELECT 'listings', l.id, l.kind, l.name, 'channel:' || c.type, l.updated_at
			FROM channels c JOIN listings l ON l.id = c.listing_id WHERE c.todo = 1 AND l.deleted_at IS NULL
		UNION ALL SELECT 'pages', id, '', title, todo, updated_at FROM pages WHERE todo <> ''
		UNION ALL SELECT 'stats', id, '', measure || ' ' || year, CASE WHEN todo <> '' THEN todo ELSE 'value' END, updated_at
			FROM stats WHERE (todo <> '' OR value IS NULL) AND deleted_at IS NULL
		ORDER BY 1, 4 LIMIT 1000`); err != nil {
		return nil, err
	}
	if st.ContactEmail == "" {
		d.Todo = append(d.Todo, DashItem{Entity: "settings", Name: "Site settings", Detail: SettingContactEmail})
	}
	for _, lang := range langs {
		var review, missing []DashItem
		if err := q(&review, `SELECT t.entity, t.entity_id, coalesce(l.kind, ''), coalesce(l.name, p.title, sg.text, i.name, si.title, st.measure, tm.name, t.entity),
			group_concat(CASE WHEN `+staleSQL+` THEN 'stale:' || t.field ELSE t.field END, ' '), max(t.updated_at)
			FROM translations t
			LEFT JOIN listings l ON t.entity = 'listings' AND l.id = t.entity_id
			LEFT JOIN pages p ON t.entity = 'pages' AND p.id = t.entity_id
			LEFT JOIN signs sg ON t.entity = 'signs' AND sg.id = t.entity_id
			LEFT JOIN industries i ON t.entity = 'industries' AND i.id = t.entity_id
			LEFT JOIN situations si ON t.entity = 'situations' AND si.id = t.entity_id
			LEFT JOIN stats st ON t.entity = 'stats' AND st.id = t.entity_id
			LEFT JOIN terms tm ON t.entity = 'terms' AND tm.id = t.entity_id
			LEFT JOIN settings se ON t.entity = 'settings' AND se.key = t.field
			WHERE t.lang = ? AND (t.needs_review = 1 OR `+staleSQL+`) AND t.entity IN ('listings', 'pages', 'signs', 'industries', 'situations', 'stats', 'terms', 'settings')
			GROUP BY t.entity, t.entity_id ORDER BY t.entity, 4 LIMIT 1000`, lang); err != nil {
			return nil, err
		}
		// An entry is missing a translation when an English field has text and the language
		// has none for it.
		if err := q(&missing, `
			SELECT 'listings', l.id, l.kind, l.name, trim(
				CASE WHEN l.summary <> '' AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'listings' AND t.entity_id = l.id AND t.lang = ? AND t.field = 'summary') THEN 'summary ' ELSE '' END ||
				CASE WHEN l.body <> '' AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'listings' AND t.entity_id = l.id AND t.lang = ? AND t.field = 'body') THEN 'body ' ELSE '' END ||
				CASE WHEN l.hours <> '' AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'listings' AND t.entity_id = l.id AND t.lang = ? AND t.field = 'hours') THEN 'hours' ELSE '' END), l.updated_at
			FROM listings l WHERE l.deleted_at IS NULL AND l.status = 'published'
			UNION ALL
			SELECT 'pages', p.id, '', p.title, trim(
				CASE WHEN NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'pages' AND t.entity_id = p.id AND t.lang = ? AND t.field = 'title') THEN 'title ' ELSE '' END ||
				CASE WHEN p.body <> '' AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'pages' AND t.entity_id = p.id AND t.lang = ? AND t.field = 'body') THEN 'body' ELSE '' END), p.updated_at
			FROM pages p
			UNION ALL
			SELECT 'signs', x.id, '', x.text, 'text', x.updated_at FROM signs x WHERE x.deleted_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'signs' AND t.entity_id = x.id AND t.lang = ?)
			UNION ALL
			SELECT 'industries', x.id, '', x.name, 'name', x.updated_at FROM industries x WHERE x.deleted_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'industries' AND t.entity_id = x.id AND t.lang = ?)
			UNION ALL
			SELECT 'situations', x.id, '', x.title, 'title', x.updated_at FROM situations x WHERE x.deleted_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.entity = 'situations' AND t.entity_id = x.id AND t.lang = ? AND t.field = 'title')
			ORDER BY 1, 4 LIMIT 2000`, lang, lang, lang, lang, lang, lang, lang, lang); err != nil {
			return nil, err
		}
		var keep []DashItem
		for _, m := range missing {
			if m.Detail != "" {
				keep = append(keep, m)
			}
		}
		d.NeedsReview[lang], d.Missing[lang] = review, keep
	}
	err = s.reader().QueryRowContext(ctx, `SELECT count(*) FROM corrections WHERE status = 'open'`).Scan(&d.OpenSuggests)
	return d, err
}

// ListTrash returns every entry in the trash, most recently trashed first.
func (s *Store) ListTrash(ctx context.Context) ([]DashItem, error) {
	return queryAll(ctx, s.reader(), scanDashItem, `
		SELECT 'listings', id, kind, name, '', deleted_at FROM listings WHERE deleted_at IS NOT NULL
		UNION ALL SELECT 'signs', id, '', text, '', deleted_at FROM signs WHERE deleted_at IS NOT NULL
		UNION ALL SELECT 'industries', id, '', name, '', deleted_at FROM industries WHERE deleted_at IS NOT NULL
		UNION ALL SELECT 'situations', id, '', title, '', deleted_at FROM situations WHERE deleted_at IS NOT NULL
		UNION ALL SELECT 'stats', id, '', measure || ' ' || year, '', deleted_at FROM stats WHERE deleted_at IS NOT NULL
		ORDER BY 6 DESC LIMIT 1000`)
}

// CountWaiting counts what waits for staff, by the key of the staff menu item that shows it:
// "corrections" is the visitors' suggestions not yet handled.
func (s *Store) CountWaiting(ctx context.Context) (map[string]int, error) {
	var open int
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM corrections WHERE status = 'open'`).Scan(&open); err != nil {
		return nil, err
	}
	var approvals int // contact changes waiting for a second staff member (approvals.go)
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM contact_changes WHERE status = 'waiting'`).Scan(&approvals); err != nil {
		return nil, err
	}
	return map[string]int{"corrections": open, "approvals": approvals}, nil
}

// ListingsVerified returns when each listing of kind was last verified (absent: never), for
// sorting and filtering the staff lists.
func (s *Store) ListingsVerified(ctx context.Context, kind directory.Kind) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := eachRow(ctx, s.reader(), func(sc scanner) error {
		var id int64
		var when sql.NullString
		err := sc.Scan(&id, &when)
		if t := parseTime(when); !t.IsZero() {
			out[id] = t
		}
		return err
	}, `SELECT id, last_verified FROM listings WHERE kind = ? AND last_verified IS NOT NULL`, string(kind))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SearchEntries finds entries of every kind (listings, pages, signs, industries, "which line
// fits" rows, figures, filters) whose name or title contains query, ignoring case, for the
// staff search box. Trashed entries are included, with Detail "trash"; at most limit.
func (s *Store) SearchEntries(ctx context.Context, query string, limit int) ([]DashItem, error) {
	// SQLite's LIKE stops at a NUL: "%\x00%" would match everything. No name holds one.
	query = strings.TrimSpace(strings.ReplaceAll(query, "\x00", ""))
	if query == "" {
		return nil, nil
	}
	// LIKE with the wildcards in the value escaped: what staff type is matched literally.
	pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(query) + "%"
	list, err := queryAll(ctx, s.reader(), scanDashItem, `
		SELECT 'listings', id, kind, name, CASE WHEN deleted_at IS NOT NULL THEN 'trash' ELSE status END, updated_at FROM listings
			WHERE name LIKE ?1 ESCAPE '\' OR slug LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'pages', id, '', title, '', updated_at FROM pages WHERE title LIKE ?1 ESCAPE '\' OR slug LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'signs', id, '', text, CASE WHEN deleted_at IS NOT NULL THEN 'trash' ELSE status END, updated_at FROM signs WHERE text LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'industries', id, '', name, CASE WHEN deleted_at IS NOT NULL THEN 'trash' ELSE status END, updated_at FROM industries WHERE name LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'situations', id, '', title, CASE WHEN deleted_at IS NOT NULL THEN 'trash' ELSE status END, updated_at FROM situations WHERE title LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'stats', id, '', measure || ' ' || year, CASE WHEN deleted_at IS NOT NULL THEN 'trash' ELSE status END, updated_at FROM stats WHERE measure LIKE ?1 ESCAPE '\'
		UNION ALL SELECT 'terms', id, taxonomy, name, '', '' FROM terms WHERE name LIKE ?1 ESCAPE '\'
		ORDER BY 4 COLLATE NOCASE LIMIT ?2`, pat, limit)
	for i, it := range list {
		if it.Entity == "terms" {
			list[i].Detail, list[i].Kind = string(it.Kind), "" // the filter's taxonomy
		}
	}
	return list, err
}

// entryNameQueries give each table's name column, for EntryNames.
var entryNameQueries = map[string]string{
	"listings":    `SELECT id, kind, name FROM listings WHERE id = ?`,
	"pages":       `SELECT id, '', title FROM pages WHERE id = ?`,
	"signs":       `SELECT id, '', text FROM signs WHERE id = ?`,
	"industries":  `SELECT id, '', name FROM industries WHERE id = ?`,
	"situations":  `SELECT id, '', title FROM situations WHERE id = ?`,
	"stats":       `SELECT id, '', measure || ' ' || year FROM stats WHERE id = ?`,
	"terms":       `SELECT id, '', name FROM terms WHERE id = ?`,
	"users":       `SELECT id, '', email FROM users WHERE id = ?`,
	"corrections": `SELECT c.id, l.kind, l.name FROM corrections c JOIN listings l ON l.id = c.listing_id WHERE c.id = ?`,
}

// EntryName returns the name (or title, or email) of the entry entity id, with its kind for
// a listing, and for a suggestion the name and kind of its listing. It returns ENOTFOUND for
// an entry that no longer exists or a table it does not know.
func (s *Store) EntryName(ctx context.Context, entity string, id int64) (DashItem, error) {
	q, ok := entryNameQueries[entity]
	if !ok {
		return DashItem{}, notFound("Entry")
	}
	it := DashItem{Entity: entity}
	var kind string
	if err := s.reader().QueryRowContext(ctx, q, id).Scan(&it.ID, &kind, &it.Name); err != nil {
		return DashItem{}, orNotFound(err, "Entry")
	}
	it.Kind = directory.Kind(kind)
	return it, nil
}
