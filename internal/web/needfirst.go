package web

import (
	"cmp"
	"slices"
	"strings"

	"signpost/internal/directory"
	"signpost/templates"
)

// Need-first order (issue 17): what someone in trouble needs comes before the alphabet.
// Tiers, in order: what staff pinned (by their number); the emergency line; the primary
// (national) hotline; lines and offices for Alaska (area local or statewide); national ones,
// by what they are for in the order of "which line fits what you saw", then by the kind
// of help; and last, organizations that work only abroad or only in another place
// (labelled where they work).
const (
	tierPinned = iota
	tierEmergency
	tierHotline
	tierAlaska
	tierNational
	tierAbroad
)

// serviceRank orders listings that no situation names, by the first help they give.
var serviceRank = map[string]int{
	"emergency": 0, "reporting": 1, "child-protection": 2, "labor-rights": 3, "immigration-relief": 4,
	"survivor-support": 5, "shelter": 6, "legal-help": 7, "case-management": 8, "counseling": 9,
	"prevention": 10, "training": 11, "research": 12,
}

// needRanker places listings by need; build one with newNeedRanker per page.
type needRanker struct {
	primary string
	purpose map[string]int // listing slug → index of the first situation it fits
}

func newNeedRanker(site directory.Settings, situations []directory.Situation) needRanker {
	r := needRanker{primary: site.PrimaryHotline, purpose: map[string]int{}}
	note := func(slug string, i int) {
		if _, ok := r.purpose[slug]; !ok && slug != "" {
			r.purpose[slug] = i
		}
	}
	for i, s := range situations {
		if s.Listing != nil {
			note(s.Listing.Slug, i)
			if s.Listing.OperatedBy != nil {
				note(s.Listing.OperatedBy.Slug, i) // the office that runs the line fits too
			}
		}
		for _, a := range s.Also {
			note(a.Slug, i)
		}
	}
	return r
}

func (r needRanker) tier(x *directory.Listing) int {
	switch {
	case x.Pin > 0:
		return tierPinned
	case x.Kind == directory.KindHotline && hasTerm(x, "service", "emergency"):
		return tierEmergency
	case x.Kind == directory.KindHotline && x.Slug == r.primary:
		return tierHotline
	case x.WorksElsewhere():
		return tierAbroad
	case hasTerm(x, "area", "local") || hasTerm(x, "area", "statewide"):
		return tierAlaska
	}
	return tierNational
}

// purposeRank is the index of the first situation x fits, or after them, its first help.
func (r needRanker) purposeRank(x *directory.Listing) int {
	if i, ok := r.purpose[x.Slug]; ok {
		return i
	}
	best := len(serviceRank)
	for _, t := range x.TermsOf("service") {
		if n, ok := serviceRank[t.Slug]; ok && n < best {
			best = n
		}
	}
	return 100 + best
}

// sort orders list by need, in place.
func (r needRanker) sort(list []*directory.Listing) {
	slices.SortStableFunc(list, func(a, b *directory.Listing) int {
		ta, tb := r.tier(a), r.tier(b)
		if c := cmp.Compare(ta, tb); c != 0 {
			return c
		}
		if ta == tierPinned {
			if c := cmp.Compare(a.Pin, b.Pin); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(r.purposeRank(a), r.purposeRank(b)); c != 0 {
			return c
		}
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
}

// needGroups are the headings a list ordered by need is shown under.
var needGroups = []struct{ key, id string }{
	tierPinned:    {"order.group.first", "first"},
	tierEmergency: {"order.group.first", "first"},
	tierHotline:   {"order.group.first", "first"},
	tierAlaska:    {"order.group.alaska", "alaska"},
	tierNational:  {"order.group.national", "national"},
	tierAbroad:    {"order.group.abroad", "abroad"},
}

// group sorts list by need and cuts it under needGroups' headings.
func (r needRanker) group(list []*directory.Listing) []templates.ListGroup {
	r.sort(list)
	var out []templates.ListGroup
	for _, x := range list {
		g := needGroups[r.tier(x)]
		if n := len(out); n == 0 || out[n-1].ID != g.id {
			out = append(out, templates.ListGroup{Key: g.key, ID: g.id})
		}
		out[len(out)-1].Listings = append(out[len(out)-1].Listings, x)
	}
	return out
}

func hasTerm(x *directory.Listing, taxonomy, slug string) bool {
	for _, t := range x.Terms {
		if t.Taxonomy == taxonomy && t.Slug == slug {
			return true
		}
	}
	return false
}
