package admin

import (
	"context"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// formBuilder makes one-off fields for screens that are not entry forms (accounts).
type formBuilder struct {
	d    *entryData
	errs map[string]string
}

func (b formBuilder) f(name, label, typ, hint string, required bool, max int) view.Field {
	return view.Field{Name: name, Label: label, Type: typ, Hint: hint, Value: b.d.Values[name], Error: b.errs[name], Required: required, Max: max}
}

func (b formBuilder) sel(name, label, hint string, opts []view.Option) view.Field {
	v := b.d.Values[name]
	for i := range opts {
		opts[i].Selected = opts[i].Value == v
	}
	return view.Field{Name: name, Label: label, Type: "select", Hint: hint, Options: opts, Error: b.errs[name], Required: true}
}

// parseInt reads a whole number typed into field name; an empty box is 0.
func parseInt(v, name string, errs map[string]string) int {
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < -1_000_000 || n > 1_000_000 {
		errs[name] = "Enter a whole number, like 3."
	}
	return n
}

func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

var resourceTypes = []string{"publication", "report", "video", "toolkit", "training", "flyer", "sign", "data", "expert"}

// withForm fills in what a spec derives from its kind's form: the fields of the screen,
// the labels, and the translatable fields (from the domain type's TextFields).
func withForm[T any](s *entrySpec, f form[T], text []directory.TextField) *entrySpec {
	s.form = func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
		return f.view(ctx, d, errs, isNew)
	}
	s.labels = f.labels()
	s.fields, s.decode = mergeFieldsOf(f), decodeWith(f)
	s.translatable = directory.TextFieldNames(text)
	return s
}

// saveWith parses d with f into x and saves it; errs from parsing come back as one EINVALID
// error, like the store's own validation.
func saveWith[T any](ctx context.Context, f form[T], d *entryData, x *T, save func(*T) error) error {
	if errs := f.parse(d, x, d.ID == 0); len(errs) > 0 {
		return directory.Invalid(errs)
	}
	return save(x)
}

// entryList lists a content table's entries that are not in the trash.
func entryList(st *store.Store, table string, row func(ctx context.Context, id int64) (view.ListRow, error)) func(ctx context.Context) ([]view.ListRow, error) {
	return func(ctx context.Context) ([]view.ListRow, error) {
		ids, err := st.ListEntryIDs(ctx, table)
		if err != nil {
			return nil, err
		}
		var rows []view.ListRow
		for _, id := range ids {
			r, err := row(ctx, id)
			if err != nil {
				return nil, err
			}
			if !r.Trashed {
				r.Path = "/admin/" + table + "/" + strconv.FormatInt(id, 10)
				rows = append(rows, r)
			}
		}
		return rows, nil
	}
}

// entryMeta is what the lists and the edit screen show of an entry beside its form.
type entryMeta struct {
	ID       int64
	Version  int
	Status   directory.Status
	Trashed  bool
	Name     string // the edit screen's heading
	ListName string // the entry in the list
	Detail   string // after the name in the list
}

// contentKind is a kind of entry with a table of its own that staff create, publish and
// move to the trash: signs, industries, situations, figures.
type contentKind[T any] struct {
	section, one, heading string
	public                string // the public page that shows the entries
	form                  form[T]
	text                  []directory.TextField
	find                  func(ctx context.Context, id int64) (*T, error)
	save                  func(ctx context.Context, x *T, by store.Actor, action string) error
	meta                  func(*T) entryMeta
	fresh                 func(id int64, version int, status directory.Status) *T // the record a save starts from
}

func contentSpec[T any](st *store.Store, k contentKind[T]) *entrySpec {
	return withForm(&entrySpec{
		section: k.section, table: k.section, one: k.one, heading: k.heading, create: true, status: true, trash: true,
		list: entryList(st, k.section, func(ctx context.Context, id int64) (view.ListRow, error) {
			x, err := k.find(ctx, id)
			if err != nil {
				return view.ListRow{}, err
			}
			m := k.meta(x)
			return view.ListRow{ID: id, Name: m.ListName, Detail: m.Detail, Status: m.Status, Trashed: m.Trashed}, nil
		}),
		load: func(ctx context.Context, id int64) (*entryData, error) {
			x, err := k.find(ctx, id)
			if err != nil {
				return nil, err
			}
			m := k.meta(x)
			d := &entryData{ID: id, Version: m.Version, Status: m.Status, Trashed: m.Trashed, Name: m.Name, Public: k.public}
			k.form.values(x, d)
			return d, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			x := k.fresh(d.ID, d.Version, d.Status)
			err := saveWith(ctx, k.form, d, x, func(x *T) error { return k.save(ctx, x, by, "") })
			return k.meta(x).ID, err
		},
		entry: func(ctx context.Context, d *entryData, id int64) (any, any, error) {
			return previewEntry(ctx, k.form, d, id, k.find, func() *T { return k.fresh(0, 0, directory.StatusDraft) })
		},
	}, k.form, k.text)
}

