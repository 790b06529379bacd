package admin

import (
	"slices"
	"strings"
	"testing"
)

func way(typ, number, label string) map[string]string {
	return map[string]string{"type": typ, "number": number, "label": label}
}

// summary lists rows as "type number label", empty rows as "-".
func summary(rows []map[string]string) string {
	var out []string
	for _, r := range rows {
		if channelRowEmpty(r) {
			out = append(out, "-")
			continue
		}
		out = append(out, strings.TrimSpace(r["type"]+" "+r["number"]+" "+r["label"]))
	}
	return strings.Join(out, " | ")
}

func TestMergeChannels(t *testing.T) {
	a, b, c := way("voice", "+19075550100", "Main"), way("text", "233733", "Texts"), way("voice", "+19075550101", "Tips")
	base := []map[string]string{a, b, c}
	for _, tc := range []struct {
		name          string
		theirs, yours []map[string]string
		want          string
		conflicts     []string // labels
	}{
		{name: "they removed the middle way, you relabelled the last",
			theirs: []map[string]string{a, c},
			yours:  []map[string]string{a, b, way("voice", "907-555-0101", "Tips from the public")},
			want:   "voice +19075550100 Main | voice +19075550101 Tips from the public"},
		{name: "they changed the first number, you added a way",
			theirs: []map[string]string{way("voice", "+19075550199", "Main"), b, c},
			yours:  []map[string]string{a, b, c, way("web", "", "Form")},
			want:   "voice +19075550199 Main | text 233733 Texts | voice +19075550101 Tips | web  Form"},
		{name: "you removed a way they did not touch",
			theirs: []map[string]string{a, b, c},
			yours:  []map[string]string{a, {}, c},
			want:   "voice +19075550100 Main | - | voice +19075550101 Tips"},
		{name: "the same number typed differently is no change",
			theirs: []map[string]string{a, b, way("voice", "+19075550101", "Tips line")},
			yours:  []map[string]string{way("voice", "(907) 555-0100", "Main "), b, c},
			want:   "voice +19075550100 Main | text 233733 Texts | voice +19075550101 Tips line"},
		{name: "both changed the same number",
			theirs:    []map[string]string{way("voice", "+19075550111", "Main"), b, c},
			yours:     []map[string]string{way("voice", "907-555-0122", "Main"), b, c},
			want:      "voice 907-555-0122 Main | text 233733 Texts | voice +19075550101 Tips",
			conflicts: []string{"Way 1, phone number"}},
		{name: "they removed a way you changed",
			theirs:    []map[string]string{a, c},
			yours:     []map[string]string{a, way("text", "233733", "Texts, 24/7"), c},
			want:      "voice +19075550100 Main | voice +19075550101 Tips | text 233733 Texts, 24/7",
			conflicts: []string{"Way 3"}},
		{name: "you removed a way they changed",
			theirs:    []map[string]string{a, way("text", "233733", "Texts, 24/7"), c},
			yours:     []map[string]string{a, {}, c},
			want:      "voice +19075550100 Main | - | voice +19075550101 Tips",
			conflicts: []string{"Way 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, cs := mergeChannels(base, true, tc.theirs, tc.yours)
			if got := summary(rows); got != tc.want {
				t.Errorf("merged = %s\n want %s", got, tc.want)
			}
			var labels []string
			for _, c := range cs {
				labels = append(labels, c.label)
			}
			if strings.Join(labels, ";") != strings.Join(tc.conflicts, ";") {
				t.Errorf("conflicts = %q, want %q", labels, tc.conflicts)
			}
		})
	}
}

func TestNormValueMakesNoFalseDifferences(t *testing.T) {
	text := mergeField{name: "body", typ: "markdown"}
	if normValue(text, "One.  \r\nTwo.\r\n") != normValue(text, "One.\nTwo.") {
		t.Error("CRLF and trailing spaces are a difference")
	}
	box := mergeField{name: "open_24_7", typ: "checkbox"}
	if normValue(box, "") != normValue(box, "0") || normValue(box, "1") != normValue(box, "on") {
		t.Error("an unticked box posted or not is a difference")
	}
	kind := mergeField{name: "type", typ: "select", deflt: "voice"}
	if normValue(kind, "") != normValue(kind, "voice") {
		t.Error("a select's default and empty are a difference")
	}
}

// rowsOf reads "voice 1 a;text 2 b" as channel rows ("-" is an empty row).
func rowsOf(s string) []map[string]string {
	var out []map[string]string
	for _, r := range strings.Split(s, ";") {
		f := strings.Fields(r)
		if len(f) == 0 || f[0] == "-" {
			out = append(out, map[string]string{})
			continue
		}
		row := map[string]string{"type": f[0]}
		if len(f) > 1 {
			row["number"] = f[1]
		}
		if len(f) > 2 {
			row["label"] = strings.Join(f[2:], " ")
		}
		out = append(out, row)
	}
	return out
}

func compact(rows []map[string]string) []map[string]string {
	var out []map[string]string
	for _, r := range rows {
		if r != nil && !channelRowEmpty(r) {
			out = append(out, r)
		}
	}
	return out
}

// FuzzMergeChannels checks the channel merge's promises on any lists: a side that changed
// nothing gets the other side's list, without a conflict; a conflict names a row the
// merged form has.
func FuzzMergeChannels(f *testing.F) {
	f.Add("voice 1 a;text 2 b;voice 3 c", "voice 1 a;voice 3 c", "voice 1 a;text 2 b;voice 3 x;web 4 w")
	f.Add("voice 1 a", "voice 9 a;email 2", "-;voice 1 a")
	f.Add("", "text 1", "web 2")
	f.Fuzz(func(t *testing.T, bs, ts, ys string) {
		base, theirs, yours := compact(rowsOf(bs)), compact(rowsOf(ts)), rowsOf(ys)
		if len(base) > maxChannels || len(theirs) > maxChannels || len(yours) > maxChannels {
			return
		}
		// You changed nothing: theirs, no conflict.
		rows, cs := mergeChannels(base, true, theirs, base)
		if len(cs) != 0 || !slices.EqualFunc(compact(rows), theirs, rowsEqual) {
			t.Errorf("unchanged form over %q: merged %q, conflicts %v", ts, summary(rows), cs)
		}
		// They changed nothing: yours, no conflict.
		rows, cs = mergeChannels(base, true, base, yours)
		want := compact(yours)
		if len(cs) != 0 || !slices.EqualFunc(compact(rows), want, rowsEqual) {
			t.Errorf("unchanged store, form %q: merged %q, conflicts %v", ys, summary(rows), cs)
		}
		// Anything: each conflict names a row of the merged form.
		rows, cs = mergeChannels(base, true, theirs, yours)
		for _, c := range cs {
			i, _, ok := channelKey(c.key + ".x")
			if !ok || i >= len(rows) {
				t.Errorf("conflict %q names no row of %d", c.key, len(rows))
			}
		}
	})
}
