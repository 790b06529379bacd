package store

import (
	"context"
	"database/sql"
	"time"
)

// watchInterval is how often the store looks for commits made by other processes.
const watchInterval = time.Second

// watchOtherWriters bumps the generation when another process commits to the database:
// `signpost backup` does not, but an import or a `signpost user` run from the command line,
// or a second server on the same file do, and the page caches must not keep serving what
// those changed. (Litestream in follow mode writes the file without SQLite, which this does
// not see: a copy it keeps is opened read-only and watched by watchFile.) PRAGMA data_version, asked again on one
// connection, changes exactly when some other connection has committed; asking costs
// microseconds. Writes through this Store bump the generation at once and are seen here
// too, which only costs one more render of each page.
func (s *Store) watchOtherWriters(ctx context.Context) {
	defer close(s.watchDone)
	conn, err := s.reader().Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	var last int64 = -1
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		var v int64
		if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err == nil {
			if last >= 0 && v != last {
				s.generation.Add(1)
			}
			last = v
		} else if ctx.Err() == nil && err != sql.ErrConnDone {
			s.log.Warn("watching for other writers", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
