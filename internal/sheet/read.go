// Package sheet reads the spreadsheets staff keep their contacts in (a CSV file saved from
// Excel, LibreOffice or Google Sheets, with headings of their own) and turns their rows
// into listings: it guesses which column holds what, checks every cell, and says for each
// problem the row, the column and what to change. It knows nothing of HTTP or SQLite: the
// admin's screen (internal/admin/sheet.go) reads and saves through the store.
//
// Excel's own .xlsx files are not read: a library for them is large for what it does here,
// and every spreadsheet program saves CSV. The screen says how, in plain words.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"signpost/internal/directory"
	"signpost/internal/hsds"
)

// Limits. The line and column limits are the HSDS import's (internal/hsds), so every
// upload is bounded alike. The row limit is far lower: every row becomes a listing saved in
// one transaction, which holds the database's one writer (500 rows took 4.4 s on a busy
// 2-core machine, BenchmarkSheetApply500 in internal/admin), and a working group's list of
// organizations is tens of rows.
const (
	MaxUploadBytes = 8 << 20
	MaxRows        = 1000
)

// Table is a read spreadsheet: its headings and its rows (never the blank ones), each with
// as many cells as there are headings.
type Table struct {
	Headings []string
	Rows     []Row
}

// Row is one row of a spreadsheet. Number is its row number as the spreadsheet program
// shows it (the headings are row 1), so staff find it at once.
type Row struct {
	Number int
	Cells  []string
}

// Problem is one thing to change in the file, where it is. Row 0 is the whole file;
// Column "" the whole row.
type Problem struct {
	Row     int
	Column  string
	Message string
}

func (p Problem) String() string {
	switch {
	case p.Row == 0 && p.Column == "":
		return p.Message
	case p.Row == 0:
		return fmt.Sprintf("Column '%s': %s", p.Column, p.Message)
	case p.Column == "":
		return fmt.Sprintf("Row %d: %s", p.Row, p.Message)
	}
	return fmt.Sprintf("Row %d, column '%s': %s", p.Row, p.Column, p.Message)
}

// saveAsCSV is what to do with a file that is not CSV.
const saveAsCSV = "In your spreadsheet program choose File, then Save as (or Download), and pick \"CSV UTF-8\" or \"Comma-separated values (.csv)\". Then upload that file."

// Read reads a CSV file of any name: UTF-8 with or without a byte order mark, its cells
// separated by commas, semicolons (Excel in many countries) or tabs, whichever the heading
// row uses. The first row that is not blank holds the headings. Blank rows are skipped.
// It returns EINVALID with a message staff can act on when the file cannot be read at all.
func Read(data []byte) (*Table, error) {
	switch {
	case len(data) > MaxUploadBytes:
		return nil, directory.Errorf(directory.EINVALID, "The file is larger than %d MB. Split it into smaller files.", MaxUploadBytes>>20)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return nil, directory.Errorf(directory.EINVALID, "This is an Excel file. Save it as CSV first. %s", saveAsCSV)
	case bytes.HasPrefix(data, []byte("%PDF")):
		return nil, directory.Errorf(directory.EINVALID, "This is a PDF file, not a spreadsheet. %s", saveAsCSV)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "The file is empty.")
	}
	if !utf8.Valid(data) {
		return nil, directory.Errorf(directory.EINVALID, "The file has letters we cannot read: it is not saved as UTF-8. %s", saveAsCSV)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, directory.Errorf(directory.EINVALID, "This is not a CSV file. %s", saveAsCSV)
	}
	cr := csv.NewReader(hsds.LimitLines(bytes.NewReader(data), hsds.MaxLineBytes))
	cr.Comma = sniff(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // spreadsheets write stray quotes in unquoted cells ("5" tall")
	t := &Table{}
	// n is the spreadsheet's row number: the line a record starts on, less the line breaks
	// inside the cells before it (the CSV reader skips empty lines, which are rows too).
	n, inCells := 0, 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if line, _ := cr.FieldPos(0); err == nil {
			n = line - inCells
		} else {
			n++
		}
		for _, c := range rec {
			inCells += strings.Count(c, "\n")
		}
		switch {
		case errors.Is(err, hsds.ErrLongLine):
			return nil, directory.Errorf(directory.EINVALID, "Row %d is longer than %d KB. Shorten it or split the file.", n, hsds.MaxLineBytes>>10)
		case err != nil:
			return nil, directory.Errorf(directory.EINVALID, "Row %d cannot be read as CSV. %s", n, saveAsCSV)
		}
		if blank(rec) {
			continue
		}
		if t.Headings == nil {
			if len(rec) > hsds.MaxFields {
				return nil, directory.Errorf(directory.EINVALID, "The file has %d columns: at most %d can be read.", len(rec), hsds.MaxFields)
			}
			for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
				rec = rec[:len(rec)-1] // the empty cells a spreadsheet leaves after the last heading
			}
			t.Headings = make([]string, len(rec))
			for i, h := range rec {
				t.Headings[i] = strings.Join(strings.Fields(h), " ")
			}
			continue
		}
		if len(t.Rows) >= MaxRows {
			return nil, directory.Errorf(directory.EINVALID, "The file has more than %d rows. Split it into smaller files.", MaxRows)
		}
		cells := make([]string, len(t.Headings))
		for i, c := range rec {
			c = strings.TrimSpace(c)
			if i < len(cells) {
				cells[i] = c
			} else if c != "" {
				return nil, directory.Errorf(directory.EINVALID, "Row %d has more cells than there are headings in row 1. Give every column a heading.", n)
			}
		}
		t.Rows = append(t.Rows, Row{Number: n, Cells: cells})
	}
	if t.Headings == nil {
		return nil, directory.Errorf(directory.EINVALID, "The file is empty.")
	}
	if len(t.Rows) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "The file has headings but no rows under them.")
	}
	return t, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniff returns the separator of the first line: the most frequent of comma, semicolon and
// tab outside quotes; a comma when there is none.
func sniff(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(data[:min(len(data), hsds.MaxLineBytes)]) {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}
