// Package admin serves the staff screens under /admin: sign-in and sessions, editing of
// every entry with history, undo and conflict detection, the dashboard, the audit log,
// accounts, translations and the queue of visitors' suggestions.
//
// It uses the store directly rather than through an interface of its own: the staff
// screens use nearly the whole write API, and restating it would add nothing but drift.
package admin

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/ratelimit"
	"signpost/internal/sheet"
	"signpost/internal/store"
	"signpost/static"
	view "signpost/templates/admin"
)

// Options configure the staff screens. The zero value is fine.
type Options struct {
	// TrustProxy believes X-Forwarded-Proto (for the Secure cookie flag) and
	// X-Forwarded-For (for the per-address sign-in throttle) from a reverse proxy.
	TrustProxy bool
	// IdleTimeout ends a session after this long without a request (default 30 minutes);
	// Lifetime ends it regardless (default 12 hours).
	IdleTimeout time.Duration
	Lifetime    time.Duration
	// CSS lists the stylesheet URLs of the staff screens.
	CSS []string
	// Origin is the site's public origin ("https://example.org"), if configured: forms posted
	// from it are accepted even when a proxy changes the Host header.
	Origin string
	// SessionCleanup is how often expired sessions are deleted (default 5 minutes; negative
	// turns the background cleanup off).
	SessionCleanup time.Duration
	// Import, when set, builds the data import screen, served at /admin/import to signed-in
	// staff. It is given the admin's own view of the request (who is signed in, the form
	// token), so the import package needs nothing else of the admin's.
	Import func(StaffAccess) http.Handler
	// MaxUpload bounds a request body on the import screen (default 32 MB); every other
	// staff form is bounded by maxForm.
	MaxUpload int64
	// SecondFactorRequired says which accounts must have a second factor before they can
	// do anything; nil means AdminsNeedSecondFactor. Tests of other features turn it off.
	SecondFactorRequired func(*directory.User) bool
	// PreviewListing, when set, writes a listing's public page in a language, marked as a
	// preview and never cached or indexed (web.Server.PreviewListing): the edit screen's
	// "Preview the page". Without it the edit screen offers only the Markdown preview.
	PreviewListing func(w http.ResponseWriter, r *http.Request, x *directory.Listing, lang string)
	// PreviewEntry, when set, does the same for a page, sign, industry, situation or figure:
	// the public page that shows it (web.Server.PreviewEntry; preview.go).
	PreviewEntry func(w http.ResponseWriter, r *http.Request, x, was any, lang string)
}

// StaffAccess is what a screen built outside this package needs to know of a request.
type StaffAccess struct {
	// User returns the signed-in staff member.
	User func(r *http.Request) (id int64, email string, ok bool)
	// FormToken returns the anti-forgery field every form must carry.
	FormToken func(r *http.Request) (name, value string)
	// Page returns the staff frame (navigation, stylesheets, the signed-in account) for a
	// screen with this title and navigation key.
	Page func(r *http.Request, title, active string) view.Page
}

// Handler is the staff area, to be mounted at /admin. Close it when done.
type Handler struct {
	log      *slog.Logger
	st       *store.Store
	cat      *i18n.Catalog
	opts     Options
	sessions *scs.SessionManager
	sessDB   *sqlite3store.SQLite3Store
	specs    map[string]*entrySpec
	router   http.Handler
	// clientAddr is the client's address for the sign-in throttle: the same key the public
	// rate limits use (with a trusted proxy the address it added, an IPv6 client's /64).
	// Hashed before it is stored, never logged.
	clientAddr func(*http.Request) string
	// secondStepMu serialises second-step checks (throttle, verify, record), so parallel
	// guesses cannot all pass the throttle before any failure is counted.
	secondStepMu sync.Mutex
}

