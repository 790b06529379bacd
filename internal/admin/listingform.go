package admin

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"strconv"
	"strings"
	"unicode"

	"signpost/internal/directory"
	"signpost/internal/phone"
	view "signpost/templates/admin"
)

// The listing form: its values to a directory.Listing and back. parseListing is the one
// parser of staff input with structure (channel rows, phone numbers, terms); it is fuzzed.

// channelForm is the form of one channel row: the listing form holds a list of them, each
// field named "channels.<row>.<name>".
var channelForm = func() form[directory.Channel] {
	type C = directory.Channel
	text := func(typ, name, label, hint string, at func(*C) *string) field[C] {
		return typedField(typ, name, label, hint, false, 300, at)
	}
	return form[C]{fields: []field[C]{
		{name: "type", label: "Kind", typ: "select", required: true, deflt: string(directory.ChannelVoice),
			at:  func(c *C) any { return &c.Type },
			get: func(c *C) string { return string(c.Type) },
			set: func(c *C, v string, _ map[string]string) { c.Type = directory.ChannelType(v) },
			options: staticOptions(string(directory.ChannelVoice), "Call", string(directory.ChannelText), "Text message",
				string(directory.ChannelEmail), "Email", string(directory.ChannelWeb), "Web or chat")},
		{name: "number", label: "Phone number", typ: "text", hint: "For calls and texts.", max: 300,
			at: func(c *C) any { return &c.Number },
			get: func(c *C) string {
				if c.Number == "" {
					return ""
				}
				return phone.Display(c.Number)
			},
			set: func(c *C, typed string, errs map[string]string) {
				c.Number = typed
				if typed == "" {
					return
				}
				n, err := phone.Parse(typed, phone.DefaultRegion)
				if err != nil {
					errs["number"] = "Enter a phone number like 907-555-0100 or 1-888-373-7888, or a short number like 911."
					return // the number stays as typed, for the form; Validate refuses it too
				}
				c.Number = n
			}},
		text("text", "vanity", "Letters form", "As advertised, like 1-800-THE-LOST.", func(c *C) *string { return &c.Vanity }),
		text("text", "keyword", "Text keyword", "The word to send, for text lines.", func(c *C) *string { return &c.Keyword }),
		text("email", "address", "Email address", "", func(c *C) *string { return &c.Address }),
		text("url", "url", "Web address", "", func(c *C) *string { return &c.URL }),
		text("text", "label", "Label", "What this line is for, like \"Tips from the public\".", func(c *C) *string { return &c.Label }),
		text("text", "hours", "Hours", "", func(c *C) *string { return &c.Hours }),
		checkField("todo", "Still to fill in", "", func(c *C) *bool { return &c.Todo }),
	}, finish: func(c *C, d *entryData, _ bool) {
		// "1-800-THE-LOST": the letters are how people know the number.
		if typed := d.get("number"); c.Vanity == "" && typed != "" && c.Number != typed && strings.IndexFunc(typed, unicode.IsLetter) >= 0 {
			c.Vanity = typed
		}
	}}
}()

// channelRowEmpty reports whether a channel row has nothing typed in it, or is ticked
// "Remove": either way it is not saved.
func channelRowEmpty(c map[string]string) bool {
	if c["remove"] == "1" {
		return true
	}
	for _, f := range channelForm.fields {
		if f.name != "type" && strings.TrimSpace(c[f.name]) != "" {
			return false
		}
	}
	return true
}

// parseListing fills l's editable fields from the form values in d and returns a message
// per field it could not read (phone numbers, terms). Validation proper is l.Validate's
// job. rows maps each of l.Channels to its row in the form, for error messages.
func parseListing(d *entryData, l *directory.Listing) (errs map[string]string, rows []int) {
	errs = listingForm(l.Kind, choices{}).parse(d, l, l.ID == 0)
	rows = parseChannels(d, l, errs)
	return errs, rows
}

// parseChannels reads the form's channel rows into l.Channels, skipping empty rows, and
// returns the row of each channel.
func parseChannels(d *entryData, l *directory.Listing, errs map[string]string) (rows []int) {
	l.Channels = nil
	for i, c := range d.Channels {
		if c == nil || channelRowEmpty(c) {
			continue
		}
		var ch directory.Channel
		for f, msg := range channelForm.parse(&entryData{Values: c}, &ch, false) {
			errs["channels."+strconv.Itoa(i)+"."+f] = msg
		}
		l.Channels = append(l.Channels, ch)
		rows = append(rows, i)
	}
	return rows
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
	return directory.Invalid(out)
}

// listingValues is a stored listing as form values.
func listingValues(l *directory.Listing) *entryData {
	d := &entryData{ID: l.ID, Version: l.Version, Status: l.Status, Trashed: !l.DeletedAt.IsZero(), Verified: l.LastVerified, Pin: l.Pin,
		Name: l.Name, Public: l.Path()}
	listingForm(l.Kind, choices{}).values(l, d)
	for i := range l.Channels {
		row := &entryData{}
		channelForm.values(&l.Channels[i], row)
		d.Channels = append(d.Channels, row.Values)
	}
	return d
}

