package store

// SetFindPlaces turns looking for a town in the words typed on or off, until the returned
// function restores it.
func SetFindPlaces(on bool) (restore func()) {
	old := findPlaces
	findPlaces = on
	return func() { findPlaces = old }
}
