package rowhash

import (
	"testing"

	"needledesk/data"
)

// sessionSum hashes one session (ID 7) from its row and its children's
// rows, each kind in the order given.
func sessionSum(t *testing.T, row []any, areas, recs [][]any) string {
	t.Helper()
	r, ok := NewRows(data.EntitySession)
	if !ok {
		t.Fatal("sessions are not hashed")
	}
	if err := r.Add(0, row); err != nil {
		t.Fatal(err)
	}
	for i, rows := range [][][]any{areas, recs} {
		for _, vals := range rows {
			if err := r.Add(i+1, vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	return r.Sums()[7]
}

func sessionRow(id, passes any, nextDue any) []any {
	return []any{id, int64(3), int64(2), "2026-11-22T10:30:00.000000000Z", "Dermapen 4", "LOT-1", passes,
		"", int64(0), "", "", "", "", nextDue, "[]", "", "", "2026-11-22T12:00:00.000000000Z", "2026-11-22T12:00:00.000000000Z"}
}

// TestAValueHashesTheSameFromEitherStore: PostgreSQL's integers of
// every width and its booleans hash as SQLite's 64-bit integers do, and
// child rows hash in their order however the store handed them over.
func TestAValueHashesTheSameFromEitherStore(t *testing.T) {
	areas := [][]any{{int64(7), "forehead", 0.25, int64(1)}, {int64(7), "cheeks", 0.75, int64(0)}, {int64(7), "nose", 0.5, int64(1)}}
	recs := [][]any{{int64(7), int64(12), int64(1), int64(0)}}
	file := sessionSum(t, sessionRow(int64(7), int64(3), nil), areas, recs)
	server := sessionSum(t, sessionRow(int64(7), int32(3), nil),
		[][]any{{int64(7), "nose", 0.5, int32(1)}, {int64(7), "cheeks", 0.75, int32(0)}, {int64(7), "forehead", 0.25, int32(1)}},
		[][]any{{int64(7), int64(12), int32(1), int32(0)}})
	if file != server || len(file) != 64 {
		t.Errorf("the same session hashes %q from the file and %q from the server", file, server)
	}
	deeper := [][]any{{int64(7), "forehead", 0.3, int64(1)}, areas[1], areas[2]}
	for name, other := range map[string]string{
		"a depth":                sessionSum(t, sessionRow(int64(7), int64(3), nil), deeper, recs),
		"an area less":           sessionSum(t, sessionRow(int64(7), int64(3), nil), areas[1:], recs),
		"no recommendation":      sessionSum(t, sessionRow(int64(7), int64(3), nil), areas, nil),
		"a date where none was":  sessionSum(t, sessionRow(int64(7), int64(3), "2026-12-20"), areas, recs),
		"the passes as text '3'": sessionSum(t, sessionRow(int64(7), "3", nil), areas, recs),
	} {
		if other == file {
			t.Errorf("a session with %s changed hashes the same", name)
		}
	}
	yes := AppendValue(nil, true)
	if one := AppendValue(nil, int64(1)); string(yes) != string(one) || string(AppendValue(nil, false)) != string(AppendValue(nil, int16(0))) {
		t.Errorf("a yes encodes %x, the integer 1 %x", yes, one)
	}
}

// TestRowsRefusesWhatItCannotPlace: a row without an integer ID, or of a
// query there is not, is an error rather than a hash of something else.
func TestRowsRefusesWhatItCannotPlace(t *testing.T) {
	r, _ := NewRows(data.EntityClient)
	if err := r.Add(0, []any{"1", "Ada"}); err == nil {
		t.Error("a row whose ID is text was taken")
	}
	if err := r.Add(1, []any{int64(1), "x"}); err == nil {
		t.Error("a child row of a client was taken; clients have none")
	}
	if _, ok := NewRows(data.EntityProduct); ok {
		t.Error("products are hashed")
	}
}
