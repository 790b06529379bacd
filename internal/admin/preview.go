package admin

import (
	"net/http"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// The page preview: a listing, saved or only typed, shown exactly as the public would see
// it, in any language, marked as a preview. The public page itself comes from the web
// package (Options.PreviewListing), so the preview is the real page, never a copy of it.

// previewLang is the language a preview asks for (?lang=), the default one when unknown.
func (h *Handler) previewLang(r *http.Request) string {
	if l := h.cat.Get(r.URL.Query().Get("lang")); l != nil {
		return l.Tag
	}
	return h.cat.Default.Tag
}

// handlePreview shows an entry's stored version (a draft too) as its public page:
// GET /admin/{section}/{id}/preview?lang=es.
func (h *Handler) handlePreview(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryOf(w, r)
	if !ok {
		return
	}
	if s.kind == "" || h.opts.PreviewListing == nil {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no page preview for %s.", pluralOf(s.one)))
		return
	}
	x, err := h.st.FindListingByID(r.Context(), id, h.previewLang(r))
	if err == nil && x.Kind != s.kind {
		err = directory.Errorf(directory.ENOTFOUND, "There is no such %s.", s.one)
	}
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.opts.PreviewListing(w, r, x, x.Lang)
}

// previewTyped shows what was typed in a listing's form (d, over the stored listing when
// id is not 0) as its public page. Nothing is saved. In another language the stored
// translation stands for every text the person did not change; a changed text shows as
// typed (and is marked untranslated, as the public page marks any text not yet translated).
func (h *Handler) previewTyped(w http.ResponseWriter, r *http.Request, s *entrySpec, d *entryData, id int64) {
	ctx := r.Context()
	lang := h.previewLang(r)
	var l directory.Listing
	var stored, translated *directory.Listing
	if id != 0 {
		cur, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
		if err != nil {
			h.error(w, r, err)
			return
		}
		stored, l = cur, *cur
		if lang != store.DefaultLang {
			if translated, err = h.st.FindListingByID(ctx, id, lang); err != nil {
				h.error(w, r, err)
				return
			}
		}
	} else {
		l.Kind = s.kind
	}
	// Typing mistakes (a phone number it cannot read) stay as typed: the preview shows the
	// page as it stands, and Save says what to fix.
	parseListing(d, &l)
	l.Lang, l.Untranslated = lang, nil
	if lang != store.DefaultLang {
		l.Untranslated = map[string]bool{}
		var was, tr []directory.TextField
		if stored != nil {
			was, tr = stored.TextFields(), translated.TextFields()
		}
		for i, f := range l.TextFields() {
			switch {
			case *f.Text == "":
			case stored != nil && *f.Text == *was[i].Text:
				*f.Text = *tr[i].Text
				if translated.Untranslated[f.Name] {
					l.Untranslated[f.Name] = true
				}
			default:
				l.Untranslated[f.Name] = true
			}
		}
		for i := range l.Channels {
			if stored == nil || i >= len(stored.Channels) || i >= len(translated.Channels) {
				continue
			}
			now, old, es := l.Channels[i].TextFields(), stored.Channels[i].TextFields(), translated.Channels[i].TextFields()
			for j := range now {
				if *now[j].Text == *old[j].Text {
					*now[j].Text = *es[j].Text
				}
			}
		}
		if translated != nil {
			l.Operates = translated.Operates
		}
	}
	// The form names terms by taxonomy and slug; the page shows their names in lang.
	if len(l.Terms) > 0 {
		terms, err := h.st.ListTerms(ctx, "", lang)
		if err != nil {
			h.error(w, r, err)
			return
		}
		type key struct{ tax, slug string }
		by := map[key]directory.Term{}
		for _, t := range terms {
			by[key{t.Taxonomy, t.Slug}] = t
		}
		for i, t := range l.Terms {
			if full, ok := by[key{t.Taxonomy, t.Slug}]; ok {
				l.Terms[i] = full
			}
		}
	}
	h.opts.PreviewListing(w, r, &l, lang)
}
