package clientlist

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"needledesk/data"
	"needledesk/data/internal/searchkeys"
)

// randomList is a list of clients with IDs 1 to n in a random order, a
// fifth of them archived, with search columns.
func randomList(rng *rand.Rand, n int, names []string) (*List, map[int64]int) {
	b := NewBuilder(1, true)
	where := map[int64]int{} // ID -> index into names
	for _, i := range rng.Perm(n) {
		id := int64(i + 1)
		name := names[rng.IntN(len(names))]
		where[id] = slices.Index(names, name)
		digits := strings.Repeat(string(rune('0'+id%10)), 3) + "44"
		b.AddSearchable(id, rng.IntN(5) == 0, []byte(searchkeys.SearchText(name, "Family", "")), []byte(digits))
	}
	return b.List(), where
}

// inOrder lists the clients of l st admits and keep says yes to, in the
// list's order: the plain way Window and Find are held to.
func inOrder(l *List, st data.ArchiveState, keep func(i int, id int64) bool) []int64 {
	var out []int64
	for i, id := range l.ids {
		if Admits(st, l.archived[i]) && keep(i, int64(id)) {
			out = append(out, int64(id))
		}
	}
	return out
}

func cut(ids []int64, offset, limit int) []int64 {
	return ids[min(offset, len(ids)):min(offset+limit, len(ids))]
}

// TestWindow picks pages of random matches from a random list of a few
// hundred clients, across the bitmap's 64-position words, and holds them
// to the plain way: filter the list in order, then cut the page.
func TestWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const clients = 300
	l, _ := randomList(rng, clients, []string{"Ann"})
	for range 500 {
		matched := map[int64]bool{}
		var list []int64
		for id := int64(1); id <= clients; id++ {
			if rng.IntN(4) == 0 {
				matched[id] = true
				list = append(list, id)
			}
		}
		st := data.ArchiveState(rng.IntN(3))
		offset, limit := rng.IntN(80), 1+rng.IntN(70)
		want := cut(inOrder(l, st, func(_ int, id int64) bool { return matched[id] }), offset, limit)
		got, ok := l.Window(each(list), st, offset, limit)
		if !ok || !slices.Equal(got, want) {
			t.Fatalf("Window(state %d, offset %d, limit %d) = %v, %v; want %v", st, offset, limit, got, ok, want)
		}
	}
	for _, unknown := range [][]int64{{1, 301}, {0}, {302, 1}, {1, -5}} {
		if got, ok := l.Window(each(unknown), data.AnyState, 0, 50); ok {
			t.Errorf("Window(%v) = %v, true: a client outside the copy", unknown, got)
		}
	}
}

func each(ids []int64) func(yield func(int64) bool) bool {
	return func(yield func(int64) bool) bool {
		for _, id := range ids {
			if !yield(id) {
				return false
			}
		}
		return true
	}
}

// TestFind holds Find to the plain way on a random list: the words of a
// query all within the search text, or its digits within the phone
// digits, in name order, a page cut from them.
func TestFind(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	names := []string{"Zoë", "Zoe", "Chloé", "Łukasz", "Иван", "王芳", "O'Brien", "Anna", "Annabel"}
	l, where := randomList(rng, 400, names)
	queries := []string{"zoe", "zo", "z", "ann", "anna", "lukasz fam", "ива", "王芳", "o'b", "br", "fam", "xyzzy", "333", "344", "44", "annabel 777"}
	for range 300 {
		q := queries[rng.IntN(len(queries))]
		s := searchkeys.Parse(q)
		st := data.ArchiveState(rng.IntN(3))
		offset, limit := rng.IntN(60), 1+rng.IntN(60)
		all := inOrder(l, st, func(i int, id int64) bool {
			name := names[where[id]]
			text := searchkeys.SearchText(name, "Family", "")
			digits := strings.Repeat(string(rune('0'+id%10)), 3) + "44"
			if len(s.Words) > 0 && !slices.ContainsFunc(s.Words, func(w string) bool { return !strings.Contains(text, w) }) {
				return true
			}
			return slices.ContainsFunc(s.Phones, func(p string) bool { return strings.Contains(digits, p) })
		})
		want := cut(all, offset, limit)
		got, ok := l.Find(s, st, offset, limit)
		if !ok || !slices.Equal(got, want) {
			t.Fatalf("Find(%q, state %d, offset %d, limit %d) = %v, %v; want %v", q, st, offset, limit, got, ok, want)
		}
	}
	if got, ok := l.Find(searchkeys.Search{Words: []string{"\xff"}}, data.AnyState, 0, 50); ok {
		t.Errorf("a query that is not UTF-8 was answered from memory: %v", got)
	}
}

