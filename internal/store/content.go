package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"signpost/internal/directory"
)

// Setting keys. Each is one row of the settings table.
const (
	SettingSiteName        = "site_name"
	SettingRegion          = "region"
	SettingTagline         = "tagline"
	SettingExitURL         = "exit_url"
	SettingEmergencyNumber = "emergency_number"
	SettingPrimaryHotline  = "primary_hotline"
	SettingContactEmail    = "contact_email"
)

// SettingKeys lists every setting, in the order the admin shows them.
var SettingKeys = []string{SettingSiteName, SettingRegion, SettingTagline, SettingExitURL,
	SettingEmergencyNumber, SettingPrimaryHotline, SettingContactEmail}

// Settings returns the site settings in lang.
func (s *Store) Settings(ctx context.Context, lang string) (directory.Settings, error) {
	m := map[string]string{}
	var latest time.Time
	err := eachRow(ctx, s.reader(), func(sc scanner) error {
		var k, v string
		var at sql.NullString
		err := sc.Scan(&k, &v, &at)
		m[k] = v
		if t := parseTime(at); t.After(latest) {
			latest = t
		}
		return err
	}, `SELECT key, value, updated_at FROM settings`)
	if err != nil {
		return directory.Settings{}, err
	}
	st := directory.Settings{
		SiteName:        m[SettingSiteName],
		Region:          m[SettingRegion],
		Tagline:         m[SettingTagline],
		ExitURL:         m[SettingExitURL],
		EmergencyNumber: m[SettingEmergencyNumber],
		PrimaryHotline:  m[SettingPrimaryHotline],
		ContactEmail:    m[SettingContactEmail],
		UpdatedAt:       latest,
		// Absent (every site before the setting): a second person approves.
		ContactsWithoutApproval: m[SettingContactsWithoutApproval] == "1",
	}
	if st.EmergencyNumber == "" {
		st.EmergencyNumber = "911"
	}
	tr, err := loadTranslations(ctx, s.reader(), "settings", lang, []int64{0})
	if err != nil {
		return st, err
	}
	t := tr.for_(lang, 0)
	t.applyAll(st.TextFields())
	st.Untranslated = t.untranslated
	return st, nil
}

// FindPage returns the page with slug, in lang. It returns ENOTFOUND if there is none.
func (s *Store) FindPage(ctx context.Context, slug, lang string) (*directory.Page, error) {
	var p directory.Page
	var todo string
	var updated sql.NullString
	err := s.reader().QueryRowContext(ctx, `SELECT id, slug, title, description, body, source, todo,
		updated_at, version FROM pages WHERE slug = ?`, slug).
		Scan(&p.ID, &p.Slug, &p.Title, &p.Description, &p.Body, &p.Source, &todo, &updated, &p.Version)
	if err != nil {
		return nil, orNotFound(err, "Page")
	}
	p.Todo = splitTodo(todo)
	p.UpdatedAt = parseTime(updated)
	p.Lang = lang
	tr, err := loadTranslations(ctx, s.reader(), "pages", lang, []int64{p.ID})
	if err != nil {
		return nil, err
	}
	t := tr.for_(lang, p.ID)
	t.applyAll(p.TextFields())
	p.Untranslated = t.untranslated
	return &p, nil
}

// The columns of a sign's and an industry's row (after its state), and where each lives in
// the record: one list for the public list and for staff's find.
const (
	signColumns     = "id, slug, text, position, source, version"
	industryColumns = "id, slug, name, position, source, version"
)

func signFields(x *directory.Sign) []any {
	return []any{&x.ID, &x.Slug, &x.Text, &x.Position, &x.Source, &x.Version}
}

func industryFields(x *directory.Industry) []any {
	return []any{&x.ID, &x.Slug, &x.Name, &x.Position, &x.Source, &x.Version}
}

