// Package storeopen opens the clinic's store from the --db value. It is
// the one place that knows which store a value names, so that main, the
// command line and the window open a clinic the same way; it lives beside
// the stores because the data package cannot import them.
//
// It gives a data.Store: callers ask it for what only a store kept in a
// file has (data.FileStore, data.FileBackuper and the others in
// data/store.go) and never hold a store of a particular kind. A
// postgres:// (or postgresql://) value opens the clinic's PostgreSQL
// database (data/postgres), its password from ~/.pgpass or PGPASSFILE,
// never from a URL kept on disk, or typed at start-up (WithPassword); a
// server that cannot be opened gives an error matching data.ErrServerUnreachable,
// data.ErrServerWantsPassword, data.ErrServerRefusedPassword or data.ErrNewerSchema when
// it is one of those; any other value is a SQLite file's path.
package storeopen

import (
	"context"
	"errors"
	"strings"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/sqlite"
)

// ErrNoDB is returned for an empty --db value.
var ErrNoDB = errors.New("--db PATH is required")

// Option changes how Open opens the store.
type Option func(*options)

type options struct {
	clock data.Clock
	// backgroundCheck is set by CheckInBackground; backups is its folder.
	backgroundCheck bool
	backups         string
	// password is typed at start-up for a server (WithPassword).
	password string
}

// WithClock makes the store read the time from c instead of time.Now.
func WithClock(c data.Clock) Option {
	return func(o *options) { o.clock = c }
}

// CheckInBackground is how the window opens a clinic kept in a file: a
// look at the file's first bytes first (a damaged file is refused as it
// is, with an error that is a data.DamageReport naming the newest good
// backup in backupsFolder), then the store opens for reading at once and
// checks every page in the background, and writes wait for that check
// (data.FullChecker).
func CheckInBackground(backupsFolder string) Option {
	return func(o *options) { o.backgroundCheck, o.backups = true, backupsFolder }
}

// Open opens the store the --db value names; the caller closes it.
func Open(ctx context.Context, db string, opts ...Option) (data.Store, error) {
	if db == "" {
		return nil, ErrNoDB
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if IsServer(db) {
		url, err := serverURL(db, o.password)
		if err != nil {
			return nil, err
		}
		st, err := postgres.Open(ctx, url, postgres.WithClock(o.clock))
		if err != nil || st == nil {
			return nil, serverError(err, PasswordKnown(url))
		}
		return st, nil
	}
	sqliteOpts := []sqlite.Option{sqlite.WithClock(o.clock)}
	if o.backgroundCheck {
		if err := sqlite.StartUpLook(ctx, db, o.backups); err != nil {
			return nil, err
		}
		sqliteOpts = append(sqliteOpts, sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: o.backups}))
	}
	st, err := sqlite.Open(ctx, db, sqliteOpts...)
	if err != nil || st == nil { // never a nil *sqlite.Store inside the interface
		return nil, err
	}
	return st, nil
}

// IsServer reports a --db value that names a PostgreSQL server rather
// than a file.
func IsServer(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}
