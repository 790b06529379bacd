package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// The dashboard: what needs staff attention, most urgent first (visitors' suggestions,
// listings to check again, facts to fill in, drafts, then translations), and within each,
// hotlines first: they are what a person in trouble calls. Every line links to the screen
// that fixes it, and a group links to its list, where the work can be done in bulk.

// dashShown is how many lines of a group the dashboard lists before "show the other N".
const dashShown = 5

// entityOrder is the order of kinds of entry within a dashboard section.
var entityOrder = []string{"listings", "settings", "pages", "stats", "signs", "industries", "situations", "terms"}

func (h *Handler) handleDashboard(w http.ResponseWriter, r *http.Request) {
	var langs []string
	for _, l := range h.cat.Others(h.cat.Default) {
		langs = append(langs, l.Tag)
	}
	d, err := h.st.LoadDashboard(r.Context(), langs)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if userFrom(r.Context()).Role != directory.RoleAdmin {
		// The settings are an admin's to fill in: editors cannot open them.
		isSettings := func(it store.DashItem) bool { return it.Entity == "settings" }
		d.Unverified = slices.DeleteFunc(d.Unverified, isSettings)
		d.Todo = slices.DeleteFunc(d.Todo, isSettings)
		d.Drafts = slices.DeleteFunc(d.Drafts, isSettings)
	}
	vm := view.DashboardVM{Page: h.pageWithFlash(r, "Dashboard", "dashboard"), Suggestions: d.OpenSuggests}
	days := strconv.Itoa(d.VerifyDays)
	vm.Sections = append(vm.Sections,
		h.dashSection("unverified", "Not verified in the last "+days+" days", "Published listings not checked with their source lately, "+
			"the longest unchecked first. Check each, then mark it verified: on its page, or several at once from its list. The period is a site setting.",
			d.Unverified, dashShown, func(it store.DashItem) view.DashLine {
				l := view.DashLine{Name: it.Name, Path: h.entryPath(it.Entity, it.Kind, it.ID), Detail: "never verified"}
				if !it.When.IsZero() {
					l.Detail = "last verified " + it.When.UTC().Format("2 Jan 2006")
				}
				return l
			}),
		h.dashSection("todo", "To fill in", "The source documents left these out or hid them. Never guess: fill them in from a reliable source.",
			d.Todo, dashShown, func(it store.DashItem) view.DashLine {
				return view.DashLine{Name: it.Name, Path: h.entryPath(it.Entity, it.Kind, it.ID), Detail: "missing: " + fieldList(it.Detail)}
			}),
		h.dashSection("drafts", "Drafts", "Not on the public site until someone publishes them.",
			d.Drafts, dashShown, func(it store.DashItem) view.DashLine {
				return view.DashLine{Name: it.Name, Path: h.entryPath(it.Entity, it.Kind, it.ID), Detail: "changed " + it.When.UTC().Format("2 Jan 2006")}
			}))
	for _, l := range h.cat.Others(h.cat.Default) {
		translate := func(it store.DashItem) string {
			return translatePath(it.Entity, it.ID, l.Tag)
		}
		vm.Sections = append(vm.Sections,
			h.dashSection("review-"+l.Tag, l.Name+": needs review", "Translations marked as needing a fluent speaker's check.",
				d.NeedsReview[l.Tag], 0, func(it store.DashItem) view.DashLine {
					return view.DashLine{Name: it.Name, Path: translate(it), Detail: reviewDetail(it.Detail)}
				}),
			h.dashSection("translate-"+l.Tag, l.Name+": not yet translated", "Visitors reading in "+l.Name+" see the English text here.",
				d.Missing[l.Tag], 0, func(it store.DashItem) view.DashLine {
					return view.DashLine{Name: it.Name, Path: translate(it), Detail: "to translate: " + fieldList(it.Detail)}
				}))
	}
	h.render(w, r, http.StatusOK, view.Dashboard(vm))
}

// dashSection groups items by kind of entry (hotlines, organizations, agencies, resources,
// then the rest), each group showing its first shown lines.
func (h *Handler) dashSection(id, heading, hint string, items []store.DashItem, shown int, line func(store.DashItem) view.DashLine) view.DashSection {
	s := view.DashSection{ID: id, Heading: heading, Hint: hint, Count: len(items)}
	type key struct {
		entity string
		kind   directory.Kind
	}
	byKey := map[key][]view.DashLine{}
	for _, it := range items {
		k := key{it.Entity, it.Kind}
		byKey[k] = append(byKey[k], line(it))
	}
	var order []key
	for _, e := range entityOrder {
		if e == "listings" {
			for _, k := range directory.Kinds {
				order = append(order, key{e, k})
			}
			continue
		}
		order = append(order, key{e, ""})
	}
	seen := map[key]bool{}
	for _, it := range items { // anything not in the order above goes last
		k := key{it.Entity, it.Kind}
		if !seen[k] {
			seen[k] = true
			found := false
			for _, o := range order {
				found = found || o == k
			}
			if !found {
				order = append(order, k)
			}
		}
	}
	for _, k := range order {
		lines := byKey[k]
		if len(lines) == 0 {
			continue
		}
		g := view.DashGroup{Heading: capitalise(entryNounPlural(k.entity, k.kind)), Lines: lines, Shown: shown}
		if id == "unverified" && k.entity == "listings" {
			g.More = "/admin/" + k.kind.Section() + "?state=unverified&sort=verified"
			g.MoreText = "Open these " + k.kind.Section() + " as a list, to mark several verified at once"
		}
		s.Groups = append(s.Groups, g)
	}
	return s
}

// capitalise puts the first letter in upper case ("Hotlines", "\"Which line fits\" rows").
func capitalise(s string) string {
	i := strings.IndexFunc(s, unicode.IsLetter)
	if i < 0 {
		return s
	}
	return s[:i] + strings.ToUpper(s[i:i+1]) + s[i+1:]
}

// navCounts is what waits for staff, by menu key, shown beside the menu's items. A failure
// only loses the counts: the screen itself still works.
func (h *Handler) navCounts(ctx context.Context) map[string]int {
	c, err := h.st.CountWaiting(ctx)
	if err != nil {
		h.log.Error("count waiting", "err", err)
		return nil
	}
	return c
}

// reviewDetail says which fields of a "needs review" line to check, and which were made
// from English that has changed since ("stale:" fields).
func reviewDetail(codes string) string {
	var check, stale []string
	for _, c := range strings.Fields(codes) {
		if f, ok := strings.CutPrefix(c, "stale:"); ok {
			stale = append(stale, f)
		} else {
			check = append(check, c)
		}
	}
	var parts []string
	if len(stale) > 0 {
		parts = append(parts, "English changed: "+fieldList(strings.Join(stale, " ")))
	}
	if len(check) > 0 {
		parts = append(parts, "check: "+fieldList(strings.Join(check, " ")))
	}
	return strings.Join(parts, "; ")
}
