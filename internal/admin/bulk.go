package admin

import (
	"fmt"
	"net/http"
	"strconv"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Bulk actions on a section's list: tick entries (or take every one shown), choose what to
// do, see exactly what will change on a second screen, then confirm. Each entry is changed
// as its own page's button would change it: one revision and one audit line per entry.

// maxBulk bounds the entries one bulk action may change.
const maxBulk = 500

// bulkAction is one thing the list can do to several entries.
type bulkAction struct {
	value, label string // form value, menu label
	ask, yes     string // "Publish %s?", "Yes, publish %s", %s being "3 hotlines"
	done         string // "published", for "Published: 3 hotlines."
	allowed      func(*entrySpec) bool
	// unchanged reports an entry the action would not change (already published).
	unchanged func(view.ListRow) bool
}

var bulkActionList = []bulkAction{
	{"verify", "Mark verified today", "Mark %s verified today?", "Yes, mark %s verified", "marked verified",
		func(s *entrySpec) bool { return s.verify }, func(view.ListRow) bool { return false }},
	{"publish", "Publish", "Publish %s?", "Yes, publish %s", "published",
		func(s *entrySpec) bool { return s.status }, func(r view.ListRow) bool { return r.Status == directory.StatusPublished }},
	{"unpublish", "Unpublish (back to draft)", "Unpublish %s?", "Yes, unpublish %s", "unpublished",
		func(s *entrySpec) bool { return s.status }, func(r view.ListRow) bool { return r.Status == directory.StatusDraft }},
	{"trash", "Move to the trash", "Move %s to the trash?", "Yes, move %s to the trash", "moved to the trash",
		func(s *entrySpec) bool { return s.trash }, func(r view.ListRow) bool { return r.Trashed }},
}

// bulkActions are the actions a section's list offers.
func bulkActions(s *entrySpec) []view.Option {
	var out []view.Option
	for _, a := range bulkActionList {
		if a.allowed(s) {
			out = append(out, view.Option{Value: a.value, Label: a.label})
		}
	}
	return out
}

// handleBulk shows what a bulk action will change (confirm absent) or does it (confirm=1).
func (h *Handler) handleBulk(w http.ResponseWriter, r *http.Request) {
	s, ok := h.section(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		h.error(w, r, directory.Errorf(directory.EINVALID, "The form could not be read."))
		return
	}
	list := "/admin/" + s.section
	var act *bulkAction
	for i, a := range bulkActionList {
		if a.value == r.PostForm.Get("action") && a.allowed(s) {
			act = &bulkActionList[i]
		}
	}
	if act == nil {
		h.redirect(w, r, list, "Choose what to do with the entries you tick.")
		return
	}
	field := "id"
	if r.PostForm.Get("scope") == "all" {
		field = "shown"
	}
	rows, err := s.list(ctx)
	if err != nil {
		h.error(w, r, err)
		return
	}
	byID := map[int64]view.ListRow{}
	for _, row := range rows {
		byID[row.ID] = row
	}
	var change, same []view.ListRow
	seen := map[int64]bool{}
	for _, v := range r.PostForm[field] {
		id, err := strconv.ParseInt(v, 10, 64)
		row, ok := byID[id]
		if err != nil || !ok || seen[id] {
			continue // not an entry of this list (any more): nothing to do to it
		}
		seen[id] = true
		if act.unchanged(row) {
			same = append(same, row)
		} else {
			change = append(change, row)
		}
	}
	if len(change)+len(same) > maxBulk {
		h.error(w, r, directory.Errorf(directory.EINVALID, "At most %d entries can be changed at once. Tick fewer, or narrow the list first.", maxBulk))
		return
	}
	if len(change) == 0 {
		msg := "Tick at least one entry first, or use the button for every entry shown."
		if len(same) > 0 {
			msg = "Nothing to change: every entry you chose is " + act.done + " already."
		}
		h.redirect(w, r, list, msg)
		return
	}
	what := strconv.Itoa(len(change)) + " " + s.one
	if len(change) != 1 {
		what = strconv.Itoa(len(change)) + " " + entryNounPlural(s.table, s.kind)
		if s.kind == "" {
			what = strconv.Itoa(len(change)) + " " + pluralOf(s.one)
		}
	}
	if r.PostForm.Get("confirm") != "1" {
		ask := fmt.Sprintf(act.ask, what)
		vm := view.BulkVM{Page: h.page(r, ask, s.section), Heading: ask, Action: "/admin/" + s.section + "/bulk", Back: list,
			Value: act.value, Button: fmt.Sprintf(act.yes, what), Change: change, Same: same, SameText: act.done + " already"}
		h.render(w, r, http.StatusOK, view.BulkConfirm(vm))
		return
	}
	by := actor(ctx)
	done, failed := 0, 0
	for _, row := range change {
		var err error
		switch act.value {
		case "verify":
			err = h.st.MarkListingVerified(ctx, row.ID, by)
		case "publish":
			err = h.st.SetEntryStatus(ctx, s.table, row.ID, directory.StatusPublished, by)
		case "unpublish":
			err = h.st.SetEntryStatus(ctx, s.table, row.ID, directory.StatusDraft, by)
		case "trash":
			err = h.st.TrashEntry(ctx, s.table, row.ID, true, by)
		}
		if err != nil {
			failed++
			if directory.ErrorCode(err) == directory.EINTERNAL || directory.ErrorCode(err) == "" {
				h.log.Error("bulk", "action", act.value, "entity", s.table, "id", row.ID, "err", err)
			}
			continue
		}
		done++
		auditAction, detail := act.value, "bulk"
		if act.value == "trash" {
			auditAction, detail = "delete", "moved to trash (bulk)"
		}
		h.audit(r, auditAction, s.table, row.ID, detail)
	}
	flash := capitalise(act.done) + ": " + what + "."
	if failed > 0 {
		flash = capitalise(act.done) + ": " + strconv.Itoa(done) + " of " + what + ". " + strconv.Itoa(failed) +
			" could not be changed (perhaps someone else just changed them): check them in the list."
	}
	h.redirect(w, r, list, flash)
}

// pluralOf is the plural of one of our nouns ("industry" → "industries", "sign" → "signs").
func pluralOf(noun string) string {
	if n := len(noun); n > 1 && noun[n-1] == 'y' && !isVowel(noun[n-2]) {
		return noun[:n-1] + "ies"
	}
	return noun + "s"
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }
