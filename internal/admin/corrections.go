package admin

import (
	"context"
	"net/http"
	"strconv"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// The queue of visitors' suggestions: apply one through the listing's edit form, or dismiss it.

func (h *Handler) handleCorrections(w http.ResponseWriter, r *http.Request) {
	all, err := h.st.ListCorrections(r.Context(), "")
	if err != nil {
		h.error(w, r, err)
		return
	}
	vm := view.CorrectionsVM{Page: h.pageWithFlash(r, "Suggestions", "corrections")}
	for _, c := range all {
		if c.Status == directory.CorrectionOpen {
			vm.Open = append(vm.Open, c)
		} else if len(vm.Handled) < 50 {
			vm.Handled = append(vm.Handled, c)
		}
	}
	h.render(w, r, http.StatusOK, view.Corrections(vm))
}

// handleCorrectionApply opens the listing's edit form with the suggestion beside it; the
// save that follows is a normal revision, and marks the suggestion accepted.
func (h *Handler) handleCorrectionApply(w http.ResponseWriter, r *http.Request) {
	c, ok := withParam(h, w, r, "id", h.st.FindCorrection)
	if !ok {
		return
	}
	http.Redirect(w, r, h.entryPath("listings", c.Listing.Kind, c.ListingID)+"?correction="+strconv.FormatInt(c.ID, 10), http.StatusSeeOther) // #nosec G710 -- an /admin/ path built from stored ids
}

func (h *Handler) handleCorrectionDismiss(w http.ResponseWriter, r *http.Request) {
	id, ok := withParam(h, w, r, "id", func(ctx context.Context, id int64) (int64, error) {
		return id, h.st.SetCorrectionStatus(ctx, id, directory.CorrectionDismissed, actor(ctx))
	})
	if !ok {
		return
	}
	h.audit(r, "suggestion_dismiss", "corrections", id, "")
	h.redirect(w, r, "/admin/corrections", "Suggestion dismissed.")
}
