package sqlite

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"needledesk/data"
)

func TestEachID(t *testing.T) {
	cases := []struct {
		list string
		want []int64
		all  bool
	}{
		{"[]", nil, true},
		{"[7]", []int64{7}, true},
		{"[1,22,333,9223372036854775807]", []int64{1, 22, 333, 9223372036854775807}, true},
		{"[1,-2,3]", []int64{1}, false}, // no client the copy keeps has a negative ID
		{"[1,2,3,4]", []int64{1, 2}, false},
	}
	for _, c := range cases {
		var got []int64
		all := eachID(c.list, func(id int64) bool {
			got = append(got, id)
			return id != 2 // stop at 2, as window does at an unknown client
		})
		if !slices.Equal(got, c.want) || all != c.all {
			t.Errorf("eachID(%s) took %v, all %v; want %v, %v", c.list, got, all, c.want, c.all)
		}
	}
}

// TestNameOrderWindow picks pages of random matches from a random list of
// a few hundred clients, across the bitmap's 64-position words, and holds
// them to the plain way: filter the list in order, then cut the page.
func TestNameOrderWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const clients = 300
	o := &nameOrder{version: 1, at: make([]int32, clients+2)}
	for _, id := range rng.Perm(clients) {
		o.ids = append(o.ids, int32(id+1))
		o.archived = append(o.archived, rng.IntN(5) == 0)
	}
	for i, id := range o.ids {
		o.at[id] = int32(i + 1)
	}
	for range 500 {
		matched := map[int64]bool{}
		var list []string
		for id := int64(1); id <= clients; id++ {
			if rng.IntN(4) == 0 {
				matched[id] = true
				list = append(list, strings.Repeat(" ", rng.IntN(2))+strconv.FormatInt(id, 10))
			}
		}
		matches := "[" + strings.Join(list, ",") + "]"
		st := data.ArchiveState(rng.IntN(3))
		offset, limit := rng.IntN(80), 1+rng.IntN(70)
		var want []int64
		for i, id := range o.ids {
			if matched[int64(id)] && admits(st, o.archived[i]) {
				want = append(want, int64(id))
			}
		}
		want = want[min(offset, len(want)):min(offset+limit, len(want))]
		got, ok := o.window(matches, st, offset, limit)
		if !ok || !slices.Equal(got, want) {
			t.Fatalf("window(state %d, offset %d, limit %d) = %v, %v; want %v", st, offset, limit, got, ok, want)
		}
	}
	for _, unknown := range []string{"[1,301]", "[0]", "[302,1]", "[1,-5]"} {
		if got, ok := o.window(unknown, data.AnyState, 0, 50); ok {
			t.Errorf("window(%s) = %v, true: a client outside the copy", unknown, got)
		}
	}
}

// TestNameOrderSparseIDs: a client given an ID far beyond the others (by
// hand: the store always takes the next one) would make the copy's index
// by ID huge, so no copy is kept, and search sorts in SQL, finding them
// all the same.
func TestNameOrderSparseIDs(t *testing.T) {
	ctx := t.Context()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "sparse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	clients := slices.Clone(searchClinic)
	for i := range clients {
		clients[i].DateOfBirth = data.NewDate(1990, 1, 1+i)
	}
	if err := st.ImportClients(ctx, data.SystemActor, clients); err != nil {
		t.Fatal(err)
	}
	var cols string
	err = st.w.QueryRowContext(ctx, `SELECT group_concat(name, ', ') FROM pragma_table_info('client') WHERE name <> 'id'`).Scan(&cols)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.w.ExecContext(ctx, `INSERT INTO client (id, `+cols+`) SELECT 1000000000, `+cols+` FROM client WHERE id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	o, err := readNameOrder(ctx, st.r)
	if err != nil || o.at != nil || len(o.ids) != 0 {
		t.Fatalf("a copy of %d clients indexed up to ID %d was kept (%v)", len(o.ids), len(o.at)-1, err)
	}
	f := data.ClientFilter{Text: "zoe", State: data.AnyState}
	got, err := st.FindClients(ctx, data.SystemActor, f)
	if err != nil || len(got) != 2 || got[0].ID != 1 || got[1].ID != 1000000000 {
		t.Errorf("search for the copied Zoë found %v, %v", got, err)
	}
	if _, err := st.FindClientsByForTest(ctx, f, MemoryForTest); err == nil {
		t.Error("a search was put in order from a copy that was not kept")
	}
}