// New returns the staff area. Sessions live in the store's database (the sessions table),
// so they survive a restart and end when their row does.
func New(log *slog.Logger, st *store.Store, cat *i18n.Catalog, opts Options) (*Handler, error) {
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.Lifetime <= 0 {
		opts.Lifetime = 12 * time.Hour
	}
	if opts.MaxUpload <= 0 {
		// Room for a 32 MB file and the multipart framing around it.
		opts.MaxUpload = 33 << 20
	}
	cleanup := opts.SessionCleanup
	if cleanup == 0 {
		cleanup = 5 * time.Minute
	} else if cleanup < 0 {
		cleanup = 0
	}
	h := &Handler{log: log, st: st, cat: cat, opts: opts, clientAddr: ratelimit.ClientAddr(opts.TrustProxy)}
	h.sessDB = sqlite3store.NewWithConfig(st.DB(), sqlite3store.Config{CleanUpInterval: cleanup})
	sm := scs.New()
	sm.Store = h.sessDB
	sm.IdleTimeout = opts.IdleTimeout
	sm.Lifetime = opts.Lifetime
	sm.Cookie.Name = "signpost_admin"
	// The cookie goes to /admin only: public pages never receive or set it.
	sm.Cookie.Path = "/admin"
	sm.Cookie.HttpOnly = true
	// Strict: no other site can make a browser send the staff cookie, even by a link.
	sm.Cookie.SameSite = http.SameSiteStrictMode
	sm.Cookie.Persist = false
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { h.error(w, r, err) }
	h.sessions = sm
	h.specs = buildSpecs(h)
	h.router = h.routes()
	return h, nil
}

