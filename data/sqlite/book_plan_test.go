package sqlite_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"needledesk/data/sqlite"
)

// TestBookQueryPlans holds the appointment book's statements to their
// indexes, as TestHotQueryPlans does the client list's: a busy clinic's
// day, a technician's or room's week and the check for a clash read only
// the span they ask for, in index order, and the course and its count
// come by key. No read seeks into the client table: each appointment
// keeps its client's name (migration 20).
func TestBookQueryPlans(t *testing.T) {
	e := newEnv(t)
	const ordered = "no sort"
	byKey := []string{"SEARCH co USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH b USING INDEX appointment_by_course (course_id=?)"}
	want := map[string][]string{
		"day":                   append([]string{"SEARCH a USING COVERING INDEX appointment_by_day (start_at>? AND start_at<?)", ordered}, byKey...),
		"technician's week":     append([]string{"SEARCH a USING INDEX appointment_by_technician (technician_id=? AND start_at>? AND start_at<?)", ordered}, byKey...),
		"room's week":           append([]string{"SEARCH a USING INDEX appointment_by_room (room_id=? AND start_at>? AND start_at<?)", ordered}, byKey...),
		"client's appointments": append([]string{"SEARCH a USING INDEX appointment_by_client (client_id=?)", ordered}, byKey...),
		"next appointment":      {"SEARCH a USING INDEX appointment_by_client (client_id=? AND start_at>?)", ordered},
		"course's appointments": {"SEARCH a USING INDEX appointment_by_course (course_id=?)", ordered},
		"clash by technician":   {"SEARCH a USING INDEX appointment_by_technician (technician_id=? AND start_at>? AND start_at<?)", ordered},
		"clash by room":         {"SEARCH a USING INDEX appointment_by_room (room_id=? AND start_at>? AND start_at<?)", ordered},
		"outbox due":            {"SEARCH outbox USING INDEX outbox_due (due_at>? AND due_at<?)", ordered},
		"appointment messages":  {"SEARCH outbox USING INDEX outbox_by_appointment (appointment_id=?)", ordered},
		"outbox by state":       {"SEARCH outbox USING INDEX outbox_by_state (state=?)", ordered},
	}
	hot := sqlite.BookQueriesForTest()
	for _, name := range slices.Sorted(maps.Keys(hot)) {
		plan := e.queryPlan(hot[name])
		text := strings.Join(plan, "\n")
		for _, line := range plan {
			if fullScan(line) {
				t.Errorf("%s reads a whole table (%q):\n%s", name, line, text)
			}
			if strings.Contains(line, "SEARCH c ") {
				t.Errorf("%s seeks into the client table for every appointment (%q):\n%s", name, line, text)
			}
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected plan:\n%s", name, text)
		}
		for _, step := range w {
			switch {
			case step == ordered && strings.Contains(text, "FOR ORDER BY"):
				t.Errorf("%s sorts instead of reading in index order:\n%s", name, text)
			case step != ordered && !strings.Contains(text, step):
				t.Errorf("%s does not %q:\n%s", name, step, text)
			}
		}
	}
}