// ListSigns returns the published signs in order, in lang.
func (s *Store) ListSigns(ctx context.Context, lang string) ([]directory.Sign, error) {
	return listEntries(ctx, s, "signs", lang, publishedInOrder(signColumns, "signs"), scanFields(signFields),
		func(x *directory.Sign) (int64, []directory.TextField, *map[string]bool) {
			return x.ID, x.TextFields(), &x.Untranslated
		})
}

// ListIndustries returns the published industries in order, in lang.
func (s *Store) ListIndustries(ctx context.Context, lang string) ([]directory.Industry, error) {
	return listEntries(ctx, s, "industries", lang, publishedInOrder(industryColumns, "industries"), scanFields(industryFields),
		func(x *directory.Industry) (int64, []directory.TextField, *map[string]bool) {
			return x.ID, x.TextFields(), &x.Untranslated
		})
}

// scanFields scans a row into the fields of a T that fields points at.
func scanFields[T any](fields func(*T) []any) func(scanner, *T) error {
	return func(sc scanner, x *T) error { return sc.Scan(fields(x)...) }
}

// publishedInOrder is the query of the published rows of an entry table, in their order.
func publishedInOrder(columns, table string) string {
	return `SELECT ` + columns + ` FROM ` + table + ` WHERE status = 'published' AND deleted_at IS NULL ORDER BY position, id`
}

// listEntries runs query over entity's table, reads each row into a T with scan, and
// translates each into lang through its text fields (text returns the entry's id, its
// TextFields and where to note the fields left in English).
func listEntries[T any](ctx context.Context, s *Store, entity, lang, query string, scan func(scanner, *T) error,
	text func(*T) (int64, []directory.TextField, *map[string]bool)) ([]T, error) {
	out, err := queryAll(ctx, s.reader(), func(sc scanner) (x T, err error) {
		err = scan(sc, &x)
		return x, err
	}, query)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i], _, _ = text(&out[i])
	}
	tr, err := loadTranslations(ctx, s.reader(), entity, lang, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		id, fields, untranslated := text(&out[i])
		t := tr.for_(lang, id)
		t.applyAll(fields)
		*untranslated = t.untranslated
	}
	return out, nil
}

