package admin

import (
	"context"
	"strconv"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/phone"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// form field helpers: each field takes its value and error from the entry's form data.
type formBuilder struct {
	d    *entryData
	errs map[string]string
}

func (b formBuilder) f(name, label, typ, hint string, required bool, max int) view.Field {
	return view.Field{Name: name, Label: label, Type: typ, Hint: hint, Value: b.d.Values[name], Error: b.errs[name], Required: required, Max: max}
}

func (b formBuilder) area(name, label, hint string, required bool, max, rows int) view.Field {
	f := b.f(name, label, "textarea", hint, required, max)
	f.Rows = rows
	return f
}

func (b formBuilder) markdown(name, label string) view.Field {
	f := b.f(name, label, "markdown", "Markdown: a blank line between paragraphs, **bold**, *italic*, [link text](https://…), lines starting with - for a list, ## for a heading. Use Preview to see it as the public will.", false, directory.MaxBody)
	f.Rows = 14
	return f
}

func (b formBuilder) check(name, label, hint string) view.Field {
	return view.Field{Name: name, Label: label, Type: "checkbox", Hint: hint, Checked: b.d.Values[name] == "1", Error: b.errs[name]}
}

func (b formBuilder) sel(name, label, hint string, opts []view.Option) view.Field {
	v := b.d.Values[name]
	for i := range opts {
		opts[i].Selected = opts[i].Value == v
	}
	return view.Field{Name: name, Label: label, Type: "select", Hint: hint, Options: opts, Error: b.errs[name], Required: true}
}

func (b formBuilder) slug(section string) view.Field {
	return b.f("slug", "Address name", "text", "The last part of the page's address: /"+section+"/<address-name>. Lower-case letters, numbers and hyphens. Left empty, it is made from the name. Changing it later keeps the old address working.", false, 100)
}

func (b formBuilder) status() view.Field {
	if b.d.Values["status"] == "" {
		b.d.Values["status"] = string(directory.StatusDraft)
	}
	return b.sel("status", "State", "A draft is hidden from the public until you publish it.", []view.Option{
		{Value: "draft", Label: "Draft (hidden)"}, {Value: "published", Label: "Published"}})
}

func (b formBuilder) todo() view.Field {
	return b.f("todo", "Still to fill in", "text", "Names of fields the sources leave out, separated by spaces (for example: email value). They are listed on the dashboard. Remove a name once it is filled in.", false, 300)
}

func (b formBuilder) position() view.Field {
	return b.f("position", "Position", "number", "Lower numbers come first.", false, 6)
}

func optional(f view.Field) view.Field {
	f.Required = false
	return f
}

func invalid(fields map[string]string) error {
	return directory.Invalid(fields)
}

func parseInt(d *entryData, name string, errs map[string]string) int {
	v := d.get(name)
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

func pagePath(slug string) string {
	if slug == "home" {
		return "/"
	}
	return "/" + slug
}

func labels(pairs ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

var resourceTypes = []string{"publication", "report", "video", "toolkit", "training", "flyer", "sign", "data", "expert"}

// buildSpecs describes every kind of entry the staff edit.
func buildSpecs(h *Handler) map[string]*entrySpec {
	st := h.st
	specs := map[string]*entrySpec{}
	for _, k := range directory.Kinds {
		specs[k.Section()] = listingSpec(h, k)
	}

	specs["pages"] = &entrySpec{
		section: "pages", table: "pages", one: "page", heading: "Pages",
		translatable: directory.TextFieldNames((&directory.Page{}).TextFields()),
		labels:       labels("title", "Title", "description", "Description", "body", "Text", "todo", "Still to fill in"),
		list: func(ctx context.Context) ([]view.ListRow, error) {
			ps, err := st.ListPagesForStaff(ctx)
			var rows []view.ListRow
			for _, p := range ps {
				rows = append(rows, view.ListRow{ID: p.ID, Name: p.Title, Path: "/admin/pages/" + strconv.FormatInt(p.ID, 10),
					Detail: " " + pagePath(p.Slug), Updated: p.UpdatedAt})
			}
			return rows, err
		},
		load: func(ctx context.Context, id int64) (*entryData, error) {
			p, err := st.FindPageByID(ctx, id)
			if err != nil {
				return nil, err
			}
			return &entryData{ID: p.ID, Version: p.Version, Name: p.Title, Public: pagePath(p.Slug), Values: map[string]string{
				"slug": p.Slug, "title": p.Title, "description": p.Description, "body": p.Body, "todo": strings.Join(p.Todo, " "),
			}}, nil
		},
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			slug := b.f("slug", "Address name", "readonly", "Each page belongs to a fixed place on the site.", false, 0)
			return []view.Field{slug, b.f("title", "Title", "text", "", true, directory.MaxName),
				b.area("description", "Description", "One or two sentences, shown in search results.", false, directory.MaxSummary, 3),
				b.markdown("body", "Text"), b.todo()}, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			p, err := st.FindPageByID(ctx, d.ID)
			if err != nil {
				return 0, err
			}
			p.Title, p.Description = d.get("title"), d.get("description")
			p.Body = textareaValue(d.Values["body"])
			p.Todo, p.Version = strings.Fields(d.Values["todo"]), d.Version
			return p.ID, st.UpdatePage(ctx, p, by, "")
		},
	}

	entryList := func(table string, row func(ctx context.Context, id int64) (view.ListRow, error)) func(ctx context.Context) ([]view.ListRow, error) {
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

	specs["signs"] = &entrySpec{
		section: "signs", table: "signs", one: "sign", heading: "Signs of trafficking", create: true, status: true, trash: true,
		translatable: directory.TextFieldNames((&directory.Sign{}).TextFields()),
		labels:       labels("text", "Sign", "slug", "Address name", "position", "Position"),
		list: entryList("signs", func(ctx context.Context, id int64) (view.ListRow, error) {
			x, err := st.FindSignByID(ctx, id)
			if err != nil {
				return view.ListRow{}, err
			}
			return view.ListRow{ID: id, Name: short(x.Text, 90), Status: x.Status, Trashed: !x.DeletedAt.IsZero()}, nil
		}),
		load: func(ctx context.Context, id int64) (*entryData, error) {
			x, err := st.FindSignByID(ctx, id)
			if err != nil {
				return nil, err
			}
			return &entryData{ID: id, Version: x.Version, Status: x.Status, Trashed: !x.DeletedAt.IsZero(), Name: short(x.Text, 60),
				Public: "/see-it", Values: map[string]string{"slug": x.Slug, "text": x.Text, "position": strconv.Itoa(x.Position)}}, nil
		},
		blank: func() *entryData { return &entryData{Values: map[string]string{}} },
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			fs := []view.Field{b.area("text", "Sign", "One sign, in plain words.", true, directory.MaxSummary, 3), b.slug("see-it#"), b.position()}
			if isNew {
				fs = append(fs, b.status())
			}
			return fs, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			x := &directory.Sign{ID: d.ID, Version: d.Version, Text: d.get("text"), Slug: d.get("slug")}
			errs := map[string]string{}
			x.Position = parseInt(d, "position", errs)
			if d.ID == 0 {
				x.Status = directory.Status(d.get("status"))
				if x.Slug == "" {
					x.Slug = directory.Slug(short(x.Text, 50))
				}
			} else {
				x.Status = d.Status
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			err := st.SaveSign(ctx, x, by, "")
			return x.ID, err
		},
	}

	specs["industries"] = &entrySpec{
		section: "industries", table: "industries", one: "industry", heading: "Industries", create: true, status: true, trash: true,
		translatable: directory.TextFieldNames((&directory.Industry{}).TextFields()),
		labels:       labels("name", "Name", "slug", "Address name", "position", "Position"),
		list: entryList("industries", func(ctx context.Context, id int64) (view.ListRow, error) {
			x, err := st.FindIndustryByID(ctx, id)
			if err != nil {
				return view.ListRow{}, err
			}
			return view.ListRow{ID: id, Name: x.Name, Status: x.Status, Trashed: !x.DeletedAt.IsZero()}, nil
		}),
		load: func(ctx context.Context, id int64) (*entryData, error) {
			x, err := st.FindIndustryByID(ctx, id)
			if err != nil {
				return nil, err
			}
			return &entryData{ID: id, Version: x.Version, Status: x.Status, Trashed: !x.DeletedAt.IsZero(), Name: x.Name,
				Public: "/know-it", Values: map[string]string{"slug": x.Slug, "name": x.Name, "position": strconv.Itoa(x.Position)}}, nil
		},
		blank: func() *entryData { return &entryData{Values: map[string]string{}} },
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			fs := []view.Field{b.f("name", "Name", "text", "A kind of work people are trafficked into.", true, directory.MaxName), b.slug("know-it#"), b.position()}
			if isNew {
				fs = append(fs, b.status())
			}
			return fs, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			x := &directory.Industry{ID: d.ID, Version: d.Version, Name: d.get("name"), Slug: d.get("slug")}
			errs := map[string]string{}
			x.Position = parseInt(d, "position", errs)
			if d.ID == 0 {
				x.Status = directory.Status(d.get("status"))
				if x.Slug == "" {
					x.Slug = directory.Slug(x.Name)
				}
			} else {
				x.Status = d.Status
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			err := st.SaveIndustry(ctx, x, by, "")
			return x.ID, err
		},
	}

	lineOptions := func(ctx context.Context) ([]view.Option, error) {
		var opts []view.Option
		for _, k := range []directory.Kind{directory.KindHotline, directory.KindAgency, directory.KindOrganization} {
			list, _, err := st.ListListings(ctx, directory.ListingFilter{Kind: k, Lang: store.DefaultLang, Drafts: true})
			if err != nil {
				return nil, err
			}
			for _, l := range list {
				opts = append(opts, view.Option{Value: string(l.Kind) + "/" + l.Slug, Label: l.Name, Group: k.Section()})
			}
		}
		return opts, nil
	}
	refOf := func(v string) directory.Ref {
		k, slug, _ := strings.Cut(v, "/")
		return directory.Ref{Kind: directory.Kind(k), Slug: slug}
	}
	specs["situations"] = &entrySpec{
		section: "situations", table: "situations", one: "situation", heading: "Which line fits what you saw", create: true, status: true, trash: true,
		translatable: directory.TextFieldNames((&directory.Situation{}).TextFields()),
		labels:       labels("title", "What someone saw", "detail", "Detail", "line", "The line that fits", "also", "Other lines", "position", "Position"),
		list: entryList("situations", func(ctx context.Context, id int64) (view.ListRow, error) {
			x, err := st.FindSituationByID(ctx, id)
			if err != nil {
				return view.ListRow{}, err
			}
			return view.ListRow{ID: id, Name: x.Title, Status: x.Status, Trashed: !x.DeletedAt.IsZero()}, nil
		}),
		load: func(ctx context.Context, id int64) (*entryData, error) {
			x, err := st.FindSituationByID(ctx, id)
			if err != nil {
				return nil, err
			}
			d := &entryData{ID: id, Version: x.Version, Status: x.Status, Trashed: !x.DeletedAt.IsZero(), Name: x.Title,
				Public: "/report-it", Values: map[string]string{"slug": x.Slug, "title": x.Title, "detail": x.Detail,
					"position": strconv.Itoa(x.Position)}, Multi: map[string][]string{}}
			if x.Listing != nil {
				d.Values["line"] = string(x.Listing.Kind) + "/" + x.Listing.Slug
			}
			for _, r := range x.Also {
				d.Multi["also"] = append(d.Multi["also"], string(r.Kind)+"/"+r.Slug)
			}
			return d, nil
		},
		blank: func() *entryData { return &entryData{Values: map[string]string{}, Multi: map[string][]string{}} },
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			opts, err := lineOptions(ctx)
			if err != nil {
				return nil, err
			}
			line := b.sel("line", "The line that fits", "", append([]view.Option{{Value: "", Label: "(none)"}}, opts...))
			line.Required = false
			also := view.Field{Name: "also", Label: "Other lines that also fit", Type: "checkboxes", Error: errs["also"]}
			chosen := map[string]bool{}
			for _, v := range d.Multi["also"] {
				chosen[v] = true
			}
			for _, o := range opts {
				o.Selected = chosen[o.Value]
				also.Options = append(also.Options, o)
			}
			fs := []view.Field{b.f("title", "What someone saw", "text", "Like \"A child in commercial sex\".", true, directory.MaxName),
				b.area("detail", "Detail", "", false, directory.MaxSummary, 3), line, also, b.slug("report-it#"), b.position()}
			if isNew {
				fs = append(fs, b.status())
			}
			return fs, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			x := &directory.Situation{ID: d.ID, Version: d.Version, Title: d.get("title"), Detail: d.get("detail"), Slug: d.get("slug")}
			errs := map[string]string{}
			x.Position = parseInt(d, "position", errs)
			if v := d.get("line"); v != "" {
				r := refOf(v)
				x.Listing = &directory.Listing{Kind: r.Kind, Slug: r.Slug}
			}
			for _, v := range d.Multi["also"] {
				x.Also = append(x.Also, refOf(v))
			}
			if d.ID == 0 {
				x.Status = directory.Status(d.get("status"))
				if x.Slug == "" {
					x.Slug = directory.Slug(x.Title)
				}
			} else {
				x.Status = d.Status
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			err := st.SaveSituation(ctx, x, by, "")
			return x.ID, err
		},
	}

	specs["stats"] = &entrySpec{
		section: "stats", table: "stats", one: "figure", heading: "Statistics", create: true, status: true, trash: true,
		translatable: directory.TextFieldNames((&directory.Stat{}).TextFields()),
		labels: labels("year", "Year", "measure", "What is counted", "value", "Figure", "unit", "Unit",
			"source_name", "Source", "source_url", "Source address", "todo", "Still to fill in"),
		list: entryList("stats", func(ctx context.Context, id int64) (view.ListRow, error) {
			x, err := st.FindStatByID(ctx, id)
			if err != nil {
				return view.ListRow{}, err
			}
			detail := " (no figure yet)"
			if x.Value != nil {
				detail = ": " + strconv.FormatFloat(*x.Value, 'f', -1, 64)
			}
			return view.ListRow{ID: id, Name: x.Measure + " " + strconv.Itoa(x.Year), Detail: detail, Status: x.Status, Trashed: !x.DeletedAt.IsZero()}, nil
		}),
		load: func(ctx context.Context, id int64) (*entryData, error) {
			x, err := st.FindStatByID(ctx, id)
			if err != nil {
				return nil, err
			}
			d := &entryData{ID: id, Version: x.Version, Status: x.Status, Trashed: !x.DeletedAt.IsZero(), Name: x.Measure + " " + strconv.Itoa(x.Year),
				Public: "/statistics", Values: map[string]string{"year": strconv.Itoa(x.Year), "measure": x.Measure, "unit": x.Unit,
					"source_name": x.SourceName, "source_url": x.SourceURL, "todo": strings.Join(x.Todo, " ")}}
			if x.Value != nil {
				d.Values["value"] = strconv.FormatFloat(*x.Value, 'f', -1, 64)
			}
			return d, nil
		},
		blank: func() *entryData { return &entryData{Values: map[string]string{}} },
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			fs := []view.Field{b.f("year", "Year", "number", "", true, 4), b.f("measure", "What is counted", "text", "Like \"Cases reported to the hotline from Alaska\".", true, directory.MaxName),
				b.f("value", "Figure", "text", "Only a figure from a published source. Leave empty until you have one: the figure is then not shown.", false, 20),
				b.f("unit", "Unit", "text", "Like \"cases\" or \"%\".", false, 40),
				b.f("source_name", "Source", "text", "Who published the figure.", false, directory.MaxShort),
				b.f("source_url", "Source address", "url", "", false, 500), b.todo()}
			if isNew {
				fs = append(fs, b.status())
			}
			return fs, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			x := &directory.Stat{ID: d.ID, Version: d.Version, Measure: d.get("measure"), Unit: d.get("unit"),
				SourceName: d.get("source_name"), SourceURL: d.get("source_url"), Todo: strings.Fields(d.Values["todo"])}
			errs := map[string]string{}
			x.Year = parseInt(d, "year", errs)
			if v := strings.ReplaceAll(d.get("value"), ",", ""); v != "" {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f != f || f > 1e15 || f < -1e15 {
					errs["value"] = "Enter a number, like 1250 or 12.5."
				} else {
					x.Value = &f
				}
			}
			if d.ID == 0 {
				x.Status = directory.Status(d.get("status"))
			} else {
				x.Status = d.Status
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			err := st.SaveStat(ctx, x, by, "")
			return x.ID, err
		},
	}

	specs["filters"] = &entrySpec{
		section: "filters", table: "terms", one: "filter", heading: "Filters (services, people, areas, languages)", create: true,
		translatable: directory.TextFieldNames((&directory.Term{}).TextFields()),
		labels:       labels("taxonomy", "Kind of filter", "name", "Name", "slug", "Address name", "position", "Position"),
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
			return &entryData{ID: id, Version: t.Version, Name: t.Name, Values: map[string]string{"taxonomy": t.Taxonomy,
				"name": t.Name, "slug": t.Slug, "position": strconv.Itoa(t.Position)}}, nil
		},
		blank: func() *entryData { return &entryData{Values: map[string]string{}} },
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			var fs []view.Field
			if isNew {
				var opts []view.Option
				for _, tax := range directory.Taxonomies {
					opts = append(opts, view.Option{Value: tax, Label: taxonomyName[tax]})
				}
				fs = append(fs, b.sel("taxonomy", "Kind of filter", "", opts))
			} else {
				f := b.f("taxonomy", "Kind of filter", "readonly", "A filter keeps its kind; make a new one for another kind.", false, 0)
				f.Value = taxonomyName[d.Values["taxonomy"]]
				fs = append(fs, f)
			}
			return append(fs, b.f("name", "Name", "text", "As visitors see it, like \"Legal help\".", true, directory.MaxName),
				b.f("slug", "Address name", "text", "Used in filter links. Left empty, it is made from the name.", false, 100),
				b.position()), nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			t := &directory.Term{ID: d.ID, Version: d.Version, Name: d.get("name"), Slug: d.get("slug")}
			errs := map[string]string{}
			t.Position = parseInt(d, "position", errs)
			if d.ID == 0 {
				t.Taxonomy = d.get("taxonomy")
			} else {
				cur, err := st.FindTermByID(ctx, d.ID)
				if err != nil {
					return 0, err
				}
				t.Taxonomy = cur.Taxonomy
			}
			if t.Slug == "" {
				t.Slug = directory.Slug(t.Name)
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			err := st.SaveTerm(ctx, t, by, "")
			return t.ID, err
		},
	}

	specs["settings"] = &entrySpec{
		section: "settings", table: "settings", one: "settings", heading: "Site settings",
		translatable: directory.TextFieldNames((&directory.Settings{}).TextFields()),
		labels: labels("site_name", "Name of the group", "region", "Region", "tagline", "Tagline", "exit_url", "Quick exit goes to",
			"emergency_number", "Emergency number", "primary_hotline", "Hotline on every page", "contact_email", "Contact email",
			"verify_days", "Verify listings every (days)"),
		load: func(ctx context.Context, _ int64) (*entryData, error) {
			s, err := st.SettingsForStaff(ctx)
			if err != nil {
				return nil, err
			}
			return &entryData{Version: s.Version, Name: "Site settings", Public: "/", Values: map[string]string{
				"site_name": s.SiteName, "region": s.Region, "tagline": s.Tagline, "exit_url": s.ExitURL,
				"emergency_number": s.EmergencyNumber, "primary_hotline": s.PrimaryHotline, "contact_email": s.ContactEmail,
				"verify_days": strconv.Itoa(s.VerifyDays)}}, nil
		},
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			hotlines, _, err := st.ListListings(ctx, directory.ListingFilter{Kind: directory.KindHotline, Lang: store.DefaultLang, Drafts: true})
			if err != nil {
				return nil, err
			}
			opts := []view.Option{{Value: "", Label: "(none)"}}
			for _, l := range hotlines {
				opts = append(opts, view.Option{Value: l.Slug, Label: l.Name})
			}
			return []view.Field{
				b.f("site_name", "Name of the group", "text", "Shown at the top of every page.", true, directory.MaxName),
				b.f("region", "Region", "text", "Like \"Alaska\".", false, directory.MaxName),
				b.f("tagline", "Tagline", "text", "", false, directory.MaxShort),
				b.f("exit_url", "Quick exit goes to", "url", "A harmless site, like a weather page. Visitors who press Exit land there.", true, 500),
				b.f("emergency_number", "Emergency number", "text", "Like 911.", true, 20),
				optional(b.sel("primary_hotline", "Hotline on every page", "The call and text buttons at the top of every page.", opts)),
				b.f("contact_email", "Contact email", "email", "The working group's address, if it publishes one.", false, 254),
				b.f("verify_days", "Verify listings every (days)", "number", "The dashboard lists listings not verified within this many days.", true, 4),
			}, nil
		},
		save: func(ctx context.Context, d *entryData, by store.Actor) (int64, error) {
			s := &directory.Settings{SiteName: d.get("site_name"), Region: d.get("region"), Tagline: d.get("tagline"),
				ExitURL: d.get("exit_url"), PrimaryHotline: d.get("primary_hotline"), ContactEmail: d.get("contact_email"), Version: d.Version}
			errs := map[string]string{}
			s.VerifyDays = parseInt(d, "verify_days", errs)
			if n := d.get("emergency_number"); n != "" {
				p, err := phone.Parse(n, phone.DefaultRegion)
				if err != nil {
					errs["emergency_number"] = "Enter the emergency number, like 911."
				}
				s.EmergencyNumber = p
			}
			if len(errs) > 0 {
				return 0, invalid(errs)
			}
			return 0, st.UpdateSettings(ctx, s, by, "")
		},
	}
	return specs
}

// listingSpec is the spec of one kind of listing.
func listingSpec(h *Handler, kind directory.Kind) *entrySpec {
	st := h.st
	one := map[directory.Kind]string{directory.KindHotline: "hotline", directory.KindOrganization: "organization",
		directory.KindAgency: "agency", directory.KindResource: "resource"}[kind]
	heading := strings.ToUpper(kind.Section()[:1]) + kind.Section()[1:]
	return &entrySpec{
		section: kind.Section(), table: "listings", one: one, heading: heading, kind: kind,
		create: true, status: true, trash: true, verify: true,
		translatable: directory.TextFieldNames((&directory.Listing{}).TextFields()),
		labels: labels("name", "Name", "slug", "Address name", "summary", "Summary", "body", "Description", "website", "Website",
			"email", "Email", "social", "Social media", "hours", "Hours", "open_24_7", "Open 24 hours", "operated_by", "Run by",
			"resource_type", "Type of resource", "publisher", "Publisher", "published", "Date published", "terms", "Filters", "todo", "Still to fill in"),
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
		blank: func() *entryData {
			return &entryData{Values: map[string]string{}, Multi: map[string][]string{}}
		},
		fields: func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
			b := formBuilder{d, errs}
			fs := []view.Field{
				b.f("name", "Name", "text", "", true, directory.MaxName),
				b.slug(kind.Section()),
				b.area("summary", "Summary", "One or two plain sentences: what it is and who it is for.", false, directory.MaxSummary, 3),
				b.markdown("body", "Description"),
				b.f("website", "Website", "url", "The full address, starting with https://.", false, 500),
				b.f("email", "Email", "email", "", false, 254),
				b.f("social", "Social media", "text", "Like @polarisproject on X.", false, directory.MaxShort),
				b.f("hours", "Hours", "text", "Like \"Monday to Friday, 8 am to 5 pm Alaska time\".", false, directory.MaxShort),
			}
			// Shown for every kind, so that a save never clears a flag the form did not show.
			fs = append(fs, b.check("open_24_7", "Open 24 hours a day, 7 days a week", ""))
			if kind != directory.KindResource || d.Values["operated_by"] != "" {
				var opts []view.Option
				opts = append(opts, view.Option{Value: "", Label: "(none)"})
				for _, k := range []directory.Kind{directory.KindOrganization, directory.KindAgency} {
					list, _, err := st.ListListings(ctx, directory.ListingFilter{Kind: k, Lang: store.DefaultLang, Drafts: true})
					if err != nil {
						return nil, err
					}
					for _, l := range list {
						if l.ID != d.ID {
							opts = append(opts, view.Option{Value: l.Slug, Label: l.Name})
						}
					}
				}
				f := b.sel("operated_by", "Run by", "The organization or agency that runs it, if any.", opts)
				f.Required = false
				fs = append(fs, f)
			}
			if kind == directory.KindResource {
				var opts []view.Option
				for _, t := range resourceTypes {
					opts = append(opts, view.Option{Value: t, Label: t})
				}
				fs = append(fs, b.sel("resource_type", "Type of resource", "", opts),
					b.f("publisher", "Publisher", "text", "", false, directory.MaxShort),
					b.f("published", "Date published", "text", "As the source gives it, like \"January 2022\".", false, directory.MaxShort))
			}
			terms, err := st.ListTerms(ctx, "", store.DefaultLang)
			if err != nil {
				return nil, err
			}
			chosen := map[string]bool{}
			for _, t := range d.Multi["terms"] {
				chosen[t] = true
			}
			tf := view.Field{Name: "terms", Label: "Filters", Type: "checkboxes", Hint: "Services, people served, areas and languages: visitors filter by these.", Error: errs["terms"]}
			for _, t := range terms {
				v := t.Taxonomy + "/" + t.Slug
				tf.Options = append(tf.Options, view.Option{Value: v, Label: t.Name, Selected: chosen[v], Group: taxonomyName[t.Taxonomy]})
			}
			fs = append(fs, tf, b.todo())
			if isNew {
				fs = append(fs, b.status())
			} else if d.Values["source"] != "" {
				fs = append(fs, b.f("source", "Source documents", "readonly", "Where the facts came from.", false, 0))
			}
			return fs, nil
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
				l.Status = directory.Status(d.get("status"))
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
				err = st.UpdateListing(ctx, &l, by, "")
			}
			if err != nil {
				return 0, mergeListingErrors(nil, err, rows)
			}
			return l.ID, nil
		},
	}
}

var taxonomyName = map[string]string{"service": "Services", "population": "People served", "area": "Areas", "language": "Languages"}