// Close stops the session cleanup.
func (h *Handler) Close() {
	if h.sessDB != nil {
		h.sessDB.StopCleanup()
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.router.ServeHTTP(w, r) }

// routes lists every staff route. All of them are behind the cross-origin check, the
// session, and (but the sign-in page) a signed-in account; accounts and the audit log need
// an admin.
func (h *Handler) routes() http.Handler {
	r := chi.NewRouter()
	cop := http.NewCrossOriginProtection()
	if h.opts.Origin != "" {
		if err := cop.AddTrustedOrigin(h.opts.Origin); err != nil {
			h.log.Error("trusted origin", "origin", h.opts.Origin, "err", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(h.forbiddenCrossOrigin))
	r.Use(staffHeaders, cop.Handler, h.secureCookie, h.sessions.LoadAndSave)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such page."))
	})

	r.Get("/login", h.handleLoginForm)
	r.Post("/login", h.handleLogin)
	r.Get("/login/2fa", h.handleSecondStepForm)
	r.Post("/login/2fa", h.handleSecondStep)
	r.Post("/login/passkey/begin", h.handlePasskeyLoginBegin)
	r.Post("/login/passkey", h.handlePasskeyLogin)
	r.Post("/login/passkey-only/begin", h.handlePasskeyOnlyBegin)
	r.Post("/login/passkey-only", h.handlePasskeyOnly)
	// Scripts are served from this origin (the CSP allows no other), and before sign-in:
	// the second step needs the passkey ceremony's.
	r.Get("/passkey.js", h.serveScript("js/passkey.js"))
	r.Get("/keep-typing.js", h.serveScript("js/keeptyping.js")) // asks before leaving a changed form
	r.Get("/ways.js", h.serveScript("js/ways.js"))              // adds a way to reach an entry in place

	if h.opts.Import != nil {
		imp := h.opts.Import(StaffAccess{
			User: func(r *http.Request) (int64, string, bool) {
				u := userFrom(r.Context())
				if u == nil {
					return 0, "", false
				}
				return u.ID, u.Email, true
			},
			FormToken: func(r *http.Request) (string, string) {
				return "csrf", h.sessions.GetString(r.Context(), sessCSRF)
			},
			Page: h.page,
		})
		r.Group(func(r chi.Router) {
			// Uploads are larger than forms: the import route alone gets a bigger bound.
			r.Use(h.requireUser, h.requireSecondFactor, h.requireAdmin, h.limitBody(h.opts.MaxUpload), h.checkFormToken)
			r.Handle("/import", imp)
			r.Handle("/import/*", imp)
		})
	}

	// The spreadsheet import (sheet.go): admins only, with room for its upload.
	r.Group(func(r chi.Router) {
		r.Use(h.requireUser, h.requireSecondFactor, h.requireAdmin, h.limitBody(sheet.MaxUploadBytes+1<<20), h.checkFormToken)
		h.sheetRoutes(r)
	})

	r.Group(func(r chi.Router) {
		r.Use(h.requireUser, h.requireSecondFactor, h.limitBody(maxForm), h.checkFormToken)
		r.Post("/logout", h.handleLogout)
		// One's own second factors.
		r.Get("/2fa", h.handleTwoFactor)
		r.Get("/2fa/totp", h.handleTOTPSetupForm)
		r.Post("/2fa/totp", h.handleTOTPSetup)
		r.Post("/2fa/totp/remove", h.handleTOTPRemove)
		r.Get("/2fa/recovery", h.handleRecoveryShow)
		r.Post("/2fa/recovery", h.handleRecoveryRenew)
		r.Post("/2fa/passkeys/begin", h.handlePasskeyRegisterBegin)
		r.Post("/2fa/passkeys", h.handlePasskeyRegister)
		r.Post("/2fa/passkeys/{id}/remove", h.handlePasskeyRemove)
		r.Get("/", h.handleDashboard)
		r.Get("/search", h.handleFind)
		r.Get("/account", h.handleAccountForm)
		r.Post("/account", h.handleAccount)
		r.Get("/trash", h.handleTrash)
		r.Get("/history/{entity}/{id}", h.handleHistory)
		r.Get("/history/{entity}/{id}/{lang}", h.handleHistory)
		r.Post("/revisions/{rev}/restore", h.handleRestore)
		r.Get("/corrections", h.handleCorrections)
		h.approvalRoutes(r)
		r.Get("/corrections/{id}/apply", h.handleCorrectionApply)
		r.Post("/corrections/{id}/dismiss", h.handleCorrectionDismiss)
		r.Get("/translate/{entity}/{id}/{lang}", h.handleTranslateForm)
		r.Post("/translate/{entity}/{id}/{lang}", h.handleTranslateSave)
		// Search words (synonyms) and what visitors searched for.
		r.Get("/search-words", h.handleSynonyms)
		r.Post("/search-words", h.handleSynonymCreate)
		r.Get("/search-words/{id}", h.handleSynonymForm)
		r.Post("/search-words/{id}", h.handleSynonymUpdate)
		r.Post("/search-words/{id}/delete", h.handleSynonymDelete)
		r.Post("/search-words/revisions/{rev}/restore", h.handleSynonymRestore)
		r.Get("/searches", h.handleSearchLog)

		r.Group(func(r chi.Router) {
			r.Use(h.requireAdmin)
			r.Get("/users", h.handleUsers)
			r.Post("/users", h.handleUserCreate)
			r.Post("/users/{id}", h.handleUserUpdate)
			r.Post("/users/{id}/2fa-reset", h.handleUserTwoFactorReset)
			r.Get("/audit", h.handleAudit)
			// The settings hold what keeps visitors safe (the quick exit, the emergency
			// number, the hotline on every page): admins only.
			r.Get("/settings", h.handleSettingsForm)
			r.Post("/settings", h.handleSettingsSave)
		})

		// Every kind of entry: /admin/hotlines, /admin/signs/12, …
		r.Route("/{section}", func(r chi.Router) {
			r.Get("/", h.handleList)
			r.Get("/new", h.handleNewForm)
			r.Post("/bulk", h.handleBulk)
			r.Post("/new", h.handleSave)
			r.Get("/{id}", h.handleEditForm)
			r.Post("/{id}", h.handleSave)
			r.With(h.guardPrimaryHotline, h.withFormSaved).Post("/{id}/status", h.handleStatus)
			r.With(h.guardPrimaryHotline, h.withFormSaved).Post("/{id}/trash", h.handleTrashToggle)
			r.With(h.withFormSaved).Post("/{id}/verify", h.handleVerify)
			r.With(h.withValidPin, h.withFormSaved).Post("/{id}/pin", h.handlePin)
			r.Get("/{id}/preview", h.handlePreview)
			r.Get("/{id}/places", h.handlePlacesForm)
			r.Post("/{id}/places", h.handlePlacesSave)
		})
	})
	return r
}

// serveScript serves an embedded script of static/.
func (h *Handler) serveScript(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := static.FS.ReadFile(name)
		if err != nil {
			h.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		_, _ = w.Write(b) // #nosec G705 -- not input: an embedded static file
	}
}

// renderVM renders page(vm), or the error page when building the view model failed (err).
func renderVM[VM any](h *Handler, w http.ResponseWriter, r *http.Request, status int, page func(VM) templ.Component, vm VM, err error) {
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.render(w, r, status, page(vm))
}

// staffHeaders keeps staff screens out of every cache and every search engine.
func staffHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

// render writes a component whole, or the error page if it fails to render.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		h.log.Error("render", slog.Group("request", "method", r.Method, "path", r.URL.Path), "err", err)
		http.Error(w, "Something went wrong.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // an error means the client has gone
}

// error shows err as a short page. Only internal errors are logged, without details to
// the person.
func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	status := directory.HTTPStatus(err)
	if status == http.StatusInternalServerError {
		h.log.Error("internal error", slog.Group("request", "method", r.Method, "path", r.URL.Path), "err", err)
	}
	heading := map[int]string{400: "Something needs attention", 403: "Not allowed", 404: "Not found",
		409: "Conflict", 429: "Too many attempts", 500: "Something went wrong", 503: "Not available here"}[status]
	h.render(w, r, status, view.Message(view.MessageVM{Page: h.page(r, heading, ""), Heading: heading, Message: directory.ErrorMessage(err)}))
}

