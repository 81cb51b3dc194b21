package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"needledesk/data/internal/clientlist"
)

// The store's copy of the whole client list in name order
// (clientlist.List, kept in s.order) lets a search put thousands of
// matches in order without looking each one up in the database. That
// lookup, one client_key entry per match, was most of the time of a
// search whose matches all sort late (a Cyrillic surname ending in a
// clinic of mostly Latin names): about 0.4 µs a match, against some 0.1 µs
// to read a match's ID from client_search and place it in the copy.
//
// The copy belongs to the list as it stood at a version (the client_order
// table, migration 8), and is used only by a search that read that same
// version in the same statement as its matches; any other search sorts in
// SQL, as it always did.

const (
	orderVersionSQL = `SELECT version FROM client_order WHERE id = 1`
	// nameOrderSQL reads the whole name index, in the background (see
	// clientlist.Cache): no search waits for it.
	nameOrderSQL = `SELECT id, archived_at IS NOT NULL FROM client INDEXED BY client_by_name
		ORDER BY family_sort, given_sort, id`
)

// readNameOrder copies the client list from the read pool.
func (s *Store) readNameOrder(ctx context.Context) (*clientlist.List, error) {
	return readNameOrder(ctx, s.r)
}

// readNameOrder copies the client list, in one read transaction so that
// the version is the list's.
func readNameOrder(ctx context.Context, db *sql.DB) (*clientlist.List, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var version int64
	if err := tx.QueryRowContext(ctx, orderVersionSQL).Scan(&version); err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	rows, err := tx.QueryContext(ctx, nameOrderSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	defer rows.Close()
	b := clientlist.NewBuilder(version, false)
	for rows.Next() {
		var id int64
		var archived bool
		if err := rows.Scan(&id, &archived); err != nil {
			return nil, fmt.Errorf("reading the client list's order: %w", err)
		}
		b.Add(id, archived)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	return b.List(), nil
}

// eachID calls fn with each number in a JSON array of client IDs, as
// json_group_array writes them, until fn returns false. A negative number,
// which no client ID the copy keeps can be, stops it too. It reports
// whether every number was taken.
func eachID(list string, fn func(id int64) bool) bool {
	var n int64
	digits := false
	for i := range len(list) {
		switch c := list[i]; {
		case c >= '0' && c <= '9':
			n, digits = n*10+int64(c-'0'), true
		case c == '-':
			return false
		case digits:
			if !fn(n) {
				return false
			}
			n, digits = 0, false
		}
	}
	return !digits || fn(n)
}

// idsIn is a JSON array of client IDs as Window takes its matches.
func idsIn(list string) func(yield func(id int64) bool) bool {
	return func(yield func(id int64) bool) bool { return eachID(list, yield) }
}
