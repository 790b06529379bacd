package admin

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Typed forms. Each kind of entry lists its fields once, as a form[T] over its domain type
// (forms.go): the control, its words, its limits, and where the value lives in T. From that
// one list come the edit screen (view), reading the entry into the form (values), reading
// the form back into the entry (parse), and the labels of the error summary, the conflict
// view, the history diff and the audit log (labels). A field added to the list appears in
// all of them; the compiler checks that it points at a real field of T.

// field is one field of a form over T.
type field[T any] struct {
	name     string // the form control's name ("open_24_7")
	label    string
	short    string // the label in diffs, when shorter than label ("Open 24 hours")
	hint     string
	typ      string // a view.Field type: text, textarea, markdown, url, email, number, checkbox, select, checkboxes, readonly
	required bool
	max      int
	rows     int

	// at points at the field's home in T: a *string for text (read and written as typed,
	// without surrounding space), any other pointer when get and set convert the value. It
	// also names the field in revisions (its JSON name), for the history.
	at func(*T) any
	// get and set convert a value that is not plain text; set notes in errs a value it
	// cannot read. multi fields (checkboxes) use getAll and setAll instead.
	get    func(*T) string
	set    func(x *T, v string, errs map[string]string)
	getAll func(*T) []string
	setAll func(x *T, vs []string, errs map[string]string)

	// options lists a select's or a checkbox group's choices for the entry d.
	options func(ctx context.Context, d *entryData) ([]view.Option, error)
	// show reports whether the screen shows the field (nil: always). A hidden field is
	// still read back on save, so the form never clears what it does not show.
	show func(d *entryData, isNew bool) bool
	// onlyNew fields are set on creation only (the state of a new entry); readonly fields
	// are never read back.
	onlyNew bool
	// deflt is what the screen shows when the value is empty; display turns a readonly
	// value into words.
	deflt   string
	display func(string) string
}

// form is the list of a kind's fields, in screen order, and what the fields alone cannot
// say: finish runs after every field is read (to make a slug from the name, for example).
type form[T any] struct {
	fields []field[T]
	finish func(x *T, d *entryData, isNew bool)
}

// values is x as form values: what the edit screen shows for a stored entry.
func (f form[T]) values(x *T, d *entryData) {
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	if d.Multi == nil {
		d.Multi = map[string][]string{}
	}
	for _, fd := range f.fields {
		switch {
		case fd.getAll != nil:
			d.Multi[fd.name] = fd.getAll(x)
		case fd.get != nil:
			d.Values[fd.name] = fd.get(x)
		case fd.at != nil:
			if p, ok := fd.at(x).(*string); ok {
				d.Values[fd.name] = *p
			}
		}
	}
}

// parse reads the form values in d into x, returning a message per field it could not
// read. Validation proper is the domain's (x.Validate) and the store's.
func (f form[T]) parse(d *entryData, x *T, isNew bool) map[string]string {
	errs := map[string]string{}
	for _, fd := range f.fields {
		if fd.typ == "readonly" || (fd.onlyNew && !isNew) {
			continue
		}
		switch {
		case fd.setAll != nil:
			fd.setAll(x, d.Multi[fd.name], errs)
		case fd.set != nil:
			fd.set(x, d.get(fd.name), errs)
		case fd.at != nil:
			if p, ok := fd.at(x).(*string); ok {
				if fd.typ == "markdown" {
					*p = textareaValue(d.Values[fd.name])
				} else {
					*p = d.get(fd.name)
				}
			}
		}
	}
	if f.finish != nil {
		f.finish(x, d, isNew)
	}
	return errs
}

// view builds the screen's fields for d, with errs beside them.
func (f form[T]) view(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error) {
	var out []view.Field
	for _, fd := range f.fields {
		if fd.show != nil && !fd.show(d, isNew) {
			continue
		}
		if d.Values[fd.name] == "" && fd.deflt != "" {
			d.Values[fd.name] = fd.deflt
		}
		v := view.Field{Name: fd.name, Label: fd.label, Type: fd.typ, Hint: fd.hint, Value: d.Values[fd.name],
			Error: errs[fd.name], Required: fd.required, Max: fd.max, Rows: fd.rows}
		if fd.display != nil {
			v.Value = fd.display(v.Value)
		}
		switch fd.typ {
		case "checkbox":
			v.Checked, v.Value = d.Values[fd.name] == "1", ""
		case "markdown":
			v.Hint, v.Rows, v.Max = markdownHint, 14, directory.MaxBody
		}
		if fd.options != nil {
			opts, err := fd.options(ctx, d)
			if err != nil {
				return nil, err
			}
			chosen := map[string]bool{}
			if fd.typ == "checkboxes" {
				for _, c := range d.Multi[fd.name] {
					chosen[c] = true
				}
			} else {
				chosen[d.Values[fd.name]] = true
			}
			for i := range opts {
				opts[i].Selected = chosen[opts[i].Value]
			}
			v.Options = opts
		}
		out = append(out, v)
	}
	return out, nil
}

