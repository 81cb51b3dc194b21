package postgres

import (
	"context"
	"errors"

	"needledesk/data"
)

// ClientListForTest waits for the copy of the client list being read, if
// any, and reports the version of the list it was read at (-1 for none)
// and the list's version now (storetest.ClientListCopy).
func (s *Store) ClientListForTest(ctx context.Context) (kept, now int64, err error) {
	kept = -1
	if l := s.clientList.Kept(); l != nil {
		kept = l.Version()
	}
	err = s.pool.QueryRow(ctx, clientListVersionSQL).Scan(&now)
	return kept, now, err
}

// FindInDatabaseForTest is FindClients answered by the database alone.
func (s *Store) FindInDatabaseForTest(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error) {
	return s.findInDatabase(ctx, f)
}

// errNotInMemory is FindInMemoryForTest's answer to a search the copy of
// the client list could not answer.
var errNotInMemory = errors.New("the copy of the client list did not answer")

// FindInMemoryForTest is FindClients answered from the copy of the client
// list, or errNotInMemory.
func (s *Store) FindInMemoryForTest(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error) {
	srch := parseSearch(f.Text)
	if srch.Empty() || byDue(f) {
		return nil, errNotInMemory
	}
	out, ok, err := s.findInMemory(ctx, f, srch)
	if err == nil && !ok {
		err = errNotInMemory
	}
	return out, err
}
