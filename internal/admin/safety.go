package admin

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// The settings that keep visitors safe (issue 13): where the quick exit goes, the emergency
// number and the hotline on every page. Only admins reach the settings (see routes); a
// change to one of these is confirmed on a second screen and written to the audit log with
// its old and new value, and the quick exit can only go to another site over HTTPS.

// safetyFields are the settings whose change needs a confirmation, with their labels.
var safetyFields = map[string]string{
	"exit_url":         "Quick exit goes to",
	"emergency_number": "Emergency number",
	"primary_hotline":  "Hotline on every page",
	"contact_approval": contactApprovalLabel, // approvals.go
}

// exitURLProblem returns why raw cannot be where the quick exit goes, or "". It must be a
// plain https address of another site: a page of this site would keep the visitor here, a
// name or password in it would be shown to everyone, and http could be rewritten on the way.
func (h *Handler) exitURLProblem(r *http.Request, raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Scheme != "https" || u.Hostname() == "" || u.Opaque != "" || strings.ContainsAny(raw, " \t\n<>\"\\"):
		return "Enter a full web address starting with https://, such as a weather site."
	case u.User != nil:
		return "Leave out the name and password: the address must work for anyone."
	case h.isThisSite(r, u.Hostname()):
		return "Choose another website: the quick exit must take visitors away from this one."
	}
	return ""
}

// isThisSite reports whether host is this site's (as the request or the configured origin
// names it), or a part or parent of it.
func (h *Handler) isThisSite(r *http.Request, host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	own := []string{r.Host}
	if h.opts.Origin != "" {
		own = append(own, h.opts.Origin)
	}
	for _, o := range own {
		if !strings.Contains(o, "://") {
			o = "//" + o
		}
		u, err := url.Parse(o)
		if err != nil || u.Hostname() == "" {
			continue
		}
		site := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		if host == site || strings.HasSuffix(host, "."+site) || strings.HasSuffix(site, "."+host) {
			return true
		}
	}
	return false
}

// handleSettingsSave checks the safety settings, asks for a confirmation when one changes,
// then saves the settings like any entry and writes the change to the audit log.
func (h *Handler) handleSettingsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s := h.specs["settings"]
	d, err := readForm(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if msg := h.exitURLProblem(r, d.get("exit_url")); msg != "" {
		e := directory.InvalidField("exit_url", msg)
		h.showFormWith(w, r, s, d, http.StatusBadRequest, formOptions{errs: e.Fields, message: e.Message})
		return
	}
	before, err := s.load(ctx, 0)
	if err != nil {
		h.error(w, r, err)
		return
	}
	// What this person changed: from the version their form started from, so a safety
	// setting someone else changed since is not shown as theirs to confirm (merge.go).
	opened := before
	if d.Version != before.Version {
		if base, _, _ := h.mergeBase(ctx, s, 0, d.Version); base != nil {
			opened = base
		}
	}
	var rows []view.DiffRow
	for _, k := range sortedKeys(safetyFields) {
		if was, now := strings.TrimSpace(opened.get(k)), strings.TrimSpace(d.get(k)); was != now {
			rows = append(rows, view.DiffRow{Field: safetyFields[k], Before: safetyValue(k, was), After: safetyValue(k, now)})
		}
	}
	if len(rows) > 0 && r.PostForm.Get("_action") != "preview" && r.PostForm.Get("confirm_safety") != "1" {
		vm := view.ConfirmVM{Page: h.page(r, "Confirm the safety settings", "settings"), Heading: "Confirm the safety settings",
			Intro:  "These settings are on every page and keep visitors safe. Check each new value before you save.",
			Rows:   rows,
			Action: "/admin/settings", Back: "/admin/settings"}
		for _, k := range sortedKeys(r.PostForm) {
			for _, v := range r.PostForm[k] {
				vm.Hidden = append(vm.Hidden, view.HiddenField{Name: k, Value: v})
			}
		}
		vm.Hidden = append(vm.Hidden, view.HiddenField{Name: "confirm_safety", Value: "1"})
		h.render(w, r, http.StatusOK, view.Confirm(vm))
		return
	}
	h.save(w, r, s, 0)
	if len(rows) == 0 {
		return
	}
	// The save answered already; what it stored says whether it went through.
	after, err := s.load(ctx, 0)
	if err != nil || after.Version == before.Version {
		return
	}
	var detail []string
	for _, k := range sortedKeys(safetyFields) {
		if was, now := before.get(k), after.get(k); was != now {
			detail = append(detail, safetyFields[k]+": "+safetyValue(k, was)+" → "+safetyValue(k, now))
		}
	}
	if len(detail) > 0 {
		h.audit(r, "safety_settings", "settings", 0, strings.Join(detail, "; "))
	}
}

// guardPrimaryHotline refuses to unpublish or trash the hotline shown on every page: the
// settings must name another one first.
func (h *Handler) guardPrimaryHotline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if chi.URLParam(r, "section") != "hotlines" || (r.PostFormValue("trash") != "1" &&
			(r.PostFormValue("status") == "" || directory.Status(r.PostFormValue("status")) == directory.StatusPublished)) {
			next.ServeHTTP(w, r)
			return
		}
		id, err := idParam(r, "id")
		if err != nil {
			h.error(w, r, err)
			return
		}
		st, err := h.st.SettingsForStaff(r.Context())
		if err != nil {
			h.error(w, r, err)
			return
		}
		l, err := h.st.FindListingByID(r.Context(), id, "en")
		if err == nil && st.PrimaryHotline != "" && l.Slug == st.PrimaryHotline {
			h.error(w, r, directory.Errorf(directory.EINVALID, "This is the hotline on every page, so it must stay published. An admin can choose another in Settings first."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
