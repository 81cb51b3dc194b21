package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/bits"
	"sync"

	"needledesk/data"
)

// nameOrder is the whole client list in name order (family_sort,
// given_sort, id, as listOrder sorts it), copied into memory so that a
// search can put thousands of matches in order without looking each one
// up in the database. That lookup, one client_key entry per match, was
// most of the time of a search whose matches all sort late (a Cyrillic
// surname ending in a clinic of mostly Latin names): about 0.4 µs a match,
// against some 0.1 µs to read a match's ID from client_search and place it
// here.
//
// The copy belongs to the list as it stood at version (the client_order
// table, migration 8), and is used only by a search that read that same
// version in the same statement as its matches; any other search sorts in
// SQL, as it always did.
type nameOrder struct {
	version  int64
	ids      []int32 // client IDs in name order (at most the clients' number plus sparseIDs: see readNameOrder)
	archived []bool  // archived[i]: client ids[i] is archived
	at       []int32 // at[id]: 1 + where client id is in ids; 0 when there is no such client
}

// sparseIDs bounds how far client IDs may outrun the number of clients
// before the copy is not kept: at is indexed by ID. Clients get the next
// free ID (nextID), so it is only ever reached by hand-made IDs.
const sparseIDs = 1 << 16

const (
	orderVersionSQL = `SELECT version FROM client_order WHERE id = 1`
	// nameOrderSQL reads the whole name index, in the background (see
	// orderCache): no search waits for it.
	nameOrderSQL = `SELECT id, archived_at IS NOT NULL FROM client INDEXED BY client_by_name
		ORDER BY family_sort, given_sort, id`
)

// readNameOrder copies the client list, in one read transaction so that
// the version is the list's. A list with IDs too sparse to index is
// returned without its entries, which window never uses.
func readNameOrder(ctx context.Context, db *sql.DB) (*nameOrder, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	o := &nameOrder{}
	if err := tx.QueryRowContext(ctx, orderVersionSQL).Scan(&o.version); err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	rows, err := tx.QueryContext(ctx, nameOrderSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	defer rows.Close()
	var top int64
	for rows.Next() {
		var id int64
		var archived bool
		if err := rows.Scan(&id, &archived); err != nil {
			return nil, fmt.Errorf("reading the client list's order: %w", err)
		}
		top = max(top, id)
		if id < 1 || id > math.MaxInt32 { // beyond what sparseIDs lets through below

			return &nameOrder{version: o.version}, nil
		}
		o.ids = append(o.ids, int32(id))
		o.archived = append(o.archived, archived)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the client list's order: %w", err)
	}
	if top > int64(len(o.ids))+sparseIDs {
		return &nameOrder{version: o.version}, nil
	}
	o.at = make([]int32, top+1)
	for i, id := range o.ids {
		o.at[id] = int32(i + 1)
	}
	return o, nil
}

// window lists the clients among matches, a JSON array of client IDs, that
// st admits, in name order, from offset on and at most limit of them. It
// reports false when a match is not in the copy, which then cannot be the
// list the matches came from.
//
// The matches are marked in a bitmap of the list's positions and the
// marks read in order: no sorting, whatever their number.
func (o *nameOrder) window(matches string, st data.ArchiveState, offset, limit int) ([]int64, bool) {
	if o.at == nil {
		return nil, false
	}
	marks := make([]uint64, (len(o.ids)+63)/64)
	known := eachID(matches, func(id int64) bool {
		if id >= int64(len(o.at)) || o.at[id] == 0 {
			return false
		}
		p := o.at[id] - 1
		if admits(st, o.archived[p]) {
			marks[p/64] |= 1 << (p % 64)
		}
		return true
	})
	if !known {
		return nil, false
	}
	var page []int64
	for w, word := range marks {
		if n := bits.OnesCount64(word); offset >= n {
			offset -= n
			continue
		}
		for ; word != 0 && len(page) < limit; word &= word - 1 {
			if offset > 0 {
				offset--
				continue
			}
			page = append(page, int64(o.ids[w*64+bits.TrailingZeros64(word)]))
		}
		if len(page) == limit {
			break
		}
	}
	return page, true
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

// orderCache keeps a Store's copy of the name order, and reads a new one
// in the background when a search finds the list has changed since: at
// the first search, and at the first after a client is added, renamed or
// archived. Reading 100,000 clients takes some tens of milliseconds, which
// no search waits for; until the new copy is in, searches sort in SQL.
type orderCache struct {
	mu      sync.Mutex
	order   *nameOrder
	reading bool               // a new copy is being read
	closed  bool               // the store is closing: read no more
	stop    context.CancelFunc // ends the reading under way
	done    sync.WaitGroup     // the reading under way
}

// at returns the copy when it is the list at version, else nil.
func (c *orderCache) at(version int64) *nameOrder {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.order != nil && c.order.version == version {
		return c.order
	}
	return nil
}

// refresh starts reading a new copy from db when the one kept is not the
// list at version (a search has just read it) and none is being read.
func (c *orderCache) refresh(db *sql.DB, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.reading || (c.order != nil && c.order.version == version) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.reading, c.stop = true, cancel
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		defer cancel()
		o, err := readNameOrder(ctx, db)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.reading = false
		// A failed reading (the store closing, the disk) leaves the old
		// copy, which searches only use while it fits; the next search
		// tries again.
		if err == nil {
			c.order = o
		}
	}()
}

// close stops the reading under way, if any, and waits for it, so that
// no query runs on the pools once the store has closed them.
func (c *orderCache) close() {
	c.mu.Lock()
	c.closed = true
	if c.stop != nil {
		c.stop()
	}
	c.mu.Unlock()
	c.done.Wait()
}
