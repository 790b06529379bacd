package web

import (
	"errors"
	"log/slog"
	"net/http"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/templates"
)

// ErrorStatus returns the HTTP status for err: 413 for a body over its limit (see MaxBody),
// else the status of err's domain code.
func ErrorStatus(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	if err == errMethodNotAllowed {
		return http.StatusMethodNotAllowed
	}
	return directory.HTTPStatus(err)
}

// Error writes the error page for err in the request's language. Only internal errors are
// logged; their details never reach the visitor.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := ErrorStatus(err)
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", slog.Group("request", "method", r.Method, "path", r.URL.Path), "err", err)
	}
	l := s.localeOf(r)
	vm := templates.ErrorVM{Status: status}
	switch status {
	case http.StatusNotFound:
		vm.Heading, vm.Message = l.T("error.404.title"), l.T("error.404.p")
	case http.StatusInternalServerError:
		vm.Heading, vm.Message = l.T("error.500.title"), l.T("error.500.p")
	case http.StatusTooManyRequests:
		vm.Heading, vm.Message = l.T("error.429.title"), l.T("error.429.p")
	case http.StatusRequestEntityTooLarge:
		vm.Heading, vm.Message = l.T("error.413.title"), l.T("error.413.p")
	case http.StatusServiceUnavailable:
		vm.Heading, vm.Message = l.T("error.503.title"), directory.ErrorMessage(err)
	default:
		vm.Heading, vm.Message = l.T("error.400.title"), directory.ErrorMessage(err)
		if l != s.cat.Default {
			// The error's own message is in the default language; a page in another
			// language says it in that language instead.
			vm.Message = l.T("error.400.p")
		}
	}
	vm.Layout = s.layoutOrFallback(r, l, r.URL.Path)
	vm.Layout.Title = vm.Heading
	vm.Layout.NoIndex = true
	vm.Layout.Canonical = ""
	vm.Layout.Alternates = nil
	p, rerr := renderComponent(r.Context(), templates.ErrorPage(vm), status)
	if rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "60")
	}
	p.write(w, r, "no-store")
}

// localeOf returns the language of the request's URL.
func (s *Server) localeOf(r *http.Request) *i18n.Locale {
	for _, l := range s.cat.Others(s.cat.Default) {
		if p := l.Prefix(); r.URL.Path == p || len(r.URL.Path) > len(p) && r.URL.Path[:len(p)+1] == p+"/" {
			return l
		}
	}
	return s.cat.Default
}

// errMethodNotAllowed answers a method a route does not take (405, with an Allow header).
var errMethodNotAllowed = directory.Errorf(directory.EINVALID, "That request method is not allowed here.")

// errTooMany is the error for a client over a rate limit.
var errTooMany = directory.Errorf(directory.ETOOMANY, "Too many requests; please wait a moment.")

// errNotFound is the error for an unknown URL.
var errNotFound = directory.Errorf(directory.ENOTFOUND, "Page not found.")

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) { s.Error(w, r, errNotFound) }

func isNotFound(err error) bool { return directory.ErrorCode(err) == directory.ENOTFOUND }
