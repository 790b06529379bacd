// Package importscreen is the staff screen for importing open data: upload an HSDS file,
// see what it would change, confirm. The format and the import itself are package hsds's;
// this package is only the screen (as miniflux keeps reader/opml and ui/opml_upload.go
// apart).
package importscreen

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/templates/admin"
)

// Options are what the import screen needs from the admin that mounts it.
type Options struct {
	Store hsds.ImportStore
	Log   *slog.Logger
	// Base is the path the handler is mounted at ("/admin/import"), for form actions.
	Base string
	// Actor returns the signed-in staff member; false answers 401. The handler expects to
	// be mounted behind the admin's authentication and checks anyway.
	Actor func(r *http.Request) (hsds.Actor, bool)
	// CSRF returns the admin's anti-forgery form field (name and value) for r, added to
	// every form; nil if the admin's middleware needs none in the form.
	CSRF func(r *http.Request) (name, value string)
	// Page returns the admin's frame for the screen (navigation, stylesheets); nil renders
	// the screen bare.
	Page func(r *http.Request, title, active string) admin.Page
}

// pendingTTL is how long an uploaded file waits for confirmation.
const pendingTTL = 30 * time.Minute

// maxPending bounds the uploads kept waiting, so repeated uploads cannot fill memory.
const maxPending = 20

type pendingUpload struct {
	name    string
	data    []byte
	by      string // the staff member who uploaded it; only they can confirm it
	created time.Time
	result  *hsds.Result // set once applied, for the page after the redirect
}

// Handler is the upload → preview → confirm screen for HSDS imports.
type Handler struct {
	opts    Options
	mu      sync.Mutex
	pending map[string]*pendingUpload
	now     func() time.Time
}

