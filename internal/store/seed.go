package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"

	"signpost/internal/phone"
	"signpost/seeds"
)

// seedVersion is the goose version of the Go migration that loads seeds/.
const seedVersion = 2

// goMigrations are the migrations written in Go, passed to goose explicitly (no init()
// registration, so tests can open many stores in one process).
func goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(seedVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return loadSeeds(ctx, tx, seeds.FS, time.Now()) }},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return unloadSeeds(ctx, tx) }},
		),
		goose.NewGoMigration(synonymsVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				return loadSynonyms(ctx, tx, seeds.FS, time.Now().UTC().Format(timeFormat))
			}},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `DELETE FROM search_synonyms`)
				return err
			}},
		),
		goose.NewGoMigration(needFirstSeedVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return loadNeedFirstSeeds(ctx, tx, seeds.FS, time.Now()) }},
			&goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}, // 00140's Down drops the columns
		),
		goose.NewGoMigration(baselineVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				return writeBaselineRevisions(ctx, tx, time.Now().UTC().Format(timeFormat))
			}},
			&goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}, // the revisions stay: they are history
		),
		goose.NewGoMigration(placesSeedVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return loadPlaces(ctx, tx, seeds.FS) }},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `DELETE FROM places`)
				return err
			}},
		),
		goose.NewGoMigration(needFirstRevisionVersion,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return snapshotNeedFirst(ctx, tx, time.Now()) }},
			&goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}, // the revisions stay: history is kept
		),
	}
}

// The seed file shapes; see seeds/FORMAT.md.
type (
	seedSite struct {
		Settings   map[string]string `json:"settings"`
		SettingsES map[string]string `json:"settings_es"`
		Todo       []string          `json:"todo"`
		Taxonomy   []struct {
			Taxonomy string `json:"taxonomy"`
			Slug     string `json:"slug"`
			Name     string `json:"name"`
			ES       string `json:"es"`
		} `json:"taxonomy"`
		Signs []struct {
			Slug string `json:"slug"`
			Text string `json:"text"`
			seedRecord
		} `json:"signs"`
		Industries []struct {
			Slug string `json:"slug"`
			Name string `json:"name"`
			seedRecord
		} `json:"industries"`
		Situations []struct {
			Slug    string   `json:"slug"`
			Title   string   `json:"title"`
			Detail  string   `json:"detail"`
			Listing string   `json:"listing"`
			Also    []string `json:"also"`
			seedRecord
		} `json:"situations"`
		Stats []struct {
			Year       int      `json:"year"`
			Measure    string   `json:"measure"`
			Value      *float64 `json:"value"`
			Unit       string   `json:"unit"`
			SourceName string   `json:"source_name"`
			SourceURL  string   `json:"source_url"`
			Todo       []string `json:"todo"`
			seedRecord
		} `json:"stats"`
	}
	// seedRecord is what every content record of the seed files carries: the source
	// document it was written from, and its Spanish beside the English fields it translates.
	seedRecord struct {
		Source string            `json:"source"`
		ES     map[string]string `json:"es"`
	}
	seedChannel struct {
		Type    string            `json:"type"`
		Number  string            `json:"number"`
		Vanity  string            `json:"vanity"`
		Keyword string            `json:"keyword"`
		Address string            `json:"address"`
		URL     string            `json:"url"`
		Label   string            `json:"label"`
		Hours   string            `json:"hours"`
		Todo    bool              `json:"todo"`
		ES      map[string]string `json:"es"`
	}
	seedListing struct {
		Kind         string              `json:"kind"`
		Slug         string              `json:"slug"`
		Name         string              `json:"name"`
		Summary      string              `json:"summary"`
		Body         string              `json:"body"`
		Website      string              `json:"website"`
		Email        string              `json:"email"`
		Social       string              `json:"social"`
		Hours        string              `json:"hours"`
		Open247      bool                `json:"open_24_7"`
		OperatedBy   string              `json:"operated_by"`
		ResourceType string              `json:"resource_type"`
		Publisher    string              `json:"publisher"`
		Published    string              `json:"published"`
		Channels     []seedChannel       `json:"channels"`
		Terms        map[string][]string `json:"terms"`
		Todo         []string            `json:"todo"`
		Verified     string              `json:"verified"`
		seedRecord
	}
	seedPage struct {
		Slug        string   `json:"slug"`
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Body        string   `json:"body"`
		Todo        []string `json:"todo"`
		seedRecord
	}
)

