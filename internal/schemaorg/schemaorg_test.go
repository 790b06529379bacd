package schemaorg

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEmptyFieldsAreLeftOut(t *testing.T) {
	b, err := json.Marshal(Organization{Context: Context, Type: TypeOrganization, Name: "Polaris"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"@context":"https://schema.org","@type":"Organization","name":"Polaris"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestSearchActionTakesTheQueryInQ(t *testing.T) {
	b, _ := json.Marshal(NewSearchAction("https://example.org/es/search"))
	for _, want := range []string{
		`"urlTemplate":"https://example.org/es/search?q={search_term_string}"`,
		`"query-input":"required name=search_term_string"`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}

func TestBreadcrumbPositionsCountFromOne(t *testing.T) {
	b := NewBreadcrumbList([]Crumb{{"Home", "https://example.org/"}, {"Hotlines", "https://example.org/hotlines"}})
	if len(b.ItemListElement) != 2 || b.ItemListElement[0].Position != 1 || b.ItemListElement[1].Position != 2 {
		t.Errorf("positions: %+v", b.ItemListElement)
	}
}

func TestAllWeekIsEveryDayAllDay(t *testing.T) {
	h := AllWeek()
	if len(h.DayOfWeek) != 7 || h.Opens != "00:00" || h.Closes != "23:59" {
		t.Errorf("%+v", h)
	}
}
