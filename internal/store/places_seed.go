package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"

	"signpost/internal/directory"
)

// placesSeedVersion is the Go migration that fills the places table (00260) from
// seeds/places.json.
const placesSeedVersion = 261

// seedPlace is one record of seeds/places.json (see seeds/FORMAT.md).
type seedPlace struct {
	Slug    string   `json:"slug"`
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	In      string   `json:"in"`
	Aliases []string `json:"aliases"`
	Source  string   `json:"source"`
}

// loadPlaces inserts the seed's places. A record without a source, of an unknown kind, or
// inside a place the file does not hold (or holds of the wrong kind) stops the migration:
// the list is facts, and a wrong one must not load half-way.
func loadPlaces(ctx context.Context, tx *sql.Tx, fsys fs.FS) error {
	var list []seedPlace
	if err := readSeed(fsys, "places.json", &list); err != nil {
		return err
	}
	kinds := map[string]string{}
	for _, p := range list {
		kinds[p.Slug] = p.Kind
	}
	parentKind := map[string]string{string(directory.PlaceTown): string(directory.PlaceBorough),
		string(directory.PlaceBorough): string(directory.PlaceRegion)}
	for _, p := range list {
		switch {
		case p.Slug == "" || p.Name == "" || p.Source == "":
			return fmt.Errorf("seed places.json: %q needs a slug, a name and a source", p.Name)
		case p.Kind != string(directory.PlaceTown) && p.Kind != string(directory.PlaceBorough) && p.Kind != string(directory.PlaceRegion):
			return fmt.Errorf("seed places.json: %s: unknown kind %q", p.Slug, p.Kind)
		case p.In != "" && kinds[p.In] != parentKind[p.Kind]:
			return fmt.Errorf("seed places.json: %s is in %q, which is not a %s in the file", p.Slug, p.In, parentKind[p.Kind])
		case p.Kind == string(directory.PlaceTown) && p.In == "":
			return fmt.Errorf("seed places.json: town %s names no borough", p.Slug)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO places (slug, kind, name, parent, aliases, source)
			VALUES (?, ?, ?, ?, ?, ?)`, p.Slug, p.Kind, p.Name, p.In, strings.Join(p.Aliases, "|"), p.Source); err != nil {
			return fmt.Errorf("seed places.json: %s: %w", p.Slug, err)
		}
	}
	return nil
}
