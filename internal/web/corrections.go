package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/ratelimit"
	"signpost/templates"
)

// CorrectionStore files visitors' suggestions. *store.Store implements it.
type CorrectionStore interface {
	CreateCorrection(ctx context.Context, c *directory.Correction) error
}

// Limiter allows or refuses one more request for key, and says how long to wait when it
// refuses.
type Limiter interface {
	Allow(key string) (ok bool, retryAfter time.Duration)
}

// registerCorrectionRoutes serves a listing's "suggest a correction" form, when the site
// has somewhere to file suggestions.
func (s *Server) registerCorrectionRoutes(r chi.Router, l *i18n.Locale, k directory.Kind) {
	if s.opts.Corrections == nil {
		return
	}
	if s.fallbackLimiter == nil {
		s.fallbackLimiter = newWindowLimiter(5, 10*time.Minute)
	}
	path := "/" + k.Section() + "/{slug}/correction"
	form, sent := s.cached(s.correctionPage(l, k)), s.private(s.correctionPage(l, k))
	r.Get(path, func(w http.ResponseWriter, r *http.Request) {
		// "Suggestion sent" tells that someone wrote about this listing: no browser or
		// proxy may keep it (a shared phone, a shared cache), as with search results.
		if r.URL.RawQuery == "sent=1" {
			sent(w, r)
			return
		}
		form(w, r)
	})
	// A suggestion sent from another site is refused before anything is read.
	cop := http.NewCrossOriginProtection()
	if s.opts.BaseURL != "" {
		// Accepted even when a proxy changes the Host header; the base URL is validated at start.
		_ = cop.AddTrustedOrigin(strings.TrimSuffix(s.opts.BaseURL, "/"))
	}
	cop.SetDenyHandler(http.HandlerFunc(s.forbidden))
	r.Method(http.MethodPost, path, cop.Handler(s.handleCorrection(l, k)))
}

// correctionPath is the form's path for listing x in l, or "" when there is no form.
func (s *Server) correctionPath(l *i18n.Locale, x *directory.Listing) string {
	if s.opts.Corrections == nil {
		return ""
	}
	return l.Path(x.Path() + "/correction")
}

func (s *Server) correctionVM(r *http.Request, l *i18n.Locale, k directory.Kind) (templates.CorrectionVM, error) {
	x, err := s.store.FindListing(r.Context(), k, chi.URLParam(r, "slug"), l.Tag)
	if err != nil {
		return templates.CorrectionVM{}, err
	}
	layout, err := s.layout(r, l, x.Path()+"/correction")
	if err != nil {
		return templates.CorrectionVM{}, err
	}
	layout.Title = l.T("correction.title") + ": " + x.Name
	layout.Description = l.T("correction.intro")
	// A form, not content: kept out of search engines and the sitemap.
	layout.NoIndex = true
	layout.Active = "/" + k.Section()
	layout.Crumbs = []templates.Crumb{{Name: x.Name, Path: l.Path(x.Path())}, {Name: l.T("correction.title")}}
	return templates.CorrectionVM{Layout: layout, Listing: x, Action: l.Path(x.Path() + "/correction"), Back: l.Path(x.Path())}, nil
}

func (s *Server) correctionPage(l *i18n.Locale, k directory.Kind) pageFunc {
	return func(r *http.Request) (templ.Component, error) {
		vm, err := s.correctionVM(r, l, k)
		if err != nil {
			return nil, err
		}
		vm.Sent = r.URL.Query().Get("sent") == "1"
		return templates.CorrectionPage(vm), nil
	}
}

