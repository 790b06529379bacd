package admin

import (
	"net/http"
	"strconv"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// The dashboard: what needs staff attention (verification, drafts, facts to fill in,
// translations to review or write), each line linking to the screen that fixes it.

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
	items := func(in []store.DashItem, translate string) []view.DashItem {
		var out []view.DashItem
		for _, it := range in {
			if it.Entity == "settings" && translate == "" && userFrom(r.Context()).Role != directory.RoleAdmin {
				continue // an admin's to fill in: editors cannot open the settings
			}
			p := h.entryPath(it.Entity, it.Kind, it.ID)
			if translate != "" {
				p = "/admin/translate/" + it.Entity + "/" + strconv.FormatInt(it.ID, 10) + "/" + translate
			}
			out = append(out, view.DashItem{Name: it.Name, Path: p, Detail: it.Detail, When: it.When})
		}
		return out
	}
	vm := view.DashboardVM{Page: h.pageWithFlash(r, "Dashboard", "dashboard"), VerifyDays: d.VerifyDays,
		Unverified: items(d.Unverified, ""), Drafts: items(d.Drafts, ""), Todo: items(d.Todo, ""), Suggestions: d.OpenSuggests}
	for _, l := range h.cat.Others(h.cat.Default) {
		vm.Langs = append(vm.Langs, view.LangItems{Tag: l.Tag, Name: l.Name,
			NeedsReview: items(d.NeedsReview[l.Tag], l.Tag), Missing: items(d.Missing[l.Tag], l.Tag)})
	}
	h.render(w, r, http.StatusOK, view.Dashboard(vm))
}
