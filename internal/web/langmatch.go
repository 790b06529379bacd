package web

import (
	"sync"

	"signpost/internal/i18n"
)

// langMemo remembers which language each Accept-Language header matches. Parsing and
// matching the header cost about half of serving the cached home page (measured with
// BenchmarkHomePage), and browsers send only a few distinct headers. It keeps at most
// maxLangMemo of them, so made-up headers cannot grow it without bound.
type langMemo struct {
	mu sync.RWMutex
	m  map[string]langMatch
}

type langMatch struct {
	l         *i18n.Locale
	confident bool
}

const maxLangMemo = 1024

func (m *langMemo) match(cat *i18n.Catalog, header string) (*i18n.Locale, bool) {
	m.mu.RLock()
	v, ok := m.m[header]
	m.mu.RUnlock()
	if ok {
		return v.l, v.confident
	}
	l, confident := cat.Match(header)
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]langMatch{}
	}
	if len(m.m) < maxLangMemo {
		m.m[header] = langMatch{l, confident}
	}
	m.mu.Unlock()
	return l, confident
}
