package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

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

// --- history and restore ---

func (h *Handler) handleHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	entity := chi.URLParam(r, "entity")
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 0 {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such entry."))
		return
	}
	lang := chi.URLParam(r, "lang")
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
		vm.Back = "/admin/translate/" + entity + "/" + strconv.FormatInt(id, 10) + "/" + lang
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
	if l := labels[camelToSnake(parts[0])]; l != "" && len(parts) == 1 {
		return l
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
		if rev, err = h.st.FindRevision(ctx, revID); err == nil {
			if err = h.st.RestoreRevision(ctx, revID, actor(ctx)); err == nil {
				h.audit(r, "restore", rev.Entity, rev.EntityID, fmt.Sprintf("version %d (%s)", rev.Version, rev.Lang))
				to := "/admin/settings"
				if rev.Lang != store.DefaultLang {
					to = "/admin/translate/" + rev.Entity + "/" + strconv.FormatInt(rev.EntityID, 10) + "/" + rev.Lang
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

// --- accounts ---

func (h *Handler) usersVM(r *http.Request, d map[string]string, errs map[string]string) (view.UsersVM, error) {
	users, err := h.st.ListUsers(r.Context())
	if err != nil {
		return view.UsersVM{}, err
	}
	b := formBuilder{d: &entryData{Values: d}, errs: errs}
	if d["role"] == "" {
		d["role"] = "editor"
	}
	email := b.f("email", "Email", "email", "", true, 254)
	email.Auto = "off"
	pw := b.f("password", "First password", "password", fmt.Sprintf("At least %d characters. Give it to the person privately; they can change it.", MinPasswordLength), true, maxPasswordLength)
	pw.Value, pw.Auto = "", "new-password"
	vm := view.UsersVM{Page: h.pageWithFlash(r, "Accounts", "users"), Users: users, Self: userFrom(r.Context()).ID,
		Form: []view.Field{email, b.sel("role", "Role", "Editors edit content. Admins also manage accounts and see the audit log.",
			[]view.Option{{Value: "editor", Label: "Editor"}, {Value: "admin", Label: "Admin"}}), pw}}
	vm.Errors = errorList(vm.Form, nil, errs)
	return vm, nil
}

func (h *Handler) handleUsers(w http.ResponseWriter, r *http.Request) {
	vm, err := h.usersVM(r, map[string]string{}, nil)
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.Users(vm))
}

func (h *Handler) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")), "role": r.PostFormValue("role")}
	pw := r.PostFormValue("password")
	errs := map[string]string{}
	if msg := CheckPasswordStrength(pw, d["email"]); msg != "" {
		errs["password"] = msg
	}
	u := &directory.User{Email: d["email"], Role: directory.Role(d["role"])}
	if len(errs) == 0 {
		hash, err := HashPassword(pw)
		if err != nil {
			h.error(w, r, err)
			return
		}
		u.PasswordHash = hash
		err = h.st.CreateUser(ctx, u)
		if e, ok := err.(*directory.Error); ok && e.Code == directory.EINVALID {
			errs = e.Fields
		} else if err != nil {
			h.error(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		vm, err := h.usersVM(r, d, errs)
		if err != nil {
			h.error(w, r, err)
			return
		}
		h.render(w, r, http.StatusBadRequest, view.Users(vm))
		return
	}
	h.audit(r, "account_create", "users", u.ID, u.Email+" as "+string(u.Role))
	h.redirect(w, r, "/admin/users", "Account added for "+u.Email+".")
}

func (h *Handler) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := idParam(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if id == userFrom(ctx).ID {
		h.error(w, r, directory.Errorf(directory.EINVALID, "You cannot change your own role or disable yourself here: ask another admin."))
		return
	}
	u, err := h.st.FindUserByID(ctx, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	var detail string
	if v := r.PostFormValue("role"); v != "" {
		u.Role = directory.Role(v)
		detail = "role " + v
	}
	if v := r.PostFormValue("disabled"); v != "" {
		u.Disabled = v == "1"
		detail = map[bool]string{true: "disabled", false: "enabled"}[u.Disabled]
	}
	u.PasswordHash = "" // unchanged unless a new password is set
	if pw := r.PostFormValue("password"); pw != "" {
		if msg := CheckPasswordStrength(pw, u.Email); msg != "" {
			h.error(w, r, directory.Errorf(directory.EINVALID, "The password was not changed. %s", msg))
			return
		}
		if u.PasswordHash, err = HashPassword(pw); err != nil {
			h.error(w, r, err)
			return
		}
		detail = "password set"
	}
	// An admin cannot change their own account here (above), so at least one active admin,
	// the one making the change, always remains.
	if err := h.st.UpdateUser(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "account_update", "users", u.ID, u.Email+": "+detail)
	h.redirect(w, r, "/admin/users", "Account "+u.Email+" changed.")
}

func (h *Handler) accountForm(r *http.Request, errs map[string]string) view.FormVM {
	f := func(name, label, auto, hint string) view.Field {
		return view.Field{Name: name, Label: label, Type: "password", Auto: auto, Required: true, Hint: hint, Error: errs[name], Max: maxPasswordLength}
	}
	vm := view.FormVM{Page: h.pageWithFlash(r, "My password", ""), Heading: "Change my password", Action: "/admin/account",
		Fields: []view.Field{f("current", "Current password", "current-password", ""),
			f("password", "New password", "new-password", fmt.Sprintf("At least %d characters. A few unrelated words make a good one.", MinPasswordLength))}}
	vm.Errors = errorList(vm.Fields, nil, errs)
	return vm
}

func (h *Handler) handleAccountForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, view.SimpleForm(h.accountForm(r, nil)))
}

func (h *Handler) handleAccount(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	errs := map[string]string{}
	if ok, _ := VerifyPassword(u.PasswordHash, r.PostFormValue("current")); !ok {
		errs["current"] = "This is not your current password."
	}
	pw := r.PostFormValue("password")
	if msg := CheckPasswordStrength(pw, u.Email); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		h.render(w, r, http.StatusBadRequest, view.SimpleForm(h.accountForm(r, errs)))
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		h.error(w, r, err)
		return
	}
	u.PasswordHash = hash
	if err := h.st.UpdateUser(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.error(w, r, err)
		return
	}
	// This session goes on with the new password; every other one of this account ends.
	h.sessions.Put(ctx, sessPassword, passwordTag(u.PasswordHash))
	h.audit(r, "password_change", "users", u.ID, "")
	h.redirect(w, r, "/admin/", "Your password is changed.")
}

func (h *Handler) handleAudit(w http.ResponseWriter, r *http.Request) {
	const per = 100
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	entries, err := h.st.ListAudit(r.Context(), per, (page-1)*per)
	if err != nil {
		h.error(w, r, err)
		return
	}
	vm := view.AuditVM{Page: h.page(r, "Audit log", "audit"), Entries: entries}
	if len(entries) == per {
		vm.Next = "/admin/audit?page=" + strconv.Itoa(page+1)
	}
	h.render(w, r, http.StatusOK, view.Audit(vm))
}

// --- visitors' suggestions ---

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
	id, err := idParam(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	c, err := h.st.FindCorrection(r.Context(), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	http.Redirect(w, r, h.entryPath("listings", c.Listing.Kind, c.ListingID)+"?correction="+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func (h *Handler) handleCorrectionDismiss(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err == nil {
		err = h.st.SetCorrectionStatus(r.Context(), id, directory.CorrectionDismissed, actor(r.Context()))
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "suggestion_dismiss", "corrections", id, "")
	h.redirect(w, r, "/admin/corrections", "Suggestion dismissed.")
}

// --- translations ---

func (h *Handler) translateVM(r *http.Request) (view.TranslateVM, *entrySpec, *entryData, int64, error) {
	ctx := r.Context()
	entity, lang := chi.URLParam(r, "entity"), chi.URLParam(r, "lang")
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	l := h.cat.Get(lang)
	if err != nil || id < 0 || l == nil || l == h.cat.Default {
		return view.TranslateVM{}, nil, nil, 0, directory.Errorf(directory.ENOTFOUND, "There is no such translation.")
	}
	s, err := h.specFor(ctx, entity, id)
	if err != nil {
		return view.TranslateVM{}, nil, nil, 0, err
	}
	if len(s.translatable) == 0 {
		return view.TranslateVM{}, nil, nil, 0, directory.Errorf(directory.ENOTFOUND, "This entry has no text to translate.")
	}
	d, err := s.load(ctx, id)
	if err != nil {
		return view.TranslateVM{}, nil, nil, 0, err
	}
	base := "/admin/translate/" + entity + "/" + strconv.FormatInt(id, 10) + "/" + lang
	vm := view.TranslateVM{Page: h.pageWithFlash(r, "Translate", s.section), Heading: l.Name + ": " + d.Name,
		Lang: view.LangLink{Tag: l.Tag, Name: l.Name, Path: base}, Action: base, Back: s.editPath(id),
		History: "/admin/history/" + entity + "/" + strconv.FormatInt(id, 10) + "/" + lang}
	return vm, s, d, id, nil
}

// translationLimit is the longest translation of a field: its English limit.
func translationLimit(field string) int {
	switch field {
	case "body":
		return directory.MaxBody
	case "summary", "description", "detail", "text":
		return directory.MaxSummary
	case "name", "title", "measure", "site_name", "region":
		return directory.MaxName
	}
	return directory.MaxShort
}

// trUnit is one translatable text: a field of the entry, or of one of a listing's channels.
type trUnit struct {
	entity  string
	id      int64
	field   string
	english string
	name    string // the form control's name
	label   string
}

// translationUnits lists what the translation screen of entry id shows, in order.
func (h *Handler) translationUnits(ctx context.Context, s *entrySpec, d *entryData, id int64) ([]trUnit, error) {
	var out []trUnit
	for _, f := range s.translatable {
		label := s.labels[f]
		if label == "" {
			label = f
		}
		out = append(out, trUnit{entity: s.table, id: id, field: f, english: d.Values[f], name: "t." + f, label: label})
	}
	if s.kind != "" {
		l, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
		if err != nil {
			return nil, err
		}
		for i, c := range l.Channels {
			for _, f := range []struct{ field, english, label string }{{"label", c.Label, "label"}, {"hours", c.Hours, "hours"}} {
				if f.english != "" {
					out = append(out, trUnit{entity: "channels", id: c.ID, field: f.field, english: f.english,
						name: "c." + strconv.FormatInt(c.ID, 10) + "." + f.field, label: "Way " + strconv.Itoa(i+1) + ", " + f.label})
				}
			}
		}
	}
	return out, nil
}

// storedTranslations reads the current translations of every unit, by control name, and
// whether any is flagged for review.
func (h *Handler) storedTranslations(ctx context.Context, units []trUnit, lang string) (map[string]string, bool, error) {
	values := map[string]string{}
	review := false
	seen := map[string]map[string]string{}
	for _, u := range units {
		key := u.entity + "/" + strconv.FormatInt(u.id, 10)
		if seen[key] == nil {
			m, r, err := h.st.Translations(ctx, u.entity, u.id, lang)
			if err != nil {
				return nil, false, err
			}
			seen[key], review = m, review || r
		}
		values[u.name] = seen[key][u.field]
	}
	return values, review, nil
}

func (h *Handler) translateRows(vm *view.TranslateVM, units []trUnit, values map[string]string, errs map[string]string) {
	for _, u := range units {
		typ := "text"
		switch u.field {
		case "body", "summary", "description", "detail", "text":
			typ = "textarea"
		}
		fld := view.Field{Name: u.name, Label: u.label + " (" + vm.Lang.Name + ")", Type: typ, Value: values[u.name], Error: errs[u.name],
			Max: translationLimit(u.field), Rows: 3}
		if u.field == "body" {
			fld.Rows = 14
		}
		vm.Rows = append(vm.Rows, view.TranslateRow{Field: fld, English: u.english})
	}
	vm.Errors = nil
	for _, row := range vm.Rows {
		if row.Field.Error != "" {
			vm.Errors = append(vm.Errors, view.FieldError{ID: row.Field.ID(), Message: row.Field.Label + ": " + row.Field.Error})
		}
	}
}

func (h *Handler) handleTranslateForm(w http.ResponseWriter, r *http.Request) {
	vm, s, d, id, err := h.translateVM(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	units, err := h.translationUnits(r.Context(), s, d, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	values, review, err := h.storedTranslations(r.Context(), units, vm.Lang.Tag)
	if err != nil {
		h.error(w, r, err)
		return
	}
	empty := true
	for _, v := range values {
		empty = empty && v == ""
	}
	vm.NeedsReview = review || empty
	if vm.Version, err = h.translationVersion(r.Context(), s.table, id, vm.Lang.Tag); err != nil {
		h.error(w, r, err)
		return
	}
	if form := h.popPendingForm(r); form != nil {
		vm.Version, _ = strconv.Atoi(form.Get("version"))
		for _, u := range units {
			values[u.name] = form.Get(u.name)
		}
		vm.NeedsReview = form.Get("needs_review") == "1"
		vm.Flash = restoredMessage
	}
	h.translateRows(&vm, units, values, nil)
	h.render(w, r, http.StatusOK, view.Translate(vm))
}

// handleTranslateSave saves the entry's text in one language, and each of its channels'
// labels that changed, each as its own revision.
func (h *Handler) handleTranslateSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vm, s, d, id, err := h.translateVM(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	units, err := h.translationUnits(ctx, s, d, id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	stored, storedReview, err := h.storedTranslations(ctx, units, vm.Lang.Tag)
	if err != nil {
		h.error(w, r, err)
		return
	}
	values := map[string]string{}
	errs := map[string]string{}
	for _, u := range units {
		v := textareaValue(r.PostFormValue(u.name))
		if u.field != "body" {
			v = strings.TrimSpace(v)
		}
		if len([]rune(v)) > translationLimit(u.field) {
			errs[u.name] = "This is too long."
		}
		values[u.name] = v
	}
	vm.NeedsReview = r.PostFormValue("needs_review") == "1"
	// Someone else saved this language since the form was opened: refuse, and show both.
	cur, err := h.translationVersion(ctx, s.table, id, vm.Lang.Tag)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if sent, _ := strconv.Atoi(r.PostFormValue("version")); sent != cur && len(errs) == 0 {
		var rows []view.DiffRow
		for _, u := range units {
			if strings.TrimSpace(stored[u.name]) != strings.TrimSpace(values[u.name]) {
				rows = append(rows, view.DiffRow{Field: u.label, Before: stored[u.name], After: values[u.name]})
			}
		}
		vm.Version, vm.Conflict = cur, &view.Conflict{Rows: rows}
		h.translateRows(&vm, units, values, nil)
		h.render(w, r, http.StatusConflict, view.Translate(vm))
		return
	}
	if len(errs) == 0 {
		type group struct {
			entity  string
			id      int64
			fields  map[string]string
			changed bool
		}
		var groups []*group
		byKey := map[string]*group{}
		for _, u := range units {
			key := u.entity + "/" + strconv.FormatInt(u.id, 10)
			g := byKey[key]
			if g == nil {
				g = &group{entity: u.entity, id: u.id, fields: map[string]string{}, changed: u.entity == s.table || vm.NeedsReview != storedReview}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.fields[u.field] = values[u.name]
			g.changed = g.changed || values[u.name] != stored[u.name]
		}
		for _, g := range groups {
			if !g.changed {
				continue
			}
			if err = h.st.SaveTranslations(ctx, g.entity, g.id, vm.Lang.Tag, g.fields, vm.NeedsReview, actor(ctx)); err != nil {
				break
			}
		}
		if err == nil {
			h.audit(r, "translate", s.table, id, vm.Lang.Tag)
			h.redirect(w, r, vm.Action, vm.Lang.Name+" saved.")
			return
		}
		if directory.ErrorCode(err) != directory.EINVALID {
			h.error(w, r, err)
			return
		}
		errs[units[0].name] = directory.ErrorMessage(err)
	}
	vm.Version = cur
	h.translateRows(&vm, units, values, errs)
	h.render(w, r, http.StatusBadRequest, view.Translate(vm))
}

// translationVersion counts the saves of an entry's text in lang: the version a translation
// form starts from. The check is made just before saving, not in the same transaction: the
// window is a few milliseconds, and every save is a revision, so even a lost race loses
// nothing.
func (h *Handler) translationVersion(ctx context.Context, entity string, id int64, lang string) (int, error) {
	revs, err := h.st.ListRevisions(ctx, entity, id, lang)
	return len(revs), err
}
