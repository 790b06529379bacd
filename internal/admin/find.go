package admin

import (
	"net/http"
	"strings"

	view "signpost/templates/admin"
)

// findLimit bounds the staff search's answer: past it, typing more of the name is quicker
// than reading.
const findLimit = 100

// handleFind is the search box in every staff screen's header: entries of every kind whose
// name contains what was typed, each linked to its edit screen.
func (h *Handler) handleFind(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	vm := view.FindVM{Page: h.page(r, "Find an entry", ""), Query: q}
	if q != "" {
		vm.Title = "Find “" + q + "”"
		items, err := h.st.SearchEntries(r.Context(), q, findLimit+1)
		if err != nil {
			h.error(w, r, err)
			return
		}
		if len(items) > findLimit {
			items, vm.Capped = items[:findLimit], true
		}
		for _, it := range items {
			kind := capitalise(entryNoun(it.Entity, it.Kind))
			if it.Entity == "terms" && it.Detail != "" {
				kind += " (" + it.Detail + ")"
			}
			state := it.Detail
			switch {
			case it.Entity == "terms":
				state = ""
			case state == "trash":
				state = "in the trash"
			}
			vm.Rows = append(vm.Rows, view.FoundRow{Name: it.Name, Path: h.entryPath(it.Entity, it.Kind, it.ID), Kind: kind, State: state})
		}
	}
	h.render(w, r, http.StatusOK, view.Find(vm))
}
