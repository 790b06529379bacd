package templates

import "signpost/internal/directory"

// CorrectionVM is a listing's "suggest a correction" form.
type CorrectionVM struct {
	Layout
	Listing *directory.Listing
	Action  string // the form's URL (in the page's language)
	Back    string // the listing's page
	Field   string // which part, as chosen
	Message string // as typed
	// Error is the message beside the text box; Sent says the suggestion went through.
	Error string
	Sent  bool
}

// CorrectionFields are the parts of a listing a visitor can point at, as message keys
// "correction.field.<name>".
var CorrectionFields = []string{"name", "phone", "web", "hours", "place", "description", "other"}