// page builds the frame of a staff screen for the request's account.
func (h *Handler) page(r *http.Request, title, active string) view.Page {
	p := view.Page{Title: title, CSS: h.opts.CSS, Active: active}
	if u := userFrom(r.Context()); u != nil {
		p.User = u
		p.CSRF = h.sessions.GetString(r.Context(), sessCSRF)
		nav := view.Nav
		if p.IsAdmin() {
			nav = append(slices.Clip(nav), view.AdminNav...)
		}
		for _, n := range nav {
			if n.Key != "import" || h.opts.Import != nil {
				p.Nav = append(p.Nav, n)
			}
		}
		p.Counts = h.navCounts(r.Context())
	}
	return p
}

// pageWithFlash is page plus the one-time message left by the previous redirect.
func (h *Handler) pageWithFlash(r *http.Request, title, active string) view.Page {
	p := h.page(r, title, active)
	p.Flash = h.sessions.PopString(r.Context(), sessFlash)
	return p
}

// redirect answers a successful POST with 303 See Other (Post/Redirect/Get), leaving flash
// for the next page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		h.sessions.Put(r.Context(), sessFlash, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther) // #nosec G710 -- callers pass /admin/ paths they built, never request input
}

// actor is who the store records for a change.
func actor(ctx context.Context) store.Actor {
	if u := userFrom(ctx); u != nil {
		return store.Actor{ID: u.ID, Email: u.Email}
	}
	return store.Actor{}
}

// audit appends to the audit log; a failure is logged, never shown (the change it records
// is already committed).
func (h *Handler) audit(r *http.Request, action, entity string, id int64, detail string) {
	e := directory.AuditEntry{Action: action, Entity: entity, EntityID: id, Detail: detail}
	if u := userFrom(r.Context()); u != nil {
		e.UserID, e.UserEmail = u.ID, u.Email
	}
	if err := h.st.WriteAudit(r.Context(), e); err != nil {
		h.log.Error("audit", "action", action, "err", err)
	}
}
