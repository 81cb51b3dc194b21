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

// WithWriteParamsForTest adds DSN parameters to the write connection, such
// as "&_pragma=max_page_count(40)" to make the disk seem full.
func WithWriteParamsForTest(params string) Option {
	return func(s *Store) { s.extraWriteParams = params }
}

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

// HotQuery is one of the statements the front desk waits for, with
// arguments to plan it with.
type HotQuery struct {
	SQL  string
	Args []any
}

// HotQueriesForTest are the statements behind search, the client list, the
// due-back list and opening a client, for TestHotQueryPlans.
func HotQueriesForTest() map[string]HotQuery {
	srch := parseSearch("zoe o'b 07700 900")
	q := map[string]HotQuery{
		"client by id":              {clientByIDSQL, []any{1}},
		"client sessions":           {clientSessionsSQL, []any{1}},
		"client session areas":      {areasSQL(clientSessionsScope), []any{1}},
		"client session products":   {recommendationsSQL(clientSessionsScope), []any{1}},
		"client sheets":             {clientSheetsSQL, []any{1}},
		"client exists":             {`SELECT 1 FROM client WHERE id = ?`, []any{1}},
		"latest session of clients": {refreshLatestSQL, []any{"[1, 2]"}},
		"search hits":               {searchHitsSQL, []any{srch.match(), sortBudget, 93}},
		"name keys":                 {nameKeysSQL, []any{"[1, 2, 3]", "[4, 5]"}},
	}
	due := data.ClientFilter{DueFrom: data.NewDate(2026, 11, 22), DueTo: data.NewDate(2026, 12, 6)}
	text := data.ClientFilter{Text: "zoe o'b 07700 900"}
	textDue := data.ClientFilter{Text: "zo", DueFrom: due.DueFrom, DueTo: due.DueTo}
	for name, st := range map[string]stmt{
		"client list":                  walkQuery(data.ClientFilter{}, search{}),
		"archived list":                walkQuery(data.ClientFilter{State: data.ArchivedOnly}, search{}),
		"due back":                     walkQuery(due, search{}),
		"search by hits":               hitsQuery(text, "[1, 2, 3]"),
		"search by sorting all":        searchQuery(text, srch),
		"search by walk":               walkQuery(text, srch),
		"search due back by hits":      hitsQuery(textDue, "[1, 2, 3]"),
		"search due back by walk":      walkQuery(textDue, parseSearch("zo")),
		"search archived by hits":      hitsQuery(data.ClientFilter{Text: "zoe", State: data.AnyState}, "[1]"),
		"search page 3 of 500 by walk": walkQuery(data.ClientFilter{Text: "a", Offset: 1000, Limit: 500}, parseSearch("a")),
	} {
		q[name] = HotQuery{st.sql, st.args}
	}
	return q
}
