package admin

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// A section's list: find by name, filter by state, sort by name, last change or last
// verified, and tick entries to verify, publish, unpublish or trash them together (bulk.go).

// listStates are the list's filters; "unverified" only where entries are verified.
var listStates = []view.Option{
	{Value: "", Label: "Every state"},
	{Value: "published", Label: "Published"},
	{Value: "draft", Label: "Drafts"},
	{Value: "unverified", Label: "Not verified lately"},
}

var listSorts = []view.Option{
	{Value: "", Label: "Usual order"},
	{Value: "name", Label: "Name"},
	{Value: "changed", Label: "Last changed, newest first"},
	{Value: "verified", Label: "Last verified, oldest first"},
}

func (h *Handler) handleList(w http.ResponseWriter, r *http.Request) {
	s, ok := h.section(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	rows, err := s.list(ctx)
	if err != nil {
		h.error(w, r, err)
		return
	}
	qs := r.URL.Query()
	q := strings.TrimSpace(qs.Get("q"))
	state, order := known(listStates, qs.Get("state")), known(listSorts, qs.Get("sort"))
	var cutoff time.Time
	if s.verify {
		verified, err := h.st.ListingsVerified(ctx, s.kind)
		if err != nil {
			h.error(w, r, err)
			return
		}
		for i := range rows {
			rows[i].Verified = verified[rows[i].ID]
		}
		settings, err := h.st.SettingsForStaff(ctx)
		if err != nil {
			h.error(w, r, err)
			return
		}
		cutoff = h.st.Now().AddDate(0, 0, -settings.VerifyDays)
	}
	if !s.verify && (state == "unverified" || order == "verified") {
		state, order = "", ""
	}
	if !s.status && state != "unverified" {
		state = ""
	}
	rows = filterRows(rows, q, state, cutoff)
	sortRows(rows, order)

	vm := view.ListVM{Page: h.pageWithFlash(r, s.heading, s.section), Heading: s.heading, Rows: rows,
		Find: "/admin/" + s.section, Query: q, State: state, Sort: order, ShowVerified: s.verify}
	if s.create {
		vm.New, vm.NewText = s.editPath(0), "Add "+aOrAn(s.one)
	}
	for _, o := range listStates {
		if (o.Value == "unverified" && !s.verify) || (o.Value != "" && o.Value != "unverified" && !s.status) {
			continue
		}
		o.Selected = o.Value == state
		vm.States = append(vm.States, o)
	}
	if len(vm.States) == 1 {
		vm.States = nil
	}
	for _, o := range listSorts {
		if o.Value == "verified" && !s.verify {
			continue
		}
		o.Selected = o.Value == order
		vm.Sorts = append(vm.Sorts, o)
	}
	vm.BulkActions = bulkActions(s)
	if len(vm.BulkActions) > 0 {
		vm.Bulk = "/admin/" + s.section + "/bulk"
	}
	h.render(w, r, http.StatusOK, view.EntryList(vm))
}

// filterRows keeps the rows whose name or detail contains q (ignoring case) and which are in
// state; "unverified" is published and not verified since cutoff.
func filterRows(rows []view.ListRow, q, state string, cutoff time.Time) []view.ListRow {
	q = strings.ToLower(q)
	var out []view.ListRow
	for _, row := range rows {
		if q != "" && !strings.Contains(strings.ToLower(row.Name+" "+row.Detail), q) {
			continue
		}
		switch state {
		case "published", "draft":
			if row.Status != directory.Status(state) {
				continue
			}
		case "unverified":
			if row.Status != directory.StatusPublished || row.Verified.After(cutoff) {
				continue
			}
		}
		out = append(out, row)
	}
	return out
}

// sortRows orders rows by name, by last change (newest first) or by last verification
// (never verified first, then the oldest); "" keeps the order they came in.
func sortRows(rows []view.ListRow, order string) {
	if order == "" {
		return
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch order {
		case "changed":
			if !a.Updated.Equal(b.Updated) {
				return a.Updated.After(b.Updated)
			}
		case "verified":
			if !a.Verified.Equal(b.Verified) {
				return a.Verified.Before(b.Verified)
			}
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
}

// known is v if it is one of opts' values, else "".
func known(opts []view.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return v
		}
	}
	return ""
}
