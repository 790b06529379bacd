package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// Translation screens: each translatable field beside its English, per language, with a
// "needs review" flag and a conflict check like every other save.

// entryParams reads the {entity}, {id} (0 is the settings) and {lang} ("" when the path
// has none) of a translation or history path.
func entryParams(r *http.Request) (entity string, id int64, lang string, err error) {
	id, err = strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 0 {
		return "", 0, "", directory.Errorf(directory.ENOTFOUND, "There is no such entry.")
	}
	return chi.URLParam(r, "entity"), id, chi.URLParam(r, "lang"), nil
}

// translatePath is the translation screen of entity id into lang; historyPath its history
// (in English when lang is "").
func translatePath(entity string, id int64, lang string) string {
	return "/admin/translate/" + entity + "/" + strconv.FormatInt(id, 10) + "/" + lang
}

func historyPath(entity string, id int64, lang string) string {
	p := "/admin/history/" + entity + "/" + strconv.FormatInt(id, 10)
	if lang != "" {
		p += "/" + lang
	}
	return p
}

func (h *Handler) translateVM(r *http.Request) (view.TranslateVM, *entrySpec, *entryData, int64, error) {
	ctx := r.Context()
	entity, id, lang, err := entryParams(r)
	l := h.cat.Get(lang)
	if err != nil || l == nil || l == h.cat.Default {
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
	base := translatePath(entity, id, lang)
	vm := view.TranslateVM{Page: h.pageWithFlash(r, "Translate", s.section), Heading: l.Name + ": " + d.Name,
		Lang: view.LangLink{Tag: l.Tag, Name: l.Name, Path: base}, Action: base, Back: s.editPath(id),
		History: historyPath(entity, id, lang)}
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
	channel *directory.Channel // the channel a unit belongs to, if any
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
		for i := range l.Channels {
			c := &l.Channels[i]
			for _, f := range c.TextFields() {
				if *f.Text != "" {
					out = append(out, trUnit{entity: "channels", id: c.ID, field: f.Name, english: *f.Text,
						name: "c." + strconv.FormatInt(c.ID, 10) + "." + f.Name, label: "Way " + strconv.Itoa(i+1) + ", " + f.Name, channel: c})
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

// storedSources reads the English each unit's stored translation was made from, by control
// name (only those known).
func (h *Handler) storedSources(ctx context.Context, units []trUnit, lang string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]map[string]string{}
	for _, u := range units {
		key := u.entity + "/" + strconv.FormatInt(u.id, 10)
		if seen[key] == nil {
			m, err := h.st.TranslationSources(ctx, u.entity, u.id, lang)
			if err != nil {
				return nil, err
			}
			seen[key] = m
		}
		if src, ok := seen[key][u.field]; ok {
			out[u.name] = src
		}
	}
	return out, nil
}

// translateRows fills the form's rows; sources (from storedSources) flag each translation
// made from English that has changed since.
func (h *Handler) translateRows(vm *view.TranslateVM, units []trUnit, values, sources, errs map[string]string) {
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
		row := view.TranslateRow{Field: fld, English: u.english}
		if src, ok := sources[u.name]; ok && src != u.english && values[u.name] != "" {
			row.Stale, row.From = true, src
		}
		vm.Rows = append(vm.Rows, row)
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
	sources, err := h.storedSources(r.Context(), units, vm.Lang.Tag)
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
	h.translateRows(&vm, units, values, sources, nil)
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
	sources, err := h.storedSources(ctx, units, vm.Lang.Tag)
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
		} else if u.channel != nil && u.field == "label" {
			// A translated label is read as the line's label: it may not name another number.
			if msg := u.channel.LabelProblem(v); msg != "" {
				errs[u.name] = msg
			}
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
		h.translateRows(&vm, units, values, sources, nil)
		h.render(w, r, http.StatusConflict, view.Translate(vm))
		return
	}
	if len(errs) == 0 {
		type group struct {
			entity  string
			id      int64
			fields  map[string]string
			english map[string]string // what each field is translated from: the English now
			changed bool
		}
		var groups []*group
		byKey := map[string]*group{}
		for _, u := range units {
			key := u.entity + "/" + strconv.FormatInt(u.id, 10)
			g := byKey[key]
			if g == nil {
				g = &group{entity: u.entity, id: u.id, fields: map[string]string{}, english: map[string]string{}, changed: u.entity == s.table || vm.NeedsReview != storedReview}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.fields[u.field], g.english[u.field] = values[u.name], u.english
			// A stale translation saved again, even unchanged, is now checked against the English.
			g.changed = g.changed || values[u.name] != stored[u.name] || (values[u.name] != "" && sources[u.name] != u.english)
		}
		for _, g := range groups {
			if !g.changed {
				continue
			}
			if err = h.st.SaveTranslationsFrom(ctx, g.entity, g.id, vm.Lang.Tag, g.fields, g.english, vm.NeedsReview, actor(ctx)); err != nil {
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
	h.translateRows(&vm, units, values, sources, errs)
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
