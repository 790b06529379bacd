package templates

import (
	"html"
	"html/template"
	"regexp"
	"strings"

	"signpost/internal/directory"
)

// markdownNoise matches the Markdown syntax a snippet of a body may carry: heading and list
// markers, emphasis, code ticks, and the URL half of a link.
var markdownNoise = regexp.MustCompile("(?m)^\\s*(#{1,6}|[-*+]|\\d+\\.)\\s+|\\*\\*|__|`|\\]\\([^)\\s]*\\)?|\\[")

// highlight turns a snippet with the store's markers into safe HTML: the text is escaped
// first, then the markers become <mark> elements. A stray or unbalanced marker (one that
// came from the text itself) is dropped, so the result is always well formed.
func highlight(snippet string) template.HTML {
	snippet = markdownNoise.ReplaceAllString(snippet, "")
	snippet = strings.Join(strings.Fields(snippet), " ")
	var b strings.Builder
	open := false
	for len(snippet) > 0 {
		i := strings.IndexAny(snippet, directory.SnippetOpen+directory.SnippetClose)
		if i < 0 {
			b.WriteString(html.EscapeString(snippet))
			break
		}
		b.WriteString(html.EscapeString(snippet[:i]))
		switch {
		case strings.HasPrefix(snippet[i:], directory.SnippetOpen):
			if !open {
				b.WriteString("<mark>")
				open = true
			}
			snippet = snippet[i+len(directory.SnippetOpen):]
		default:
			if open {
				b.WriteString("</mark>")
				open = false
			}
			snippet = snippet[i+len(directory.SnippetClose):]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) // #nosec G203 -- every piece of text went through html.EscapeString
}

func searchCount(p SearchVM) string {
	if p.Capped {
		return p.L.F("search.count.more", p.Total)
	}
	if p.Total == 1 {
		return p.L.T("search.count.one")
	}
	return p.L.F("search.count", p.Total)
}
