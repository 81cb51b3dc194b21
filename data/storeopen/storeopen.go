// Package storeopen opens the clinic's store from the --db value. It is
// the one place that knows which store a value names, so that main, the
// command line and the window open a clinic the same way; it lives beside
// the stores because the data package cannot import them.
//
// Today every value is a SQLite file's path; the PostgreSQL store will be
// chosen here for a postgres:// value.
package storeopen

import (
	"context"
	"errors"

	"needledesk/data/sqlite"
)

// ErrNoDB is returned for an empty --db value.
var ErrNoDB = errors.New("--db PATH is required")

// Open opens the store the --db value names; the caller closes it.
func Open(ctx context.Context, db string, opts ...sqlite.Option) (*sqlite.Store, error) {
	if db == "" {
		return nil, ErrNoDB
	}
	return sqlite.Open(ctx, db, opts...)
}
