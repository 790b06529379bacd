package admin

import (
	"context"
	"net/http"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// The page preview: a listing, a page, or an entry shown on a page (a sign, an industry, a
// situation, a figure), saved or only typed, a draft too, shown exactly as the public would
// see it, in any language, marked as a preview. The public page itself comes from the web
// package (Options.PreviewListing, Options.PreviewEntry), so the preview is the real page,
// never a copy of it.

// canPreviewPage reports whether entries of s have a page preview.
func (h *Handler) canPreviewPage(s *entrySpec) bool {
	if s.kind != "" {
		return h.opts.PreviewListing != nil
	}
	return s.entry != nil && h.opts.PreviewEntry != nil
}

// previewEntry returns an entry for the page preview: as typed in d over the stored one (d
// nil: the stored one), and the stored one (nil when id is 0: a new entry, made by fresh).
// What cannot be parsed stays as it was: the preview shows the page as it stands, and Save
// says what to fix.
func previewEntry[T any](ctx context.Context, f form[T], d *entryData, id int64,
	find func(context.Context, int64) (*T, error), fresh func() *T) (any, any, error) {
	var was *T
	if id != 0 {
		w, err := find(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		was = w
	}
	if d == nil {
		if was == nil {
			return nil, nil, directory.Errorf(directory.ENOTFOUND, "There is nothing saved to preview yet.")
		}
		return was, was, nil
	}
	var x *T
	switch {
	case was != nil:
		cp := *was
		x = &cp
	case fresh != nil:
		x = fresh()
	default:
		return nil, nil, directory.Errorf(directory.ENOTFOUND, "There is nothing saved to preview yet.")
	}
	_ = f.parse(d, x, id == 0)
	if was == nil {
		return x, nil, nil
	}
	return x, was, nil
}

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
	if !h.canPreviewPage(s) {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no page preview for %s.", pluralOf(s.one)))
		return
	}
	if s.kind == "" {
		x, was, err := s.entry(r.Context(), nil, id)
		if err != nil {
			h.error(w, r, err)
			return
		}
		h.opts.PreviewEntry(w, r, x, was, h.previewLang(r))
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
	if s.kind == "" {
		x, was, err := s.entry(ctx, d, id)
		if err != nil {
			h.error(w, r, err)
			return
		}
		h.opts.PreviewEntry(w, r, x, was, h.previewLang(r))
		return
	}
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
