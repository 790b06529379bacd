package store

import (
	"context"
	"database/sql"
	"strings"

	"signpost/internal/directory"
)

// listingRow scans one row of listingColumns; operatedBy is resolved by hydrate.
type listingRow struct {
	l          *directory.Listing
	operatedBy sql.NullInt64
}

func scanListing(sc scanner) (listingRow, error) {
	var (
		l                                   directory.Listing
		kind, status, todo                  string
		verified, created, updated, deleted sql.NullString
		operatedBy, pin                     sql.NullInt64
	)
	dst := append([]any{&l.ID, &kind}, pointers(listingPlain(&l))...)
	err := sc.Scan(append(dst, &operatedBy, &status, &todo, &verified, &created, &updated, &deleted, &l.Version, &pin)...)
	if err != nil {
		return listingRow{}, err
	}
	l.Kind = directory.Kind(kind)
	l.Status = directory.Status(status)
	l.Todo = splitTodo(todo)
	l.LastVerified = parseTime(verified)
	l.CreatedAt = parseTime(created)
	l.UpdatedAt = parseTime(updated)
	l.DeletedAt = parseTime(deleted)
	l.Pin = int(pin.Int64)
	return listingRow{l: &l, operatedBy: operatedBy}, nil
}

// ListListings returns the published listings that match f, by name, and how many match in
// all (for pagination).
func (s *Store) ListListings(ctx context.Context, f directory.ListingFilter) ([]*directory.Listing, int, error) {
	where := []string{"l.deleted_at IS NULL"}
	var args []any
	if f.Kind != "" {
		where = append(where, "l.kind = ?")
		args = append(args, string(f.Kind))
	}
	if !f.Drafts {
		where = append(where, "l.status = 'published'")
	}
	if len(f.Kinds) > 0 {
		where = append(where, "l.kind IN ("+placeholders(len(f.Kinds))+")")
		for _, k := range f.Kinds {
			args = append(args, string(k))
		}
	}
	if !f.ModifiedAfter.IsZero() {
		where = append(where, "l.updated_at >= ?")
		args = append(args, f.ModifiedAfter.UTC().Format(timeFormat))
	}
	if f.NoOperator {
		where = append(where, "l.operated_by IS NULL")
	}
	if f.ProvidedBy != 0 {
		where = append(where, providedBy("l"))
		args = append(args, f.ProvidedBy, f.ProvidedBy)
	}
	if len(f.ResourceTypes) > 0 {
		where = append(where, "l.resource_type IN ("+placeholders(len(f.ResourceTypes))+")")
		for _, t := range f.ResourceTypes {
			args = append(args, t)
		}
	}
	if len(f.AnyTerms) > 0 {
		var conds []string
		for _, t := range f.AnyTerms {
			tax, slug, _ := strings.Cut(t, "/")
			conds = append(conds, "(t.taxonomy = ? AND t.slug = ?)")
			args = append(args, tax, slug)
		}
		where = append(where, `l.id IN (SELECT lt.listing_id FROM listing_terms lt JOIN terms t ON t.id = lt.term_id
			WHERE `+strings.Join(conds, " OR ")+`)`)
	}
	cond := strings.Join(where, " AND ")

	var total int
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM listings l WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY l.name COLLATE NOCASE, l.id`
	if f.ByID {
		order = ` ORDER BY l.id`
	}
	q := `SELECT ` + listingColumns + ` FROM listings l WHERE ` + cond + order
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	list, err := s.queryListings(ctx, s.reader(), f.Lang, q, args...)
	return list, total, err
}

// providedBy is the condition on listings alias that ListingFilter.ProvidedBy sets, with two
// arguments: the provider's id twice.
func providedBy(alias string) string {
	return `(` + alias + `.id = ? AND NOT (` + alias + `.kind = 'hotline' AND ` + alias + `.operated_by IS NOT NULL)
		OR ` + alias + `.kind = 'hotline' AND ` + alias + `.operated_by = ?)`
}

// FindListing returns the published listing of kind with slug, in lang.
// It returns ENOTFOUND if there is none (or it is a draft, or in the trash).
func (s *Store) FindListing(ctx context.Context, kind directory.Kind, slug, lang string) (*directory.Listing, error) {
	list, err := s.queryListings(ctx, s.reader(), lang, `SELECT `+listingColumns+` FROM listings l
		WHERE l.kind = ? AND l.slug = ? AND l.status = 'published' AND l.deleted_at IS NULL`, string(kind), slug)
	if err != nil {
		return nil, err
	} else if len(list) == 0 {
		return nil, notFound("Listing")
	}
	l := list[0]
	if l.Kind == directory.KindOrganization || l.Kind == directory.KindAgency {
		if l.Operates, err = s.operatedBy(ctx, s.reader(), l.ID, lang); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// FindListingByID returns any listing, draft or trashed, in lang. For staff.
func (s *Store) FindListingByID(ctx context.Context, id int64, lang string) (*directory.Listing, error) {
	return findListingByID(ctx, s.reader(), id, lang)
}

func findListingByID(ctx context.Context, q queryer, id int64, lang string) (*directory.Listing, error) {
	list, err := queryListings(ctx, q, lang, `SELECT `+listingColumns+` FROM listings l WHERE l.id = ?`, id)
	if err != nil {
		return nil, err
	} else if len(list) == 0 {
		return nil, notFound("Listing")
	}
	return list[0], nil
}

// FindSlugRedirect returns the current slug of the listing that used to be at kind/slug, for
// a 301. It returns ENOTFOUND when the old slug was never used.
func (s *Store) FindSlugRedirect(ctx context.Context, kind directory.Kind, slug string) (string, error) {
	var current string
	err := s.reader().QueryRowContext(ctx, `
		SELECT l.slug FROM slug_redirects r JOIN listings l ON l.id = r.listing_id
		WHERE r.kind = ? AND r.old_slug = ? AND l.status = 'published' AND l.deleted_at IS NULL`,
		string(kind), slug).Scan(&current)
	return current, orNotFound(err, "Listing")
}

// operatedBy lists the published lines an organization or agency runs.
func (s *Store) operatedBy(ctx context.Context, q queryer, id int64, lang string) ([]directory.Ref, error) {
	refs, err := queryAll(ctx, q, scanRef, `SELECT id, kind, slug, name FROM listings
		WHERE operated_by = ? AND status = 'published' AND deleted_at IS NULL ORDER BY name`, id)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(refs))
	for i := range refs {
		ids[i], refs[i].ID = refs[i].ID, 0 // the listing's snapshot names its lines without ids
	}
	tr, err := loadTranslations(ctx, q, "listings", lang, ids)
	if err != nil {
		return nil, err
	}
	for i := range refs {
		tr.for_(lang, ids[i]).apply("name", &refs[i].Name)
	}
	return refs, nil
}

func (s *Store) queryListings(ctx context.Context, q queryer, lang, query string, args ...any) ([]*directory.Listing, error) {
	return queryListings(ctx, q, lang, query, args...)
}

// queryListings runs a query over listingColumns and fills in each listing's channels,
// terms, operator and translations, with one query each for the whole batch.
func queryListings(ctx context.Context, q queryer, lang, query string, args ...any) ([]*directory.Listing, error) {
	list, err := queryAll(ctx, q, scanListing, query, args...)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return hydrate(ctx, q, lang, list)
}

func hydrate(ctx context.Context, q queryer, lang string, list []listingRow) ([]*directory.Listing, error) {
	if lang == "" {
		lang = DefaultLang
	}
	byID := make(map[int64]*directory.Listing, len(list))
	ids := make([]int64, 0, len(list))
	var opIDs []int64
	for _, r := range list {
		byID[r.l.ID] = r.l
		ids = append(ids, r.l.ID)
		r.l.Lang = lang
		if r.operatedBy.Valid {
			opIDs = append(opIDs, r.operatedBy.Int64)
		}
	}

	// Channels.
	var chIDs []int64
	for chunk := range chunks(ids, 500) {
		err := eachRow(ctx, q, func(sc scanner) error {
			var c directory.Channel
			var typ string
			if err := sc.Scan(&c.ID, &c.ListingID, &typ, &c.Number, &c.Vanity, &c.Keyword, &c.Address,
				&c.URL, &c.Label, &c.Hours, &c.Todo, &c.Position); err != nil {
				return err
			}
			c.Type = directory.ChannelType(typ)
			l := byID[c.ListingID]
			l.Channels = append(l.Channels, c)
			chIDs = append(chIDs, c.ID)
			return nil
		}, `SELECT id, listing_id, type, number, vanity, keyword, address, url, label, hours, todo, position FROM channels
			WHERE listing_id IN (`+placeholders(len(chunk))+`) ORDER BY listing_id, position, id`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
	}

	// Terms.
	var termIDs []int64
	seenTerm := map[int64]bool{}
	for chunk := range chunks(ids, 500) {
		err := eachRow(ctx, q, func(sc scanner) error {
			var lid int64
			var t directory.Term
			if err := sc.Scan(&lid, &t.ID, &t.Taxonomy, &t.Slug, &t.Name); err != nil {
				return err
			}
			byID[lid].Terms = append(byID[lid].Terms, t)
			if !seenTerm[t.ID] {
				seenTerm[t.ID] = true
				termIDs = append(termIDs, t.ID)
			}
			return nil
		}, `SELECT lt.listing_id, t.id, t.taxonomy, t.slug, t.name
			FROM listing_terms lt JOIN terms t ON t.id = lt.term_id
			WHERE lt.listing_id IN (`+placeholders(len(chunk))+`) ORDER BY t.taxonomy, t.position, t.name`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
	}

	// Operators.
	ops := map[int64]*directory.Ref{}
	for chunk := range chunks(opIDs, 500) {
		refs, err := queryAll(ctx, q, scanRef, `SELECT id, kind, slug, name FROM listings
			WHERE id IN (`+placeholders(len(chunk))+`) AND status = 'published' AND deleted_at IS NULL`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		for i := range refs {
			ops[refs[i].ID] = &refs[i]
		}
	}

	// Translations, one query per table.
	trListings, err := loadTranslations(ctx, q, "listings", lang, append(append([]int64{}, ids...), opIDs...))
	if err != nil {
		return nil, err
	}
	trChannels, err := loadTranslations(ctx, q, "channels", lang, chIDs)
	if err != nil {
		return nil, err
	}
	trTerms, err := loadTranslations(ctx, q, "terms", lang, termIDs)
	if err != nil {
		return nil, err
	}

	out := make([]*directory.Listing, len(list))
	for i, r := range list {
		l := r.l
		tr := trListings.for_(lang, l.ID)
		tr.applyAll(l.TextFields())
		l.Untranslated = tr.untranslated
		for j := range l.Channels {
			c := &l.Channels[j]
			// A channel's label is read for its purpose only (the line is built from the
			// number and keyword), so a stale label still shows; stale hours do not.
			tc := trChannels.for_(lang, c.ID)
			tc.keepStale = "label"
			tc.applyAll(c.TextFields())
		}
		for j := range l.Terms {
			trTerms.for_(lang, l.Terms[j].ID).apply("name", &l.Terms[j].Name)
		}
		if r.operatedBy.Valid {
			if op := ops[r.operatedBy.Int64]; op != nil {
				ref := *op
				trListings.for_(lang, r.operatedBy.Int64).apply("name", &ref.Name)
				l.OperatedBy = &ref
			}
		}
		out[i] = l
	}
	return out, nil
}

// ListTerms returns every term of a taxonomy (every taxonomy if empty), in lang.
func (s *Store) ListTerms(ctx context.Context, taxonomy, lang string) ([]directory.Term, error) {
	q := `SELECT id, taxonomy, slug, name FROM terms`
	var args []any
	if taxonomy != "" {
		q += ` WHERE taxonomy = ?`
		args = append(args, taxonomy)
	}
	q += ` ORDER BY taxonomy, position, name`
	terms, err := queryAll(ctx, s.reader(), func(sc scanner) (t directory.Term, err error) {
		err = sc.Scan(&t.ID, &t.Taxonomy, &t.Slug, &t.Name)
		return t, err
	}, q, args...)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(terms))
	for i := range terms {
		ids[i] = terms[i].ID
	}
	tr, err := loadTranslations(ctx, s.reader(), "terms", lang, ids)
	if err != nil {
		return nil, err
	}
	for i := range terms {
		tr.for_(lang, terms[i].ID).apply("name", &terms[i].Name)
	}
	return terms, nil
}

// SetListingPin sets listing id's place at the top of its lists (1 first), or unpins it
// with 0. It is a placement, not content: no revision, and the version does not change.
// It returns ENOTFOUND if there is no such listing, EINVALID for a negative place.
func (s *Store) SetListingPin(ctx context.Context, id int64, pin int) error {
	if pin < 0 || pin > 999 {
		return directory.Errorf(directory.EINVALID, "The place must be a number from 1 to 999, or empty.")
	}
	var v any
	if pin > 0 {
		v = pin
	}
	return s.Update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE listings SET pin = ? WHERE id = ?`, v, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Listing")
		}
		return nil
	})
}
