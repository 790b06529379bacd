package hsds

import (
	"bufio"
	"io"
)

// The reading limits, for other readers of staff uploads (internal/sheet), so that every
// CSV file the server reads is bounded the same way.
const (
	// MaxLineBytes is the longest line of a CSV file read.
	MaxLineBytes = maxLineBytes
	// MaxFields is the most columns a CSV file may have.
	MaxFields = maxFields
)

// ErrLongLine is the error of a reader made by LimitLines at a line over its limit.
var ErrLongLine = errLongLine

// LimitLines passes r through, failing with ErrLongLine at the first line longer than max
// bytes, before a CSV reader takes the whole line into memory.
func LimitLines(r io.Reader, max int) io.Reader {
	return &lineLimiter{r: bufio.NewReader(r), max: max}
}