// buildSpecs describes every kind of entry the staff edit: how to list, load and save it.
// What each field is lives in its form (forms.go).
func buildSpecs(h *Handler) map[string]*entrySpec {
	st := h.st
	c := choices{st: st}
	specs := map[string]*entrySpec{}
	for _, k := range directory.Kinds {
		specs[k.Section()] = listingSpec(h, k)
	}

	specs["pages"] = pageSpec(st)
	specs["signs"] = contentSpec(st, contentKind[directory.Sign]{section: "signs", one: "sign", heading: "Signs of trafficking",
		public: "/see-it", form: signForm(), text: (&directory.Sign{}).TextFields(), find: st.FindSignByID, save: st.SaveSign,
		meta: func(x *directory.Sign) entryMeta {
			return entryMeta{x.ID, x.Version, x.Status, !x.DeletedAt.IsZero(), short(x.Text, 60), short(x.Text, 90), ""}
		},
		fresh: func(id int64, v int, s directory.Status) *directory.Sign {
			return &directory.Sign{ID: id, Version: v, Status: s}
		}})
	specs["industries"] = contentSpec(st, contentKind[directory.Industry]{section: "industries", one: "industry", heading: "Industries",
		public: "/know-it", form: industryForm(), text: (&directory.Industry{}).TextFields(), find: st.FindIndustryByID, save: st.SaveIndustry,
		meta: func(x *directory.Industry) entryMeta {
			return entryMeta{x.ID, x.Version, x.Status, !x.DeletedAt.IsZero(), x.Name, x.Name, ""}
		},
		fresh: func(id int64, v int, s directory.Status) *directory.Industry {
			return &directory.Industry{ID: id, Version: v, Status: s}
		}})
	specs["situations"] = contentSpec(st, contentKind[directory.Situation]{section: "situations", one: "situation", heading: "Which line fits what you saw",
		public: "/report-it", form: situationForm(c), text: (&directory.Situation{}).TextFields(), find: st.FindSituationByID, save: st.SaveSituation,
		meta: func(x *directory.Situation) entryMeta {
			return entryMeta{x.ID, x.Version, x.Status, !x.DeletedAt.IsZero(), x.Title, x.Title, ""}
		},
		fresh: func(id int64, v int, s directory.Status) *directory.Situation {
			return &directory.Situation{ID: id, Version: v, Status: s}
		}})
	specs["stats"] = contentSpec(st, contentKind[directory.Stat]{section: "stats", one: "figure", heading: "Statistics",
		public: "/statistics", form: statForm(), text: (&directory.Stat{}).TextFields(), find: st.FindStatByID, save: st.SaveStat,
		meta: func(x *directory.Stat) entryMeta {
			name, detail := x.Measure+" "+strconv.Itoa(x.Year), " (no figure yet)"
			if x.Value != nil {
				detail = ": " + strconv.FormatFloat(*x.Value, 'f', -1, 64)
			}
			return entryMeta{x.ID, x.Version, x.Status, !x.DeletedAt.IsZero(), name, name, detail}
		},
		fresh: func(id int64, v int, s directory.Status) *directory.Stat {
			return &directory.Stat{ID: id, Version: v, Status: s}
		}})

	specs["filters"] = termSpec(st)
	specs["settings"] = settingsSpec(st, c)
	return specs
}

// pageSpec: the prose pages, one per place on the site; edited, never created here.
func pageSpec(st *store.Store) *entrySpec {
	pf := pageForm()
	return withForm(&entrySpec{
		section: "pages", table: "pages", one: "page", heading: "Pages",
		list: func(ctx context.Context) ([]view.ListRow, error) {
			ps, err := st.ListPagesForStaff(ctx)
			var rows []view.ListRow
			for _, p := range ps {
				rows = append(rows, view.ListRow{ID: p.ID, Name: p.Title, Path: "/admin/pages/" + strconv.FormatInt(p.ID, 10),
					Detail: " " + p.Path(), Updated: p.UpdatedAt})
			}
			return rows, err
		},
		load: func(ctx context.Context, id int64) (*entryData, error) {
			p, err := st.FindPageByID(ctx, id)
			if err != nil {
				return nil, err
			}
			d := &entryData{ID: p.ID, Version: p.Version, Name: p.Title, Public: p.Path()}
			pf.values(p, d)
			return d, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			p, err := st.FindPageByID(ctx, d.ID)
			if err != nil {
				return 0, err
			}
			p.Version = d.Version
			return p.ID, saveWith(ctx, pf, d, p, func(p *directory.Page) error { return st.UpdatePage(ctx, p, by, "") })
		},
		entry: func(ctx context.Context, d *entryData, id int64) (any, any, error) {
			return previewEntry(ctx, pf, d, id, st.FindPageByID, nil)
		},
	}, pf, (&directory.Page{}).TextFields())

}