// TestAListThatCannotAnswer: a list built without search columns, or
// with a client added without them, cannot Find; one with an ID beyond what it can index, or IDs far sparser than
// its clients (given by hand: the stores take the next ID), holds no
// clients and answers nothing, so the store asks the database.
func TestAListThatCannotAnswer(t *testing.T) {
	order := NewBuilder(1, false)
	order.Add(1, false)
	if _, ok := order.List().Find(searchkeys.Parse("ann"), data.AnyState, 0, 50); ok {
		t.Error("a list without search columns answered a search")
	}
	if got, ok := order.List().Window(each([]int64{1}), data.AnyState, 0, 50); !ok || !slices.Equal(got, []int64{1}) {
		t.Errorf("Window on the order alone: %v, %v", got, ok)
	}
	mixed := NewBuilder(1, true)
	mixed.AddSearchable(1, false, []byte("  ann"), nil)
	mixed.Add(2, false)
	if got, ok := mixed.List().Find(searchkeys.Parse("ann"), data.AnyState, 0, 50); ok {
		t.Errorf("a list with a client added without its search columns answered a search: %v", got)
	}
	for name, ids := range map[string][]int64{"sparse": {1, 2, 3, 1 << 20}, "too big": {1, 1 << 40}, "not positive": {0, 1}} {
		b := NewBuilder(7, true)
		for _, id := range ids {
			b.AddSearchable(id, false, []byte("  ann"), nil)
		}
		l := b.List()
		if l.Len() != 0 || l.Version() != 7 {
			t.Errorf("%s: a list of %d clients at version %d was kept", name, l.Len(), l.Version())
		}
		if _, ok := l.Find(searchkeys.Parse("ann"), data.AnyState, 0, 50); ok {
			t.Errorf("%s: Find answered", name)
		}
		if _, ok := l.Window(each(ids[:1]), data.AnyState, 0, 50); ok {
			t.Errorf("%s: Window answered", name)
		}
	}
}

// TestCacheReadsOnceAndOnlyWhenBehind: the first Current starts a
// reading and answers nil until it is in; Refresh reads again only for
// another version, one reading at a time; a failed reading keeps the copy
// there was; after Close nothing is read.
func TestCacheReadsOnceAndOnlyWhenBehind(t *testing.T) {
	var c Cache
	var reads atomic.Int32
	version := atomic.Int64{}
	release := make(chan struct{})
	fail := atomic.Bool{}
	read := func(ctx context.Context) (*List, error) {
		reads.Add(1)
		<-release
		if fail.Load() {
			return nil, errors.New("the server went away")
		}
		return NewBuilder(version.Load(), true).List(), nil
	}
	if c.Current(read) != nil {
		t.Fatal("a copy before any was read")
	}
	if c.Current(read) != nil || c.At(0) != nil {
		t.Fatal("a copy while the first is being read")
	}
	c.Refresh(5, read) // one reading at a time
	close(release)
	if l := c.Kept(); l == nil || l.Version() != 0 || reads.Load() != 1 {
		t.Fatalf("after the first reading: %v, %d readings", l, reads.Load())
	}
	if l := c.Current(read); l == nil || c.At(0) != l || c.At(1) != nil {
		t.Fatalf("the copy read: %v", l)
	}
	c.Refresh(0, read)
	if c.Kept(); reads.Load() != 1 {
		t.Errorf("a reading for the version kept: %d readings", reads.Load())
	}
	version.Store(3)
	fail.Store(true)
	c.Refresh(3, read)
	if l := c.Kept(); l == nil || l.Version() != 0 || reads.Load() != 2 {
		t.Errorf("after a failed reading: %v, %d readings", l, reads.Load())
	}
	fail.Store(false)
	c.Refresh(3, read)
	if l := c.Kept(); l == nil || l.Version() != 3 || c.At(3) != l {
		t.Errorf("after reading version 3: %v", l)
	}
	c.Close()
	c.Refresh(4, read)
	if c.Kept(); reads.Load() != 3 {
		t.Errorf("read after Close: %d readings", reads.Load())
	}
}
