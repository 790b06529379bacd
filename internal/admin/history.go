package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// History: every revision of an entry as a field-by-field diff of its snapshots, and
// restoring any of them as a new revision.

func (h *Handler) handleHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	entity, id, lang, err := entryParams(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if lang == "" {
		lang = store.DefaultLang
	} else if h.cat.Get(lang) == nil {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such language."))
		return
	}
	s, err := h.specFor(ctx, entity, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	revs, err := h.st.ListRevisions(ctx, entity, id, lang)
	if err != nil {
		h.error(w, r, err)
		return
	}
	vm := view.HistoryVM{Page: h.pageWithFlash(r, "History", s.section), Back: s.editPath(id)}
	vm.Heading = "History"
	if d, err := s.load(ctx, id); err == nil && d.Name != "" {
		vm.Heading = "History of " + d.Name
	}
	if lang != store.DefaultLang {
		vm.Heading += " (" + h.cat.Get(lang).Name + ")"
		vm.Back = translatePath(entity, id, lang)
	}
	for i, rev := range revs {
		var older json.RawMessage
		if i+1 < len(revs) {
			older = revs[i+1].Data
		}
		by := rev.UserEmail
		if by == "" {
			by = "unknown"
		}
		vm.Revisions = append(vm.Revisions, view.Revision{ID: rev.ID, Version: rev.Version, Action: rev.Action, By: by,
			At: strings.Replace(rev.CreatedAt, "T", " ", 1), Lang: rev.Lang, Changes: diffJSON(older, rev.Data, s.labels)})
	}
	h.render(w, r, http.StatusOK, view.History(vm))
}

// ignoredFields change on every save or say nothing to staff; the history leaves them out.
var ignoredFields = map[string]bool{"Version": true, "UpdatedAt": true, "CreatedAt": true, "ID": true, "Lang": true,
	"Untranslated": true, "ListingID": true}

// diffJSON compares two revision snapshots field by field (nested values flattened to
// "Channels.0.Number"), returning what changed from older to newer.
func diffJSON(older, newer json.RawMessage, labels map[string]string) []view.DiffRow {
	a, b := map[string]string{}, map[string]string{}
	if len(older) > 0 {
		var v any
		if json.Unmarshal(older, &v) == nil {
			flatten("", v, a)
		}
	}
	var v any
	if json.Unmarshal(newer, &v) == nil {
		flatten("", v, b)
	}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []view.DiffRow
	for _, k := range sorted {
		if a[k] != b[k] {
			out = append(out, view.DiffRow{Field: fieldLabel(k, labels), Before: a[k], After: b[k]})
		}
	}
	return out
}

// fieldLabel names a snapshot field the way the form does: "Summary", "Way 2, number".
func fieldLabel(key string, labels map[string]string) string {
	parts := strings.Split(key, ".")
	if len(parts) == 3 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			switch parts[0] {
			case "Channels":
				return fmt.Sprintf("Way %d, %s", n+1, strings.ToLower(camelToSnake(parts[2])))
			}
		}
	}
	if len(parts) == 2 {
		if n, err := strconv.Atoi(parts[1]); err == nil {
			switch parts[0] {
			case "Terms":
				return fmt.Sprintf("Filter %d", n+1)
			case "Also":
				return fmt.Sprintf("Other line %d", n+1)
			}
		}
	}
	if len(parts) == 1 {
		// By JSON name (as the forms label them), or by the form name it spells.
		if l := labels[key]; l != "" {
			return l
		} else if l := labels[camelToSnake(key)]; l != "" {
			return l
		}
	}
	return strings.ReplaceAll(camelToSnake(key), "_", " ")
}

// camelToSnake turns a Go field name into a form field name: "SourceURL" → "source_url".
func camelToSnake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			if prevLower || (nextLower && rs[i-1] >= 'A' && rs[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		// A term or a reference to another entry reads as its name.
		_, isTerm := x["Taxonomy"]
		_, isRef := x["Kind"]
		if name, ok := x["Name"].(string); ok && prefix != "" && (isTerm || isRef) && len(x) <= 4 {
			out[prefix] = name
			return
		}
		for k, vv := range x {
			if ignoredFields[k] {
				continue
			}
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, vv, out)
		}
	case []any:
		for i, vv := range x {
			flatten(prefix+"."+strconv.Itoa(i), vv, out)
		}
	case nil:
	case string:
		if x != "" && x != "0001-01-01T00:00:00Z" {
			out[prefix] = x
		}
	case bool:
		if x {
			out[prefix] = "yes"
		}
	default:
		s := fmt.Sprint(x)
		if s != "0" {
			out[prefix] = s
		}
	}
}

func (h *Handler) handleRestore(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	revID, err := idParam(r, "rev")
	if err == nil {
		var rev *store.Revision
		if rev, err = h.st.FindRevision(ctx, revID); err == nil && rev.Entity == "settings" && rev.Lang == store.DefaultLang && userFrom(ctx).Role != directory.RoleAdmin {
			// The settings are admins' only (the quick exit, the emergency number): their
			// history too.
			err = directory.Errorf(directory.EUNAUTHORIZED, "Only an administrator can change the site settings.")
		} else if err == nil {
			if err = h.st.RestoreRevision(ctx, revID, actor(ctx)); err == nil {
				h.audit(r, "restore", rev.Entity, rev.EntityID, fmt.Sprintf("version %d (%s)", rev.Version, rev.Lang))
				to := "/admin/settings"
				if rev.Lang != store.DefaultLang {
					to = translatePath(rev.Entity, rev.EntityID, rev.Lang)
				} else if s, serr := h.specFor(ctx, rev.Entity, rev.EntityID); serr == nil {
					to = s.editPath(rev.EntityID)
				}
				h.redirect(w, r, to, fmt.Sprintf("Version %d restored, as a new version: this too can be undone from the history.", rev.Version))
				return
			}
		}
	}
	h.error(w, r, err)
}