// termSpec: the filters (terms of each taxonomy).
func termSpec(st *store.Store) *entrySpec {
	tf := termForm()
	return withForm(&entrySpec{
		section: "filters", table: "terms", one: "filter", heading: "Filters (services, people, areas, languages)", create: true,
		list: func(ctx context.Context) ([]view.ListRow, error) {
			terms, err := st.ListTerms(ctx, "", store.DefaultLang)
			var rows []view.ListRow
			for _, t := range terms {
				rows = append(rows, view.ListRow{ID: t.ID, Name: t.Name, Path: "/admin/filters/" + strconv.FormatInt(t.ID, 10),
					Detail: " (" + taxonomyName[t.Taxonomy] + ")"})
			}
			return rows, err
		},
		load: func(ctx context.Context, id int64) (*entryData, error) {
			t, err := st.FindTermByID(ctx, id)
			if err != nil {
				return nil, err
			}
			d := &entryData{ID: id, Version: t.Version, Name: t.Name}
			tf.values(t, d)
			return d, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			t := &directory.Term{ID: d.ID, Version: d.Version}
			if d.ID != 0 {
				cur, err := st.FindTermByID(ctx, d.ID)
				if err != nil {
					return 0, err
				}
				t.Taxonomy = cur.Taxonomy // a filter keeps its kind
			}
			err := saveWith(ctx, tf, d, t, func(t *directory.Term) error { return st.SaveTerm(ctx, t, by, "") })
			return t.ID, err
		},
	}, tf, (&directory.Term{}).TextFields())

}

// settingsSpec: the site settings, one entry at /admin/settings.
func settingsSpec(st *store.Store, c choices) *entrySpec {
	setf := settingsForm(c)
	return withForm(&entrySpec{
		section: "settings", table: "settings", one: "settings", heading: "Site settings", single: true,
		load: func(ctx context.Context, _ int64) (*entryData, error) {
			s, err := st.SettingsForStaff(ctx)
			if err != nil {
				return nil, err
			}
			d := &entryData{Version: s.Version, Name: "Site settings", Public: "/"}
			setf.values(&s, d)
			return d, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			s := &directory.Settings{Version: d.Version}
			return 0, saveWith(ctx, setf, d, s, func(s *directory.Settings) error { return st.UpdateSettings(ctx, s, by, "") })
		},
	}, setf, (&directory.Settings{}).TextFields())
}

// listingSpec is the spec of one kind of listing.
func listingSpec(h *Handler, kind directory.Kind) *entrySpec {
	st := h.st
	one := map[directory.Kind]string{directory.KindHotline: "hotline", directory.KindOrganization: "organization",
		directory.KindAgency: "agency", directory.KindResource: "resource"}[kind]
	heading := strings.ToUpper(kind.Section()[:1]) + kind.Section()[1:]
	f := listingForm(kind, choices{st: st})
	s := withForm(&entrySpec{
		section: kind.Section(), table: "listings", one: one, heading: heading, kind: kind,
		create: true, status: true, trash: true, verify: true,
		list: func(ctx context.Context) ([]view.ListRow, error) {
			list, _, err := st.ListListings(ctx, directory.ListingFilter{Kind: kind, Lang: store.DefaultLang, Drafts: true})
			var rows []view.ListRow
			for _, l := range list {
				rows = append(rows, view.ListRow{ID: l.ID, Name: l.Name, Path: "/admin/" + kind.Section() + "/" + strconv.FormatInt(l.ID, 10),
					Status: l.Status, Updated: l.UpdatedAt})
			}
			return rows, err
		},
		load: func(ctx context.Context, id int64) (*entryData, error) {
			l, err := st.FindListingByID(ctx, id, store.DefaultLang)
			if err != nil {
				return nil, err
			}
			if l.Kind != kind {
				return nil, directory.Errorf(directory.ENOTFOUND, "There is no such %s.", one)
			}
			return listingValues(l), nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			var l directory.Listing
			if d.ID != 0 {
				cur, err := st.FindListingByID(ctx, d.ID, store.DefaultLang)
				if err != nil {
					return 0, err
				}
				l = *cur
			} else {
				l.Kind = kind
			}
			l.Version = d.Version
			errs, rows := parseListing(d, &l)
			if len(errs) > 0 {
				return 0, mergeListingErrors(errs, l.Validate(), rows)
			}
			var err error
			if d.ID == 0 {
				err = st.CreateListing(ctx, &l, by, "")
			} else {
				err = h.updateListing(ctx, &l, by) // a new number waits for a second person (approvals.go)
			}
			if err != nil {
				return 0, mergeListingErrors(nil, err, rows)
			}
			return l.ID, nil
		},
	}, f, (&directory.Listing{}).TextFields())
	return s
}

var taxonomyName = map[string]string{"service": "Services", "population": "People served", "area": "Areas", "language": "Languages"}
