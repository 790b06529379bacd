package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/a-h/templ"

	"signpost/internal/directory"
	"signpost/internal/i18n"
)

// PreviewListing writes x's public page in the language tagged lang (the default language
// when there is none such), exactly as the public would see it but marked as a preview:
// a banner, no-store, noindex. It never enters the page cache. The staff screens call it for
// a draft or an unsaved edit; x is whatever they built, saved or not.
func (s *Server) PreviewListing(w http.ResponseWriter, r *http.Request, x *directory.Listing, lang string) {
	l := s.cat.Get(lang)
	if l == nil {
		l = s.cat.Default
	}
	c, err := s.listingComponent(r, l, x, true)
	s.writePreview(w, r, c, err)
}

// PreviewEntry writes the public page that shows x, in the language tagged lang, exactly as
// the public would see it with x in place, marked as a preview: a banner, no-store, noindex,
// never cached. x is a *directory.Page (its own page), or a *directory.Sign (See it),
// *directory.Industry (Know it), *directory.Situation (Report it) or *directory.Stat
// (Statistics), saved or only typed, a draft too. was is the stored English version of x
// (nil for a new entry): in another language, a text still as stored shows its stored
// translation, and a changed one shows as typed, marked untranslated.
func (s *Server) PreviewEntry(w http.ResponseWriter, r *http.Request, x, was any, lang string) {
	l := s.cat.Get(lang)
	if l == nil {
		l = s.cat.Default
	}
	// The page is built by the public page's own code, from a store that holds x.
	pv := &Server{log: s.log, store: &previewStore{Store: s.store, x: x, was: was}, cat: s.cat, opts: s.opts,
		assets: s.assets, preview: true}
	var fn pageFunc
	switch x := x.(type) {
	case *directory.Page:
		fn = pv.pageFuncFor(l, x.Slug)
	case *directory.Sign:
		fn = pv.seeItPage(l)
	case *directory.Industry:
		fn = pv.knowItPage(l)
	case *directory.Situation:
		fn = pv.reportItPage(l)
	case *directory.Stat:
		fn = pv.statisticsPage(l)
	}
	var c templ.Component
	var err error = directory.Errorf(directory.ENOTFOUND, "There is no page preview for this entry.")
	if fn != nil {
		c, err = fn(r)
	}
	s.writePreview(w, r, c, err)
}

// pageFuncFor is the public page of the page slug, as routes.go serves it.
func (s *Server) pageFuncFor(l *i18n.Locale, slug string) pageFunc {
	if page, ok := builtPages[slug]; ok {
		return page(s, l)
	}
	for _, k := range directory.Kinds {
		if k.Section() == slug {
			return s.listPage(l, k)
		}
	}
	return s.prosePage(l, slug)
}

// previewStore is the site's store with one entry, x, in place of its stored version (or
// added, when new or a draft).
type previewStore struct {
	Store
	x, was any
}

func (p *previewStore) FindPage(ctx context.Context, slug, lang string) (*directory.Page, error) {
	pub, err := p.Store.FindPage(ctx, slug, lang)
	x, ok := p.x.(*directory.Page)
	if !ok || slug != x.Slug || err != nil {
		return pub, err
	}
	out := *x
	out.Lang = lang
	previewText(&out, p.was, pub, &out.Untranslated, lang)
	return &out, nil
}

func (p *previewStore) ListSigns(ctx context.Context, lang string) ([]directory.Sign, error) {
	list, err := p.Store.ListSigns(ctx, lang)
	return previewIn(p, list, err, lang, func(x *directory.Sign) (int64, int, *map[string]bool) { return x.ID, x.Position, &x.Untranslated })
}

func (p *previewStore) ListIndustries(ctx context.Context, lang string) ([]directory.Industry, error) {
	list, err := p.Store.ListIndustries(ctx, lang)
	return previewIn(p, list, err, lang, func(x *directory.Industry) (int64, int, *map[string]bool) { return x.ID, x.Position, &x.Untranslated })
}

