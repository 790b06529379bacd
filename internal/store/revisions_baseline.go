package store

import (
	"context"
	"database/sql"
	"strconv"

	"signpost/internal/directory"
)

// baselineVersion is the Go migration that gives every entry a revision of its current
// version (00230).
const baselineVersion = 230

// writeBaselineRevisions writes a "seed" revision of every entry whose current version has
// none: the seed loaded pages, signs, filters and the settings without one (listings have
// theirs; synthetic bench listings have none, and 100,000 snapshots would make the
// migration slow for nothing, so listings are left out). Two things
// need it: the history can then restore the text as first loaded, and an edit form opened
// at that version has the base a concurrent save is merged from (admin/merge.go).
func writeBaselineRevisions(ctx context.Context, tx *sql.Tx, now string) error {
	for _, table := range []string{"pages", "signs", "industries", "situations", "stats", "terms"} {
		// A term's version is the count of its revisions (it has no column): one with none
		// is at version 0, and its first revision makes it version 1.
		cond := `r.version = t.version`
		if table == "terms" {
			cond = `1`
		}
		// #nosec G202 -- table and cond are constants above; values bound
		ids, err := queryAll(ctx, tx, scanID, `SELECT id FROM `+table+` t WHERE NOT EXISTS (SELECT 1 FROM revisions r
			WHERE r.entity = ? AND r.entity_id = t.id AND r.lang = ? AND `+cond+`) ORDER BY id`, table, DefaultLang)
		if err != nil {
			return err
		}
		for _, id := range ids {
			data, version, err := entities[table].snapshot(ctx, tx, id)
			if err != nil {
				return err
			}
			if t, ok := data.(*directory.Term); ok {
				t.Version, version = 1, 1
			}
			if err := writeRevision(ctx, tx, now, table, id, DefaultLang, version, ActionSeed, data, SystemActor); err != nil {
				return err
			}
		}
	}
	// The settings' version counts their revisions: none yet is version 0, and the first
	// revision is version 1.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revisions WHERE entity = 'settings' AND lang = ?`, DefaultLang).Scan(&n); err != nil || n > 0 {
		return err
	}
	vals := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			_ = rows.Close()
			return err
		}
		vals[k] = v
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	st := directory.Settings{SiteName: vals[SettingSiteName], Region: vals[SettingRegion], Tagline: vals[SettingTagline],
		ExitURL: vals[SettingExitURL], EmergencyNumber: vals[SettingEmergencyNumber], PrimaryHotline: vals[SettingPrimaryHotline],
		ContactEmail: vals[SettingContactEmail], VerifyDays: DefaultVerifyDays, Version: 1}
	if d, err := strconv.Atoi(vals[SettingVerifyDays]); err == nil && d > 0 {
		st.VerifyDays = d
	}
	return writeRevision(ctx, tx, now, "settings", 0, DefaultLang, 1, ActionSeed, st, SystemActor)
}
