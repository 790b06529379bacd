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

// Each kind's form: its fields, in screen order, once. See form.go for what is derived.
//
// Adding a field to a listing (say a TTY number, TTY string):
//   - directory/directory.go: the field on Listing with its json name, and its check in
//     Listing.Validate (validate.go); if it is text per language, a line in TextFields
//     (rules.go); a channel field needs nothing more, SameContent compares whole structs;
//   - store: a migration adding the column, and one line in listingPlain
//     (listing_columns.go), which reads, inserts and updates it (migrations that ran
//     before the column existed read listings through findListingInMigration, which
//     leaves it empty; a restore of a revision written before the field keeps its value);
//   - here: one line in listingForm; the edit screen, the save, the conflict view and the
//     history's label follow from it;
//   - templates: where the public page shows it.
//
// Until the store and form lines are written, TestEveryListingFieldIsStored (store) and
// TestListingAndChannelFormsCoverEveryField (here) fail and name the field.

// choices gives the form fields whose options come from the store. Its zero value (no
// store) is enough to parse a form.
type choices struct{ st *store.Store }

// listingForm is the form of a listing of kind; channel rows are parsed by parseChannels.
func listingForm(kind directory.Kind, c choices) form[directory.Listing] {
	type L = directory.Listing
	fs := []field[L]{
		textField("name", "Name", "", true, directory.MaxName, func(l *L) *string { return &l.Name }),
		slugField(kind.Section(), func(l *L) *string { return &l.Slug }),
		areaField("summary", "Summary", "One or two plain sentences: what it is and who it is for.", false, directory.MaxSummary, 3, func(l *L) *string { return &l.Summary }),
		markdownField("body", "Description", func(l *L) *string { return &l.Body }),
		typedField("url", "website", "Website", "The full address, starting with https://.", false, 500, func(l *L) *string { return &l.Website }),
		typedField("email", "email", "Email", "", false, 254, func(l *L) *string { return &l.Email }),
		textField("social", "Social media", "Like @polarisproject on X.", false, directory.MaxShort, func(l *L) *string { return &l.Social }),
		textField("hours", "Hours", "Like \"Monday to Friday, 8 am to 5 pm Alaska time\".", false, directory.MaxShort, func(l *L) *string { return &l.Hours }),
		// Shown for every kind, so that a save never clears a flag the form did not show.
		checkField("open_24_7", "Open 24 hours a day, 7 days a week", "Open 24 hours", func(l *L) *bool { return &l.Open247 }),
		textField("works_in", "Works in", "Only for a group that works only outside the country: where, as its source says, like \"Cambodia\". The page says \"Works in Cambodia\". Leave it empty otherwise.", false, directory.MaxShort, func(l *L) *string { return &l.WorksIn }),
		typedField("date", "source_date", "Date of the source", "The date the source document gives for these facts, if it gives one. It is shown as the source's date, never as a check by staff: Mark verified does that.", false, 0, func(l *L) *string { return &l.SourceDate }),
		{name: "operated_by", label: "Run by", hint: "The organization or agency that runs it, if any.", typ: "select",
			at: func(l *L) any { return &l.OperatedBy },
			get: func(l *L) string {
				if l.OperatedBy == nil {
					return ""
				}
				return l.OperatedBy.Slug
			},
			set: func(l *L, v string, _ map[string]string) {
				l.OperatedBy = nil
				if v != "" {
					l.OperatedBy = &directory.Ref{Slug: v}
				}
			},
			show: func(d *entryData, _ bool) bool {
				return kind != directory.KindResource || d.Values["operated_by"] != ""
			},
			options: c.operators},
	}
	if kind == directory.KindResource {
		var types []string
		for _, t := range resourceTypes {
			types = append(types, t, t)
		}
		fs = append(fs,
			field[L]{name: "resource_type", label: "Type of resource", typ: "select", required: true,
				at: func(l *L) any { return &l.ResourceType }, options: staticOptions(types...)},
			textField("publisher", "Publisher", "", false, directory.MaxShort, func(l *L) *string { return &l.Publisher }),
			textField("published", "Date published", "As the source gives it, like \"January 2022\".", false, directory.MaxShort, func(l *L) *string { return &l.Published }))
	}
	fs = append(fs,
		field[L]{name: "terms", label: "Filters", typ: "checkboxes", hint: "Services, people served, areas and languages: visitors filter by these.",
			at: func(l *L) any { return &l.Terms },
			getAll: func(l *L) []string {
				var out []string
				for _, t := range l.Terms {
					out = append(out, t.Taxonomy+"/"+t.Slug)
				}
				return out
			},
			setAll: func(l *L, vs []string, errs map[string]string) {
				l.Terms = nil
				for _, v := range vs {
					tax, slug, ok := strings.Cut(v, "/")
					if !ok || tax == "" || slug == "" {
						errs["terms"] = "Choose from the list."
						continue
					}
					l.Terms = append(l.Terms, directory.Term{Taxonomy: tax, Slug: slug})
				}
			},
			options: c.terms},
		todoField(func(l *L) *[]string { return &l.Todo }),
		statusField(func(l *L) *directory.Status { return &l.Status }),
		field[L]{name: "source", label: "Source documents", typ: "readonly", hint: "Where the facts came from.",
			at:   func(l *L) any { return &l.Source },
			show: func(d *entryData, isNew bool) bool { return !isNew && d.Values["source"] != "" }},
	)
	return form[L]{fields: fs, finish: slugFrom(func(l *L) (*string, string) { return &l.Slug, l.Name })}
}

