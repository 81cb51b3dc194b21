package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"needledesk/data"
	"needledesk/data/internal/searchkeys"
)

// Client list page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// FindClients lists clients matching f.
//
// Text is folded like the stored names (case and accents ignored) and
// split into words, and every word must be found in the client's given
// name, family name or e-mail (or, for a name written without a space such
// as 王芳, the name as written): a word of three or more characters
// anywhere, a shorter one at the start of a word or of a part of one after
// punctuation (o'|brien, jm_|garcia). When the text holds at least three
// digits, a client whose phone number contains those digits matches too,
// and so does one whose number contains them without a leading 0, so the
// national 07700 900123 finds +44 7700 900123. Due dates bound
// clients.next_due, both ends inclusive. The list is in name order
// (family, given, ID), or by next due date then name when a due bound is
// set. It is for anyone allowed PermClientView: a refusal is recorded
// and lists nothing.
func (s *Store) FindClients(ctx context.Context, actor int64, f data.ClientFilter) ([]data.ClientSummary, error) {
	if _, err := s.allowRead(ctx, actor, data.PermClientView, target{entity: data.EntityClient}); err != nil {
		return nil, fmt.Errorf("finding clients: %w", err)
	}
	out, err := s.findClients(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("finding clients: %w", err)
	}
	return out, nil
}

// A text search is answered one of three ways, by how many clients match
// and where they fall in name order:
//
//   - Up to sortBudget matches, the matches are taken from client_search
//     and put in name order, and only the page's clients are read.
//   - With more, when the page is likely to fill early in name order, the
//     name index is walked in order, testing each entry's search columns
//     (which the index carries) until the page is full: about a quarter of
//     a microsecond an entry.
//   - With more, when the matches are bunched late in name order (a
//     Cyrillic surname ending, in a clinic of mostly Latin names), all the
//     matches are put in name order instead: a walk would pass most of the
//     clinic first.
//
// Matches are put in order from the store's copy of the whole name order
// (clientlist.List), about a tenth of a microsecond a match, whenever that copy
// is the list the matches were found in; otherwise, while a new copy is
// read after a client was added, renamed or archived, and for a due list,
// by their entries in client_key, some 0.4 µs a match. Where the page
// fills is estimated from samples (estimateWalk). The clients screen asks
// at every keystroke, so each way has to stay within a few milliseconds on
// 100,000 clients; make bench measures them.
const (
	sortBudget = 3000
	// walkRatio is what one match costs to sort in client_key in name
	// index entries walked: a walk is chosen while it is expected to pass
	// fewer than walkRatio entries for every match there is to sort.
	walkRatio = 4.0
	// memoryWalkRatio is the same when the matches are put in order in
	// memory. A match costs less than an entry walked there (0.12 µs
	// against 0.16 to 0.19 on 100,000 clients), but estimateWalk errs on
	// the side of sorting, overestimating a short walk through dense
	// matches many times over (the first 50 of 12,000 clients with a word
	// starting with l are some 400 entries in, estimated at 8,000), so a
	// walk is kept while it is expected to pass up to one and a half
	// entries a match.
	memoryWalkRatio = 1.5
)

func (s *Store) findClients(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error) {
	srch := parseSearch(f.Text)
	how, hits, err := s.chooseWay(ctx, f, srch)
	if err != nil {
		return nil, err
	}
	switch how {
	case sortHits:
		return s.sortHits(ctx, f, hits)
	case sortAll:
		return s.sortAll(ctx, f, srch, hits.version)
	default:
		return s.list(ctx, walkQuery(f, srch))
	}
}

// sortHits puts the matches found while counting them in order.
func (s *Store) sortHits(ctx context.Context, f data.ClientFilter, h hits) ([]data.ClientSummary, error) {
	if page, ok := s.pageInMemory(f, h.version, h.ids); ok {
		return s.listPage(ctx, f, page)
	}
	return s.list(ctx, hitsQuery(f, h.ids))
}

// allMatchesSQL reads every match's ID, with the version of the client
// list they were found in.
const allMatchesSQL = `SELECT (SELECT version FROM client_order WHERE id = 1), json_group_array(rowid)
	FROM client_search WHERE client_search MATCH ?`

// sortAll finds every match again and puts them all in order. version is
// the client list's when the text was counted: unless the copy in memory
// is still that list, reading the matches' IDs for it would be wasted.
func (s *Store) sortAll(ctx context.Context, f data.ClientFilter, srch search, version int64) ([]data.ClientSummary, error) {
	if !byDue(f) && s.order.At(version) != nil {
		var matches string
		if err := s.r.QueryRowContext(ctx, allMatchesSQL, srch.match()).Scan(&version, &matches); err != nil {
			return nil, err
		}
		if page, ok := s.pageInMemory(f, version, matches); ok {
			return s.listPage(ctx, f, page)
		}
	}
	return s.list(ctx, searchQuery(f, srch))
}

