package sheet

import (
	"slices"
	"strings"
	"testing"

	"signpost/internal/directory"
)

func TestReadTakesWhatSpreadsheetsSave(t *testing.T) {
	for name, in := range map[string]string{
		"comma":           "Name,Phone\nAlpha,907-555-0100\n",
		"BOM and CRLF":    "\ufeffName,Phone\r\nAlpha,907-555-0100\r\n",
		"semicolon":       "Name;Phone\nAlpha;907-555-0100\n",
		"tab":             "Name\tPhone\nAlpha\t907-555-0100\n",
		"blank rows":      "\n,\nName,Phone,,\n,\nAlpha,907-555-0100,,\n\n",
		"quoted comma":    "\"Name\";\"Phone\"\n\"Alpha\";\"907-555-0100\"\n",
		"short last cell": "Name,Phone,City\nAlpha,907-555-0100\n",
	} {
		tb, err := Read([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := tb.Headings[:2]; got[0] != "Name" || got[1] != "Phone" {
			t.Errorf("%s: headings %q", name, tb.Headings)
		}
		if len(tb.Rows) != 1 || tb.Rows[0].Cells[0] != "Alpha" || tb.Rows[0].Cells[1] != "907-555-0100" {
			t.Errorf("%s: rows %+v", name, tb.Rows)
		}
	}
}

func TestReadNumbersRowsAsTheSpreadsheetDoes(t *testing.T) {
	tb, err := Read([]byte("Name,Description\nA,\"two\nlines\"\n\nB,x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{tb.Rows[0].Number, tb.Rows[1].Number}; got[0] != 2 || got[1] != 4 {
		t.Errorf("row numbers %v, want [2 4]", got)
	}
}

func TestReadRefusesWhatItCannotReadAndSaysWhatToDo(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"xlsx":     {"PK\x03\x04rest", "Save as"},
		"latin-1":  {"Name\nCaf\xe9\n", "UTF-8"},
		"empty":    {"\ufeff \n", "empty"},
		"no rows":  {"Name,Phone\n", "no rows"},
		"too wide": {"Name,Phone\nA,1,2\n", "Row 2 has more cells"},
		"too long": {"Name\n" + strings.Repeat("x", 300<<10) + "\n", "Row 2 is longer"},
	} {
		_, err := Read([]byte(tc.in))
		if err == nil || !strings.Contains(directory.ErrorMessage(err), tc.want) {
			t.Errorf("%s: got %v, want a message with %q", name, err, tc.want)
		}
	}
}

func TestGuessReadsPlainAndCommonHeadings(t *testing.T) {
	got := Guess([]string{"Organization", "Phone number", "Web site", "Town", "Zip code", "E-mail", "Tel", "Who it serves", "  SERVICES ", "Postal Code", "Favourite colour"})
	want := []Field{Name, Phone, Website, City, ZIP, Email, Skip, WhoItServes, Services, Skip, Skip}
	if !slices.Equal(got, want) {
		t.Errorf("Guess = %q, want %q", got, want)
	}
	if got := Guess(TemplateHeadings()); slices.Contains(got, Skip) {
		t.Errorf("the template's own headings are not all guessed: %q", got)
	}
	for _, h := range []string{"URL", "Web", "Telephone", "ZIP", "zipcode"} {
		if Guess([]string{h})[0] == Skip {
			t.Errorf("%q is not guessed", h)
		}
	}
}

func vocab() Vocabulary {
	return Vocabulary{
		Terms: []VocabTerm{
			{directory.Term{Taxonomy: "service", Slug: "legal-help", Name: "Legal help"}, []string{"Ayuda legal"}},
			{directory.Term{Taxonomy: "service", Slug: "shelter", Name: "Shelter"}, []string{"Refugio"}},
			{directory.Term{Taxonomy: "population", Slug: "children-youth", Name: "Children and youth"}, []string{"Niñas, niños y jóvenes"}},
			{directory.Term{Taxonomy: "population", Slug: "adults", Name: "Adults"}, nil},
			{directory.Term{Taxonomy: "language", Slug: "es", Name: "Spanish"}, []string{"Español"}},
		},
		Synonyms: []directory.Synonym{{Words: "lawyer", Means: []string{"legal help"}}},
	}
}

func build(t *testing.T, csv string, existing ...*directory.Listing) *Plan {
	t.Helper()
	tb, err := Read([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return Build(tb, Guess(tb.Headings), vocab(), existing, nil, Options{})
}

func TestBuildMakesListingsFromPlainCells(t *testing.T) {
	p := build(t, "Name,Phone,Website,Services,Who it serves,Languages,City,ZIP\n"+
		"North Star Legal,(907) 555-0100; 907 555 0101,northstar.example.org,\"lawyer, SHELTER\",\"Niñas, niños y jóvenes, adult\",español,Anchorage,99501\n")
	if len(p.Problems) > 0 {
		t.Fatalf("problems: %v", p.Problems)
	}
	l := p.Add[0].Listing
	if l.Slug != "north-star-legal" || l.Kind != directory.KindOrganization || l.Status != directory.StatusDraft {
		t.Errorf("slug %q kind %q status %q", l.Slug, l.Kind, l.Status)
	}
	if l.Website != "https://northstar.example.org" {
		t.Errorf("website %q: https:// should be added", l.Website)
	}
	if got := numbers(l, directory.ChannelVoice); !slices.Equal(got, []string{"+19075550100", "+19075550101"}) {
		t.Errorf("phones %v", got)
	}
	var terms []string
	for _, x := range l.Terms {
		terms = append(terms, x.Slug)
	}
	if !slices.Equal(terms, []string{"legal-help", "shelter", "children-youth", "adults", "es"}) {
		t.Errorf("terms %v", terms)
	}
	if pl := p.Add[0].Place; pl == nil || pl.City != "Anchorage" || pl.PostalCode != "99501" {
		t.Errorf("place %+v", pl)
	}
}

func TestBuildNamesRowColumnAndWhatToChange(t *testing.T) {
	p := build(t, "Organization,Phone number,Web site,Services,Zip code,Town\n"+
		"Alpha,907-555-0100,example.org,Legal help,99501,Anchorage\n"+
		"Beta,555-12,not a site,food bank,9950,Anchorage\n"+
		",907-555-0100,,,,\n"+
		"alpha,,,,,\n"+
		"Gamma,,,,99501,\n")
	want := []string{
		"Row 3, column 'Phone number': '555-12' is not a phone number we can read. Write it like 907-555-0100, with the area code.",
		"Row 3, column 'Web site': 'not a site' is not a web address. Write it like example.org or https://example.org/help.",
		"Row 3, column 'Services': 'food bank' is not one of: Legal help, Shelter.",
		"Row 3, column 'Zip code': '9950' is not a ZIP code. Write 5 digits, like 99501. The spreadsheet may have dropped a leading 0: format the column as text.",
		"Row 4, column 'Organization': the name is empty. Write the organization's name, or delete the row.",
		"Row 5, column 'Organization': 'alpha' is also on row 2. Keep one of the two rows, or change one name.",
		"Row 6, column 'Zip code': a place needs at least a city. Add the city, or leave the address empty.",
	}
	var got []string
	for _, pr := range p.Problems {
		got = append(got, pr.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBuildChangesTheListingOfTheSameNameAndKeepsBlankCells(t *testing.T) {
	ex := &directory.Listing{ID: 7, Kind: directory.KindOrganization, Slug: "alpha", Name: "Alpha", Summary: "Kept.",
		Website: "https://old.example.org", Status: directory.StatusPublished, Version: 3,
		Channels: []directory.Channel{{Type: directory.ChannelVoice, Number: "+19075550100", Label: "Office"}}}
	p := build(t, "Name,Description,Phone,Website\nALPHA,,907-555-0199,old.example.org\nBeta,,,\n", ex)
	if len(p.Problems) > 0 || len(p.Change) != 1 || len(p.Add) != 1 {
		t.Fatalf("plan %+v", p)
	}
	c := p.Change[0]
	if c.Listing.ID != 7 || c.Listing.Summary != "Kept." || c.Listing.Status != directory.StatusPublished {
		t.Errorf("changed listing %+v", c.Listing)
	}
	if ch := c.Listing.Channels[0]; ch.Number != "+19075550199" || ch.Label != "Office" {
		t.Errorf("channel %+v: the number changes, the label stays", ch)
	}
	if !slices.Equal(c.Changes, []string{"Name", "Phone"}) { // the website is the same once https:// is added
		t.Errorf("changes %v", c.Changes)
	}
	if ex.Channels[0].Number != "+19075550100" {
		t.Error("the existing listing was changed in place")
	}
}

func TestBuildMakesUniqueIDs(t *testing.T) {
	ex := &directory.Listing{ID: 1, Kind: directory.KindAgency, Slug: "alpha", Name: "Alpha (old)"}
	p := build(t, "Name,Id\nAlpha,\nAlpha Two,\nGamma,my own id\nDelta,alpha\n", ex)
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	var got []string
	for _, a := range p.Add {
		got = append(got, a.Listing.Slug)
	}
	if !slices.Equal(got, []string{"alpha-2", "alpha-two", "my-own-id"}) {
		t.Errorf("slugs %v", got)
	}
	if len(p.Change) != 1 || p.Change[0].Listing.ID != 1 || p.Change[0].Listing.Name != "Delta" {
		t.Errorf("the row whose id is a listing's changes it: %+v", p.Change)
	}
}

func TestCheckColumnsWantsANameAndEachFieldOnce(t *testing.T) {
	got := CheckColumns([]string{"A", "B"}, []Field{Phone, Phone})
	if len(got) != 2 || !strings.Contains(got[0].String(), "Column 'B'") || !strings.Contains(got[1].String(), "Name") {
		t.Errorf("got %v", got)
	}
}

func TestWebAddress(t *testing.T) {
	for in, want := range map[string]string{"example.org": "https://example.org", "www.example.org/help?x=1": "https://www.example.org/help?x=1",
		"http://example.org": "http://example.org", "HTTPS://Example.org": "HTTPS://Example.org"} {
		if got, ok := WebAddress(in); !ok || got != want {
			t.Errorf("WebAddress(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"localhost", "info@example.org", "ftp://example.org", "not a site", "javascript:alert(1)"} {
		if _, ok := WebAddress(in); ok {
			t.Errorf("WebAddress(%q) is taken", in)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("Name,Phone\nAlpha,907-555-0100\n"))
	f.Add([]byte("\ufeffName;Phone\r\n\"A;\"\"b\";1\r\n"))
	f.Add([]byte("Name\tCity\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := Read(data)
		if err != nil {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("error code %q", directory.ErrorCode(err))
			}
			return
		}
		for _, r := range tb.Rows {
			if len(r.Cells) != len(tb.Headings) || r.Number < 2 {
				t.Fatalf("row %+v, %d headings", r, len(tb.Headings))
			}
		}
		// Building never panics, whatever the file.
		Build(tb, Guess(tb.Headings), vocab(), nil, nil, Options{})
	})
}

func TestBuildKeepsAddressesPrivateWhenAsked(t *testing.T) {
	tb, err := Read([]byte("Name,Street,City,Confidential\nSafe House,1 Example Street,Anchorage,yes\nOffice,2 Example Street,Juneau,\nOther,3 Example Street,Nome,maybe\n"))
	if err != nil {
		t.Fatal(err)
	}
	cols := Guess(tb.Headings)
	if cols[3] != Private {
		t.Fatalf("guess %q", cols)
	}
	p := Build(tb, cols, vocab(), nil, nil, Options{})
	if len(p.Problems) != 1 || p.Problems[0].String() != "Row 4, column 'Confidential': 'maybe' is not yes or no. Write yes to show only the town, no to show the street." {
		t.Errorf("problems %v", p.Problems)
	}
	if !p.Add[0].Place.Private || p.Add[1].Place.Private {
		t.Errorf("private: %v %v", p.Add[0].Place.Private, p.Add[1].Place.Private)
	}
	// "Keep street addresses private" for the whole file: a blank cell follows it.
	p = Build(tb, cols, vocab(), nil, nil, Options{PrivateAddresses: true})
	if !p.Add[1].Place.Private {
		t.Error("the file's choice was not applied to a blank cell")
	}
}

func TestBuildMarksTwentyFourSevenHours(t *testing.T) {
	p := build(t, "Name,Hours\nAlpha,24/7\nBeta,Mon-Fri 9-5\nGamma,24 Hours\n")
	if got := []bool{p.Add[0].Listing.Open247, p.Add[1].Listing.Open247, p.Add[2].Listing.Open247}; !slices.Equal(got, []bool{true, false, true}) {
		t.Errorf("open 24/7: %v", got)
	}
	if p.Add[0].Listing.Hours != "24/7" {
		t.Errorf("hours %q: the text stays as written", p.Add[0].Listing.Hours)
	}
}
