package admin

import (
	"errors"
	"html/template"
	"strconv"
	"strings"
	"unicode"

	"signpost/internal/directory"
	"signpost/internal/phone"
	view "signpost/templates/admin"
)

// The listing form: its values to a directory.Listing and back. parseListing is the one
// parser of staff input with structure (channel rows, phone numbers, terms); it is fuzzed.

// channelFields are the inputs of one channel row, in order.
var channelFields = []string{"type", "number", "vanity", "keyword", "address", "url", "label", "hours", "todo"}

// channelRowEmpty reports whether a channel row has nothing typed in it (a spare row).
func channelRowEmpty(c map[string]string) bool {
	for _, f := range channelFields {
		if f != "type" && strings.TrimSpace(c[f]) != "" {
			return false
		}
	}
	return true
}

// parseListing fills l's editable fields from the form values in d and returns a message
// per field it could not read (phone numbers, positions). Validation proper is l.Validate's
// job. rows maps each of l.Channels to its row in the form, for error messages.
func parseListing(d *entryData, l *directory.Listing) (errs map[string]string, rows []int) {
	errs = map[string]string{}
	l.Name = d.get("name")
	l.Slug = d.get("slug")
	if l.Slug == "" && l.ID == 0 {
		l.Slug = slugify(l.Name)
	}
	l.Summary = d.get("summary")
	l.Body = textareaValue(d.Values["body"])
	l.Website = d.get("website")
	l.Email = d.get("email")
	l.Social = d.get("social")
	l.Hours = d.get("hours")
	l.Open247 = d.get("open_24_7") == "1"
	l.OperatedBy = nil
	if op := d.get("operated_by"); op != "" {
		l.OperatedBy = &directory.Ref{Slug: op}
	}
	if l.Kind == directory.KindResource {
		l.ResourceType = d.get("resource_type")
		l.Publisher = d.get("publisher")
		l.Published = d.get("published")
	}
	l.Todo = strings.Fields(d.Values["todo"])
	l.Terms = nil
	for _, t := range d.Multi["terms"] {
		tax, slug, ok := strings.Cut(t, "/")
		if !ok || tax == "" || slug == "" {
			errs["terms"] = "Choose from the list."
			continue
		}
		l.Terms = append(l.Terms, directory.Term{Taxonomy: tax, Slug: slug})
	}
	l.Channels = nil
	for i, c := range d.Channels {
		if c == nil || channelRowEmpty(c) {
			continue
		}
		key := func(f string) string { return "channels." + strconv.Itoa(i) + "." + f }
		ch := directory.Channel{
			Type:    directory.ChannelType(strings.TrimSpace(c["type"])),
			Vanity:  strings.TrimSpace(c["vanity"]),
			Keyword: strings.TrimSpace(c["keyword"]),
			Address: strings.TrimSpace(c["address"]),
			URL:     strings.TrimSpace(c["url"]),
			Label:   strings.TrimSpace(c["label"]),
			Hours:   strings.TrimSpace(c["hours"]),
			Todo:    strings.TrimSpace(c["todo"]) == "1",
		}
		if typed := strings.TrimSpace(c["number"]); typed != "" {
			n, err := phone.Parse(typed, phone.DefaultRegion)
			if err != nil {
				errs[key("number")] = "Enter a phone number like 907-555-0100 or 1-888-373-7888, or a short number like 911."
				ch.Number = typed // kept for the form; Validate refuses it too
			} else {
				ch.Number = n
				if ch.Vanity == "" && strings.IndexFunc(typed, unicode.IsLetter) >= 0 {
					ch.Vanity = typed // "1-800-THE-LOST": the letters are how people know it
				}
			}
		}
		l.Channels = append(l.Channels, ch)
		rows = append(rows, i)
	}
	return errs, rows
}

// mergeListingErrors combines parse errors with err's field messages, with channel
// messages renamed from their place in l.Channels to their row in the form.
func mergeListingErrors(errs map[string]string, err error, rows []int) error {
	var e *directory.Error
	if err != nil && !errors.As(err, &e) {
		return err
	}
	out := map[string]string{}
	if e != nil {
		if e.Code != directory.EINVALID {
			return err
		}
		for k, v := range e.Fields {
			if i, f, ok := channelKey(k); ok && i < len(rows) {
				k = "channels." + strconv.Itoa(rows[i]) + "." + f
			}
			out[k] = v
		}
	}
	for k, v := range errs {
		out[k] = v // the parser's message is the more precise one
	}
	if len(out) == 0 {
		return nil
	}
	return &directory.Error{Code: directory.EINVALID, Message: "Some fields need attention.", Fields: out}
}

