package admin

import (
	"strconv"
	"strings"
)

// FormSection is one part of a long edit form. Every part but the first folds (a
// <details>); a part is open when it is short and used often, or holds an error.
type FormSection struct {
	ID     string // the <details> element's id ("part-more")
	Title  string
	Note   string // what the folded part holds, said beside its title ("12 chosen")
	Open   bool
	Fold   bool    // false: always shown, without a title (the name and summary)
	Ways   bool    // the listing's ways to reach it (FormVM.Channels) go here
	Fields []Field // in form order
}

// WayKinds are the kinds of a way to reach a listing, in the order "Add another way" offers
// them, with the words of its buttons.
var WayKinds = []Option{
	{Value: "voice", Label: "Call"},
	{Value: "text", Label: "Text message"},
	{Value: "email", Label: "Email"},
	{Value: "web", Label: "Web or chat"},
}

// wayFieldKinds lists, for each field of a way, the kinds it belongs to; a field not listed
// belongs to every kind. The others' fields are hidden (but still posted, so a value set
// for another kind is never lost: it shows whenever it is not empty).
var wayFieldKinds = map[string]string{
	"number":  "voice text",
	"vanity":  "voice",
	"keyword": "text",
	"address": "email",
	"url":     "web",
	"hours":   "voice web",
}

// fieldShort is a channel field's own name: "keyword" for "channels.2.keyword".
func fieldShort(f Field) string { return f.Name[strings.LastIndex(f.Name, ".")+1:] }

// wayKinds is the kinds a way's field belongs to, space separated, or "" for all.
func wayKinds(f Field) string { return wayFieldKinds[fieldShort(f)] }

// wayFieldHidden reports whether a way of kind hides field f: f belongs to other kinds and
// is empty and without error.
func wayFieldHidden(kind string, f Field) bool {
	ks := wayKinds(f)
	if ks == "" || f.Value != "" || f.Checked || f.Error != "" {
		return false
	}
	for _, k := range strings.Fields(ks) {
		if k == kind {
			return false
		}
	}
	return true
}

// wayKindName is a way's kind in words, for its heading.
func wayKindName(kind string) string {
	for _, k := range WayKinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return ""
}

// wayIndex is a way's number in the form's names, or the placeholder the script replaces in
// the blank way it copies (FormVM.NewWay).
func wayIndex(c ChannelRow) string {
	if c.Index < 0 {
		return "__i__"
	}
	return strconv.Itoa(c.Index)
}

// wayNumber is a way's number as people count, or the script's placeholder.
func wayNumber(c ChannelRow) string {
	if c.Index < 0 {
		return "__n__"
	}
	return strconv.Itoa(c.Index + 1)
}
