package move

import "testing"

// TestRowHashesAgreeAcrossStores: the same row read from either store
// hashes the same (SQLite's 1 and PostgreSQL's true, an integer column
// of either width), and rows that differ hash differently, however the
// difference lies across columns.
func TestRowHashesAgreeAcrossStores(t *testing.T) {
	hashOf := func(rows ...[]any) string {
		h := newRowHasher()
		for _, r := range rows {
			if err := h.row(r); err != nil {
				t.Fatal(err)
			}
		}
		return h.sum()
	}
	same := [][2][]any{
		{{int64(1), "a", nil, []byte{0, 1}}, {true, "a", nil, []byte{0, 1}}},
		{{int64(0), int64(7), 0.35}, {false, int32(7), 0.35}},
	}
	for _, p := range same {
		if hashOf(p[0]) != hashOf(p[1]) {
			t.Errorf("%v and %v hash differently", p[0], p[1])
		}
	}
	differ := [][2][][]any{
		{{{"ab", "c"}}, {{"a", "bc"}}},
		{{{int64(1)}}, {{"1"}}},
		{{{nil}}, {{""}}},
		{{{"x"}, {"y"}}, {{"x", "y"}}},
		{{{[]byte("a")}}, {{"a"}}},
		{{{0.1}}, {{0.10000000000000002}}},
	}
	for _, p := range differ {
		if hashOf(p[0]...) == hashOf(p[1]...) {
			t.Errorf("%v and %v hash the same", p[0], p[1])
		}
	}
	if err := newRowHasher().row([]any{struct{}{}}); err == nil {
		t.Error("a value of an unknown type was hashed")
	}
}