// New returns the import screen. Routes, under opts.Base:
//
//	GET  /               the upload form
//	POST /               upload a file: parse it, show the preview (nothing is saved)
//	POST /confirm        save the previewed upload (token) as revisions; 303 to /done
//	GET  /done?token=…   what was saved
//
// The file waits in memory between preview and confirm (at most 30 minutes, bound to the
// staff member who uploaded it); the preview is computed again at confirmation, so an edit
// made in between is never overwritten (it is reported as a conflict instead).
//
// Mounting it in internal/admin, inside the group that requires a signed-in user and checks
// the form token (before the /{section} routes, so "import" is not taken for a section):
//
//	imp := importscreen.New(importscreen.Options{Store: importStore, Log: h.log,
//		Actor: func(r *http.Request) (hsds.Actor, bool) {
//			u := userFrom(r.Context())
//			if u == nil { return hsds.Actor{}, false }
//			return hsds.Actor{ID: u.ID, Email: u.Email}, true
//		},
//		CSRF: func(r *http.Request) (string, string) { return "csrf", h.sessions.GetString(r.Context(), sessCSRF) },
//	})
//	r.Handle("/import", imp)
//	r.Handle("/import/*", imp)
//
// The admin's form-token check reads POST bodies through a 2 MB limit; uploads larger than
// that need the route to allow hsds.MaxUploadBytes.
func New(opts Options) *Handler {
	if opts.Base == "" {
		opts.Base = "/admin/import"
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{opts: opts, pending: map[string]*pendingUpload{}, now: time.Now}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	by, ok := hsds.Actor{}, false
	if h.opts.Actor != nil {
		by, ok = h.opts.Actor(r)
	}
	if !ok {
		http.Error(w, "Sign in to import data.", http.StatusUnauthorized)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, h.opts.Base)
	switch {
	case (rest == "" || rest == "/") && r.Method == http.MethodGet:
		h.render(w, r, http.StatusOK, h.vm(r))
	case (rest == "" || rest == "/") && r.Method == http.MethodPost:
		h.upload(w, r, by)
	case rest == "/confirm" && r.Method == http.MethodPost:
		h.confirm(w, r, by)
	case rest == "/done" && r.Method == http.MethodGet:
		h.done(w, r, by)
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) vm(r *http.Request) admin.ImportVM {
	vm := admin.ImportVM{Base: h.opts.Base}
	if h.opts.Page != nil {
		vm.Page = h.opts.Page(r, "Import open data (HSDS)", "import")
		vm.Framed = true
	}
	if h.opts.CSRF != nil {
		vm.CSRFName, vm.CSRFValue = h.opts.CSRF(r)
	}
	return vm
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, vm admin.ImportVM) {
	var buf bytes.Buffer
	if err := admin.ImportPage(vm).Render(r.Context(), &buf); err != nil {
		h.opts.Log.Error("render import page", "err", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // an error means the client has gone
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	vm := h.vm(r)
	status := http.StatusBadRequest
	if directory.ErrorCode(err) == directory.EINTERNAL {
		h.opts.Log.Error("import", "err", err)
		status = http.StatusInternalServerError
	}
	vm.Error = directory.ErrorMessage(err)
	h.render(w, r, status, vm)
}

func (h *Handler) upload(w http.ResponseWriter, r *http.Request, by hsds.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, hsds.MaxUploadBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.fail(w, r, directory.Errorf(directory.EINVALID, "Choose a file to upload (at most %d MB).", hsds.MaxUploadBytes>>20))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, hsds.MaxUploadBytes+1))
	if err != nil {
		h.fail(w, r, directory.Errorf(directory.EINVALID, "The file could not be read."))
		return
	}
	p, err := h.preview(r.Context(), hdr.Filename, data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	token, err := h.keep(&pendingUpload{name: hdr.Filename, data: data, by: by.Email})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vm := h.vm(r)
	vm.Previewed, vm.Token, vm.FileName = true, token, hdr.Filename
	vm.Unchanged, vm.KeptIDs = p.Unchanged, p.KeptIDs()
	for _, c := range p.Added {
		vm.Added = append(vm.Added, admin.ImportRow{Kind: string(c.Listing.Kind), Name: c.Listing.Name, Where: where(c.File, c.Line)})
	}
	for _, c := range p.Changed {
		vm.Changed = append(vm.Changed, admin.ImportRow{Kind: string(c.Existing.Kind), Name: c.Existing.Name,
			Fields: strings.Join(c.Fields, ", "), Where: where(c.File, c.Line)})
	}
	for _, pr := range p.Invalid {
		vm.Invalid = append(vm.Invalid, pr.String())
	}
	for _, pr := range p.LeftOut {
		vm.LeftOut = append(vm.LeftOut, pr.String())
	}
	for _, pr := range p.NotTaken {
		vm.NotTaken = append(vm.NotTaken, pr.String())
	}
	h.render(w, r, http.StatusOK, vm)
}

func where(file string, line int) string { return file + " line " + strconv.Itoa(line) }

func (h *Handler) preview(ctx context.Context, name string, data []byte) (*hsds.Preview, error) {
	up, err := hsds.ParseUpload(name, data)
	if err != nil {
		return nil, err
	}
	return hsds.BuildPreview(ctx, h.opts.Store, up)
}

// keep stores an upload until it is confirmed, and returns its token.
func (h *Handler) keep(p *pendingUpload) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b[:])
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	p.created = now
	for k, v := range h.pending {
		if now.Sub(v.created) > pendingTTL {
			delete(h.pending, k)
		}
	}
	if len(h.pending) >= maxPending {
		return "", directory.Errorf(directory.ETOOMANY, "Too many imports are waiting for confirmation. Try again in a few minutes.")
	}
	h.pending[token] = p
	return token, nil
}

// take returns the pending upload token names, if it belongs to by and has not expired.
func (h *Handler) take(token string, by hsds.Actor) *pendingUpload {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.pending[token]
	if p == nil || p.by != by.Email || h.now().Sub(p.created) > pendingTTL {
		return nil
	}
	return p
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, by hsds.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	token := r.PostFormValue("token")
	p := h.take(token, by)
	if p == nil {
		h.fail(w, r, directory.Errorf(directory.EINVALID, "That import has expired or was already saved. Upload the file again."))
		return
	}
	if p.result != nil {
		http.Redirect(w, r, h.opts.Base+"/done?token="+url.QueryEscape(token), http.StatusSeeOther) // #nosec G710 -- a path of ours; the token is one we issued (take found it)
		return
	}
	// Compare again with the directory as it is now, then save.
	pv, err := h.preview(r.Context(), p.name, p.data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := hsds.Apply(r.Context(), h.opts.Store, pv, by)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.mu.Lock()
	p.result, p.data = res, nil
	h.mu.Unlock()
	http.Redirect(w, r, h.opts.Base+"/done?token="+url.QueryEscape(token), http.StatusSeeOther) // #nosec G710 -- a path of ours; the token is one we issued (take found it)
}

func (h *Handler) done(w http.ResponseWriter, r *http.Request, by hsds.Actor) {
	p := h.take(r.URL.Query().Get("token"), by)
	if p == nil || p.result == nil {
		http.Redirect(w, r, h.opts.Base, http.StatusSeeOther)
		return
	}
	vm := h.vm(r)
	vm.Done = true
	vm.Saved = fmt.Sprintf("%d added (as drafts), %d changed.", p.result.Added, p.result.Changed)
	for _, f := range p.result.Failed {
		vm.Failed = append(vm.Failed, f.String())
	}
	h.render(w, r, http.StatusOK, vm)
}
