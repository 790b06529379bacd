package markdown

import (
	"strings"
	"testing"
)

func TestToHTMLRendersProse(t *testing.T) {
	got := string(ToHTML("# Title\n\nSome **bold** text and [a link](https://example.org/).\n\n- one\n- two"))
	for _, want := range []string{"<h2>Title</h2>", "<strong>bold</strong>", `<a href="https://example.org/" rel="noopener noreferrer">a link</a>`, "<li>one</li>"} {
		if !strings.Contains(got, want) {
			t.Errorf("ToHTML output %q lacks %q", got, want)
		}
	}
}

func TestToHTMLKeepsLinksToOtherPagesOfTheSite(t *testing.T) {
	got := string(ToHTML("Read [Browsing safely](/browsing-safely)."))
	if want := `<a href="/browsing-safely">Browsing safely</a>`; !strings.Contains(got, want) {
		t.Errorf("ToHTML output %q lacks %q", got, want)
	}
}

func TestToHTMLMakesScriptInert(t *testing.T) {
	for _, src := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1))`,
		`<a href="javascript:alert(1)">x</a>`,
		`![pixel](https://tracker.example/p.gif)`,
		`<iframe src="https://example.org"></iframe>`,
		`<p onclick="alert(1)">x</p>`,
	} {
		got := strings.ToLower(string(ToHTML(src)))
		for _, bad := range []string{"<script", "onerror", "javascript:", "<img", "<iframe", "onclick"} {
			if strings.Contains(got, bad) {
				t.Errorf("ToHTML(%q) = %q, contains %q", src, got, bad)
			}
		}
	}
}

func FuzzToHTML(f *testing.F) {
	f.Add("# hi\n\n<script>x</script>")
	f.Add("[a](javascript:1)")
	f.Fuzz(func(t *testing.T, src string) {
		got := strings.ToLower(string(ToHTML(src)))
		if strings.Contains(got, "<script") || strings.Contains(got, "<img") || strings.Contains(got, "<iframe") {
			t.Fatalf("unsafe output %q", got)
		}
	})
}
