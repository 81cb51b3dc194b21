package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// maxWriteWait is how long a write waits for another process's write to
// finish before giving up.
const maxWriteWait = 2 * time.Minute

// beginWrite starts an immediate transaction on db, waiting for another
// process that is writing (a second copy of NeedleDesk, or a command such
// as import-clients) to finish. SQLite's busy timeout waits five seconds;
// one import of a large spreadsheet holds the lock for longer, so
// beginWrite asks again, for up to maxWriteWait or until ctx ends, rather
// than turn a save into an error because someone else was busy.
func beginWrite(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	giveUp := time.Now().Add(maxWriteWait)
	for {
		tx, err := db.BeginTx(ctx, nil)
		switch {
		case err == nil || !isBusy(err) || ctx.Err() != nil:
			return tx, err
		case time.Now().After(giveUp):
			return nil, fmt.Errorf("another copy of NeedleDesk or a command has been changing this database for over %s; "+
				"try again when it has finished: %w", maxWriteWait, err)
		}
	}
}

// isBusy reports SQLite's "database is locked": another connection holds
// the write lock.
func isBusy(err error) bool {
	var se *sqlitedriver.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
