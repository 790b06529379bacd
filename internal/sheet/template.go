package sheet

import (
	"bytes"
	"encoding/csv"
)

// Template returns the spreadsheet template: a CSV file with the plain headings and no
// rows (an example row would be imported by whoever forgets to delete it). It starts with a
// byte order mark, so Excel opens its accents right.
func Template() []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(TemplateHeadings()) // into a buffer: no write error
	w.Flush()
	return buf.Bytes()
}

// TemplateHeadings are the template's headings, in order.
func TemplateHeadings() []string {
	var h []string
	for _, f := range Fields {
		if f.InTemplate {
			h = append(h, f.Heading)
		}
	}
	return h
}
