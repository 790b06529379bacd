package store

import (
	"context"
	"database/sql"

	"signpost/internal/directory"
)

// ListLocations returns the locations of every listing that has any, by listing id, each
// listing's in order. A directory has a few hundred; the open data export reads them all.
func (s *Store) ListLocations(ctx context.Context) (map[int64][]directory.Location, error) {
	return listLocations(ctx, s.reader(), `SELECT id, listing_id, position, name, street, street2, city, state,
		postal_code, country, latitude, longitude, private FROM locations ORDER BY listing_id, position, id`)
}

// ListLocationsOf returns one listing's locations, in order.
func (s *Store) ListLocationsOf(ctx context.Context, listingID int64) ([]directory.Location, error) {
	m, err := listLocations(ctx, s.reader(), `SELECT id, listing_id, position, name, street, street2, city, state,
		postal_code, country, latitude, longitude, private FROM locations WHERE listing_id = ? ORDER BY position, id`, listingID)
	return m[listingID], err
}

func listLocations(ctx context.Context, q queryer, query string, args ...any) (map[int64][]directory.Location, error) {
	out := map[int64][]directory.Location{}
	err := eachRow(ctx, q, func(sc scanner) error {
		var l directory.Location
		var lat, lon sql.NullFloat64
		if err := sc.Scan(&l.ID, &l.ListingID, &l.Position, &l.Name, &l.Street, &l.Street2, &l.City, &l.State,
			&l.PostalCode, &l.Country, &lat, &lon, &l.Private); err != nil {
			return err
		}
		if lat.Valid && lon.Valid {
			l.Latitude, l.Longitude = &lat.Float64, &lon.Float64
		}
		out[l.ListingID] = append(out[l.ListingID], l)
		return nil
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SaveLocations replaces listing listingID's locations with locs, in their order. Rows are
// updated in place by position, as channels are, so that their ids (and the open data ids
// derived from them) survive edits. Each location is validated first; an invalid one is an
// EINVALID error and nothing is written.
func (s *Store) SaveLocations(ctx context.Context, listingID int64, locs []directory.Location) error {
	for i := range locs {
		if err := locs[i].Validate(); err != nil {
			return err
		}
	}
	return s.Update(ctx, func(tx *sql.Tx) error { return saveLocations(ctx, tx, listingID, locs) })
}

func saveLocations(ctx context.Context, tx *sql.Tx, listingID int64, locs []directory.Location) error {
	existing, err := listLocations(ctx, tx, `SELECT id, listing_id, position, name, street, street2, city, state,
		postal_code, country, latitude, longitude, private FROM locations WHERE listing_id = ? ORDER BY position, id`, listingID)
	if err != nil {
		return err
	}
	old := existing[listingID]
	for i := range locs {
		l := &locs[i]
		l.ListingID, l.Position = listingID, i
		if l.Country == "" {
			l.Country = "US"
		}
		var lat, lon any
		if l.Latitude != nil && l.Longitude != nil {
			lat, lon = *l.Latitude, *l.Longitude
		}
		if i < len(old) {
			l.ID = old[i].ID
			if _, err := tx.ExecContext(ctx, `UPDATE locations SET position = ?, name = ?, street = ?, street2 = ?, city = ?,
				state = ?, postal_code = ?, country = ?, latitude = ?, longitude = ?, private = ? WHERE id = ?`,
				i, l.Name, l.Street, l.Street2, l.City, l.State, l.PostalCode, l.Country, lat, lon, l.Private, l.ID); err != nil {
				return err
			}
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO locations (listing_id, position, name, street, street2, city, state,
			postal_code, country, latitude, longitude, private) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			listingID, i, l.Name, l.Street, l.Street2, l.City, l.State, l.PostalCode, l.Country, lat, lon, l.Private)
		if err != nil {
			return err
		}
		l.ID, _ = res.LastInsertId()
	}
	for _, l := range old[min(len(old), len(locs)):] {
		if _, err := tx.ExecContext(ctx, `DELETE FROM locations WHERE id = ?`, l.ID); err != nil {
			return err
		}
	}
	return nil
}