// ListSituations returns the published "which line fits" guide in order, in lang, each with
// its line (and the line's channels) when that line is published.
func (s *Store) ListSituations(ctx context.Context, lang string) ([]directory.Situation, error) {
	var ids, listingIDs []int64
	lineOf := map[int64]int64{}
	out, err := queryAll(ctx, s.reader(), func(sc scanner) (x directory.Situation, err error) {
		var lid sql.NullInt64
		err = sc.Scan(&x.ID, &x.Slug, &x.Title, &x.Detail, &x.Position, &lid, &x.Source, &x.Version)
		ids = append(ids, x.ID)
		if lid.Valid {
			lineOf[x.ID] = lid.Int64
			listingIDs = append(listingIDs, lid.Int64)
		}
		return x, err
	}, `SELECT id, slug, title, detail, position, listing_id, source, version
		FROM situations WHERE status = 'published' AND deleted_at IS NULL ORDER BY position, id`)
	if err != nil || len(out) == 0 {
		return nil, err
	}

	lines := map[int64]*directory.Listing{}
	if len(listingIDs) > 0 {
		list, err := s.queryListings(ctx, s.reader(), lang, `SELECT `+listingColumns+` FROM listings l
			WHERE l.id IN (`+placeholders(len(listingIDs))+`) AND l.status = 'published' AND l.deleted_at IS NULL`, int64Args(listingIDs)...)
		if err != nil {
			return nil, err
		}
		for _, l := range list {
			lines[l.ID] = l
		}
	}

	also := map[int64][]directory.Ref{}
	var alsoIDs []int64
	var alsoListing []int64
	// #nosec G202 -- only "?" placeholders are concatenated; every value is bound.
	err = eachRow(ctx, s.reader(), func(sc scanner) error {
		var sid, lid int64
		var kind string
		var r directory.Ref
		if err := sc.Scan(&sid, &lid, &kind, &r.Slug, &r.Name); err != nil {
			return err
		}
		r.Kind = directory.Kind(kind)
		also[sid] = append(also[sid], r)
		alsoIDs = append(alsoIDs, sid)
		alsoListing = append(alsoListing, lid)
		return nil
	}, `SELECT sa.situation_id, l.id, l.kind, l.slug, l.name
		FROM situation_also sa JOIN listings l ON l.id = sa.listing_id
		WHERE sa.situation_id IN (`+placeholders(len(ids))+`) AND l.status = 'published' AND l.deleted_at IS NULL
		ORDER BY sa.situation_id, sa.position`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	trAlso, err := loadTranslations(ctx, s.reader(), "listings", lang, alsoListing)
	if err != nil {
		return nil, err
	}
	// Translate the names of the "also" refs in the order they were read.
	pos := map[int64]int{}
	for i, sid := range alsoIDs {
		trAlso.for_(lang, alsoListing[i]).apply("name", &also[sid][pos[sid]].Name)
		pos[sid]++
	}

	tr, err := loadTranslations(ctx, s.reader(), "situations", lang, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		x := &out[i]
		t := tr.for_(lang, x.ID)
		t.applyAll(x.TextFields())
		x.Untranslated = t.untranslated
		x.Listing = lines[lineOf[x.ID]]
		x.Also = also[x.ID]
	}
	return out, nil
}

// ListStats returns the published figures by year and measure, in lang. Figures still to be
// filled in (no value) are included only when withEmpty is set (for staff).
func (s *Store) ListStats(ctx context.Context, lang string, withEmpty bool) ([]directory.Stat, error) {
	q := `SELECT id, year, measure, value, unit, source_name, source_url, source, todo, version FROM stats
		WHERE status = 'published' AND deleted_at IS NULL`
	if !withEmpty {
		q += ` AND value IS NOT NULL`
	}
	q += ` ORDER BY measure, year`
	return listEntries(ctx, s, "stats", lang, q, func(sc scanner, x *directory.Stat) error {
		var v sql.NullFloat64
		var todo string
		if err := sc.Scan(&x.ID, &x.Year, &x.Measure, &v, &x.Unit, &x.SourceName, &x.SourceURL, &x.Source, &todo, &x.Version); err != nil {
			return err
		}
		if v.Valid {
			f := v.Float64
			x.Value = &f
		}
		x.Todo = splitTodo(todo)
		return nil
	}, func(x *directory.Stat) (int64, []directory.TextField, *map[string]bool) {
		return x.ID, x.TextFields(), &x.Untranslated
	})
}

// ListSitemapListings returns every published listing's path and last change.
func (s *Store) ListSitemapListings(ctx context.Context) ([]directory.SitemapEntry, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT kind, slug, updated_at FROM listings
		WHERE status = 'published' AND deleted_at IS NULL ORDER BY kind, slug`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []directory.SitemapEntry
	for rows.Next() {
		var kind, slug string
		var at sql.NullString
		if err := rows.Scan(&kind, &slug, &at); err != nil {
			return nil, err
		}
		out = append(out, directory.SitemapEntry{Path: "/" + directory.Kind(kind).Section() + "/" + slug, LastMod: parseTime(at)})
	}
	return out, rows.Err()
}

// LastChange returns when the content of a table last changed ("listings", "pages", …),
// for lastmod of pages built from it.
func (s *Store) LastChange(ctx context.Context, table string) (time.Time, error) {
	if e := entities[table]; e == nil || !e.dated() {
		return time.Time{}, errors.New("store: unknown table " + table)
	}
	var at sql.NullString
	// table is a key of entities, never user input.
	err := s.reader().QueryRowContext(ctx, `SELECT max(updated_at) FROM `+table).Scan(&at)
	return parseTime(at), err
}
