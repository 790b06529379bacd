package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"signpost/internal/directory"
	view "signpost/templates/admin"
)

// Accounts (admins only) and each person's own password.

func (h *Handler) usersVM(r *http.Request, d map[string]string, errs map[string]string) (view.UsersVM, error) {
	users, err := h.st.ListUsers(r.Context())
	if err != nil {
		return view.UsersVM{}, err
	}
	factors, err := h.st.ListSecondFactors(r.Context())
	if err != nil {
		return view.UsersVM{}, err
	}
	b := formBuilder{d: &entryData{Values: d}, errs: errs}
	if d["role"] == "" {
		d["role"] = "editor"
	}
	email := b.f("email", "Email", "email", "", true, 254)
	email.Auto = "off"
	pw := b.f("password", "First password", "password", fmt.Sprintf("At least %d characters. Give it to the person privately; they can change it.", MinPasswordLength), true, maxPasswordLength)
	pw.Value, pw.Auto = "", "new-password"
	vm := view.UsersVM{Page: h.pageWithFlash(r, "Accounts", "users"), Users: users, Self: userFrom(r.Context()).ID,
		Form: []view.Field{email, b.sel("role", "Role", "Editors edit content. Admins also manage accounts and see the audit log.",
			[]view.Option{{Value: "editor", Label: "Editor"}, {Value: "admin", Label: "Admin"}}), pw}}
	vm.Errors = errorList(vm.Form, nil, errs)
	vm.Factors = factors
	return vm, nil
}

func (h *Handler) handleUsers(w http.ResponseWriter, r *http.Request) {
	vm, err := h.usersVM(r, map[string]string{}, nil)
	renderVM(h, w, r, http.StatusOK, view.Users, vm, err)
}

func (h *Handler) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")), "role": r.PostFormValue("role")}
	pw := r.PostFormValue("password")
	errs := map[string]string{}
	if msg := CheckPasswordStrength(pw, d["email"]); msg != "" {
		errs["password"] = msg
	}
	u := &directory.User{Email: d["email"], Role: directory.Role(d["role"])}
	if len(errs) == 0 {
		hash, err := HashPassword(pw)
		if err != nil {
			h.error(w, r, err)
			return
		}
		u.PasswordHash = hash
		err = h.st.CreateUser(ctx, u)
		if e, ok := err.(*directory.Error); ok && e.Code == directory.EINVALID {
			errs = e.Fields
		} else if err != nil {
			h.error(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		vm, err := h.usersVM(r, d, errs)
		renderVM(h, w, r, http.StatusBadRequest, view.Users, vm, err)
		return
	}
	h.audit(r, "account_create", "users", u.ID, u.Email+" as "+string(u.Role))
	h.redirect(w, r, "/admin/users", "Account added for "+u.Email+".")
}

// otherUser returns the account named by the {id} in r's path, which must not be the
// signed-in user's own (then the answer is ownMessage). When it cannot, it has answered
// with the error, and ok is false.
func (h *Handler) otherUser(w http.ResponseWriter, r *http.Request, ownMessage string) (u *directory.User, ok bool) {
	ctx := r.Context()
	id, err := idParam(r, "id")
	if err != nil {
		h.error(w, r, err)
		return nil, false
	}
	if id == userFrom(ctx).ID {
		h.error(w, r, directory.Errorf(directory.EINVALID, "%s", ownMessage))
		return nil, false
	}
	u, err = h.st.FindUserByID(ctx, id)
	if err != nil {
		h.error(w, r, err)
		return nil, false
	}
	return u, true
}

func (h *Handler) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := h.otherUser(w, r, "You cannot change your own role or disable yourself here: ask another admin.")
	if !ok {
		return
	}
	var detail string
	if v := r.PostFormValue("role"); v != "" {
		u.Role = directory.Role(v)
		detail = "role " + v
	}
	if v := r.PostFormValue("disabled"); v != "" {
		u.Disabled = v == "1"
		detail = map[bool]string{true: "disabled", false: "enabled"}[u.Disabled]
	}
	u.PasswordHash = "" // unchanged unless a new password is set
	if pw := r.PostFormValue("password"); pw != "" {
		if msg := CheckPasswordStrength(pw, u.Email); msg != "" {
			h.error(w, r, directory.Errorf(directory.EINVALID, "The password was not changed. %s", msg))
			return
		}
		var err error
		if u.PasswordHash, err = HashPassword(pw); err != nil {
			h.error(w, r, err)
			return
		}
		detail = "password set"
	}
	// An admin cannot change their own account here (above), so at least one active admin,
	// the one making the change, always remains.
	if err := h.st.UpdateUser(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	if u.PasswordHash != "" {
		// A new password also lifts the account's sign-in wait: the way back in for someone
		// whose account was held by a guessing attack, on a browser it does not know.
		_ = h.st.ClearLoginFailures(ctx, "email:"+strings.ToLower(u.Email))
	}
	h.audit(r, "account_update", "users", u.ID, u.Email+": "+detail)
	h.redirect(w, r, "/admin/users", "Account "+u.Email+" changed.")
}

func (h *Handler) accountForm(r *http.Request, errs map[string]string) view.FormVM {
	f := func(name, label, auto, hint string) view.Field {
		return view.Field{Name: name, Label: label, Type: "password", Auto: auto, Required: true, Hint: hint, Error: errs[name], Max: maxPasswordLength}
	}
	vm := view.FormVM{Page: h.pageWithFlash(r, "My password", ""), Heading: "Change my password", Action: "/admin/account",
		Fields: []view.Field{f("current", "Current password", "current-password", ""),
			f("password", "New password", "new-password", fmt.Sprintf("At least %d characters. A few unrelated words make a good one.", MinPasswordLength))}}
	vm.Errors = errorList(vm.Fields, nil, errs)
	return vm
}

func (h *Handler) handleAccountForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, view.SimpleForm(h.accountForm(r, nil)))
}