func pageForm() form[directory.Page] {
	type P = directory.Page
	slug := textField("slug", "Address name", "Each page belongs to a fixed place on the site.", false, 0, func(p *P) *string { return &p.Slug })
	slug.typ = "readonly"
	return form[P]{fields: []field[P]{
		slug,
		textField("title", "Title", "", true, directory.MaxName, func(p *P) *string { return &p.Title }),
		areaField("description", "Description", "One or two sentences, shown in search results.", false, directory.MaxSummary, 3, func(p *P) *string { return &p.Description }),
		markdownField("body", "Text", func(p *P) *string { return &p.Body }),
		todoField(func(p *P) *[]string { return &p.Todo }),
	}}
}

func signForm() form[directory.Sign] {
	type S = directory.Sign
	return form[S]{fields: []field[S]{
		areaField("text", "Sign", "One sign, in plain words.", true, directory.MaxSummary, 3, func(x *S) *string { return &x.Text }),
		slugField("see-it#", func(x *S) *string { return &x.Slug }),
		positionField(func(x *S) *int { return &x.Position }),
		statusField(func(x *S) *directory.Status { return &x.Status }),
	}, finish: slugFrom(func(x *S) (*string, string) { return &x.Slug, short(x.Text, 50) })}
}

func industryForm() form[directory.Industry] {
	type I = directory.Industry
	return form[I]{fields: []field[I]{
		textField("name", "Name", "A kind of work people are trafficked into.", true, directory.MaxName, func(x *I) *string { return &x.Name }),
		slugField("know-it#", func(x *I) *string { return &x.Slug }),
		positionField(func(x *I) *int { return &x.Position }),
		statusField(func(x *I) *directory.Status { return &x.Status }),
	}, finish: slugFrom(func(x *I) (*string, string) { return &x.Slug, x.Name })}
}

