package directory

import "net/http"

// codeStatus maps each error code to its HTTP status: one table for the public site, the
// staff screens and the open data API.
var codeStatus = map[string]int{
	ECONFLICT: http.StatusConflict,
	EINVALID:  http.StatusBadRequest,
	ENOTFOUND: http.StatusNotFound,
	// Staff who are signed in but not allowed; a request with no session is sent to the
	// sign-in page before any handler can say EUNAUTHORIZED.
	EUNAUTHORIZED: http.StatusForbidden,
	ETOOMANY:      http.StatusTooManyRequests,
	EREADONLY:     http.StatusServiceUnavailable,
	EINTERNAL:     http.StatusInternalServerError,
}

// HTTPStatus returns the HTTP status for err's code: 500 for an error that is not an
// *Error (or has an unknown code), which the caller logs.
func HTTPStatus(err error) int {
	if st, ok := codeStatus[ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}
