package sqlite

import (
	"context"
	"database/sql"
	"math"

	"needledesk/data"
)

// WriterForTest lets the external tests look at the write connection (its
// pragmas, raw row counts) without widening the package's API.
func (s *Store) WriterForTest() *sql.DB { return s.w }

// ReaderForTest is the read pool, for the same reason.
func (s *Store) ReaderForTest() *sql.DB { return s.r }

// Ways FindClients reads a list, for tests that make sure they agree.
const (
	WalkForTest   = "walk"   // walk the name (or due) index
	HitsForTest   = "hits"   // sort the matches found while counting them
	SearchForTest = "search" // sort every match, found again
)

var waysForTest = map[string]way{WalkForTest: walkIndex, HitsForTest: sortHits, SearchForTest: sortAll}

// FindClientsByForTest is FindClients read the way how says, whatever the
// text's matches. With no text, it lists as FindClients does.
func (s *Store) FindClientsByForTest(ctx context.Context, f data.ClientFilter, how string) ([]data.ClientSummary, error) {
	srch := parseSearch(f.Text)
	switch {
	case srch.empty() || waysForTest[how] == walkIndex:
		return s.list(ctx, walkQuery(f, srch))
	case waysForTest[how] == sortAll:
		return s.list(ctx, searchQuery(f, srch))
	}
	h, err := s.searchHits(ctx, srch, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, hitsQuery(f, h.ids))
}

// WayForTest is how FindClients would read f.
func (s *Store) WayForTest(ctx context.Context, f data.ClientFilter) (string, error) {
	w, _, err := s.chooseWay(ctx, f, parseSearch(f.Text))
	for name, v := range waysForTest {
		if v == w {
			return name, err
		}
	}
	return "", err
}
