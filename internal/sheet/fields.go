package sheet

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field is what a column holds, as a listing sees it. The zero Field is a column left out.
type Field string

const (
	Skip        Field = ""
	Name        Field = "name"
	Description Field = "description"
	Phone       Field = "phone"
	Text        Field = "text"
	Email       Field = "email"
	Website     Field = "website"
	Street      Field = "street"
	City        Field = "city"
	State       Field = "state"
	ZIP         Field = "zip"
	Services    Field = "services"
	WhoItServes Field = "population"
	Area        Field = "area"
	Languages   Field = "languages"
	Hours       Field = "hours"
	ID          Field = "id"
	Private     Field = "private"
)

// FieldInfo describes a field for staff: the heading the template uses, and what goes in it.
type FieldInfo struct {
	Field   Field
	Heading string
	Help    string
	// InTemplate says the template has a column for it.
	InTemplate bool
	// also are other headings that mean this field, written as Normalize writes them.
	also []string
}

// Fields lists every field in the template's order, then the two the template leaves out.
var Fields = []FieldInfo{
	{Name, "Name", "The organization's name. Required.", true,
		[]string{"organization", "organisation", "organization name", "org", "org name", "agency", "agency name", "program", "program name", "service name", "provider", "title", "nombre", "listing"}},
	{Description, "Description", "What it does, in a sentence or two.", true,
		[]string{"about", "summary", "what they do", "details", "descripcion"}},
	{Phone, "Phone", "A number to call, like 907-555-0100. Several: separate them with ;", true,
		[]string{"phone number", "phone numbers", "telephone", "tel", "tel no", "phone no", "number", "call", "main phone", "office phone", "voice", "telefono", "hotline"}},
	{Text, "Text", "A number that takes text messages, if there is one.", true,
		[]string{"text number", "sms", "text line", "texting", "mobile", "cell", "cell phone", "text message"}},
	{Email, "Email", "An email address, like info@example.org.", true,
		[]string{"e-mail", "email address", "e mail", "mail", "correo", "contact email"}},
	{Website, "Website", "A web address. example.org is enough: https:// is added.", true,
		[]string{"web", "web site", "url", "link", "homepage", "home page", "web address", "site", "www", "sitio web", "pagina web"}},
	{Street, "Street", "The street address.", true,
		[]string{"address", "street address", "address 1", "address line 1", "addr", "location", "direccion", "physical address"}},
	{City, "City", "The city or town.", true,
		[]string{"town", "city town", "community", "village", "municipality", "ciudad"}},
	{ZIP, "ZIP", "The ZIP code, like 99501.", true,
		[]string{"zip code", "zipcode", "postal code", "postcode", "post code", "codigo postal"}},
	{Services, "Services", "What it offers, from the list below. Several: separate them with commas.", true,
		[]string{"service", "service type", "services provided", "type of service", "categories", "category", "help offered", "servicios"}},
	{WhoItServes, "Who it serves", "Who it is for, from the list below.", true,
		[]string{"population", "populations", "who they serve", "serves", "audience", "clients", "eligibility", "population served", "for"}},
	{Area, "Area", "Where it works: Local, Statewide, National or International.", true,
		[]string{"service area", "coverage", "region", "area served", "reach", "scope"}},
	{Languages, "Languages", "Languages spoken, like English, Spanish.", true,
		[]string{"language", "languages spoken", "idiomas", "idioma"}},
	{Hours, "Hours", "When it is open, as you would say it: Mon-Fri 9-5.", true,
		[]string{"opening hours", "open hours", "hours of operation", "schedule", "times", "open", "horario"}},
	{State, "State", "The state, like AK. Optional.", false,
		[]string{"st", "province", "region code", "estado"}},
	{Private, "Address private", "Optional. yes to show only the town on the public site, for a shelter's address.", false,
		[]string{"private", "private address", "confidential", "hide address", "keep private", "confidential address"}},
	{ID, "Id", "Optional. A listing's web address name (its id) to change that listing rather than add one.", false,
		[]string{"identifier", "slug", "key", "listing id", "record id"}},
}

// Info returns the description of f.
func Info(f Field) (FieldInfo, bool) {
	for _, x := range Fields {
		if x.Field == f {
			return x, true
		}
	}
	return FieldInfo{}, false
}

// Heading returns the field's heading ("Who it serves"), or "" for Skip.
func (f Field) Heading() string {
	x, _ := Info(f)
	return x.Heading
}

// Normalize folds a heading or a word for comparison: lower case, no accents, punctuation
// as spaces, spaces collapsed ("Zip-Code:" → "zip code", "Teléfono" → "telefono").
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// Guess returns the field each heading most likely names, each field at most once (the
// first column that names it wins; a later one is left out for staff to choose).
func Guess(headings []string) []Field {
	out := make([]Field, len(headings))
	used := map[Field]bool{}
	for i, h := range headings {
		f := guessOne(h)
		if f != Skip && !used[f] {
			out[i], used[f] = f, true
		}
	}
	return out
}

func guessOne(heading string) Field {
	h := Normalize(heading)
	if h == "" {
		return Skip
	}
	squash := strings.ReplaceAll(h, " ", "")
	for _, x := range Fields {
		if h == Normalize(x.Heading) || squash == strings.ReplaceAll(Normalize(x.Heading), " ", "") || h == string(x.Field) {
			return x.Field
		}
		for _, a := range x.also {
			if h == a || squash == strings.ReplaceAll(a, " ", "") {
				return x.Field
			}
		}
	}
	return Skip
}

// ParseField returns the field named by its key (a form's value); false for an unknown one.
func ParseField(s string) (Field, bool) {
	if s == "" {
		return Skip, true
	}
	_, ok := Info(Field(s))
	return Field(s), ok
}
