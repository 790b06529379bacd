package admin

import (
	"net/http"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// pinProblem is what staff read when the place is not a place.
const pinProblem = "The place must be a whole number from 1 to 999, or empty."

// parsePin reads the place posted: 0 for none (empty), ok false when it is not a place.
func parsePin(v string) (pin int, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 999 {
		return 0, false
	}
	return n, true
}

// withValidPin checks the place before anything is saved: a mistyped place shows the edit
// screen again (400) with what was typed there and in the place, and a clear message, and
// saves nothing. Then withFormSaved saves the edit form's changes and handlePin the place.
func (h *Handler) withValidPin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := parsePin(r.PostFormValue("pin")); ok {
			next.ServeHTTP(w, r)
			return
		}
		s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
		if !ok {
			return
		}
		stored, err := s.load(r.Context(), id)
		d := stored
		if err == nil && r.PostFormValue("version") != "" {
			// The whole edit form came with the place: show what was typed.
			d, err = readForm(r)
			if err == nil {
				d.ID = id
				d.Status, d.Trashed, d.Verified, d.Name, d.Public = stored.Status, stored.Trashed, stored.Verified, stored.Name, stored.Public
			}
		} else if err == nil {
			d.Values["pin"] = r.PostFormValue("pin")
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		d.Pin = stored.Pin
		h.showFormWith(w, r, s, d, http.StatusBadRequest, formOptions{errs: map[string]string{"pin": pinProblem},
			message: "Nothing was saved yet. What you typed is still here."})
	})
}

// handlePin sets a listing's place at the top of its public lists (issue 17): 1 first,
// empty for none (the listing is then placed by need). A placement is not content: it
// makes no revision, like "mark verified". Its button posts the whole edit form
// (withValidPin, withFormSaved), so edits typed before it are saved, not dropped.
func (h *Handler) handlePin(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
	if !ok {
		return
	}
	pin, ok := parsePin(r.PostFormValue("pin"))
	if !ok { // withValidPin answered already; this is the bare handler's own guard
		h.error(w, r, directory.Errorf(directory.EINVALID, pinProblem))
		return
	}
	if err := h.st.SetListingPin(r.Context(), id, pin); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "pin", s.table, id, strconv.Itoa(pin))
	msg := "Placed by need in its lists."
	if pin > 0 {
		msg = "Placed at number " + strconv.Itoa(pin) + " at the top of its lists."
	}
	h.redirect(w, r, s.editPath(id), savedFirst(r, msg))
}
