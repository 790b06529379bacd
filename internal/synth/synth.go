// Package synth fills a throwaway database with realistic synthetic listings, for
// benchmarks and load tests: made-up names from Alaskan and US places, summaries in plain
// words, call and text lines with fictional numbers (555-01xx, reserved for fiction), web
// addresses under example.org, taxonomy terms, and Spanish translations for some. Nothing
// here is real: never run it on a database people use.
package synth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Options tune Fill.
type Options struct {
	Listings int     // how many listings to add
	Seed     uint64  // the same seed gives the same data
	Spanish  float64 // the share of listings with a Spanish translation (0.15 if zero)
}

var (
	places = []string{"Anchorage", "Fairbanks", "Juneau", "Kenai", "Kodiak", "Bethel", "Nome", "Sitka", "Wasilla",
		"Palmer", "Ketchikan", "Homer", "Seward", "Valdez", "Utqiagvik", "Dillingham", "Kotzebue", "Soldotna",
		"Cordova", "Petersburg", "Wrangell", "Unalaska", "Haines", "Skagway", "Tok", "Delta Junction", "Galena",
		"Northern", "Coastal", "Interior", "Southcentral", "Southeast", "Mat-Su", "Copper River", "Yukon", "Kuskokwim",
		"Seattle", "Portland", "Spokane", "Boise", "Honolulu", "Sacramento", "Denver", "Phoenix", "Tucson", "Reno"}
	orgNouns = []string{"Legal Aid", "Family Services", "Youth Shelter", "Safe House", "Workers' Center",
		"Immigrant Rights Project", "Counseling Center", "Survivor Network", "Outreach", "Community Health",
		"Women's Shelter", "Labor Rights Clinic", "Refugee Assistance", "Housing Coalition", "Justice Center",
		"Advocacy Network", "Recovery Services", "Native Health", "Children's Alliance", "Victim Services"}
	hotlineNouns = []string{"Crisis Line", "Help Line", "Tip Line", "Youth Text Line", "Safe Line", "Wage Claim Line",
		"Survivor Hotline", "Shelter Line", "Family Hotline", "Visa Fraud Tip Line"}
	agencyNouns = []string{"Police Department", "Office of Victim Services", "Department of Labor Field Office",
		"Child Protective Services", "District Attorney's Office", "Public Health Office", "Court Advocacy Office"}
	resourceNouns = []string{"Guide for Employers", "Training Video", "Toolkit for Teachers", "Fact Sheet", "Report",
		"Posting Sign", "Handbook for Nurses", "Outreach Flyer"}
	helps = []string{"emergency shelter", "legal help with visas and work permits", "case management", "counseling",
		"help recovering unpaid wages", "safety planning", "transportation to a safe place", "food and clothing",
		"interpreters", "support for children and teens", "job training", "medical care", "help reporting a crime",
		"housing search", "support groups for survivors"}
	who = []string{"survivors of trafficking", "young people", "adults", "foreign nationals", "Alaska Native families",
		"farm and cannery workers", "fishers", "domestic workers", "service providers", "employers", "anyone"}
	ayuda = []string{"refugio de emergencia", "ayuda legal con visas y permisos de trabajo", "manejo de casos",
		"consejería", "ayuda para recuperar salarios no pagados", "un plan de seguridad", "transporte a un lugar seguro",
		"intérpretes", "apoyo para niños y jóvenes", "atención médica", "ayuda para denunciar un delito"}
	quien = []string{"sobrevivientes de la trata", "jóvenes", "adultos", "personas extranjeras", "familias nativas de Alaska",
		"trabajadores del campo y de las enlatadoras", "pescadores", "trabajadoras del hogar", "cualquier persona"}
	tagline = []string{"Free and confidential.", "You decide what happens next.", "No one will call immigration.",
		"Se habla español.", "Open to everyone.", "Walk-ins welcome."}
)

