package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"signpost/internal/directory"
	"signpost/internal/i18n"
)

// statsChart draws the figures as a horizontal bar chart in SVG, made on the server: no
// script, no chart library, no request to another host. The table beside it carries the
// same numbers for screen readers, so the chart itself is marked as an image with a title.
func statsChart(l *i18n.Locale, stats []directory.Stat) template.HTML {
	var rows []directory.Stat
	var top float64
	for _, s := range stats {
		if s.Value != nil {
			rows = append(rows, s)
			top = max(top, *s.Value)
		}
	}
	if len(rows) == 0 || top <= 0 {
		return ""
	}
	const (
		width    = 640
		labelW   = 260
		barH     = 28
		gap      = 14
		valueW   = 90
		maxBarW  = width - labelW - valueW
		fontSize = 14
	)
	height := len(rows)*(barH+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title" class="chart-svg">`, width, height)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title>`, html.EscapeString(l.T("stats.table")))
	for i, s := range rows {
		y := gap + i*(barH+gap)
		w := int(float64(maxBarW) * (*s.Value / top))
		label := fmt.Sprintf("%d · %s", s.Year, s.Measure)
		if len([]rune(label)) > 36 {
			label = string([]rune(label)[:35]) + "…"
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="%d" fill="#1d2a33">%s</text>`, y+barH/2+5, fontSize, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#15577a"></rect>`, labelW, y, max(w, 2), barH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="%d" fill="#1d2a33">%s</text>`, labelW+max(w, 2)+6, y+barH/2+5, fontSize, html.EscapeString(l.Number(*s.Value)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- every text in it went through html.EscapeString
}
