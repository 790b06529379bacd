package templates

import (
	"testing"

	"signpost/internal/directory"
)

func TestHighlightEscapesTextAndMarksOnlyTheMarkers(t *testing.T) {
	o, c := directory.SnippetOpen, directory.SnippetClose
	for _, tt := range []struct{ in, want string }{
		{"call " + o + "911" + c + " now", "call <mark>911</mark> now"},
		{"<script>alert(1)</script> " + o + "help" + c, "&lt;script&gt;alert(1)&lt;/script&gt; <mark>help</mark>"},
		{o + "a & b" + c + " \"q\"", "<mark>a &amp; b</mark> &#34;q&#34;"},
		{c + "stray close " + o + "open only", "stray close <mark>open only</mark>"},
		{o + o + "twice" + c + c, "<mark>twice</mark>"},
		{"## Heading\n\n- **Get help.** See [the page](https://example.org/x).", "Heading Get help. See the page."},
	} {
		if got := string(highlight(tt.in)); got != tt.want {
			t.Errorf("highlight(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
