package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"signpost/internal/directory"
)

// The counts behind "What visitors searched for". A search adds one to a count in memory
// (a map under a mutex: no write, no wait), and the counts go to search_log at most once a
// minute, in the background, and when the store closes. Only aggregates are ever written:
// the week, the language, the phrase (once searched SearchLogMin times that week) and
// counts. See migrations/00123_search_log.sql.

// searchLogFlushEvery is how often counts are written.
const searchLogFlushEvery = time.Minute

// maxSearchLogPhrases bounds the phrases held in memory between writes; past it, new
// phrases wait for the next write (a flood of made-up words cannot fill memory).
const maxSearchLogPhrases = 10_000

type searchCount struct{ searches, empty, clicks int }

type searchLogKey struct{ lang, phrase string }

// searchLog is the store's counts in memory, and what the last real search of each phrase
// found (a search served from the page cache is counted without searching again).
type searchLog struct {
	mu        sync.Mutex
	counts    map[searchLogKey]*searchCount
	found     map[searchLogKey]bool
	flushedAt time.Time
	flushing  bool
}

// SearchLogPhrase returns the phrase a search's text is counted under: its words folded
// (case and accents), at most 100 bytes, "" for none.
func SearchLogPhrase(text string) string {
	p := strings.Join(foldWords(text), " ")
	if len(p) > 100 {
		if i := strings.LastIndexByte(p[:101], ' '); i > 0 {
			p = p[:i]
		} else {
			p = ""
		}
	}
	return p
}

// noteSearchFound remembers whether a search of text in lang found anything.
func (s *Store) noteSearchFound(lang, text string, found bool) {
	p := SearchLogPhrase(text)
	if p == "" {
		return
	}
	l := &s.slog
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.found == nil || len(l.found) >= maxSearchLogPhrases {
		l.found = map[searchLogKey]bool{}
	}
	l.found[searchLogKey{lang, p}] = found
}

// CountSearch counts one search of text in lang, as found or not by the last search of the
// same words. It never waits on the database.
func (s *Store) CountSearch(lang, text string) {
	s.count(lang, SearchLogPhrase(text), func(c *searchCount, found bool) {
		c.searches++
		if !found {
			c.empty++
		}
	})
}

// CountClick counts one result opened after a search of text in lang.
func (s *Store) CountClick(lang, text string) {
	s.count(lang, SearchLogPhrase(text), func(c *searchCount, _ bool) { c.clicks++ })
}

func (s *Store) count(lang, phrase string, add func(*searchCount, bool)) {
	if phrase == "" || s.readOnly {
		return
	}
	l := &s.slog
	l.mu.Lock()
	k := searchLogKey{lang, phrase}
	if l.counts == nil {
		l.counts = map[searchLogKey]*searchCount{}
		l.flushedAt = s.now()
	}
	c := l.counts[k]
	if c == nil && len(l.counts) < maxSearchLogPhrases {
		c = &searchCount{}
		l.counts[k] = c
	}
	if c != nil {
		found, known := l.found[k]
		add(c, found || !known)
	}
	due := !l.flushing && s.now().Sub(l.flushedAt) >= searchLogFlushEvery
	if due {
		l.flushing = true
	}
	l.mu.Unlock()
	if due {
		go func() {
			if err := s.FlushSearchLog(context.Background()); err != nil {
				s.log.Warn("writing search counts", "err", err)
			}
		}()
	}
}

// FlushSearchLog writes the counts held in memory to search_log, and deletes counts older
// than directory.SearchLogDays. It does not move the generation: no public page shows them.
func (s *Store) FlushSearchLog(ctx context.Context) error {
	l := &s.slog
	l.mu.Lock()
	counts := l.counts
	l.counts = map[searchLogKey]*searchCount{}
	l.flushedAt = s.now()
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.flushing = false
		l.mu.Unlock()
	}()
	if s.readOnly || len(counts) == 0 {
		return nil
	}
	now := s.now().UTC()
	week := weekOf(now)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, c := range counts {
		sum := sha256.Sum256([]byte(k.lang + "\x00" + k.phrase))
		key := hex.EncodeToString(sum[:])
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_log (week, lang, key, searches, empty, clicks)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (week, lang, key) DO UPDATE SET
			searches = searches + excluded.searches, empty = empty + excluded.empty, clicks = clicks + excluded.clicks`,
			week, k.lang, key, c.searches, c.empty, c.clicks); err != nil {
			return err
		}
		// The words, only once enough searches make them nobody's in particular.
		if _, err := tx.ExecContext(ctx, `UPDATE search_log SET phrase = ?
			WHERE week = ? AND lang = ? AND key = ? AND searches >= ? AND phrase = ''`,
			k.phrase, week, k.lang, key, directory.SearchLogMin); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_log WHERE week < ?`,
		weekOf(now.AddDate(0, 0, -directory.SearchLogDays))); err != nil {
		return err
	}
	return tx.Commit()
}

// weekOf returns the Monday of t's week, YYYY-MM-DD.
func weekOf(t time.Time) string {
	d := (int(t.Weekday()) + 6) % 7 // days since Monday
	return t.AddDate(0, 0, -d).Format("2006-01-02")
}

// ListSearchLog returns, newest week first and most searched first, the phrases searched at
// least directory.SearchLogMin times in a week that found nothing or whose results nobody
// opened.
func (s *Store) ListSearchLog(ctx context.Context) ([]directory.SearchLogRow, error) {
	return queryAll(ctx, s.reader(), func(sc scanner) (x directory.SearchLogRow, err error) {
		err = sc.Scan(&x.Week, &x.Lang, &x.Phrase, &x.Searches, &x.Empty, &x.Clicks)
		return x, err
	}, `SELECT week, lang, phrase, searches, empty, clicks FROM search_log
		WHERE phrase <> '' AND searches >= ? AND (empty > 0 OR clicks = 0)
		ORDER BY week DESC, searches DESC, phrase LIMIT 500`, directory.SearchLogMin)
}
