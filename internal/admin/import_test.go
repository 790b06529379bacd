package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signpost/internal/admin"
)

// importEcho stands in for the import screen: it says who it was given and how much it read.
func importEcho(sa admin.StaffAccess) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, email, ok := sa.User(r)
		if !ok {
			http.Error(w, "no user", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
				return
			}
		}
		name, token := sa.FormToken(r)
		fmt.Fprintf(w, "user=%s token=%t name=%s read=%d", email, token != "", name, len(r.PostForm.Get("data")))
	})
}

func TestImportScreenIsForSignedInStaffWithItsOwnUploadLimit(t *testing.T) {
	site := mustStart(t, admin.Options{Import: importEcho})
	resp, _ := site.Get(t, "/admin/import")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Fatalf("signed out: status %d to %q, want 303 to the sign-in", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Editors cannot import (TestAttackEditorCannotChangeSettingsOrImport); admins can.
	site.mustSignIn(t, adminEmail)
	resp, body := site.Get(t, "/admin/import")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "user="+adminEmail) || !strings.Contains(body, "token=true name=csrf") {
		t.Fatalf("signed in: status %d, %q", resp.StatusCode, body)
	}
	// A post without the form token is refused before the screen sees it.
	if resp, _ := site.PostForm(t, "/admin/import", url.Values{"data": {"x"}}); resp.StatusCode == http.StatusOK {
		t.Error("a post without the form token reached the import screen")
	}
	// An upload larger than any staff form (2 MB) but within the import bound gets through.
	big := strings.Repeat("a", 3<<20)
	resp, body = site.PostForm(t, "/admin/import", url.Values{"csrf": {site.csrfToken(t)}, "data": {big}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, fmt.Sprintf("read=%d", len(big))) {
		t.Errorf("3 MB upload: status %d, %.80q", resp.StatusCode, body)
	}
}