func (h *Handler) handleAccount(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	errs := map[string]string{}
	// Throttled like a sign-in: a session left open must not let anyone guess the password
	// at the speed of argon2. A right password clears the count.
	pwKey := "pw:" + strconv.FormatInt(u.ID, 10)
	wait, err := h.st.ReserveLoginAttempt(ctx, h.throttleWait, pwKey)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if wait > 0 {
		errs["current"] = tooManyMessage(w, wait)
		h.auditRepeat(ctx, directory.AuditEntry{Action: "password_check_throttled", UserID: u.ID, UserEmail: u.Email})
		h.render(w, r, http.StatusTooManyRequests, view.SimpleForm(h.accountForm(r, errs)))
		return
	}
	if ok, _ := VerifyPassword(u.PasswordHash, r.PostFormValue("current")); !ok {
		errs["current"] = "This is not your current password."
	} else {
		_ = h.st.ClearLoginFailures(ctx, pwKey)
	}
	pw := r.PostFormValue("password")
	if msg := CheckPasswordStrength(pw, u.Email); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		h.render(w, r, http.StatusBadRequest, view.SimpleForm(h.accountForm(r, errs)))
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		h.error(w, r, err)
		return
	}
	u.PasswordHash = hash
	if err := h.st.UpdateUser(ctx, u); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.error(w, r, err)
		return
	}
	// This session goes on with the new password; every other one of this account ends.
	h.sessions.Put(ctx, sessPassword, passwordTag(u.PasswordHash))
	// The new password voids the device cookies of this account; this browser keeps one.
	h.setDeviceCookie(w, r, u)
	h.audit(r, "password_change", "users", u.ID, "")
	h.redirect(w, r, "/admin/", "Your password is changed.")
}

func (h *Handler) handleAudit(w http.ResponseWriter, r *http.Request) {
	const per = 100
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	entries, err := h.st.ListAudit(r.Context(), per, (page-1)*per)
	if err != nil {
		h.error(w, r, err)
		return
	}
	vm := view.AuditVM{Page: h.page(r, "Audit log", "audit"), Entries: entries}
	vm.Rows = h.auditRows(r.Context(), entries)
	if len(entries) == per {
		vm.Next = "/admin/audit?page=" + strconv.Itoa(page+1)
	}
	h.render(w, r, http.StatusOK, view.Audit(vm))
}