// listingValues is a stored listing as form values.
func listingValues(l *directory.Listing) *entryData {
	d := &entryData{ID: l.ID, Version: l.Version, Status: l.Status, Trashed: !l.DeletedAt.IsZero(), Verified: l.LastVerified, Pin: l.Pin,
		Name: l.Name, Public: l.Path(), Values: map[string]string{
			"name": l.Name, "slug": l.Slug, "summary": l.Summary, "body": l.Body, "website": l.Website, "email": l.Email,
			"social": l.Social, "hours": l.Hours, "resource_type": l.ResourceType, "publisher": l.Publisher,
			"published": l.Published, "todo": strings.Join(l.Todo, " "), "source": l.Source,
		}, Multi: map[string][]string{}}
	if l.Open247 {
		d.Values["open_24_7"] = "1"
	}
	if l.OperatedBy != nil {
		d.Values["operated_by"] = l.OperatedBy.Slug
	}
	for _, t := range l.Terms {
		d.Multi["terms"] = append(d.Multi["terms"], t.Taxonomy+"/"+t.Slug)
	}
	for _, c := range l.Channels {
		row := map[string]string{"type": string(c.Type), "vanity": c.Vanity, "keyword": c.Keyword, "address": c.Address,
			"url": c.URL, "label": c.Label, "hours": c.Hours}
		if c.Number != "" {
			row["number"] = phone.Display(c.Number)
		}
		if c.Todo {
			row["todo"] = "1"
		}
		d.Channels = append(d.Channels, row)
	}
	return d
}

// spareChannelRows is how many empty rows the form always offers for adding a channel.
const spareChannelRows = 3

// channelRows builds the form's channel rows: the entry's own, then spare empty ones.
func channelRows(d *entryData, errs map[string]string) []view.ChannelRow {
	rows := append([]map[string]string{}, d.Channels...)
	trailing := 0
	for i := len(rows) - 1; i >= 0 && channelRowEmpty(rows[i]); i-- {
		trailing++
	}
	for ; trailing < spareChannelRows; trailing++ {
		rows = append(rows, map[string]string{})
	}
	out := make([]view.ChannelRow, 0, len(rows))
	for i, c := range rows {
		if c == nil {
			c = map[string]string{}
		}
		name := func(f string) string { return "channels." + strconv.Itoa(i) + "." + f }
		fld := func(f, label, typ, hint string) view.Field {
			return view.Field{Name: name(f), Label: label, Type: typ, Hint: hint, Value: c[f], Error: errs[name(f)], Max: 300}
		}
		typ := c["type"]
		if typ == "" {
			typ = "voice"
		}
		typeField := view.Field{Name: name("type"), Label: "Kind", Type: "select", Required: true, Error: errs[name("type")]}
		for _, o := range [][2]string{{"voice", "Call"}, {"text", "Text message"}, {"email", "Email"}, {"web", "Web form or site"}} {
			typeField.Options = append(typeField.Options, view.Option{Value: o[0], Label: o[1], Selected: o[0] == typ})
		}
		todo := view.Field{Name: name("todo"), Label: "Still to fill in (the sources do not give it)", Type: "checkbox", Checked: c["todo"] == "1", Error: errs[name("todo")]}
		out = append(out, view.ChannelRow{Index: i, Type: typ, Fields: []view.Field{
			typeField,
			fld("number", "Phone number", "text", "For calls and texts."),
			fld("vanity", "Letters form", "text", "As advertised, like 1-800-THE-LOST."),
			fld("keyword", "Text keyword", "text", "The word to send, for text lines."),
			fld("address", "Email address", "email", ""),
			fld("url", "Web address", "url", ""),
			fld("label", "Label", "text", "What this line is for, like \"Tips from the public\"."),
			fld("hours", "Hours", "text", ""),
			todo,
		}})
	}
	return out
}

// slugify makes an address name from a title: "Polaris Project" → "polaris-project".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

func templHTML(s string) template.HTML { return template.HTML(s) } // #nosec G203 -- s is markdown.ToHTML output, sanitised

// textareaValue is a multi-line value as typed. Browsers send line breaks as CRLF; they are
// stored as LF, and nothing else is changed, so an unchanged form saves the same text.
func textareaValue(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
