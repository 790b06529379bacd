package admin

// ApprovalsVM is the screen of contact changes waiting for a second staff member.
type ApprovalsVM struct {
	Page
	On      bool // the setting asks for a second person
	Waiting []ContactChangeView
	Decided []ContactChangeView
}

// ContactChangeView is one change to a listing's numbers and addresses, as a diff.
type ContactChangeView struct {
	ID          int64
	Listing     string // the listing's name
	Edit        string // its edit screen
	Public      string // its public page (empty while it is a draft)
	ProposedBy  string
	ProposedAt  string
	Own         bool // proposed by the person looking: they may withdraw it, never approve it
	Rows        []ContactDiffRow
	Status      string // decided changes: approved, refused, withdrawn, replaced
	DecidedBy   string
	DecidedAt   string
	Note        string
	ListingDone bool // the listing is a draft or in the trash now
}

// ContactDiffRow is one value that changes: what it is, before and after, and the line as
// the public would read it in each language.
type ContactDiffRow struct {
	What          string
	Before, After string
	Lines         []LangLine
}

// LangLine is a public line before and after, in one language.
type LangLine struct {
	Tag, Name     string
	Before, After string
}

// PendingContacts is the change waiting for a listing, shown on its edit screen.
type PendingContacts struct {
	ID         int64
	ProposedBy string
	ProposedAt string
	Rows       []ContactDiffRow
	// Refused says, instead of a waiting change, that the last one was refused, and why.
	Refused string
}