func (p *previewStore) ListSituations(ctx context.Context, lang string) ([]directory.Situation, error) {
	list, err := p.Store.ListSituations(ctx, lang)
	return previewIn(p, list, err, lang, func(x *directory.Situation) (int64, int, *map[string]bool) { return x.ID, x.Position, &x.Untranslated })
}

func (p *previewStore) ListStats(ctx context.Context, lang string, withEmpty bool) ([]directory.Stat, error) {
	list, err := p.Store.ListStats(ctx, lang, withEmpty)
	if x, ok := p.x.(*directory.Stat); ok && x.Value == nil && !withEmpty {
		// A figure with no value is not shown: nor is its published version.
		return slices.DeleteFunc(slices.Clone(list), func(s directory.Stat) bool { return x.ID != 0 && s.ID == x.ID }), err
	}
	return previewIn(p, list, err, lang, func(x *directory.Stat) (int64, int, *map[string]bool) { return x.ID, 0, &x.Untranslated })
}

// previewIn puts the previewed entry into list, the public list in lang: in place of its
// published version, or (new, a draft) where its position puts it.
func previewIn[T any](p *previewStore, list []T, err error, lang string, key func(*T) (id int64, pos int, untranslated *map[string]bool)) ([]T, error) {
	x, ok := p.x.(*T)
	if !ok || err != nil {
		return list, err
	}
	out := *x
	id, pos, untranslated := key(&out)
	var pub *T
	at := len(list)
	for i := range list {
		lid, lpos, _ := key(&list[i])
		if id != 0 && lid == id {
			pub, at = &list[i], i
			break
		}
		if pos > 0 && lpos > pos && at == len(list) {
			at = i
		}
	}
	previewText(&out, p.was, pub, untranslated, lang)
	list = slices.Clone(list)
	if pub != nil {
		list[at] = out
		return list, nil
	}
	return slices.Insert(list, at, out), nil
}

// texter is an entry with translatable text.
type texter interface{ TextFields() []directory.TextField }

// previewText sets x's text for lang: in the default language as typed; in another, each text
// still as stored (was) shows the published translation (pub, nil for none), and any other
// shows as typed and is marked untranslated.
func previewText(x, was, pub any, untranslated *map[string]bool, lang string) {
	if lang == i18n.DefaultTag {
		*untranslated = nil
		return
	}
	xt, ok := x.(texter)
	if !ok {
		return
	}
	if isNil(was) {
		was = nil
	}
	if isNil(pub) {
		pub = nil
	}
	wt, _ := was.(texter)
	pt, _ := pub.(texter)
	marks := map[string]bool{}
	var pubMarks map[string]bool
	switch p := pub.(type) {
	case *directory.Page:
		pubMarks = p.Untranslated
	case *directory.Sign:
		pubMarks = p.Untranslated
	case *directory.Industry:
		pubMarks = p.Untranslated
	case *directory.Situation:
		pubMarks = p.Untranslated
	case *directory.Stat:
		pubMarks = p.Untranslated
	}
	for i, f := range xt.TextFields() {
		switch {
		case *f.Text == "":
		case wt != nil && pt != nil && *f.Text == *wt.TextFields()[i].Text:
			*f.Text = *pt.TextFields()[i].Text
			marks[f.Name] = pubMarks[f.Name]
		default:
			marks[f.Name] = true
		}
	}
	*untranslated = marks
}

func isNil(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case *directory.Page:
		return v == nil
	case *directory.Sign:
		return v == nil
	case *directory.Industry:
		return v == nil
	case *directory.Situation:
		return v == nil
	case *directory.Stat:
		return v == nil
	}
	return false
}

// writePreview writes preview page c (err: it could not be built), marked noindex and
// never stored.
func (s *Server) writePreview(w http.ResponseWriter, r *http.Request, c templ.Component, err error) {
	var page *rendered
	if err == nil {
		w.Header().Set("X-Robots-Tag", "noindex")
		page, err = renderComponent(r.Context(), c, http.StatusOK)
	}
	if err != nil {
		s.log.Error("preview", "err", err)
		http.Error(w, "The preview could not be built. Nothing was saved or published.", http.StatusInternalServerError)
		return
	}
	page.write(w, r, "no-store")
}
