package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"
)

// enrolStaff signs email in, sets up an authenticator app (an admin must have a second
// factor before anything else) and returns the recovery codes shown, so that other
// browsers can finish signing in with one each: one app code signs in only once.
func enrolStaff(base, email, password string) ([]string, error) {
	s := newStaffClient(base)
	if resp, err := s.post("/admin/login", url.Values{"email": {email}, "password": {password}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in: %v %v", resp, err)
	}
	doc, err := s.doc("/admin/2fa/totp")
	if err != nil {
		return nil, err
	}
	secret := strings.ReplaceAll(doc.Find("#totp-secret").Text(), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		return nil, err
	}
	csrf := doc.Find(`input[name="csrf"]`).AttrOr("value", "")
	if resp, err := s.post("/admin/2fa/totp", url.Values{"csrf": {csrf}, "code": {code}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("confirm the app: %v %v", resp, err)
	}
	if doc, err = s.doc("/admin/2fa/recovery"); err != nil {
		return nil, err
	}
	var codes []string
	doc.Find("#recovery-codes code").Each(func(_ int, c *goquery.Selection) { codes = append(codes, c.Text()) })
	return codes, nil
}

// secondStep finishes a sign-in with a recovery code.
func (s *staffClient) secondStep(code string) error {
	resp, err := s.post("/admin/login/2fa", url.Values{"code": {code}})
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("second step: %s", resp.Status)
	}
	return nil
}

func (s *staffClient) doc(path string) (*goquery.Document, error) {
	resp, err := s.c.Get(s.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return goquery.NewDocumentFromReader(resp.Body)
}
