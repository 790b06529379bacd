package browsertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vnuMessage is one message of the Nu HTML Checker's JSON output.
type vnuMessage struct {
	Type    string `json:"type"`
	URL     string `json:"url"`
	Line    int    `json:"lastLine"`
	Message string `json:"message"`
	Extract string `json:"extract"`
}

// TestEveryPageIsValidHTML runs the Nu HTML Checker on every public page in both languages,
// plus the search and error pages. The checker refuses loopback URLs (and still exits 0), so
// the pages are fetched here, written to files, and checked in one run of the JVM.
func TestEveryPageIsValidHTML(t *testing.T) {
	site := startSite(t)
	pages := publicPages(t, site)
	dir := t.TempDir()
	byFile := map[string]string{}
	var files []string
	write := func(path, body string) {
		name := filepath.Join(dir, fmt.Sprintf("page-%03d.html", len(files)))
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		byFile[filepath.Base(name)] = path
		files = append(files, name)
	}
	for _, p := range pages {
		write(p, mustStatus(t, site, p, http.StatusOK))
	}
	for _, p := range []string{"/no-such-page", "/es/no-such-page"} {
		write(p, mustStatus(t, site, p, http.StatusNotFound))
	}

	start := time.Now()
	errs := 0
	for _, m := range runVNU(t, files) {
		errs++
		page := byFile[filepath.Base(strings.TrimPrefix(m.URL, "file:"))]
		t.Errorf("%s line %d: %s: %s\n    %s", page, m.Line, m.Type, m.Message, strings.TrimSpace(m.Extract))
	}
	t.Logf("vnu checked %d pages in %s: %d errors", len(files), time.Since(start).Round(time.Millisecond), errs)
}

// runVNU checks files in one run of the Nu HTML Checker and returns its errors.
func runVNU(t *testing.T, files []string) []vnuMessage {
	t.Helper()
	jar := npmFile(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		skipWithoutTools(t, "java", err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json", "--stdout"}, files...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// vnu exits 1 when it finds errors; the report says which.
	if err := cmd.Run(); err != nil && stdout.Len() == 0 {
		t.Fatalf("vnu: %v\n%s", err, stderr.String())
	}
	var report struct{ Messages []vnuMessage }
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, stdout.String())
	}
	var out []vnuMessage
	for _, m := range report.Messages {
		// "non-document-error" is a file vnu could not read: as bad as an error.
		if m.Type == "error" || m.Type == "non-document-error" {
			out = append(out, m)
		}
	}
	return out
}

// TestValidatorCatchesABrokenPage keeps the test above honest: a page with a duplicate id and
// a badly nested element must fail.
func TestValidatorCatchesABrokenPage(t *testing.T) {
	name := filepath.Join(t.TempDir(), "broken.html")
	bad := `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p id="a">1</p><p id="a">2</p><div><span></div></body></html>`
	if err := os.WriteFile(name, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if errs := runVNU(t, []string{name}); len(errs) < 2 {
		t.Errorf("vnu found %d errors in a broken page, want at least 2: %v", len(errs), errs)
	}
}