func readSeed(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	return nil
}

// seedLang is the language of the translations the seed files carry.
const seedLang = "es"

// loadSeeds loads the seed files into an empty database, as published content with a first
// revision for each entry. Translations load flagged "needs review": a fluent speaker should
// read them before staff rely on them.
func loadSeeds(ctx context.Context, tx *sql.Tx, fsys fs.FS, now time.Time) error {
	ts := now.UTC().Format(timeFormat)
	var site seedSite
	var pages []seedPage
	var listings, resources []seedListing
	if err := readSeed(fsys, "site.json", &site); err != nil {
		return err
	}
	if err := readSeed(fsys, "pages.json", &pages); err != nil {
		return err
	}
	if err := readSeed(fsys, "listings.json", &listings); err != nil {
		return err
	}
	if err := readSeed(fsys, "resources.json", &resources); err != nil {
		return err
	}
	listings = append(listings, resources...)

	translate := func(entity string, id int64, fields map[string]string) error {
		for field, value := range fields {
			if value == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO translations (entity, entity_id, field, lang, value, needs_review, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?)`, entity, id, field, seedLang, value, ts); err != nil {
				return fmt.Errorf("seed: translation %s %d %s: %w", entity, id, field, err)
			}
		}
		return nil
	}
	// insert runs one INSERT of what (for errors), then stores the row's translations.
	insert := func(entity, what string, es map[string]string, query string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, fmt.Errorf("seed: %s: %w", what, err)
		}
		id, _ := res.LastInsertId()
		return id, translate(entity, id, es)
	}

	// Settings.
	for k, v := range site.Settings {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, k, v, ts); err != nil {
			return fmt.Errorf("seed: setting %s: %w", k, err)
		}
	}
	if err := translate("settings", 0, site.SettingsES); err != nil {
		return err
	}

	// Taxonomy.
	termID := map[string]int64{}
	for i, t := range site.Taxonomy {
		id, err := insert("terms", "term "+t.Taxonomy+"/"+t.Slug, map[string]string{"name": t.ES},
			`INSERT INTO terms (taxonomy, slug, name, position) VALUES (?, ?, ?, ?)`, t.Taxonomy, t.Slug, t.Name, i)
		if err != nil {
			return err
		}
		termID[t.Taxonomy+"/"+t.Slug] = id
	}

	// Listings: insert all, then link operators, since a line may be listed before the
	// organization that runs it.
	listingID := map[string]int64{} // slug → id (slugs are unique across the seed files)
	for _, l := range listings {
		if _, dup := listingID[l.Slug]; dup {
			return fmt.Errorf("seed: listing slug %q appears twice", l.Slug)
		}
		var verified any
		if l.Verified != "" {
			t, err := time.Parse("2006-01-02", l.Verified)
			if err != nil {
				return fmt.Errorf("seed: listing %s: verified %q is not YYYY-MM-DD", l.Slug, l.Verified)
			}
			verified = t.Format(timeFormat)
		}
		id, err := insert("listings", "listing "+l.Slug, l.ES, `INSERT INTO listings (kind, slug, name, summary, body, website, email,
			social, hours, open_24_7, resource_type, publisher, published, status, source, todo,
			last_verified, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)`,
			l.Kind, l.Slug, l.Name, l.Summary, l.Body, l.Website, l.Email, l.Social, l.Hours, l.Open247,
			l.ResourceType, l.Publisher, l.Published, l.Source, joinTodo(l.Todo), verified, ts, ts)
		if err != nil {
			return err
		}
		listingID[l.Slug] = id
		for i, c := range l.Channels {
			number := c.Number
			if number != "" && (c.Type == "voice" || c.Type == "text") {
				if number, err = phone.Parse(number, ""); err != nil {
					return fmt.Errorf("seed: listing %s: channel %d: %q: %w", l.Slug, i, c.Number, err)
				}
			}
			if _, err := insert("channels", fmt.Sprintf("listing %s: channel %d", l.Slug, i), c.ES, `INSERT INTO channels (listing_id,
				type, number, vanity, keyword, address, url, label, hours, todo, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, c.Type, number, c.Vanity, c.Keyword, c.Address, c.URL, c.Label, c.Hours, c.Todo, i); err != nil {
				return err
			}
		}
		for taxonomy, slugs := range l.Terms {
			for _, slug := range slugs {
				tid, ok := termID[taxonomy+"/"+slug]
				if !ok {
					return fmt.Errorf("seed: listing %s: unknown term %s/%s", l.Slug, taxonomy, slug)
				}
				if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO listing_terms (listing_id, term_id) VALUES (?, ?)`, id, tid); err != nil {
					return err
				}
			}
		}
	}
	for _, l := range listings {
		if l.OperatedBy == "" {
			continue
		}
		op, ok := listingID[l.OperatedBy]
		if !ok {
			return fmt.Errorf("seed: listing %s: operated_by %q is not a listing", l.Slug, l.OperatedBy)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE listings SET operated_by = ? WHERE id = ?`, op, listingID[l.Slug]); err != nil {
			return err
		}
	}

	// Pages.
	for _, p := range pages {
		if _, err := insert("pages", "page "+p.Slug, p.ES, `INSERT INTO pages (slug, title, description, body, source, todo, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Slug, p.Title, p.Description, p.Body, p.Source, joinTodo(p.Todo), ts); err != nil {
			return err
		}
	}

	// Signs, industries, situations, stats.
	for i, x := range site.Signs {
		if _, err := insert("signs", "sign "+x.Slug, x.ES, `INSERT INTO signs (slug, text, position, source, updated_at)
			VALUES (?, ?, ?, ?, ?)`, x.Slug, x.Text, i, x.Source, ts); err != nil {
			return err
		}
	}
	for i, x := range site.Industries {
		if _, err := insert("industries", "industry "+x.Slug, x.ES, `INSERT INTO industries (slug, name, position, source, updated_at)
			VALUES (?, ?, ?, ?, ?)`, x.Slug, x.Name, i, x.Source, ts); err != nil {
			return err
		}
	}
	for i, x := range site.Situations {
		lid, ok := listingID[x.Listing]
		if !ok {
			return fmt.Errorf("seed: situation %s: listing %q not found", x.Slug, x.Listing)
		}
		id, err := insert("situations", "situation "+x.Slug, x.ES, `INSERT INTO situations (slug, title, detail, position,
			listing_id, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, x.Slug, x.Title, x.Detail, i, lid, x.Source, ts)
		if err != nil {
			return err
		}
		for j, slug := range x.Also {
			aid, ok := listingID[slug]
			if !ok {
				return fmt.Errorf("seed: situation %s: also %q not found", x.Slug, slug)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO situation_also (situation_id, listing_id, position) VALUES (?, ?, ?)`, id, aid, j); err != nil {
				return err
			}
		}
	}
	for _, x := range site.Stats {
		if _, err := insert("stats", fmt.Sprintf("stat %d %s", x.Year, x.Measure), x.ES, `INSERT INTO stats (year, measure, value,
			unit, source_name, source_url, source, todo, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.Year, x.Measure, x.Value, x.Unit, x.SourceName, x.SourceURL, x.Source, joinTodo(x.Todo), ts); err != nil {
			return err
		}
	}

	// A first revision of every listing, so that staff can always go back to the seed text.
	for _, id := range listingID {
		if err := snapshotSeeded(ctx, tx, ts, id); err != nil {
			return err
		}
	}
	return nil
}

// snapshotSeeded writes listing id, as the migration running now sees it, as a revision by
// the seed.
func snapshotSeeded(ctx context.Context, tx *sql.Tx, ts string, id int64) error {
	l, err := findListingInMigration(ctx, tx, id)
	if err != nil {
		return err
	}
	return writeRevision(ctx, tx, ts, "listings", id, DefaultLang, l.Version, "seed", l, SystemActor)
}

// unloadSeeds empties the content tables (goose down to version 1).
func unloadSeeds(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"revisions", "translations", "stats", "situation_also", "situations", "industries",
		"signs", "pages", "listing_terms", "channels", "slug_redirects", "listings", "terms", "settings"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil { // #nosec G202 -- t is from the fixed list above
			return err
		}
	}
	return nil
}