// handleCorrection files a suggestion. Nothing about the sender is asked for or kept: the
// client address is used, in memory only, to limit how many suggestions one connection
// can send, and is never logged.
func (s *Server) handleCorrection(l *i18n.Locale, k directory.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			s.Error(w, r, directory.Errorf(directory.EINVALID, "%s", l.T("correction.message.long")))
			return
		}
		vm, err := s.correctionVM(r, l, k)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if ok, wait := s.correctionLimiter().Allow(s.clientAddr(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.5))))
			s.Error(w, r, directory.Errorf(directory.ETOOMANY, "%s", l.T("correction.toomany")))
			return
		}
		sent := vm.Action + "?sent=1"
		// A robot fills every field; a person never sees this one. Answer as if it worked.
		if r.PostForm.Get("homepage") != "" {
			http.Redirect(w, r, sent, http.StatusSeeOther)
			return
		}
		vm.Field = r.PostForm.Get("field")
		vm.Message = strings.TrimSpace(r.PostForm.Get("message"))
		known := false
		for _, f := range templates.CorrectionFields {
			known = known || f == vm.Field
		}
		if !known {
			vm.Field = "other"
		}
		switch {
		case vm.Message == "":
			vm.Error = l.T("correction.message.required")
		case !utf8.ValidString(vm.Message) || utf8.RuneCountInString(vm.Message) > directory.MaxCorrection:
			vm.Error = l.T("correction.message.long")
		}
		status := http.StatusBadRequest
		if vm.Error == "" {
			err := s.opts.Corrections.CreateCorrection(r.Context(), &directory.Correction{ListingID: vm.Listing.ID, Field: vm.Field, Message: vm.Message})
			switch directory.ErrorCode(err) {
			case "":
				http.Redirect(w, r, sent, http.StatusSeeOther)
				return
			case directory.EINVALID:
				vm.Error = l.T("correction.message.long")
			default:
				// The database could not take it (a read-only copy, a full disk): the
				// form again, with what was written, and a word to try later.
				if directory.ErrorCode(err) != directory.EREADONLY {
					s.log.Error("saving a suggestion", "err", err)
				}
				vm.Error, status = l.T("correction.unsaved"), http.StatusServiceUnavailable
				w.Header().Set("Retry-After", "300")
			}
		}
		p, err := renderComponent(r.Context(), templates.CorrectionPage(vm), status)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.write(w, r, "no-store")
	}
}

// clientAddr is the request's client address: the connection's, or with a trusted proxy the
// last address it added to X-Forwarded-For. Used for rate limits only, never logged.
func (s *Server) clientAddr(r *http.Request) string {
	return ratelimit.ClientAddr(s.opts.TrustProxy)(r)
}

// forbidden answers a request another site made the browser send.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	l := s.localeOf(r)
	vm := templates.ErrorVM{Status: http.StatusForbidden, Heading: l.T("error.400.title"), Message: l.T("correction.crosssite")}
	vm.Layout = s.layoutOrFallback(r, l, r.URL.Path)
	vm.Layout.Title, vm.Layout.NoIndex, vm.Layout.Canonical, vm.Layout.Alternates = vm.Heading, true, "", nil
	p, err := renderComponent(r.Context(), templates.ErrorPage(vm), http.StatusForbidden)
	if err != nil {
		http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
		return
	}
	p.write(w, r, "no-store")
}

// correctionLimiter is the configured limiter, or a small in-memory one (five suggestions
// per address per ten minutes) made once when the routes are built.
func (s *Server) correctionLimiter() Limiter {
	if s.opts.CorrectionLimiter != nil {
		return s.opts.CorrectionLimiter
	}
	return s.fallbackLimiter
}

// windowLimiter allows n events per key in each fixed window. A stand-in until the shared
// rate limiter is wired in; it forgets everything on restart, which is fine for this use.
type windowLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	counts map[string]*windowCount
	now    func() time.Time
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindowLimiter(n int, window time.Duration) *windowLimiter {
	return &windowLimiter{n: n, window: window, counts: map[string]*windowCount{}, now: time.Now}
}

func (l *windowLimiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.counts) > 100_000 {
		l.counts = map[string]*windowCount{} // bounded memory under a flood of addresses
	}
	c := l.counts[key]
	if c == nil || now.Sub(c.start) >= l.window {
		c = &windowCount{start: now}
		l.counts[key] = c
	}
	if c.n >= l.n {
		return false, c.start.Add(l.window).Sub(now)
	}
	c.n++
	return true, 0
}