func situationForm(c choices) form[directory.Situation] {
	type S = directory.Situation
	refOf := func(v string) directory.Ref {
		k, slug, _ := strings.Cut(v, "/")
		return directory.Ref{Kind: directory.Kind(k), Slug: slug}
	}
	return form[S]{fields: []field[S]{
		textField("title", "What someone saw", "Like \"A child in commercial sex\".", true, directory.MaxName, func(x *S) *string { return &x.Title }),
		areaField("detail", "Detail", "", false, directory.MaxSummary, 3, func(x *S) *string { return &x.Detail }),
		{name: "line", label: "The line that fits", typ: "select", at: func(x *S) any { return &x.Listing },
			get: func(x *S) string {
				if x.Listing == nil {
					return ""
				}
				return string(x.Listing.Kind) + "/" + x.Listing.Slug
			},
			set: func(x *S, v string, _ map[string]string) {
				x.Listing = nil
				if v != "" {
					r := refOf(v)
					x.Listing = &directory.Listing{Kind: r.Kind, Slug: r.Slug}
				}
			},
			options: func(ctx context.Context, d *entryData) ([]view.Option, error) {
				opts, err := c.lines(ctx, d)
				return append([]view.Option{{Value: "", Label: "(none)"}}, opts...), err
			}},
		{name: "also", label: "Other lines that also fit", short: "Other lines", typ: "checkboxes", at: func(x *S) any { return &x.Also },
			getAll: func(x *S) []string {
				var out []string
				for _, r := range x.Also {
					out = append(out, string(r.Kind)+"/"+r.Slug)
				}
				return out
			},
			setAll: func(x *S, vs []string, _ map[string]string) {
				x.Also = nil
				for _, v := range vs {
					x.Also = append(x.Also, refOf(v))
				}
			},
			options: c.lines},
		slugField("report-it#", func(x *S) *string { return &x.Slug }),
		positionField(func(x *S) *int { return &x.Position }),
		statusField(func(x *S) *directory.Status { return &x.Status }),
	}, finish: slugFrom(func(x *S) (*string, string) { return &x.Slug, x.Title })}
}

func statForm() form[directory.Stat] {
	type S = directory.Stat
	return form[S]{fields: []field[S]{
		intField("year", "Year", "", true, 4, func(x *S) *int { return &x.Year }),
		textField("measure", "What is counted", "Like \"Cases reported to the hotline from Alaska\".", true, directory.MaxName, func(x *S) *string { return &x.Measure }),
		{name: "value", label: "Figure", typ: "text", max: 20, at: func(x *S) any { return &x.Value },
			hint: "Only a figure from a published source. Leave empty until you have one: the figure is then not shown.",
			get: func(x *S) string {
				if x.Value == nil {
					return ""
				}
				return strconv.FormatFloat(*x.Value, 'f', -1, 64)
			},
			set: func(x *S, v string, errs map[string]string) {
				x.Value = nil
				if v = strings.ReplaceAll(v, ",", ""); v != "" {
					f, err := strconv.ParseFloat(v, 64)
					if err != nil || f != f || f > 1e15 || f < -1e15 {
						errs["value"] = "Enter a number, like 1250 or 12.5."
					} else {
						x.Value = &f
					}
				}
			}},
		textField("unit", "Unit", "Like \"cases\" or \"%\".", false, 40, func(x *S) *string { return &x.Unit }),
		textField("source_name", "Source", "Who published the figure.", false, directory.MaxShort, func(x *S) *string { return &x.SourceName }),
		typedField("url", "source_url", "Source address", "", false, 500, func(x *S) *string { return &x.SourceURL }),
		todoField(func(x *S) *[]string { return &x.Todo }),
		statusField(func(x *S) *directory.Status { return &x.Status }),
	}}
}

func termForm() form[directory.Term] {
	type T = directory.Term
	var taxonomies []string
	for _, tax := range directory.Taxonomies {
		taxonomies = append(taxonomies, tax, taxonomyName[tax])
	}
	return form[T]{fields: []field[T]{
		{name: "taxonomy", label: "Kind of filter", typ: "select", required: true, onlyNew: true,
			at: func(t *T) any { return &t.Taxonomy }, options: staticOptions(taxonomies...),
			show: func(_ *entryData, isNew bool) bool { return isNew }},
		{name: "taxonomy", label: "Kind of filter", typ: "readonly", hint: "A filter keeps its kind; make a new one for another kind.",
			display: func(v string) string { return taxonomyName[v] },
			show:    func(_ *entryData, isNew bool) bool { return !isNew }},
		textField("name", "Name", "As visitors see it, like \"Legal help\".", true, directory.MaxName, func(t *T) *string { return &t.Name }),
		textField("slug", "Address name", "Used in filter links. Left empty, it is made from the name.", false, 100, func(t *T) *string { return &t.Slug }),
		positionField(func(t *T) *int { return &t.Position }),
	}, finish: func(t *T, _ *entryData, _ bool) {
		if t.Slug == "" {
			t.Slug = directory.Slug(t.Name)
		}
	}}
}

