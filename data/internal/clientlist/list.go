// Package clientlist is a store's copy of the whole client list in name
// order (family_sort, given_sort, id: the order both stores list clients
// in), held in memory so that a search with thousands of matches does not
// have the database put them all in order. Both stores keep one:
//
//   - data/sqlite finds the matches with its FTS5 index and puts them in
//     order here (Window), about a tenth of a microsecond a match;
//   - data/postgres also keeps each client's search columns and finds the
//     matches here (Find): its trigram index cannot answer every text (no
//     trigram at all in "o'b", nor, on a server in the C locale, in
//     Cyrillic or Chinese), and where it can, checking each of thousands
//     of candidates in the table is what takes the time.
//
// A copy belongs to the list as it stood at a version: a count kept in the
// database (the client_order table, kept by triggers) that goes up, in the
// same transaction, with every change that could make the copy wrong,
// whoever makes it. A store uses a copy only for an answer that it checks
// against the version read in the same statement; otherwise it asks the
// database, as it always could. No SQL here: each store reads its list
// (Builder) and its version itself.
package clientlist

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"needledesk/data"
	"needledesk/data/internal/searchkeys"
)

// List is the client list at one version, in name order.
type List struct {
	version  int64
	ids      []int32 // client IDs in name order; none when the list is not usable (see Builder)
	archived []bool  // archived[i]: client ids[i] is archived
	at       []int32 // at[id]: 1 + where client id is in ids; 0 when there is no such client

	// The search columns, for Find, when the list was built with them:
	// client ids[i]'s search text is texts[textEnd[i-1]:textEnd[i]]
	// (from 0 for the first), its phone digits likewise in phones; their
	// signatures (signature.go) are textSigs[i] and phoneSigs[i].
	searchable        bool
	texts, phones     string
	textEnd, phoneEnd []uint32
	textSigs          []textSig
	phoneSigs         []phoneSig
}

// Version is the version of the client list the copy is.
func (l *List) Version() int64 { return l.version }

// Len is how many clients the copy holds: none when it is not usable.
func (l *List) Len() int { return len(l.ids) }

// sparseIDs bounds how far client IDs may outrun the number of clients
// before a copy is not kept: at is indexed by ID. Both stores give a new
// client the next ID, so it is only ever reached by IDs given by hand.
const sparseIDs = 1 << 16

// Builder makes a List from the clients in name order, one at a time.
type Builder struct {
	l             List
	top           int64
	unusable      bool
	texts, phones strings.Builder
}

// NewBuilder starts the list at version; with search, it keeps each
// client's search columns too (AddSearchable), for Find.
func NewBuilder(version int64, search bool) *Builder {
	return &Builder{l: List{version: version, searchable: search}}
}

// Grow makes room for clients more clients, with textBytes of search
// text and phoneBytes of phone digits in all, so that the list is not
// copied again and again as it grows: on 100,000 clients that copying
// (into new memory, which the system hands over a page at a time) took
// longer than reading them.
func (b *Builder) Grow(clients, textBytes, phoneBytes int) {
	b.l.ids = slices.Grow(b.l.ids, clients)
	b.l.archived = slices.Grow(b.l.archived, clients)
	if b.l.searchable {
		b.texts.Grow(textBytes)
		b.phones.Grow(phoneBytes)
		b.l.textEnd = slices.Grow(b.l.textEnd, clients)
		b.l.phoneEnd = slices.Grow(b.l.phoneEnd, clients)
		b.l.textSigs = slices.Grow(b.l.textSigs, clients)
		b.l.phoneSigs = slices.Grow(b.l.phoneSigs, clients)
	}
}

// Add adds the next client in name order.
func (b *Builder) Add(id int64, archived bool) {
	if b.unusable {
		return
	}
	if id < 1 || id > math.MaxInt32 { // no copy then: at could not hold it
		b.unusable = true
		return
	}
	b.top = max(b.top, id)
	b.l.ids = append(b.l.ids, int32(id))
	b.l.archived = append(b.l.archived, archived)
}

// AddSearchable adds the next client in name order with its search text
// and phone digits, as the client table holds them.
func (b *Builder) AddSearchable(id int64, archived bool, text, phones []byte) {
	b.Add(id, archived)
	if b.unusable || !b.l.searchable {
		return
	}
	b.texts.Write(text)
	b.phones.Write(phones)
	if uint64(b.texts.Len()) > math.MaxUint32 || uint64(b.phones.Len()) > math.MaxUint32 {
		b.unusable = true
		return
	}
	b.l.textEnd = append(b.l.textEnd, uint32(b.texts.Len()))
	b.l.phoneEnd = append(b.l.phoneEnd, uint32(b.phones.Len()))
	b.l.textSigs = append(b.l.textSigs, textSigOf(text))
	b.l.phoneSigs = append(b.l.phoneSigs, phoneSigOf(phones))
}

