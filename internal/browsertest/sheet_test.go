package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestASpreadsheetOfThreeOrganizationsIsImportedAndPublished drives the spreadsheet import
// as staff would (issue 14), twice: a file made from the downloaded template, and one made
// without it (headings of its own, semicolons, a column to match by hand). Each goes
// through the matching step, the check, the import and "Publish"; the public pages then
// show the names, phones and websites. The screens are checked at 390 and 1280 px (no
// sideways scroll, 44 px targets, axe-core) and with the Nu HTML Checker, and the matching step is saved as
// screenshots/admin-sheet-match-*.png for a person to look at.
func TestASpreadsheetOfThreeOrganizationsIsImportedAndPublished(t *testing.T) {
	site := startStaffSite(t)
	shots := screenshotsDir(t)
	ctx := newAxeTab(t, 5*time.Minute)
	signInTab(t, ctx, site)
	// Each screen's HTML as the browser has it, for the Nu HTML Checker at the end.
	htmlDir := t.TempDir()
	var htmlFiles []string
	saveHTML := func(name string) {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(htmlDir, name+".html")
		if err := os.WriteFile(f, []byte("<!DOCTYPE html>\n"+html), 0o600); err != nil {
			t.Fatal(err)
		}
		htmlFiles = append(htmlFiles, f)
	}
	for _, p := range checkAdminPage(ctx, site.URL+"/admin/sheet", filepath.Join(shots, "admin-sheet-upload-%s.png"), t.Logf) {
		t.Errorf("upload screen %s", p)
	}

	// The template, as the screen's link downloads it.
	template, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.querySelector('a[href$="template.csv"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(template, "Name,Description,Phone,Text,Email,Website,Street,City,ZIP,Services,Who it serves,Area,Languages,Hours") {
		t.Fatalf("template: %q", template)
	}
	// A file with mistakes: the check names the row, the column and what to change.
	bad := filepath.Join(t.TempDir(), "mistakes.csv")
	if err := os.WriteFile(bad, []byte("Organization,Phone number,Services\nAlpha Aid,555-12,food bank\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(site.URL+"/admin/sheet"),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("select#col0")),
		chromedp.Click(chromedp.CSS(`button[value="check"]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	); err != nil {
		t.Fatalf("a file with mistakes: %v", err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".error-summary"))); err != nil ||
		!strings.Contains(got, "Row 2, column 'Phone number': '555-12' is not a phone number we can read.") {
		t.Errorf("errors shown: %q, %v", got, err)
	}
	for _, p := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-sheet-errors-%s.png"), t.Logf) {
		t.Errorf("errors %s", p)
	}
	saveHTML("errors")

	files := []struct {
		name, content string
		// fix matches a column the guess leaves out: its select's id and the field.
		fix, field string
		orgs       []struct{ slug, name, phone, web string }
	}{
		{
			name: "our list (final).csv",
			content: strings.TrimRight(template, "\r\n") + "\r\n" +
				`North Star Legal Aid,Free legal help for survivors.,907-555-0100,,info@example.org,northstar.example.org,1 Example Street,Anchorage,99501,"Legal help, Immigration relief",Survivors,Statewide,"English, Spanish",Mon-Fri 9-5` + "\r\n" +
				`Harbor Youth Shelter,,(907) 555-0101,907-555-0102,,https://harbor.example.org,,Juneau,,Shelter,Children and youth,Local,,24/7` + "\r\n" +
				`Tundra Workers Center,Help with unpaid wages.,907 555 0103,,,tundra.example.org/help,,Bethel,,Labor rights,Workers,,,` + "\r\n",
			orgs: []struct{ slug, name, phone, web string }{
				{"north-star-legal-aid", "North Star Legal Aid", "555-0100", "https://northstar.example.org"},
				{"harbor-youth-shelter", "Harbor Youth Shelter", "555-0101", "https://harbor.example.org"},
				{"tundra-workers-center", "Tundra Workers Center", "555-0103", "https://tundra.example.org/help"},
			},
		},
		{
			name: "contacts.txt",
			content: "Organization;Phone number;Web site;Town;Contact\n" +
				"Aurora Family Services;907-555-0110;aurora.example.org;Fairbanks;help@aurora.example.org\n" +
				"Kenai Safe Harbor;907-555-0111;www.kenai.example.org;Kenai;\n" +
				"Sitka Community Help;907-555-0112;;Sitka;\n",
			fix: "col4", field: "email",
			orgs: []struct{ slug, name, phone, web string }{
				{"aurora-family-services", "Aurora Family Services", "555-0110", "https://aurora.example.org"},
				{"kenai-safe-harbor", "Kenai Safe Harbor", "555-0111", "https://www.kenai.example.org"},
				{"sitka-community-help", "Sitka Community Help", "555-0112", ""},
			},
		},
	}
	for i, f := range files {
		path := filepath.Join(t.TempDir(), f.name)
		if err := os.WriteFile(path, []byte(f.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(site.URL+"/admin/sheet"),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("select#col0")),
		); err != nil {
			t.Fatalf("%s: upload: %v", f.name, err)
		}
		if i == 1 {
			for _, p := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-sheet-match-%s.png"), t.Logf) {
				t.Errorf("matching step %s", p)
			}
			saveHTML("match")
		}
		if f.fix != "" {
			if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("select#"+f.fix), f.field)); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
			chromedp.Click(chromedp.CSS(`button[value="check"]`)),
			chromedp.WaitVisible(chromedp.CSS("#preview")),
		); err != nil {
			t.Fatalf("%s: check: %v", f.name, err)
		}
		summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#preview + p")))
		if err != nil || !strings.HasPrefix(summary, "3 to add, 0 to change") {
			t.Fatalf("%s: preview %q, %v", f.name, summary, err)
		}
		if i == 1 {
			for _, p := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-sheet-preview-%s.png"), t.Logf) {
				t.Errorf("preview %s", p)
			}
			saveHTML("preview")
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
			chromedp.Click(chromedp.CSS(`button[value="apply"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action$="/publish"]`)),
			chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)),
			// Once published, no draft is left to publish.
			chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/publish"]`)),
		); err != nil {
			t.Fatalf("%s: import and publish: %v", f.name, err)
		}
		flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".flash")))
		if err != nil || !strings.HasPrefix(flash, "Published 3 listings") {
			t.Errorf("%s: after publishing: %q, %v", f.name, flash, err)
		}
		if i == 1 {
			for _, p := range checkAdminPage(ctx, "", filepath.Join(shots, "admin-sheet-done-%s.png"), t.Logf) {
				t.Errorf("import screen %s", p)
			}
			saveHTML("done")
		}
		for _, o := range f.orgs {
			body := mustStatus(t, site, "/organizations/"+o.slug, 200)
			if !strings.Contains(body, o.name) || !strings.Contains(body, o.phone) {
				t.Errorf("%s: /organizations/%s lacks its name or phone %s", f.name, o.slug, o.phone)
			}
			if o.web != "" && !strings.Contains(body, `href="`+o.web+`"`) {
				t.Errorf("%s: /organizations/%s has no link to %s", f.name, o.slug, o.web)
			}
		}
	}
	if body := mustStatus(t, site, "/organizations/aurora-family-services", 200); !strings.Contains(body, "help@aurora.example.org") {
		t.Error("the column matched by hand (Contact → Email) was not imported")
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/admin/sheet")); err != nil {
		t.Fatal(err)
	}
	saveHTML("upload")
	for _, m := range runVNU(t, htmlFiles) {
		t.Errorf("%s line %d: %s: %s\n    %s", filepath.Base(strings.TrimPrefix(m.URL, "file:")), m.Line, m.Type, m.Message, strings.TrimSpace(m.Extract))
	}
}