// Fill adds opts.Listings published listings to db (a migrated Signpost database) in one
// transaction, with their channels, terms and some Spanish translations.
func Fill(ctx context.Context, db *sql.DB, opts Options) error {
	if opts.Spanish == 0 {
		opts.Spanish = 0.15
	}
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)) // #nosec G404 -- synthetic test data, repeatable by seed
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// A listing's translations, channels and terms are written before the listing itself
	// (so the search triggers index it once, whole), which foreign keys allow only when
	// checked at commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}

	terms := map[string][]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT id, taxonomy FROM terms ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var tax string
		if err := rows.Scan(&id, &tax); err != nil {
			_ = rows.Close()
			return err
		}
		terms[tax] = append(terms[tax], id)
	}
	// When Next fails, database/sql closes the rows itself: the error is only in Err.
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM listings`).Scan(&next); err != nil {
		return err
	}
	var nextChannel int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM channels`).Scan(&nextChannel); err != nil {
		return err
	}

	insListing, err := tx.PrepareContext(ctx, `INSERT INTO listings (id, kind, slug, name, summary, body, website,
		hours, open_24_7, status, source, last_verified, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', 'synthetic', ?, ?, ?)`)
	if err != nil {
		return err
	}
	insChannel, err := tx.PrepareContext(ctx, `INSERT INTO channels (id, listing_id, type, number, keyword, url, label, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	insTerm, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO listing_terms (listing_id, term_id) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	insTr, err := tx.PrepareContext(ctx, `INSERT INTO translations (entity, entity_id, field, lang, value, needs_review, updated_at)
		VALUES ('listings', ?, ?, 'es', ?, 1, ?)`)
	if err != nil {
		return err
	}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	now := time.Now().UTC()
	stamp := now.Format("2006-01-02T15:04:05Z")

	for i := range opts.Listings {
		id := next + int64(i)
		var kind, name string
		switch x := r.IntN(100); {
		case x < 55:
			kind, name = "organization", pick(places)+" "+pick(orgNouns)
		case x < 75:
			kind, name = "hotline", pick(places)+" "+pick(hotlineNouns)
		case x < 92:
			kind, name = "agency", pick(places)+" "+pick(agencyNouns)
		default:
			kind, name = "resource", pick(places)+" "+pick(resourceNouns)
		}
		h1, h2, w := pick(helps), pick(helps), pick(who)
		summary := fmt.Sprintf("Offers %s and %s for %s. %s", h1, h2, w, pick(tagline))
		body := fmt.Sprintf("## What they do\n\n- %s\n- %s\n- %s\n\nStaff work with %s across %s. Call or text to talk with someone; "+
			"you do not have to give your name. If you are in danger right now, call 911.",
			capitalize(h1), capitalize(h2), capitalize(pick(helps)), w, pick(places))
		open247 := kind == "hotline" && r.IntN(2) == 0
		hours := ""
		if !open247 {
			hours = []string{"Monday to Friday, 8 am to 5 pm", "Weekdays 9 to 6", "By appointment", ""}[r.IntN(4)]
		}
		slug := fmt.Sprintf("%s-%d", slugify(name), id)
		verified := now.AddDate(0, 0, -r.IntN(700)).Format("2006-01-02T15:04:05Z")

		if r.Float64() < opts.Spanish {
			es := fmt.Sprintf("Ofrece %s y %s para %s. Gratis y confidencial.", pick(ayuda), pick(ayuda), pick(quien))
			if _, err := insTr.ExecContext(ctx, id, "summary", es, stamp); err != nil {
				return err
			}
			esBody := fmt.Sprintf("## Lo que hacen\n\n- %s\n- %s\n\nPuede llamar o enviar un mensaje de texto. Si está en peligro ahora, llame al 911.",
				capitalize(pick(ayuda)), capitalize(pick(ayuda)))
			if _, err := insTr.ExecContext(ctx, id, "body", esBody, stamp); err != nil {
				return err
			}
		}
		// Fictional numbers only: 555-0100 to 555-0199 are set aside for fiction.
		number := fmt.Sprintf("+1907555%04d", 100+r.IntN(100))
		channels := [][]any{{"voice", number, "", "", "Call"}}
		if kind == "hotline" && r.IntN(3) == 0 {
			channels = append(channels, []any{"text", fmt.Sprintf("%06d", 100000+r.IntN(800000)), "HELP", "", "Text HELP"})
		}
		if r.IntN(2) == 0 {
			channels = append(channels, []any{"web", "", "", "https://example.org/" + slug + "/contact", "Contact form"})
		}
		for pos, c := range channels {
			if _, err := insChannel.ExecContext(ctx, nextChannel, id, c[0], c[1], c[2], c[3], c[4], pos); err != nil {
				return err
			}
			nextChannel++
		}
		for _, tn := range []struct {
			tax string
			n   int
		}{{"service", 1 + r.IntN(3)}, {"population", 1 + r.IntN(2)}, {"area", 1}, {"language", 1 + r.IntN(2)}} {
			ids, n := terms[tn.tax], tn.n
			for range n {
				if len(ids) == 0 {
					break
				}
				if _, err := insTerm.ExecContext(ctx, id, ids[r.IntN(len(ids))]); err != nil {
					return err
				}
			}
		}
		// The listing last: its insert indexes it once, with its translations and terms.
		if _, err := insListing.ExecContext(ctx, id, kind, slug, name, summary, body,
			"https://example.org/"+slug, hours, open247, verified, stamp, stamp); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Merge the index's segments, as after any bulk load: queries then read one b-tree.
	_, err = db.ExecContext(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`)
	return err
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
