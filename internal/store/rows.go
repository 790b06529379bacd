package store

import "database/sql"

// closeRows ends a loop over rows: it returns the error that stopped Next, if any, else
// the error from Close. Checking Close alone is not enough: when Next fails, database/sql
// closes the rows itself, so Close returns nil and the error is only in Err, and the loop
// would hand back a short list as if it were whole. TestEveryRowsLoopChecksErr keeps every
// loop honest.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
