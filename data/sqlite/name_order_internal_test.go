package sqlite

import (
	"path/filepath"
	"slices"
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
	if err != nil || o.Len() != 0 {
		t.Fatalf("a copy of %d clients was kept (%v)", o.Len(), err)
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
