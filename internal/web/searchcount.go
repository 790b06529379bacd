package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"

	"signpost/internal/i18n"
)

// Counting what visitors search for, for staff's "What visitors searched for": the store
// keeps weekly counts per phrase (see store.CountSearch). Every search is counted, served
// from the page cache or not, and counting never waits on the database.
//
// "Nobody clicked" is counted without the visitor's words ever going into a URL: each
// result link carries a ping attribute (the browser posts to it when the link is followed;
// the address is never shown, bookmarked or kept in history) naming an opaque token, and
// the server alone knows which search a token stands for.

// countSearches wraps the search page: after serving it, it counts the search (its first
// page only, so that paging through results counts once).
func (s *Server) countSearches(l *i18n.Locale, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next(w, r)
		if p := r.FormValue("page"); p != "" && p != "1" {
			return
		}
		if q := cleanQuery(r.FormValue("q")); q != "" {
			s.store.CountSearch(l.Tag, q)
		}
	}
}

// handleSearchClick counts one result opened: POST /search/click/{token}, from a result
// link's ping. It answers 204 whatever the token, and only counts pings from the site's
// own pages.
func (s *Server) handleSearchClick(w http.ResponseWriter, r *http.Request) {
	if site := r.Header.Get("Sec-Fetch-Site"); site == "" || site == "same-origin" {
		if c, ok := s.clicks.lookup(chi.URLParam(r, "token")); ok {
			s.store.CountClick(c.lang, c.text)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// clickTokens maps the tokens in result links' pings to the search they came from.
type clickTokens struct {
	mu      sync.Mutex
	byKey   map[clickSearch]string
	byToken map[string]clickSearch
}

type clickSearch struct{ lang, text string }

// maxClickTokens bounds the tokens held; past it they start again (a ping with a forgotten
// token is not counted, nothing worse).
const maxClickTokens = 10_000

// token returns the token of a search of text in lang, the same for the same search.
func (c *clickTokens) token(lang, text string) string {
	k := clickSearch{lang, text}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.byKey[k]; ok {
		return t
	}
	if c.byKey == nil || len(c.byKey) >= maxClickTokens {
		c.byKey, c.byToken = map[clickSearch]string{}, map[string]clickSearch{}
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	t := hex.EncodeToString(b)
	c.byKey[k], c.byToken[t] = t, k
	return t
}

func (c *clickTokens) lookup(t string) (clickSearch, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.byToken[t]
	return k, ok
}
