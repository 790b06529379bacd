package directory

import (
	"errors"
	"net/http"
	"testing"
)

func TestHTTPStatusOfEveryCode(t *testing.T) {
	for code, want := range map[string]int{
		ECONFLICT: http.StatusConflict, EINVALID: http.StatusBadRequest, ENOTFOUND: http.StatusNotFound,
		EUNAUTHORIZED: http.StatusForbidden, ETOOMANY: http.StatusTooManyRequests,
		EREADONLY: http.StatusServiceUnavailable, EINTERNAL: http.StatusInternalServerError,
	} {
		if got := HTTPStatus(Errorf(code, "x")); got != want {
			t.Errorf("HTTPStatus(%s) = %d, want %d", code, got, want)
		}
	}
	if got := HTTPStatus(errors.New("disk full")); got != http.StatusInternalServerError {
		t.Errorf("a plain error: %d, want 500", got)
	}
}

func TestInvalidReadsLikeEveryFormError(t *testing.T) {
	e := InvalidField("slug", "Taken.")
	if e.Code != EINVALID || e.Message != "Some fields need attention." || e.Fields["slug"] != "Taken." {
		t.Errorf("InvalidField = %+v", e)
	}
}
