package hsds

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"signpost/internal/directory"
)

// Reading an upload: HSDS's tabular form (a zip of CSV files, or one CSV file) or HSDS JSON
// (a service or an organization document, or a list of them), into tables of rows. JSON
// documents are flattened into the same tables as the CSV files, so the rest of the import
// reads one shape.

// Import limits: an upload is a directory's worth of data, never more. Each bounds the
// memory a hostile file can make the server spend: a zip that unpacks to gigabytes, one CSV
// line of 60 MB (the reader holds a whole record in memory), a header of millions of columns.
const (
	MaxUploadBytes   = 32 << 20  // the file as uploaded
	maxUnzippedBytes = 64 << 20  // all files, unzipped, together
	maxJSONBytes     = 16 << 20  // one JSON document: decoding takes several times its size
	maxRows          = 200_000   // rows of one table
	maxLineBytes     = 256 << 10 // one line of a CSV file (a long description fits many times)
	maxFields        = 200       // columns of a CSV file (HSDS's widest table has 23)
)

// Upload is a parsed HSDS file: the rows of each table it carries.
type Upload struct {
	Name   string
	tables map[string]*rawTable // by file name ("services.csv")
	// Problems are rows (or whole files) that cannot be read at all.
	Problems []Problem
	// Ignored are files of the upload that are not HSDS tables.
	Ignored []string
}

type rawTable struct {
	file   string
	header map[string]int
	cols   []string
	rows   []rawRow
}

type rawRow struct {
	line   int // 1-based line in the file (or item in a JSON document), for messages
	fields []string
}

func (t *rawTable) get(r rawRow, col string) string {
	if t == nil {
		return ""
	}
	i, ok := t.header[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// Problem is a row that was not imported, or a value left out, and why.
type Problem struct {
	File   string
	Line   int // 0 for the whole file
	Reason string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Reason
	}
	return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Reason)
}

// ParseUpload reads an HSDS upload: a zip of tabular data (the files may sit in a folder
// inside it), one CSV file named after its table (services.csv, organizations.csv…), or
// HSDS JSON (a service, an organization, a list of either, or an API page of them).
// Unreadable rows become Problems; only an upload with nothing usable is an error.
func ParseUpload(name string, data []byte) (*Upload, error) {
	if len(data) > MaxUploadBytes {
		return nil, directory.Errorf(directory.EINVALID, "The file is larger than %d MB.", MaxUploadBytes>>20)
	}
	up := &Upload{Name: name, tables: map[string]*rawTable{}}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if err := up.readZip(data); err != nil {
			return nil, err
		}
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		if err := up.readJSON(path.Base(name), trimmed); err != nil {
			return nil, err
		}
	default:
		base := path.Base(strings.ReplaceAll(name, `\`, "/"))
		if spec.byPath[base] == nil {
			base = guessTable(data)
		}
		if base == "" {
			return nil, directory.Errorf(directory.EINVALID, "Upload an HSDS zip file, an HSDS JSON file, or one CSV file named after its table (services.csv, organizations.csv, phones.csv…).")
		}
		_ = up.addCSV(base, bytes.NewReader(data)) // in memory: no read error
	}
	if up.tables["services.csv"] == nil && up.tables["organizations.csv"] == nil {
		if len(up.Problems) > 0 {
			return nil, directory.Errorf(directory.EINVALID, "The upload has no services and no organizations that can be read: %s.", up.Problems[0])
		}
		return nil, directory.Errorf(directory.EINVALID, "The upload has no services and no organizations.")
	}
	return up, nil
}

func (up *Upload) readZip(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return directory.Errorf(directory.EINVALID, "The zip file cannot be read.")
	}
	budget := int64(maxUnzippedBytes)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		base := path.Base(f.Name)
		isJSON := strings.HasSuffix(base, ".json") && base != "datapackage.json"
		if spec.byPath[base] == nil && !isJSON {
			if base != "datapackage.json" && !strings.HasPrefix(base, ".") {
				up.Ignored = append(up.Ignored, base)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			up.Problems = append(up.Problems, Problem{File: base, Reason: "cannot be read from the zip file"})
			continue
		}
		// Read at most what is left of the budget, whatever the zip claims (a small zip can
		// unpack to gigabytes), and stream it: a CSV file is never held whole in memory.
		br := &budgetReader{r: rc, left: &budget}
		if isJSON {
			b, err := io.ReadAll(io.LimitReader(br, maxJSONBytes+1))
			if err == nil {
				err = up.readJSON(base, b)
			}
			if err != nil && !errors.Is(err, errBudget) {
				up.Problems = append(up.Problems, Problem{File: base, Reason: directory.ErrorMessage(err)})
			}
		} else {
			err = up.addCSV(base, br)
		}
		_ = rc.Close() // read-only: the read error is the one that matters
		if errors.Is(err, errBudget) {
			return directory.Errorf(directory.EINVALID, "The zip file unpacks to more than %d MB.", maxUnzippedBytes>>20)
		}
	}
	return nil
}

// errBudget stops reading a zip that unpacks to more than maxUnzippedBytes.
var errBudget = errors.New("over the unzipped budget")

// budgetReader reads from r while *left allows, then fails with errBudget.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if *b.left <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > *b.left {
		p = p[:*b.left]
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	return n, err
}

// guessTable names a CSV uploaded under another name by its header.
func guessTable(data []byte) string {
	line, _, _ := bytes.Cut(data[:min(len(data), maxLineBytes)], []byte("\n"))
	cols := map[string]bool{}
	for _, c := range strings.Split(strings.TrimPrefix(string(line), "\ufeff"), ",") {
		cols[strings.Trim(strings.TrimSpace(c), `"`)] = true
	}
	switch {
	case cols["id"] && cols["name"] && cols["organization_id"] && cols["status"]:
		return "services.csv"
	case cols["id"] && cols["name"] && !cols["organization_id"]:
		return "organizations.csv"
	}
	return ""
}

// errLongLine stops a CSV file at a line longer than maxLineBytes.
var errLongLine = errors.New("line too long")

// lineLimiter passes a CSV file through, failing at the first line longer than max bytes,
// before the CSV reader has taken it into memory.
type lineLimiter struct {
	r    *bufio.Reader
	max  int
	run  int // bytes since the last newline
	line int
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
			l.line++
			continue
		}
		if l.run++; l.run > l.max {
			return 0, errLongLine
		}
	}
	return n, err
}

