package web

import (
	"strings"
	"sync"

	"signpost/internal/i18n"
)

// langMemo remembers which language each Accept-Language header matches. Parsing and
// matching the header cost about half of serving the cached home page (measured with
// BenchmarkHomePage), and browsers send only a few distinct headers.
//
// Made-up headers must not cost memory or push real ones out for good (issue 11: 1,024 keys
// of up to 64 KB, never evicted, held 48 MB). So a header longer than maxLangHeader is
// matched on its first preferences and never kept, and a full memo starts over: it holds at
// most maxLangMemo × maxLangHeader bytes of keys, and the headers real browsers send are
// back in it after one request each.
type langMemo struct {
	mu sync.RWMutex
	m  map[string]langMatch
}

type langMatch struct {
	l         *i18n.Locale
	confident bool
}

const (
	maxLangMemo = 256
	// maxLangHeader is well above what browsers send ("es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7"
	// is 35 bytes) and keeps the parse of a hostile header short: matching costs about 10 µs
	// a preference (BenchmarkHomePageMadeUpLanguages).
	maxLangHeader = 128
)

func (m *langMemo) match(cat *i18n.Catalog, header string) (*i18n.Locale, bool) {
	if len(header) > maxLangHeader {
		cut := header[:maxLangHeader]
		if i := strings.LastIndexByte(cut, ','); i > 0 {
			cut = cut[:i]
		}
		return cat.Match(cut)
	}
	m.mu.RLock()
	v, ok := m.m[header]
	m.mu.RUnlock()
	if ok {
		return v.l, v.confident
	}
	l, confident := cat.Match(header)
	m.mu.Lock()
	if m.m == nil || len(m.m) >= maxLangMemo {
		m.m = make(map[string]langMatch, maxLangMemo)
	}
	m.m[header] = langMatch{l, confident}
	m.mu.Unlock()
	return l, confident
}
