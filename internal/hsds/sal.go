package hsds

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
)

// /service_at_locations: every place a published service is offered at. Few listings have
// places, so the list is built once per generation of the data and filtered in memory.

type salEntry struct {
	l   *directory.Listing
	sal ServiceAtLocation // with its service and location
}

type salCache struct {
	mu      sync.Mutex
	gen     uint64
	entries []salEntry
}

func (a *API) serviceAtLocations(ctx context.Context, m *mapper) ([]salEntry, error) {
	gen := a.store.Generation()
	c := &a.sals
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries != nil && c.gen == gen {
		return c.entries, nil
	}
	list, _, err := a.store.ListListings(ctx, directory.ListingFilter{Kinds: serviceKinds, Lang: "en", ByID: true})
	if err != nil {
		return nil, err
	}
	entries := []salEntry{}
	for _, l := range list {
		if len(m.locations[l.ID]) == 0 {
			continue
		}
		s := m.service(l)
		for _, sal := range s.ServiceAtLocations {
			svc := s
			svc.ServiceAtLocations = nil
			sal.Service = &svc
			entries = append(entries, salEntry{l: l, sal: sal})
		}
	}
	c.gen, c.entries = gen, entries
	return entries, nil
}

// currentSALs returns the mapper and the service-at-location entries of the data as it is
// now. When either fails it has answered with the error, and ok is false.
func (a *API) currentSALs(w http.ResponseWriter, r *http.Request) (all []salEntry, m *mapper, ok bool) {
	m, err := a.mapper(r.Context())
	if err != nil {
		a.error(w, r, err)
		return nil, nil, false
	}
	all, err = a.serviceAtLocations(r.Context(), m)
	if err != nil {
		a.error(w, r, err)
		return nil, nil, false
	}
	return all, m, true
}

// matchesScope reports whether listing l is in sc (the filters readScope read).
func matchesScope(l *directory.Listing, sc scope) bool {
	if sc.none || !slices.Contains(sc.kinds, l.Kind) {
		return false
	}
	for taxonomy, slugs := range sc.terms {
		found := false
		for _, t := range l.TermsOf(taxonomy) {
			if slices.Contains(slugs, t.Slug) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if sc.providedBy != 0 {
		own := l.ID == sc.providedBy && isOrganization(l)
		runs := l.OperatedBy != nil && l.OperatedBy.ID == sc.providedBy
		if !own && !runs {
			return false
		}
	}
	return true
}

func (a *API) handleServiceAtLocations(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r, paramsSALs...); err != nil {
		a.error(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Get("postcode") != "" || q.Get("proximity") != "" {
		a.error(w, r, directory.Errorf(directory.EINVALID, "postcode and proximity are not offered: this directory does not search by distance."))
		return
	}
	p, err := readPaging(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	after, err := readModifiedAfter(r)
	if err != nil {
		a.error(w, r, err)
		return
	}
	all, m, ok := a.currentSALs(w, r)
	if !ok {
		return
	}
	sc := readScope(r, m, serviceKinds)
	search := strings.TrimSpace(q.Get("search"))
	var out []ServiceAtLocation
	for _, e := range all {
		if !matchesScope(e.l, sc) || !after.IsZero() && e.l.UpdatedAt.Before(after) {
			continue
		}
		if search != "" {
			city := ""
			if loc := e.sal.Location; loc != nil && len(loc.Addresses) > 0 {
				city = loc.Addresses[0].City
			}
			if !matches(search, e.l.Name, e.sal.Location.Name, city) {
				continue
			}
		}
		out = append(out, e.sal)
	}
	a.writeJSON(w, r, http.StatusOK, pageOf(out, p))
}

func (a *API) handleServiceAtLocation(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		a.error(w, r, err)
		return
	}
	all, _, ok := a.currentSALs(w, r)
	if !ok {
		return
	}
	for _, e := range all {
		if e.sal.ID == chi.URLParam(r, "id") {
			a.writeJSON(w, r, http.StatusOK, e.sal)
			return
		}
	}
	a.error(w, r, directory.Errorf(directory.ENOTFOUND, "No such service at a location."))
}