// List is the list built. One with an ID out of range, or with IDs too
// sparse to index, holds no clients: Window and Find report it cannot
// answer, and the store asks the database.
func (b *Builder) List() *List {
	l := b.l
	if b.unusable || b.top > int64(len(l.ids))+sparseIDs {
		return &List{version: l.version}
	}
	// A client added without its search columns leaves the list to
	// Window alone.
	l.searchable = l.searchable && len(l.textEnd) == len(l.ids)
	l.at = make([]int32, b.top+1)
	for i, id := range l.ids {
		l.at[id] = int32(i + 1)
	}
	if l.searchable {
		l.texts, l.phones = b.texts.String(), b.phones.String()
	}
	return &l
}

// Window lists the clients among matches that st admits, in name order,
// from offset on and at most limit of them. matches calls its argument
// with each match's ID until it returns false, and reports whether every
// match was taken. Window reports false when a match is not in the copy,
// which then cannot be the list the matches came from.
//
// The matches are marked in a bitmap of the list's positions and the
// marks read in order: no sorting, whatever their number.
func (l *List) Window(matches func(yield func(id int64) bool) bool, st data.ArchiveState, offset, limit int) ([]int64, bool) {
	if l.at == nil {
		return nil, false
	}
	marks := make([]uint64, (len(l.ids)+63)/64)
	known := matches(func(id int64) bool {
		if id < 0 || id >= int64(len(l.at)) || l.at[id] == 0 {
			return false
		}
		p := l.at[id] - 1
		if Admits(st, l.archived[p]) {
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
			page = append(page, int64(l.ids[w*64+bits.TrailingZeros64(word)]))
		}
		if len(page) == limit {
			break
		}
	}
	return page, true
}

// Find lists the clients that match s and that st admits, in name order,
// from offset on and at most limit of them, testing each client in turn
// until the page is full. A client matches as the stores' queries test
// it: every word of s within its search text, or any of the phone digits
// of s within its phone digits; both are substrings by their bytes, as
// LIKE '%…%' under COLLATE "C" and FTS5's trigram index find them. Most
// clients are ruled out by their signatures, without a substring test.
// Find reports false for a list built without search columns or not
// usable, and for a query that is not valid UTF-8 (which the server
// refuses), so the store asks the database instead.
func (l *List) Find(s searchkeys.Search, st data.ArchiveState, offset, limit int) ([]int64, bool) {
	if !l.searchable || l.at == nil || !validUTF8(s) {
		return nil, false
	}
	q := newQuery(s)
	var page []int64
	for i, id := range l.ids {
		if !Admits(st, l.archived[i]) || !q.matches(l, i) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if page = append(page, int64(id)); len(page) >= limit {
			break
		}
	}
	return page, true
}

// query is a search made ready for Find: its patterns with their
// signatures.
type query struct {
	words     []string
	wordsSig  textSig // every word's runs
	phones    []string
	phoneSigs []phoneSig
}

func newQuery(s searchkeys.Search) query {
	q := query{words: s.Words, phones: s.Phones}
	for _, w := range s.Words {
		sig := textSigOf(w)
		for k := range q.wordsSig {
			q.wordsSig[k] |= sig[k]
		}
	}
	for _, p := range s.Phones {
		q.phoneSigs = append(q.phoneSigs, phoneSigOf(p))
	}
	return q
}

// matches is the stores' text test in Go (see Find), on client i of l.
func (q *query) matches(l *List, i int) bool {
	if len(q.words) > 0 && l.textSigs[i].holds(&q.wordsSig) {
		text := l.texts[start(l.textEnd, i):l.textEnd[i]]
		all := true
		for _, w := range q.words {
			if !strings.Contains(text, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	for k, p := range q.phones {
		if l.phoneSigs[i].holds(q.phoneSigs[k]) && strings.Contains(l.phones[start(l.phoneEnd, i):l.phoneEnd[i]], p) {
			return true
		}
	}
	return false
}

// start is where entry i of a column whose ends are end starts.
func start(end []uint32, i int) uint32 {
	if i == 0 {
		return 0
	}
	return end[i-1]
}

func validUTF8(s searchkeys.Search) bool {
	for _, ps := range [][]string{s.Words, s.Phones} {
		for _, p := range ps {
			if !utf8.ValidString(p) {
				return false
			}
		}
	}
	return true
}

// Admits is the archive filter, in Go: the stores' SQL says the same
// (archived_at IS NULL for current clients, the default).
func Admits(st data.ArchiveState, archived bool) bool {
	switch st {
	case data.ArchivedOnly:
		return archived
	case data.AnyState:
		return true
	default: // CurrentOnly, and anything unknown errs on the side of the front desk
		return !archived
	}
}
