package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// Search words (synonyms) and "What visitors searched for". Staff see which searches find
// nothing, and add the words visitors use in one step; every save is a revision that can be
// restored.

// synonymFields is the form of a synonym, with its values and per-field errors.
func synonymFields(x directory.Synonym, errs map[string]string) []view.Field {
	if x.Lang == "" {
		x.Lang = store.DefaultLang
	}
	return []view.Field{
		{Name: "lang", Label: "Language of the search", Type: "select", Required: true, Error: errs["lang"],
			Options: []view.Option{{Value: "en", Label: "English", Selected: x.Lang == "en"}, {Value: "es", Label: "Spanish", Selected: x.Lang == "es"}}},
		{Name: "words", Label: "Visitors search for", Type: "text", Required: true, Max: 100, Value: x.Words, Error: errs["words"],
			Hint: `A word or a few words, as visitors type them: "boss", "took my passport".`},
		{Name: "means", Label: "Also find", Type: "text", Required: true, Max: 500, Value: strings.Join(x.Means, ", "), Error: errs["means"],
			Hint: `Words the site uses for the same thing, separated by commas: "employer, supervisor".`},
	}
}

func synonymFromForm(r *http.Request) directory.Synonym {
	return directory.Synonym{Lang: r.PostFormValue("lang"), Words: r.PostFormValue("words"),
		Means: strings.Split(r.PostFormValue("means"), ",")}
}

// synonymErrors lists a failed save's per-field messages, in the form's order, for the
// summary at the top.
func synonymErrors(fields []view.Field) []view.FieldError {
	var out []view.FieldError
	for _, f := range fields {
		if f.Error != "" {
			out = append(out, view.FieldError{ID: f.ID(), Message: f.Error})
		}
	}
	return out
}

func (h *Handler) handleSynonyms(w http.ResponseWriter, r *http.Request) {
	h.renderSynonyms(w, r, http.StatusOK, directory.Synonym{}, nil, "")
}

func (h *Handler) renderSynonyms(w http.ResponseWriter, r *http.Request, status int, x directory.Synonym, errs map[string]string, msg string) {
	list, err := h.st.ListSynonyms(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	page := h.pageWithFlash(r, "Search words", "search-words")
	fields := synonymFields(x, errs)
	vm := view.SynonymsVM{Page: page, Synonyms: list, Form: view.SynonymFormVM{Page: page, Action: "/admin/search-words",
		Fields: fields, Errors: synonymErrors(fields), Message: msg}}
	h.render(w, r, status, view.Synonyms(vm))
}

// handleSynonymCreate adds search words, from the list's form or in one step from a row of
// "What visitors searched for". Bad input shows the form again with what was typed.
func (h *Handler) handleSynonymCreate(w http.ResponseWriter, r *http.Request) {
	x := synonymFromForm(r)
	if err := h.st.SaveSynonym(r.Context(), &x, actor(r.Context())); err != nil {
		var e *directory.Error
		if errors.As(err, &e) && e.Code == directory.EINVALID {
			h.renderSynonyms(w, r, http.StatusBadRequest, x, e.Fields, e.Message)
			return
		}
		h.error(w, r, err)
		return
	}
	h.audit(r, "synonym_create", store.SynonymEntity, x.ID, x.Words)
	h.redirect(w, r, "/admin/search-words", `Saved: searches for "`+x.Words+`" also find `+strings.Join(x.Means, ", ")+".")
}

func (h *Handler) handleSynonymForm(w http.ResponseWriter, r *http.Request) {
	x, ok := withParam(h, w, r, "id", h.st.FindSynonym)
	if !ok {
		return
	}
	h.renderSynonymEdit(w, r, http.StatusOK, *x, nil, "")
}

func (h *Handler) renderSynonymEdit(w http.ResponseWriter, r *http.Request, status int, x directory.Synonym, errs map[string]string, msg string) {
	revs, err := h.st.ListRevisions(r.Context(), store.SynonymEntity, x.ID, store.DefaultLang)
	if err != nil {
		h.error(w, r, err)
		return
	}
	fields := synonymFields(x, errs)
	vm := view.SynonymFormVM{Page: h.pageWithFlash(r, "Edit search words", "search-words"), ID: x.ID, Version: x.Version,
		Action: "/admin/search-words/" + strconv.FormatInt(x.ID, 10), Fields: fields, Errors: synonymErrors(fields), Message: msg}
	for _, rev := range revs {
		vm.History = append(vm.History, view.SynonymRevision{ID: rev.ID, When: strings.Replace(strings.TrimSuffix(rev.CreatedAt, "Z"), "T", " ", 1),
			Who: rev.UserEmail, Action: rev.Action, Summary: revisionSummary(rev)})
	}
	h.render(w, r, status, view.SynonymEdit(vm))
}

// revisionSummary is a synonym revision in one line: "boss → employer, supervisor".
func revisionSummary(rev store.Revision) string {
	var x directory.Synonym
	if err := json.Unmarshal(rev.Data, &x); err != nil {
		return ""
	}
	return x.Words + " → " + strings.Join(x.Means, ", ")
}

func (h *Handler) handleSynonymUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	x := synonymFromForm(r)
	x.ID = id
	x.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if err := h.st.SaveSynonym(r.Context(), &x, actor(r.Context())); err != nil {
		var e *directory.Error
		if errors.As(err, &e) && (e.Code == directory.EINVALID || e.Code == directory.ECONFLICT) {
			h.renderSynonymEdit(w, r, directory.HTTPStatus(err), x, e.Fields, e.Message)
			return
		}
		h.error(w, r, err)
		return
	}
	h.audit(r, "synonym_update", store.SynonymEntity, x.ID, x.Words)
	h.redirect(w, r, "/admin/search-words/"+strconv.FormatInt(id, 10), "Saved.")
}

func (h *Handler) handleSynonymDelete(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	id, ok := withParam(h, w, r, "id", func(ctx context.Context, id int64) (int64, error) {
		return id, h.st.DeleteSynonym(ctx, id, version, actor(ctx))
	})
	if !ok {
		return
	}
	h.audit(r, "synonym_delete", store.SynonymEntity, id, "")
	h.redirect(w, r, "/admin/search-words", "Deleted. Its history keeps it, if you need it back.")
}

func (h *Handler) handleSynonymRestore(w http.ResponseWriter, r *http.Request) {
	id, ok := withParam(h, w, r, "rev", func(ctx context.Context, rev int64) (int64, error) {
		return h.st.RestoreSynonymRevision(ctx, rev, actor(ctx))
	})
	if !ok {
		return
	}
	h.audit(r, "synonym_restore", store.SynonymEntity, id, "")
	h.redirect(w, r, "/admin/search-words/"+strconv.FormatInt(id, 10), "Restored.")
}

func (h *Handler) handleSearchLog(w http.ResponseWriter, r *http.Request) {
	// What is still in memory goes to the table first, so the screen is current.
	if err := h.st.FlushSearchLog(r.Context()); err != nil {
		h.log.Warn("writing search counts", "err", err)
	}
	rows, err := h.st.ListSearchLog(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.SearchLog(view.SearchLogVM{Page: h.pageWithFlash(r, "What visitors searched for", "searches"),
		Rows: rows, Min: directory.SearchLogMin, Days: directory.SearchLogDays}))
}
