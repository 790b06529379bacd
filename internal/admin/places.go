package admin

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// maxPlaces bounds the rows one places form may send.
const maxPlaces = 50

// handlePlacesForm shows a listing's places (issue 14), one compact row each, and a blank
// row to add another.
func (h *Handler) handlePlacesForm(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
	if !ok {
		return
	}
	locs, err := h.st.ListLocationsOf(r.Context(), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	rows := make([]view.PlaceRow, 0, len(locs)+1)
	for _, l := range locs {
		rows = append(rows, placeRow(l))
	}
	rows = append(rows, view.PlaceRow{})
	h.renderPlaces(w, r, http.StatusOK, s, id, rows, "")
}

func (h *Handler) renderPlaces(w http.ResponseWriter, r *http.Request, status int, s *entrySpec, id int64, rows []view.PlaceRow, msg string) {
	vm := view.PlacesVM{Page: h.pageWithFlash(r, "Places", s.section), Action: s.editPath(id) + "/places",
		Back: s.editPath(id), Rows: rows, Message: msg}
	if places, err := h.st.ListPlaces(r.Context()); err == nil {
		for _, p := range places {
			if p.Kind == directory.PlaceTown {
				vm.Towns = append(vm.Towns, p.Name)
			}
		}
		slices.Sort(vm.Towns)
	}
	h.render(w, r, status, view.Places(vm))
}

// handlePlacesSave replaces the listing's places with the form's rows. Blank rows and rows
// marked "Remove" are dropped; "Add another place" shows the form again with one more row,
// saving nothing. A bad row shows the form again with everything typed kept.
func (h *Handler) handlePlacesSave(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
	if !ok {
		return
	}
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	n = min(max(n, 0), maxPlaces)
	rows := make([]view.PlaceRow, 0, n+1)
	for i := range n {
		p := "p" + strconv.Itoa(i) + "."
		row := view.PlaceRow{Name: r.PostFormValue(p + "name"), Street: r.PostFormValue(p + "street"), Street2: r.PostFormValue(p + "street2"),
			City: r.PostFormValue(p + "city"), State: r.PostFormValue(p + "state"), PostalCode: r.PostFormValue(p + "zip"),
			Latitude: r.PostFormValue(p + "lat"), Longitude: r.PostFormValue(p + "lon"),
			Private: r.PostFormValue(p+"private") != "", Remove: r.PostFormValue(p+"remove") != ""}
		rows = append(rows, row)
	}
	if r.PostFormValue("add") != "" {
		kept := rows[:0]
		for _, row := range rows {
			if !row.Remove && !row.Blank() {
				kept = append(kept, row)
			}
		}
		h.renderPlaces(w, r, http.StatusOK, s, id, append(kept, view.PlaceRow{}), "")
		return
	}
	var locs []directory.Location
	bad := false
	for i := range rows {
		row := &rows[i]
		if row.Remove || row.Blank() {
			continue
		}
		l, errs := locationFromRow(*row)
		if len(errs) == 0 {
			if err := l.Validate(); err != nil {
				var e *directory.Error
				if !errors.As(err, &e) {
					h.error(w, r, err)
					return
				}
				errs = e.Fields
			}
		}
		if len(errs) > 0 {
			row.Errors, bad = errs, true
			continue
		}
		locs = append(locs, l)
	}
	if bad {
		h.renderPlaces(w, r, http.StatusBadRequest, s, id, rows, "Some places need attention. What you typed is kept.")
		return
	}
	if err := h.st.SaveLocations(r.Context(), id, locs); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "places", s.table, id, strconv.Itoa(len(locs))+" places")
	h.redirect(w, r, s.editPath(id)+"/places", "Places saved.")
}

func placeRow(l directory.Location) view.PlaceRow {
	row := view.PlaceRow{Name: l.Name, Street: l.Street, Street2: l.Street2, City: l.City, State: l.State,
		PostalCode: l.PostalCode, Private: l.Private}
	if l.Latitude != nil && l.Longitude != nil {
		row.Latitude = strconv.FormatFloat(*l.Latitude, 'f', -1, 64)
		row.Longitude = strconv.FormatFloat(*l.Longitude, 'f', -1, 64)
	}
	return row
}

func locationFromRow(row view.PlaceRow) (directory.Location, map[string]string) {
	l := directory.Location{Name: strings.TrimSpace(row.Name), Street: strings.TrimSpace(row.Street), Street2: strings.TrimSpace(row.Street2),
		City: strings.TrimSpace(row.City), State: strings.ToUpper(strings.TrimSpace(row.State)),
		PostalCode: strings.TrimSpace(row.PostalCode), Private: row.Private}
	errs := map[string]string{}
	coord := func(field, v string) *float64 {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs[field] = "Write a number, like 64.8378."
			return nil
		}
		return &f
	}
	l.Latitude, l.Longitude = coord("latitude", row.Latitude), coord("longitude", row.Longitude)
	return l, errs
}
