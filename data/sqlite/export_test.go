package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"needledesk/data"
)

// RecordEventForTest writes any audit event, with no role check, for tests
// that need a trail of a given shape.
func (s *Store) RecordEventForTest(ctx context.Context, e data.AuditEvent) error {
	return s.recordEvent(ctx, e)
}

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
// FindClientsByForTest reads hits and search sorting in SQL only; memory
// is every match put in order from the copy of the name order.
const (
	WalkForTest   = "walk"   // walk the name (or due) index
	HitsForTest   = "hits"   // sort the matches found while counting them
	SearchForTest = "search" // sort every match, found again
	MemoryForTest = "memory" // every match, in order from memory
)

var waysForTest = map[string]way{WalkForTest: walkIndex, HitsForTest: sortHits, SearchForTest: sortAll}

// FindClientsByForTest is FindClients read the way how says, whatever the
// text's matches. With no text, it lists as FindClients does. A due list
// cannot be put in order from memory, which has no due dates: asked to,
// it sorts the hits in SQL.
func (s *Store) FindClientsByForTest(ctx context.Context, f data.ClientFilter, how string) ([]data.ClientSummary, error) {
	srch := parseSearch(f.Text)
	switch {
	case srch.Empty() || how == WalkForTest:
		return s.list(ctx, walkQuery(f, srch))
	case how == SearchForTest:
		return s.list(ctx, searchQuery(f, srch))
	case how == MemoryForTest && !byDue(f):
		return s.findInMemoryForTest(ctx, f, srch)
	case how != HitsForTest && how != MemoryForTest:
		return nil, fmt.Errorf("no way %q", how)
	}
	h, err := s.searchHits(ctx, srch, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, hitsQuery(f, h.ids))
}

// findInMemoryForTest puts every match in order from the copy of the name
// order, reading the copy anew first unless it is the list as it stands.
func (s *Store) findInMemoryForTest(ctx context.Context, f data.ClientFilter, srch search) ([]data.ClientSummary, error) {
	var version int64
	var matches string
	if err := s.r.QueryRowContext(ctx, allMatchesSQL, srch.match()).Scan(&version, &matches); err != nil {
		return nil, err
	}
	if s.order.At(version) == nil {
		o, err := s.order.Load(ctx, s.readNameOrder)
		if err != nil {
			return nil, err
		}
		if o.Version() != version {
			return nil, fmt.Errorf("the client list changed from version %d to %d while it was read", version, o.Version())
		}
	}
	page, ok := s.pageInMemory(f, version, matches)
	if !ok {
		return nil, fmt.Errorf("the copy of the name order does not hold every match: %s", matches)
	}
	return s.listPage(ctx, f, page)
}

// NameOrderForTest waits for the copy of the name order being read, if
// any, and reports the version of the client list it was read at (-1 for
// none) and the list's version now.
func (s *Store) NameOrderForTest(ctx context.Context) (kept, now int64, err error) {
	kept = -1
	if o := s.order.Kept(); o != nil {
		kept = o.Version()
	}
	err = s.r.QueryRowContext(ctx, orderVersionSQL).Scan(&now)
	return kept, now, err
}

// ClientListForTest is NameOrderForTest, for the contract suite
// (storetest.ClientListCopy).
func (s *Store) ClientListForTest(ctx context.Context) (kept, now int64, err error) {
	return s.NameOrderForTest(ctx)
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
		"search all matches":        {allMatchesSQL, []any{srch.match()}},
		"client list version":       {orderVersionSQL, nil},
		"name order":                {nameOrderSQL, nil},
		"name keys":                 {nameKeysSQL, []any{"[1, 2, 3]", "[4, 5]"}},
		"sheet session":             {sheetSessionSQL, []any{1}},
		"sheet areas":               {sheetAreasSQL, []any{1}},
		"sheet products":            {recommendationsSQL(`= ?`), []any{1}},
		"sheet client":              {sheetClientSQL, []any{1}},
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