func settingsForm(c choices) form[directory.Settings] {
	type S = directory.Settings
	return form[S]{fields: []field[S]{
		textField("site_name", "Name of the group", "Shown at the top of every page.", true, directory.MaxName, func(s *S) *string { return &s.SiteName }),
		textField("region", "Region", "Like \"Alaska\".", false, directory.MaxName, func(s *S) *string { return &s.Region }),
		textField("tagline", "Tagline", "", false, directory.MaxShort, func(s *S) *string { return &s.Tagline }),
		typedField("url", "exit_url", "Quick exit goes to", "A harmless site, like a weather page. Visitors who press Exit land there.", true, 500, func(s *S) *string { return &s.ExitURL }),
		{name: "emergency_number", label: "Emergency number", typ: "text", hint: "Like 911.", required: true, max: 20,
			at:  func(s *S) any { return &s.EmergencyNumber },
			get: func(s *S) string { return s.EmergencyNumber },
			set: func(s *S, v string, errs map[string]string) {
				if v == "" {
					return
				}
				p, err := phone.Parse(v, phone.DefaultRegion)
				if err != nil {
					errs["emergency_number"] = "Enter the emergency number, like 911."
				}
				s.EmergencyNumber = p
			}},
		{name: "primary_hotline", label: "Hotline on every page", typ: "select", hint: "The call and text buttons at the top of every page.",
			at: func(s *S) any { return &s.PrimaryHotline }, options: c.hotlines},
		typedField("email", "contact_email", "Contact email", "The working group's address, if it publishes one.", false, 254, func(s *S) *string { return &s.ContactEmail }),
		intField("verify_days", "Verify listings every (days)", "The dashboard lists listings not verified within this many days.", true, 4, func(s *S) *int { return &s.VerifyDays }),
		contactApprovalField(),
	}}
}

// slugFrom makes a new entry's empty address name from its title: at returns where the
// slug lives and the title.
func slugFrom[T any](at func(*T) (*string, string)) func(*T, *entryData, bool) {
	return func(x *T, _ *entryData, isNew bool) {
		if slug, title := at(x); isNew && *slug == "" {
			*slug = directory.Slug(title)
		}
	}
}

// The choices that come from the store.

func (c choices) listings(ctx context.Context, kinds ...directory.Kind) ([]*directory.Listing, error) {
	var out []*directory.Listing
	for _, k := range kinds {
		list, _, err := c.st.ListListings(ctx, directory.ListingFilter{Kind: k, Lang: store.DefaultLang, Drafts: true})
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// operators are the organizations and agencies that may run a listing (not itself).
func (c choices) operators(ctx context.Context, d *entryData) ([]view.Option, error) {
	list, err := c.listings(ctx, directory.KindOrganization, directory.KindAgency)
	opts := []view.Option{{Value: "", Label: "(none)"}}
	for _, l := range list {
		if l.ID != d.ID {
			opts = append(opts, view.Option{Value: l.Slug, Label: l.Name})
		}
	}
	return opts, err
}

// terms are every filter, grouped by taxonomy.
func (c choices) terms(ctx context.Context, _ *entryData) ([]view.Option, error) {
	terms, err := c.st.ListTerms(ctx, "", store.DefaultLang)
	var opts []view.Option
	for _, t := range terms {
		opts = append(opts, view.Option{Value: t.Taxonomy + "/" + t.Slug, Label: t.Name, Group: taxonomyName[t.Taxonomy]})
	}
	return opts, err
}

// lines are the hotlines, agencies and organizations a situation may point to.
func (c choices) lines(ctx context.Context, _ *entryData) ([]view.Option, error) {
	var opts []view.Option
	for _, k := range []directory.Kind{directory.KindHotline, directory.KindAgency, directory.KindOrganization} {
		list, err := c.listings(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, l := range list {
			opts = append(opts, view.Option{Value: string(l.Kind) + "/" + l.Slug, Label: l.Name, Group: k.Section()})
		}
	}
	return opts, nil
}

// hotlines are the hotlines the site may show on every page.
func (c choices) hotlines(ctx context.Context, _ *entryData) ([]view.Option, error) {
	list, err := c.listings(ctx, directory.KindHotline)
	opts := []view.Option{{Value: "", Label: "(none)"}}
	for _, l := range list {
		opts = append(opts, view.Option{Value: l.Slug, Label: l.Name})
	}
	return opts, err
}
