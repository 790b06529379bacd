package admin

import (
	"net/http"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// handlePin sets a listing's place at the top of its public lists (issue 17): 1 first,
// empty for none (the listing is then placed by need). A placement is not content: it
// makes no revision, like "mark verified".
func (h *Handler) handlePin(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
	if !ok {
		return
	}
	pin := 0
	if v := strings.TrimSpace(r.PostFormValue("pin")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			h.error(w, r, directory.Errorf(directory.EINVALID, "The place must be a whole number from 1 to 999, or empty."))
			return
		}
		pin = n
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
	h.redirect(w, r, s.editPath(id), msg)
}
