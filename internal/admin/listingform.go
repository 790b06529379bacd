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
				string(directory.ChannelEmail), "Email", string(directory.ChannelWeb), "Web form or site")},
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
		checkField("todo", "Still to fill in (the sources do not give it)", "", func(c *C) *bool { return &c.Todo }),
	}, finish: func(c *C, d *entryData, _ bool) {
		// "1-800-THE-LOST": the letters are how people know the number.
		if typed := d.get("number"); c.Vanity == "" && typed != "" && c.Number != typed && strings.IndexFunc(typed, unicode.IsLetter) >= 0 {
			c.Vanity = typed
		}
	}}
}()

// channelRowEmpty reports whether a channel row has nothing typed in it (a spare row).
func channelRowEmpty(c map[string]string) bool {
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
		prefix := "channels." + strconv.Itoa(i) + "."
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
		}
		out = append(out, view.ChannelRow{Index: i, Type: row.Values["type"], Fields: fields})
	}
	return out
}

func templHTML(s string) template.HTML { return template.HTML(s) } // #nosec G203 -- s is markdown.ToHTML output, sanitised

// textareaValue is a multi-line value as typed. Browsers send line breaks as CRLF; they are
// stored as LF, and nothing else is changed, so an unchanged form saves the same text.
func textareaValue(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
