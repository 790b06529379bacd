package directory

import (
	"reflect"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Polaris Project":                "polaris-project",
		"  FBI — Anchorage Field Office": "fbi-anchorage-field-office",
		"Niños":                          "ninos",
		"Asociación de Víctimas":         "asociacion-de-victimas",
		"Çà et là, 24/7":                 "ca-et-la-24-7",
		"":                               "",
		"!!!":                            "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Slug(strings.Repeat("word ", 100)); len(got) > MaxSlugMade || !ValidSlug(got) {
		t.Errorf("long slug %q", got)
	}
}

// TestSameChannelsSeesEveryField changes each field of a channel in turn: every one a
// visitor sees must count as a change, so a field added to Channel is compared at once.
func TestSameChannelsSeesEveryField(t *testing.T) {
	base := Channel{ID: 1, ListingID: 2, Type: ChannelVoice, Number: "+18883737888", Position: 0}
	v := reflect.TypeOf(base)
	for i := range v.NumField() {
		f := v.Field(i)
		changed := base
		fv := reflect.ValueOf(&changed).Elem().Field(i)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(fv.String() + "x")
		case reflect.Bool:
			fv.SetBool(!fv.Bool())
		case reflect.Int, reflect.Int64:
			fv.SetInt(fv.Int() + 7)
		default:
			t.Fatalf("field %s has a kind this test cannot change: teach it", f.Name)
		}
		got := SameChannels([]Channel{base}, []Channel{changed})
		want := f.Name == "ID" || f.Name == "ListingID" || f.Name == "Position"
		if got != want {
			t.Errorf("changing %s: SameChannels = %v, want %v", f.Name, got, want)
		}
	}
	if SameChannels([]Channel{base}, nil) {
		t.Error("one channel and none are the same")
	}
}
