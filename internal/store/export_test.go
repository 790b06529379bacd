package store

// SetSpellOutDocs sets how many documents a prefix's words must be in before a search spells
// the prefix out (see matchExpression), until the returned function restores it.
func SetSpellOutDocs(n int) (restore func()) {
	old := spellOutDocs
	spellOutDocs = n
	return func() { spellOutDocs = old }
}
