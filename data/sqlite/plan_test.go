package sqlite_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"needledesk/data/sqlite"
)

// queryPlan is EXPLAIN QUERY PLAN's detail column, one line per step.
func (e *env) queryPlan(q sqlite.HotQuery) []string {
	e.t.Helper()
	rows, err := e.st.ReaderForTest().QueryContext(e.ctx, "EXPLAIN QUERY PLAN "+q.SQL, q.Args...)
	if err != nil {
		e.t.Fatalf("planning %s: %v", q.SQL, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, detail)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// TestHotQueryPlans holds the statements the front desk waits for to the
// indexes that make them fast on 100,000 clients: none reads a whole
// table, each uses the index named here, and the lists read in index order
// sort nothing, so LIMIT stops them at the end of the page. The store never
// runs ANALYZE, so the planner decides the same way on a small database as
// on a large one.
//
// The walks SCAN client_by_name from its start, testing each entry, but
// stop at the end of the page: FindClients walks only when the page is
// expected to fill within a few entries a match (estimateWalk), and a
// text that matches few clients or sorts late is never walked. The name
// order is the one read of the whole name index, in the background after
// the client list changes, which no search waits for (nameOrder).
func TestHotQueryPlans(t *testing.T) {
	e := newEnv(t)
	const ordered = "no sort" // the index gives the order: no TEMP B-TREE FOR ORDER BY
	const (
		byHits      = "SEARCH k USING COVERING INDEX client_key (id=?)"
		pageRow     = "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"
		listVersion = "SEARCH client_order USING INTEGER PRIMARY KEY (rowid=?)"
	)
	want := map[string][]string{
		"client by id":                 {"SEARCH client USING INTEGER PRIMARY KEY (rowid=?)"},
		"client exists":                {"SEARCH client USING INTEGER PRIMARY KEY (rowid=?)"},
		"client sessions":              {"SEARCH s USING INDEX session_by_client (client_id=?)", ordered},
		"client session areas":         {"SEARCH session_area USING PRIMARY KEY (session_id=?)", "SEARCH session USING COVERING INDEX session_by_client (client_id=?)"},
		"client session products":      {"SEARCH r USING PRIMARY KEY (session_id=?)", "SEARCH session USING COVERING INDEX session_by_client (client_id=?)", "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"},
		"client sheets":                {"SEARCH se USING COVERING INDEX session_by_client (client_id=?)", "SEARCH sh USING INDEX sqlite_autoindex_sheet_1 (session_id=?)"},
		"latest session of clients":    {"SEARCH client USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH session USING INDEX session_by_client (client_id=?)"},
		"search hits":                  {"SCAN client_search VIRTUAL TABLE INDEX 0:M", listVersion},
		"search all matches":           {"SCAN client_search VIRTUAL TABLE INDEX 0:M", listVersion},
		"client list version":          {listVersion},
		"name order":                   {"SCAN client USING COVERING INDEX client_by_name", ordered},
		"search by hits":               {"SCAN m VIRTUAL TABLE", byHits, pageRow},
		"search by sorting all":        {"SCAN m VIRTUAL TABLE INDEX 0:M", byHits, pageRow},
		"name keys":                    {"SCAN m VIRTUAL TABLE", byHits},
		"search due back by hits":      {"SCAN m VIRTUAL TABLE", byHits, pageRow},
		"search archived by hits":      {"SCAN m VIRTUAL TABLE", byHits, pageRow},
		"client list":                  {"SCAN c USING INDEX client_by_name", ordered},
		"archived list":                {"SCAN c USING INDEX client_by_name", ordered},
		"search by walk":               {"SCAN c USING INDEX client_by_name", ordered},
		"search page 3 of 500 by walk": {"SCAN c USING INDEX client_by_name", ordered},
		"sheet session":                {"SEARCH s USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH st USING INTEGER PRIMARY KEY (rowid=?)"},
		"sheet areas":                  {"SEARCH session_area USING PRIMARY KEY (session_id=?)"}, // sorts one session's few rows
		"sheet products":               {"SEARCH r USING PRIMARY KEY (session_id=?)", "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"},
		"sheet client":                 {"SEARCH client USING INTEGER PRIMARY KEY (rowid=?)"},
		"due back":                     {"SEARCH c USING INDEX client_by_next_due (next_due>? AND next_due<?)", ordered},
		"search due back by walk":      {"SEARCH c USING INDEX client_by_next_due (next_due>? AND next_due<?)", ordered},
	}
	hot := sqlite.HotQueriesForTest()
	for _, name := range slices.Sorted(maps.Keys(hot)) {
		plan := e.queryPlan(hot[name])
		text := strings.Join(plan, "\n")
		t.Logf("%s:\n\t%s", name, strings.Join(plan, "\n\t"))
		for _, line := range plan {
			if fullScan(line) {
				t.Errorf("%s reads a whole table (%q):\n%s", name, line, text)
			}
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected plan", name)
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
	for name := range want {
		if _, ok := hot[name]; !ok {
			t.Errorf("no hot query %q", name)
		}
	}
}

// fullScan reports a plan step that reads a table from end to end: a SCAN
// that is not of an index, a virtual table (client_search, json_each) or a
// subquery's result (the page of a search).
func fullScan(step string) bool {
	if !strings.HasPrefix(step, "SCAN ") || step == "SCAN page" {
		return false
	}
	for _, ok := range []string{" USING INDEX ", " USING COVERING INDEX ", " VIRTUAL TABLE ", "SCAN (subquery"} {
		if strings.Contains(step, ok) {
			return false
		}
	}
	return true
}

// TestAuditQueryPlans holds the audit screen's filters to their indexes.
// Each reads newest first in index (or table) order and stops at the end
// of the page, except a time range alone, which reads that range from the
// time index and sorts it. A plain SCAN of audit_event is the table read
// newest first, which LIMIT stops as soon as the page is full: the page
// with no filter, and a kind of record, which matches a large share of
// the trail.
func TestAuditQueryPlans(t *testing.T) {
	e := newEnv(t)
	const ordered = "no sort"
	want := map[string][]string{
		"page":                {"SCAN audit_event", ordered},
		"page 3":              {"SCAN audit_event", ordered},
		"since a day":         {"SCAN audit_event", ordered},
		"by kind of record":   {"SCAN audit_event", ordered},
		"by actor":            {"SEARCH audit_event USING INDEX audit_event_by_actor (actor_id=?)", ordered},
		"by actor on a day":   {"SEARCH audit_event USING INDEX audit_event_by_actor (actor_id=?)", ordered},
		"by client":           {"SEARCH audit_event USING INDEX audit_event_by_client (client_id=?)", ordered},
		"by client in a week": {"SEARCH audit_event USING INDEX audit_event_by_client (client_id=?)", ordered},
		"by client, action":   {"SEARCH audit_event USING INDEX audit_event_by_client (client_id=?)", ordered},
		"by action":           {"SEARCH audit_event USING INDEX audit_event_by_action (action=?)", ordered},
		"by record":           {"SEARCH audit_event USING INDEX audit_event_by_entity (entity=? AND entity_id=?)", ordered},
		"on a day":            {"SEARCH audit_event USING INDEX audit_event_by_time (at>? AND at<?)"},
	}
	hot := sqlite.AuditQueriesForTest()
	for _, name := range slices.Sorted(maps.Keys(hot)) {
		plan := e.queryPlan(hot[name])
		text := strings.Join(plan, "\n")
		t.Logf("%s:\n\t%s", name, strings.Join(plan, "\n\t"))
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected plan", name)
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