// pageInMemory picks f's page of matches (a JSON array of IDs, found in
// the client list at version) from the copy of the name order, when it is
// that list. A due list is in due date order, which the copy does not
// keep.
func (s *Store) pageInMemory(f data.ClientFilter, version int64, matches string) ([]int64, bool) {
	o := s.order.At(version)
	if o == nil || byDue(f) {
		return nil, false
	}
	limit, offset := pageOf(f)
	return o.Window(idsIn(matches), f.State, offset, limit)
}

// listPage reads the clients of a page picked in memory, in the same order
// (the statement sorts the page's few clients again, by client_key).
func (s *Store) listPage(ctx context.Context, f data.ClientFilter, page []int64) ([]data.ClientSummary, error) {
	if len(page) == 0 {
		return nil, nil
	}
	ids, err := idList(page)
	if err != nil {
		return nil, err
	}
	f.Offset, f.Limit = 0, len(page)
	return s.list(ctx, hitsQuery(f, ids))
}

// way is how a list is read.
type way int

const (
	walkIndex way = iota // walk the name index (or the due index) in list order
	sortHits             // sort the matches found while counting them
	sortAll              // sort every match, found again
)

func (s *Store) chooseWay(ctx context.Context, f data.ClientFilter, srch search) (way, hits, error) {
	if srch.Empty() {
		return walkIndex, hits{}, nil
	}
	limit, offset := pageOf(f)
	h, err := s.searchHits(ctx, srch, max(sortBudget, limit+offset+1))
	if err != nil {
		return 0, h, err
	}
	s.order.Refresh(h.version, s.readNameOrder)
	switch {
	case !h.capped:
		return sortHits, h, nil
	case byDue(f): // the due dates bound the walk
		return walkIndex, h, nil
	}
	ratio := walkRatio
	if s.order.At(h.version) != nil {
		ratio = memoryWalkRatio
	}
	walk, err := s.estimateWalk(ctx, h, limit+offset, ratio)
	if walk {
		return walkIndex, h, err
	}
	return sortAll, h, err
}

// hits are a text's matches in client_search, up to a cap, in ID order.
type hits struct {
	version int64  // the client list's (client_order) when they were found
	count   int    // how many, at most the cap
	capped  bool   // the cap was reached: there may be more
	ids     string // their IDs, a JSON array
	sample  string // some of them, a JSON array: those whose ID is a multiple of a step
	last    int64  // the highest of them
	clients int64  // the highest client ID: how many clients were ever added
}

const searchHitsSQL = `SELECT (SELECT version FROM client_order WHERE id = 1),
	(SELECT coalesce(max(id), 0) FROM client), count(*), coalesce(max(rowid), 0),
	json_group_array(rowid), json_group_array(rowid) FILTER (WHERE rowid % ?3 = 0)
	FROM (SELECT rowid FROM client_search WHERE client_search MATCH ?1 LIMIT ?2)`

func (s *Store) searchHits(ctx context.Context, srch search, limit int) (hits, error) {
	var h hits
	step := max(1, limit/matchSamples)
	err := s.r.QueryRowContext(ctx, searchHitsSQL, srch.match(), limit, step).
		Scan(&h.version, &h.clients, &h.count, &h.last, &h.ids, &h.sample)
	h.capped = h.count >= limit
	return h, err
}

// matchSamples is about how many of the capped matches estimateWalk
// samples, clientSamples how many clients.
const (
	matchSamples  = 32
	clientSamples = 64
)

// estimateWalk reports whether walking the name index is expected to fill
// a window of rows sooner than sorting every match, one match costing as
// much as ratio entries walked. Client IDs follow the order clients were
// added in, which has nothing to do with their names, and clients are
// never deleted, so matches picked by ID and clients at evenly spread IDs
// are fair samples of where names fall in name order:
//
//   - the capped matches' highest ID tells how many there are in all: 3,000
//     matches among the first 30,000 IDs of 100,000 clients make 10,000;
//   - the sampled matches' names tell about where the window's last match
//     sorts;
//   - the sampled clients tell how many names sort before it, which is how
//     far the walk goes.
func (s *Store) estimateWalk(ctx context.Context, h hits, window int, ratio float64) (bool, error) {
	clientIDs := make([]int64, clientSamples)
	for i := range clientIDs {
		clientIDs[i] = 1 + int64(i)*h.clients/clientSamples
	}
	matchKeys, clientKeys, err := s.nameKeys(ctx, h.sample, clientIDs)
	if err != nil || len(matchKeys) == 0 || len(clientKeys) == 0 {
		return true, err
	}
	matches := int64(h.count) * h.clients / max(h.last, 1)
	slices.SortFunc(matchKeys, nameKey.compare)
	// The window's last match sorts about window/matches of the way through
	// the matches; one sample further on errs on the side of sorting.
	last := matchKeys[min(len(matchKeys)-1, 1+window*len(matchKeys)/int(max(matches, 1)))]
	before := 0
	for _, k := range clientKeys {
		if k.compare(last) <= 0 {
			before++
		}
	}
	walked := int64(before) * h.clients / int64(len(clientKeys))
	return float64(walked) < ratio*float64(matches), nil
}

