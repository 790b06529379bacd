package hsds

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// Saving a preview.

// idLink ties an id of the upload to a record of a listing, named relative to the listing
// (rel: "service", "phone\x00voice\x00+18883737888", "location\x000"…) because an added
// listing has no row id until it is saved.
type idLink struct{ rel, id string }

// resolveLinks turns links into record keys of the saved listing l and its saved places,
// leaving out ids that are the ones Signpost would derive anyway.
func resolveLinks(m *mapper, l *directory.Listing, locs []directory.Location, links []idLink) map[string]string {
	out := map[string]string{}
	// channel finds the nth line of a type and number.
	channel := func(typ, number, nth string) (int64, bool) {
		n, _ := strconv.Atoi(nth)
		for _, c := range l.Channels {
			if string(c.Type) == typ && c.Number == number && c.ID != 0 {
				if n == 0 {
					return c.ID, true
				}
				n--
			}
		}
		return 0, false
	}
	for _, ln := range links {
		p := strings.Split(ln.rel, "\x00")
		var k, ours string
		switch p[0] {
		case "service", "organization":
			k, ours = key(p[0], l.ID), m.ids.of(p[0], l.ID)
		case "schedule":
			k, ours = key(p[0], l.ID), m.ids.hash(p[0], l.ID)
		case "phone":
			if id, ok := channel(p[1], p[2], p[3]); ok {
				k, ours = key("phone", id), m.ids.of("phone", id)
			}
		case "phone-language":
			tid, _ := strconv.ParseInt(p[4], 10, 64)
			if id, ok := channel(p[1], p[2], p[3]); ok {
				k, ours = key(p[0], id, tid), m.ids.hash(p[0], id, tid)
			}
		case "language", "service-area":
			tid, _ := strconv.ParseInt(p[1], 10, 64)
			k, ours = key(p[0], l.ID, tid), m.ids.hash(p[0], l.ID, tid)
		case "attribute", "service-at-location":
			k, ours = key(p[0], l.ID, p[1]), m.ids.hash(p[0], l.ID, p[1])
		case "location", "address":
			if i, err := strconv.Atoi(p[1]); err == nil && i < len(locs) && locs[i].ID != 0 {
				k, ours = key(p[0], locs[i].ID), m.ids.of(p[0], locs[i].ID)
			}
		}
		if k != "" && ln.id != ours {
			if _, ok := m.known[k]; !ok {
				out[k] = ln.id
			}
		}
	}
	return out
}

// Result is what Apply did.
type Result struct {
	Added, Changed int
	Failed         []Problem
}

// Apply saves a preview in one transaction: additions (as drafts, for staff to check and
// publish) and changes, each through the store's normal write path as its own revision,
// with their places, then the upload's ids of every record taken or matched, so that the
// next export names them as the upload did. A change whose listing was edited since the
// preview is refused (ECONFLICT) and reported, not forced; any other error saves nothing.
func Apply(ctx context.Context, st ImportStore, p *Preview, by Actor) (*Result, error) {
	m, err := newMapper(ctx, st)
	if err != nil {
		return nil, err
	}
	var res *Result
	err = st.Batch(ctx, func(ctx context.Context) error {
		var err error
		res, err = apply(ctx, st, m, p, by)
		return err
	})
	if err != nil {
		return &Result{}, err
	}
	return res, nil
}

func apply(ctx context.Context, st ImportStore, m *mapper, p *Preview, by Actor) (*Result, error) {
	res := &Result{}
	ids := map[string]string{}
	for k, v := range p.keptIDs {
		ids[k] = v
	}
	save := func(c Change, create bool) error {
		l := *c.Listing
		l.Channels = append([]directory.Channel{}, c.Listing.Channels...)
		var err error
		if create {
			err = st.CreateListing(ctx, &l, by)
			for i := 2; err != nil && isSlugTaken(err) && i < 20; i++ {
				l.Slug = c.Listing.Slug + "-" + strconv.Itoa(i)
				err = st.CreateListing(ctx, &l, by)
			}
		} else {
			err = st.UpdateListing(ctx, &l, by)
		}
		if err == nil && c.Locations != nil {
			locs := append([]directory.Location{}, c.Locations...)
			if err = st.SaveLocations(ctx, l.ID, locs); err == nil {
				for k, v := range resolveLinks(m, &l, locs, c.links) {
					ids[k] = v
				}
				return nil
			}
		}
		if err == nil {
			existing := m.locations[l.ID]
			for k, v := range resolveLinks(m, &l, existing, c.links) {
				ids[k] = v
			}
		}
		return err
	}
	// saveAll saves changes and counts those saved; a change refused for its content is
	// listed as failed, and an internal error stops the import.
	saveAll := func(changes []Change, create bool) (saved int, err error) {
		for _, c := range changes {
			if err := save(c, create); err != nil {
				if directory.ErrorCode(err) == directory.EINTERNAL {
					return saved, err
				}
				res.Failed = append(res.Failed, Problem{File: c.File, Line: c.Line, Reason: describe(err)})
				continue
			}
			saved++
		}
		return saved, nil
	}
	var err error
	if res.Added, err = saveAll(p.Added, true); err != nil {
		return res, err
	}
	if res.Changed, err = saveAll(p.Changed, false); err != nil {
		return res, err
	}
	if err := st.SaveHSDSIDs(ctx, ids); err != nil {
		return res, err
	}
	return res, nil
}

func isSlugTaken(err error) bool {
	var e *directory.Error
	return errors.As(err, &e) && e.Fields["slug"] != ""
}
