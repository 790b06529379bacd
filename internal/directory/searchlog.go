package directory

// SearchLogRow is one line of "What visitors searched for": a phrase searched at least
// SearchLogMin times in one week, in one language, with how many of those searches found
// nothing and how many results were opened.
type SearchLogRow struct {
	Week     string // the Monday, YYYY-MM-DD
	Lang     string
	Phrase   string
	Searches int
	Empty    int
	Clicks   int
}

// SearchLogMin is how many times a phrase must be searched in a week before anyone sees it.
const SearchLogMin = 3

// SearchLogDays is how long the counts are kept.
const SearchLogDays = 90
