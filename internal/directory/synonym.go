package directory

import (
	"strings"
	"time"
)

// Synonym is one entry of search's list of other words: a search for Words (a word or a
// phrase) also looks for each of Means. "lawyer" means "legal", "attorney".
type Synonym struct {
	ID        int64
	Lang      string // the search's language: "en", "es"
	Words     string
	Means     []string
	UpdatedAt time.Time
	Version   int
}

// Validate checks a synonym before it is saved: EINVALID with a message per field.
func (s *Synonym) Validate() error {
	f := map[string]string{}
	s.Words = strings.Join(strings.Fields(s.Words), " ")
	var means []string
	for _, m := range s.Means {
		if m = strings.Join(strings.Fields(m), " "); m != "" {
			means = append(means, m)
		}
	}
	s.Means = means
	switch {
	case s.Words == "":
		f["words"] = "Type the word or words visitors search for."
	case len(s.Words) > 100:
		f["words"] = "Keep it under 100 characters."
	}
	switch {
	case len(s.Means) == 0:
		f["means"] = "Type at least one word it should also find."
	case len(strings.Join(s.Means, ", ")) > 500:
		f["means"] = "Keep it under 500 characters."
	}
	if s.Lang != "en" && s.Lang != "es" {
		f["lang"] = "Choose English or Spanish."
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "Please fix the marked fields.", Fields: f}
	}
	return nil
}