// nameKey is where a client falls in name order.
type nameKey struct {
	family, given string
	id            int64
}

func (a nameKey) compare(b nameKey) int {
	if c := strings.Compare(a.family, b.family); c != 0 {
		return c
	}
	if c := strings.Compare(a.given, b.given); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

const nameKeysSQL = `
	SELECT 1, k.family_sort, k.given_sort, k.id
		FROM json_each(?) AS m CROSS JOIN client AS k INDEXED BY client_key ON k.id = m.value
	UNION ALL
	SELECT 0, k.family_sort, k.given_sort, k.id
		FROM json_each(?) AS m CROSS JOIN client AS k INDEXED BY client_key ON k.id = m.value`

// nameKeys reads where two lists of clients fall in name order: matches,
// a JSON array of IDs, and the clients with the IDs in others. An ID that
// names no client is left out.
func (s *Store) nameKeys(ctx context.Context, matches string, others []int64) (matchKeys, otherKeys []nameKey, err error) {
	list, err := idList(others)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.r.QueryContext(ctx, nameKeysSQL, matches, list)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k nameKey
		var match bool
		if err := rows.Scan(&match, &k.family, &k.given, &k.id); err != nil {
			return nil, nil, err
		}
		if match {
			matchKeys = append(matchKeys, k)
		} else {
			otherKeys = append(otherKeys, k)
		}
	}
	return matchKeys, otherKeys, rows.Err()
}

// stmt is a statement with its arguments.
type stmt struct {
	sql  string
	args []any
}