// addCSV parses one table. A row with the wrong number of fields or characters that are not
// UTF-8 is a Problem; the rest of the file is still read. It returns only errBudget.
func (up *Upload) addCSV(file string, r io.Reader) error {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3) // a byte order mark; peeked, so it is there
	}
	lim := &lineLimiter{r: br, max: maxLineBytes}
	cr := csv.NewReader(lim)
	cr.ReuseRecord = false
	cr.FieldsPerRecord = -1
	longLine := func() {
		up.Problems = append(up.Problems, Problem{File: file, Line: lim.line + 1,
			Reason: fmt.Sprintf("and the rest of the file were not read: a line may be at most %d KB", maxLineBytes>>10)})
	}
	header, err := cr.Read()
	switch {
	case errors.Is(err, errBudget):
		return err
	case errors.Is(err, errLongLine):
		longLine()
		return nil
	case err != nil:
		up.Problems = append(up.Problems, Problem{File: file, Reason: "has no header row"})
		return nil
	case len(header) > maxFields:
		up.Problems = append(up.Problems, Problem{File: file, Line: 1, Reason: fmt.Sprintf("has %d columns: a table may have at most %d", len(header), maxFields)})
		return nil
	}
	t := &rawTable{file: file, header: map[string]int{}}
	for i, h := range header {
		c := strings.ToLower(strings.TrimSpace(h))
		t.header[c] = i
		t.cols = append(t.cols, c)
	}
	if _, ok := t.header["id"]; !ok && file != "service_capacity.csv" {
		up.Problems = append(up.Problems, Problem{File: file, Line: 1, Reason: "has no id column"})
		return nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errBudget) {
			return err
		}
		if errors.Is(err, errLongLine) {
			longLine()
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: "is not valid CSV"})
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				// The reader cannot find the next row reliably after a quoting error.
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(t.rows) >= maxRows {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: fmt.Sprintf("and the rows after it were not read: a table may have at most %d rows", maxRows)})
			break
		}
		ok := true
		for _, f := range rec {
			if !utf8.ValidString(f) {
				ok = false
			}
		}
		if !ok {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: "has characters that are not UTF-8"})
			continue
		}
		if len(rec) != len(header) {
			up.Problems = append(up.Problems, Problem{File: file, Line: line, Reason: fmt.Sprintf("has %d fields, the header %d", len(rec), len(header))})
			continue
		}
		t.rows = append(t.rows, rawRow{line: line, fields: rec})
	}
	up.tables[file] = t
	return nil
}

// table returns the upload's table of file, made empty with cols if it has none yet (for
// rows flattened from JSON).
func (up *Upload) table(file string) *rawTable {
	t := up.tables[file]
	if t == nil {
		t = &rawTable{file: file, header: map[string]int{}}
		up.tables[file] = t
	}
	return t
}

// addRow adds a row given as column → value, adding columns as they first appear.
func (t *rawTable) addRow(line int, vals map[string]string) {
	for _, c := range slices.Sorted(maps.Keys(vals)) {
		if _, ok := t.header[c]; !ok {
			t.header[c] = len(t.cols)
			t.cols = append(t.cols, c)
		}
	}
	fields := make([]string, len(t.cols))
	for c, v := range vals {
		fields[t.header[c]] = v
	}
	t.rows = append(t.rows, rawRow{line: line, fields: fields})
}
