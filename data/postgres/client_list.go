package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"needledesk/data"
	"needledesk/data/internal/clientlist"
	"needledesk/data/internal/searchkeys"
)

// A text search is answered from the store's copy of the whole client
// list (clientlist.List, with each client's search columns, in
// s.clientList): the matches are found in memory, in name order, until
// the page is full, and only the page's clients are read, in one
// statement that also reads the list's version (client_order, schema 8).
// When that version is the copy's, the page is exactly what the database
// would have listed; otherwise the copy is read anew in the background and
// this search, like every one until the new copy is in, asks the database
// (findQuery).
//
// The database alone answered "ова" on 100,000 clients in about 50 ms: on
// a server in the C locale the trigram index holds no Cyrillic or Chinese
// trigrams (nor any for "o'b"), so every row was read; where the index
// helps, rechecking thousands of candidates in the table took tens of
// milliseconds. Testing every client's search text in memory takes some
// 2 ms, and a page that fills early far less.

const (
	clientListVersionSQL = `SELECT version FROM client_order WHERE id = 1`
	// clientListSizeSQL reads the version with the list's size, for the
	// copy to be made room for at once (clientlist.Builder.Grow).
	clientListSizeSQL = `SELECT (SELECT version FROM client_order WHERE id = 1), count(*),
		coalesce(sum(octet_length(search_text)), 0), coalesce(sum(octet_length(phone_digits)), 0) FROM client`
	// clientListSQL reads the whole list, in the background: no search
	// waits for it. It walks the name index (client_by_name): the
	// planner would rather read the table and sort it, which on 100,000
	// clients took four times as long (0.4 s against 0.1), so the reading
	// turns sorting off for its own transaction first (noSortSQL).
	clientListSQL = `SELECT id, archived_at IS NOT NULL, search_text, phone_digits FROM client
		ORDER BY family_sort, given_sort, id`
	noSortSQL = `SET LOCAL enable_sort = off`
	// pageSQL reads a page's clients with the list's version, in one
	// snapshot.
	pageSQL = `SELECT (SELECT version FROM client_order WHERE id = 1), ` + summaryColumns + `
		FROM client WHERE id = ANY($1) ORDER BY family_sort, given_sort, id`
)

// readClientList copies the client list with its search columns, in one
// snapshot, so that the version is the list's.
func (s *Store) readClientList(ctx context.Context) (*clientlist.List, error) {
	var l *clientlist.List
	err := s.read(ctx, func(tx pgx.Tx) error {
		var version, clients, textBytes, phoneBytes int64
		if err := tx.QueryRow(ctx, clientListSizeSQL).Scan(&version, &clients, &textBytes, &phoneBytes); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, noSortSQL); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, clientListSQL)
		if err != nil {
			return err
		}
		defer rows.Close()
		b := clientlist.NewBuilder(version, true)
		b.Grow(int(clients), int(textBytes), int(phoneBytes))
		var id int64
		var archived bool
		var text, phones pgtype.DriverBytes // the driver's own memory, copied by AddSearchable
		for rows.Next() {
			if err := rows.Scan(&id, &archived, &text, &phones); err != nil {
				return err
			}
			b.AddSearchable(id, archived, text, phones)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		l = b.List()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the client list: %w", err)
	}
	return l, nil
}

// findInMemory answers a text search from the copy of the client list,
// and reports false when it cannot: no copy yet, a new one being read, or
// the list changed since the copy was read.
func (s *Store) findInMemory(ctx context.Context, f data.ClientFilter, srch searchkeys.Search) ([]data.ClientSummary, bool, error) {
	l := s.clientList.Current(s.readClientList)
	if l == nil {
		return nil, false, nil
	}
	limit, offset := pageOf(f)
	page, ok := l.Find(srch, f.State, offset, limit)
	if !ok {
		return nil, false, nil
	}
	out, version, err := s.readPage(ctx, page)
	if err != nil {
		return nil, false, err
	}
	if version != l.Version() || len(out) != len(page) {
		s.clientList.Refresh(version, s.readClientList)
		return nil, false, nil
	}
	return out, true, nil
}

// readPage reads the clients with the IDs in page, in name order, and
// the client list's version in the same statement.
func (s *Store) readPage(ctx context.Context, page []int64) ([]data.ClientSummary, int64, error) {
	var version int64
	if len(page) == 0 {
		err := s.pool.QueryRow(ctx, clientListVersionSQL).Scan(&version)
		return nil, version, err
	}
	rows, err := s.pool.Query(ctx, pageSQL, page)
	if err != nil {
		return nil, 0, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.ClientSummary, error) {
		return scanSummary(versionFirst{r, &version})
	})
	return out, version, err
}

// versionFirst scans a row whose first column is the client list's
// version into v, and the rest as asked.
type versionFirst struct {
	pgx.Row
	v *int64
}

func (r versionFirst) Scan(dest ...any) error {
	return r.Row.Scan(append([]any{r.v}, dest...)...)
}