func (s *Store) list(ctx context.Context, q stmt) ([]data.ClientSummary, error) {
	rows, err := s.r.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.ClientSummary
	for rows.Next() {
		c, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func pageOf(f data.ClientFilter) (limit, offset int) {
	return pageLimit(f.Limit, DefaultPageSize, MaxPageSize), max(f.Offset, 0)
}

func byDue(f data.ClientFilter) bool { return !f.DueFrom.IsZero() || !f.DueTo.IsZero() }

// The statements below name their indexes rather than leave them to the
// planner: they are what the front desk waits for, and TestHotQueryPlans
// holds each to its plan. Values always travel as arguments; only fixed
// SQL fragments are joined.

const summaryColumns = `c.id, c.given_name, c.family_name, c.date_of_birth, c.phone, c.email, c.notes,
	c.last_session_at, c.next_due, c.archived_at IS NOT NULL`

// walkQuery reads a page walking the name index, or the due index for a
// due list, testing the text on the way.
func walkQuery(f data.ClientFilter, srch search) stmt {
	conds, args := filterConditions(f, "c")
	index := "client_by_name"
	if byDue(f) {
		index = "client_by_next_due"
	}
	if !srch.Empty() {
		cond, textArgs := srch.contains()
		conds = append(conds, cond)
		args = append(args, textArgs...)
	}
	limit, offset := pageOf(f)
	q := `SELECT ` + summaryColumns + ` FROM client AS c INDEXED BY ` + index +
		` WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY ` + listOrder(f, "c") + ` LIMIT ? OFFSET ?`
	return stmt{q, append(args, limit, offset)}
}

// hitsQuery reads a page of the clients whose IDs are in ids, a JSON
// array.
func hitsQuery(f data.ClientFilter, ids string) stmt {
	return matchesQuery(f, `json_each(?) AS m`, `m.value`, ids)
}

// searchQuery reads a page of the clients that match the text in
// client_search, sorting every match.
func searchQuery(f data.ClientFilter, srch search) stmt {
	return matchesQuery(f, `client_search AS m`, `m.rowid`, srch.match())
}

// matchesQuery reads a page of the clients whose IDs come from matches:
// their order and filters from client_key, then the page's rows. CROSS
// JOIN keeps the matches on the outside, so the planner cannot choose to
// walk client and look each row up in the matches instead.
func matchesQuery(f data.ClientFilter, matches, matchID string, arg any) stmt {
	conds, args := filterConditions(f, "k")
	if strings.HasPrefix(matches, "client_search") {
		conds = append([]string{`m.client_search MATCH ?`}, conds...)
	}
	limit, offset := pageOf(f)
	q := `SELECT ` + summaryColumns + ` FROM (
		SELECT k.id FROM ` + matches + ` CROSS JOIN client AS k INDEXED BY client_key ON k.id = ` + matchID + `
		WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY ` + listOrder(f, "k") + ` LIMIT ? OFFSET ?
	) AS page CROSS JOIN client AS c ON c.id = page.id ORDER BY ` + listOrder(f, "c")
	return stmt{q, append(append([]any{arg}, args...), limit, offset)}
}

// listOrder is name order, or due date then name order for a due list.
func listOrder(f data.ClientFilter, t string) string {
	order := t + `.family_sort, ` + t + `.given_sort, ` + t + `.id`
	if byDue(f) {
		order = t + `.next_due, ` + order
	}
	return order
}

// filterConditions are the archive state and the due dates, on table t.
func filterConditions(f data.ClientFilter, t string) ([]string, []any) {
	conds := []string{archiveCondition(f.State, t)}
	var args []any
	if byDue(f) {
		conds = append(conds, t+`.next_due IS NOT NULL`)
	}
	if !f.DueFrom.IsZero() {
		conds = append(conds, t+`.next_due >= ?`)
		args = append(args, f.DueFrom.String())
	}
	if !f.DueTo.IsZero() {
		conds = append(conds, t+`.next_due <= ?`)
		args = append(args, f.DueTo.String())
	}
	return conds, args
}

// archiveCondition is the archive filter in SQL; clientlist.Admits says
// the same in Go.
func archiveCondition(st data.ArchiveState, t string) string {
	switch st {
	case data.ArchivedOnly:
		return t + `.archived_at IS NOT NULL`
	case data.AnyState:
		return `1 = 1`
	default: // CurrentOnly, and anything unknown errs on the side of the front desk
		return t + `.archived_at IS NULL`
	}
}

// search is a parsed query (searchkeys.Search) with the two ways this
// store tests it, which must agree: an FTS5 query for client_search, and
// substring tests of the same patterns on the client row or the name index.
type search struct{ searchkeys.Search }

func parseSearch(text string) search { return search{searchkeys.Parse(text)} }

// match is the FTS5 query: every pattern in search_text, or any of the
// digit strings in phone_digits. Each pattern is one quoted phrase, which
// the trigram tokenizer matches as a substring; a quote inside is doubled,
// so no text can change the query's shape.
func (s search) match() string {
	var alts []string
	if len(s.Words) > 0 {
		alts = append(alts, `search_text : (`+phrases(s.Words, " AND ")+`)`)
	}
	if len(s.Phones) > 0 {
		alts = append(alts, `phone_digits : (`+phrases(s.Phones, " OR ")+`)`)
	}
	return strings.Join(alts, " OR ")
}

func phrases(ps []string, op string) string {
	quoted := make([]string, len(ps))
	for i, p := range ps {
		quoted[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(quoted, op)
}

// contains is the same test as match on the client row's own columns
// (which the name index carries), for walking an index: instr finds a
// substring exactly, as the trigram index does, and is several times
// quicker than LIKE, which would also need its wildcards escaped.
func (s search) contains() (string, []any) {
	var alts []string
	var args []any
	if len(s.Words) > 0 {
		parts := make([]string, len(s.Words))
		for i, w := range s.Words {
			parts[i] = `instr(c.search_text, ?) > 0`
			args = append(args, w)
		}
		alts = append(alts, "("+strings.Join(parts, " AND ")+")")
	}
	for _, p := range s.Phones {
		alts = append(alts, `instr(c.phone_digits, ?) > 0`)
		args = append(args, p)
	}
	return "(" + strings.Join(alts, " OR ") + ")", args
}

func scanSummary(sc scanner) (data.ClientSummary, error) {
	var c data.ClientSummary
	var dob, last, due sql.NullString
	err := sc.Scan(&c.ID, &c.GivenName, &c.FamilyName, &dob, &c.Phone, &c.Email, &c.Notes, &last, &due, &c.Archived)
	if err != nil {
		return c, err
	}
	c.GivenName, c.FamilyName, c.Notes = data.NeutralisedName(c.GivenName), data.NeutralisedName(c.FamilyName), data.Neutralised(c.Notes)
	if c.DateOfBirth, err = parseDate(dob); err != nil {
		return c, err
	}
	if c.LastSession, err = parseTime(last); err != nil {
		return c, err
	}
	c.NextDue, err = parseDate(due)
	return c, err
}
