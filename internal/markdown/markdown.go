// Package markdown turns staff-written Markdown into HTML that is safe to put on a public
// page: goldmark renders it (goldmark drops raw HTML by default), then bluemonday keeps only
// the elements plain prose needs. Images are not allowed at all: an image from another host
// would be a third-party request, which the site never makes.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	md = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))

	policy = sync.OnceValue(func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4",
			"blockquote", "code", "pre", "hr", "del", "table", "thead", "tbody", "tr", "th", "td")
		p.AllowAttrs("href").OnElements("a")
		p.AllowURLSchemes("http", "https", "mailto", "tel", "sms")
		// Pages link to each other with site paths ("/browsing-safely"); without this,
		// bluemonday drops those links and leaves their text as plain words.
		p.AllowRelativeURLs(true)
		p.RequireParseableURLs(true)
		// Links out never tell the other site where the reader came from.
		p.RequireNoReferrerOnFullyQualifiedLinks(true)
		return p
	})
)

// ToHTML renders src as sanitised HTML. It never fails: input goldmark cannot render comes
// back as escaped text. A level-one heading becomes level two: the page owns its one h1.
func ToHTML(src string) template.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) // #nosec G203 -- escaped on this line
	}
	b := buf.Bytes()
	b = bytes.ReplaceAll(b, []byte("<h1"), []byte("<h2"))
	b = bytes.ReplaceAll(b, []byte("</h1>"), []byte("</h2>"))
	b = policy().SanitizeBytes(b)
	// bluemonday writes rel="noreferrer"; say noopener too, as every link out on the site does.
	b = bytes.ReplaceAll(b, []byte(`rel="noreferrer"`), []byte(`rel="noopener noreferrer"`))
	return template.HTML(b) // #nosec G203 -- sanitised by bluemonday above
}