// labels names each field for error summaries and diffs: by its form name (the conflict
// view compares form values) and by its JSON name (the history compares revisions).
func (f form[T]) labels() map[string]string {
	m := map[string]string{}
	for _, fd := range f.fields {
		l := fd.short
		if l == "" {
			l = fd.label
		}
		m[fd.name] = l
		if fd.at != nil {
			if j := jsonName(fd.at); j != "" {
				m[j] = l
			}
		}
	}
	return m
}

// jsonName is the JSON name (in revisions) of the field of T that at points at, or "".
func jsonName[T any](at func(*T) any) string {
	var x T
	p := reflect.ValueOf(at(&x))
	if p.Kind() != reflect.Pointer {
		return ""
	}
	v := reflect.ValueOf(&x).Elem()
	for i := range v.NumField() {
		if v.Field(i).Addr().Pointer() == p.Pointer() && v.Field(i).Addr().Type() == p.Type() {
			sf := v.Type().Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" {
				name = sf.Name
			}
			return name
		}
	}
	return ""
}

const markdownHint = "Markdown: a blank line between paragraphs, **bold**, *italic*, [link text](https://…), lines starting with - for a list, ## for a heading. Use Preview to see it as the public will."

// Field makers for the common cases. Each returns a field the form can adjust further.

func textField[T any](name, label, hint string, required bool, max int, at func(*T) *string) field[T] {
	return field[T]{name: name, label: label, hint: hint, typ: "text", required: required, max: max,
		at: func(x *T) any { return at(x) }}
}

func typedField[T any](typ, name, label, hint string, required bool, max int, at func(*T) *string) field[T] {
	f := textField(name, label, hint, required, max, at)
	f.typ = typ
	return f
}

func areaField[T any](name, label, hint string, required bool, max, rows int, at func(*T) *string) field[T] {
	f := textField(name, label, hint, required, max, at)
	f.typ, f.rows = "textarea", rows
	return f
}

func markdownField[T any](name, label string, at func(*T) *string) field[T] {
	f := textField(name, label, "", false, directory.MaxBody, at)
	f.typ = "markdown"
	return f
}

func checkField[T any](name, label, short string, at func(*T) *bool) field[T] {
	return field[T]{name: name, label: label, short: short, typ: "checkbox", at: func(x *T) any { return at(x) },
		get: func(x *T) string {
			if *at(x) {
				return "1"
			}
			return ""
		},
		set: func(x *T, v string, _ map[string]string) { *at(x) = v == "1" }}
}

// intField is a whole number; an empty box is 0.
func intField[T any](name, label, hint string, required bool, max int, at func(*T) *int) field[T] {
	return field[T]{name: name, label: label, hint: hint, typ: "number", required: required, max: max,
		at:  func(x *T) any { return at(x) },
		get: func(x *T) string { return strconv.Itoa(*at(x)) },
		set: func(x *T, v string, errs map[string]string) { *at(x) = parseInt(v, name, errs) }}
}

func positionField[T any](at func(*T) *int) field[T] {
	return intField("position", "Position", "Lower numbers come first.", false, 6, at)
}

func slugField[T any](section string, at func(*T) *string) field[T] {
	f := textField("slug", "Address name", "The last part of the page's address: /"+section+"/<address-name>. Lower-case letters, numbers and hyphens. Left empty, it is made from the name. Changing it later keeps the old address working.", false, 100, at)
	return f
}

func todoField[T any](at func(*T) *[]string) field[T] {
	return field[T]{name: "todo", label: "Still to fill in", typ: "text", max: 300,
		hint: "Names of fields the sources leave out, separated by spaces (for example: email value). They are listed on the dashboard. Remove a name once it is filled in.",
		at:   func(x *T) any { return at(x) },
		get:  func(x *T) string { return strings.Join(*at(x), " ") },
		set:  func(x *T, v string, _ map[string]string) { *at(x) = strings.Fields(v) }}
}

// statusField is the state of a new entry; an entry's state changes with Publish and
// Unpublish afterwards.
func statusField[T any](at func(*T) *directory.Status) field[T] {
	return field[T]{name: "status", label: "State", typ: "select", required: true, onlyNew: true,
		hint:    "A draft is hidden from the public until you publish it.",
		at:      func(x *T) any { return at(x) },
		get:     func(x *T) string { return string(*at(x)) },
		set:     func(x *T, v string, _ map[string]string) { *at(x) = directory.Status(v) },
		show:    func(_ *entryData, isNew bool) bool { return isNew },
		deflt:   string(directory.StatusDraft),
		options: staticOptions("draft", "Draft (hidden)", "published", "Published")}
}

// staticOptions is a fixed list of choices, as value, label pairs.
func staticOptions(pairs ...string) func(context.Context, *entryData) ([]view.Option, error) {
	return func(context.Context, *entryData) ([]view.Option, error) {
		var opts []view.Option
		for i := 0; i+1 < len(pairs); i += 2 {
			opts = append(opts, view.Option{Value: pairs[i], Label: pairs[i+1]})
		}
		return opts, nil
	}
}