// channelRows builds the form's ways to reach the entry: its own, as stored or as typed,
// and no blank padding: "Add another way" adds a row (addWay). A new entry starts with one
// blank call row.
func channelRows(d *entryData, errs map[string]string) []view.ChannelRow {
	rows := d.Channels
	if len(rows) == 0 && d.ID == 0 {
		rows = []map[string]string{{}}
	}
	out := make([]view.ChannelRow, 0, len(rows))
	for i, c := range rows {
		out = append(out, channelRow(i, "channels."+strconv.Itoa(i)+".", c, errs))
	}
	return out
}

// channelRow is one way's row; prefix names its fields.
func channelRow(i int, prefix string, c map[string]string, errs map[string]string) view.ChannelRow {
	if c == nil {
		c = map[string]string{}
	}
	rowErrs := map[string]string{}
	for _, f := range channelForm.fields {
		rowErrs[f.name] = errs[prefix+f.name]
	}
	// A copy: the screen's defaults stay out of the entry. The row's options are fixed, so
	// view cannot fail.
	row := &entryData{Values: maps.Clone(c)}
	fields, _ := channelForm.view(context.Background(), row, rowErrs, false)
	for j := range fields {
		fields[j].Name = prefix + fields[j].Name
		// One hint for all the rows (above them) instead of one per field per row.
		fields[j].Hint = ""
	}
	return view.ChannelRow{Index: i, Type: row.Values["type"], Fields: fields, Removed: c["remove"] == "1"}
}

// newWayRow is the blank row ways.js copies to add a way in place (its index a placeholder).
func newWayRow() view.ChannelRow {
	return channelRow(-1, "channels.__i__.", nil, nil)
}

// addWay adds a blank way of kind to the form (the "Add another way" buttons without
// script); it reports false when kind is not one, or the form holds as many as it may.
func addWay(d *entryData, kind string) bool {
	switch directory.ChannelType(kind) {
	case directory.ChannelVoice, directory.ChannelText, directory.ChannelEmail, directory.ChannelWeb:
	default:
		return false
	}
	if len(d.Channels) >= maxChannels {
		return false
	}
	d.Channels = append(d.Channels, map[string]string{"type": kind})
	return true
}

// listingParts is where each field of the listing form goes on the screen; a field not
// named here (a new one) goes in "more".
var listingParts = map[string]string{
	"name": "main", "summary": "main", "status": "main",
	"body":  "about",
	"terms": "filters",
	"slug":  "admin", "todo": "admin", "source": "admin",
}

// listingSections folds the listing form into parts: name and summary, the ways to reach
// it (open: the most edited), then the description, the other details, the filters and the
// page's own settings, folded unless open is true (a new entry, a suggestion being
// applied, a conflict to compare) or they hold an error. The staff task "change one text
// line" then needs no scrolling past fields it does not touch.
func listingSections(fields []view.Field, ways int, open, preview bool) []view.FormSection {
	parts := []view.FormSection{
		{ID: "part-main"},
		{ID: "part-ways", Title: "Ways to reach it", Fold: true, Open: true, Ways: true},
		{ID: "part-about", Title: "Description", Fold: true, Open: open || preview},
		{ID: "part-more", Title: "Website, hours and who runs it", Fold: true, Open: open},
		{ID: "part-filters", Title: "Filters", Fold: true, Open: open},
		{ID: "part-admin", Title: "Page address, still to fill in, sources", Fold: true, Open: open},
	}
	at := map[string]int{"main": 0, "about": 2, "more": 3, "filters": 4, "admin": 5}
	for _, f := range fields {
		i, ok := at[listingParts[f.Name]]
		if !ok {
			i = at["more"]
		}
		parts[i].Fields = append(parts[i].Fields, f)
		if f.Error != "" {
			parts[i].Open = true
		}
		if f.Type == "checkboxes" {
			n := 0
			for _, o := range f.Options {
				if o.Selected {
					n++
				}
			}
			parts[i].Note = countWords(n, "chosen", "chosen")
		}
	}
	parts[1].Note = countWords(ways, "way", "ways")
	out := parts[:0]
	for _, p := range parts {
		if len(p.Fields) > 0 || p.Ways {
			out = append(out, p)
		}
	}
	return out
}

// countWords is "1 way", "3 ways".
func countWords(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func templHTML(s string) template.HTML { return template.HTML(s) } // #nosec G203 -- s is markdown.ToHTML output, sanitised

// textareaValue is a multi-line value as typed. Browsers send line breaks as CRLF; they are
// stored as LF, and nothing else is changed, so an unchanged form saves the same text.
func textareaValue(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
