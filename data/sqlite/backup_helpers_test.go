package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// cheapWorkFactor keeps encrypted-backup tests quick; the format is the
// same.
const cheapWorkFactor = 10

// demoEnv is a store filled with a demo clinic of n clients.
func demoEnv(t *testing.T, n int) *env {
	t.Helper()
	e := newEnv(t)
	if _, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: n, Seed: 3, Now: testNow}); err != nil {
		t.Fatalf("demo.Fill: %v", err)
	}
	return e
}

// readOnlyDB opens a database file immutable, so looking changes nothing.
func readOnlyDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: "mode=ro&immutable=1"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// dump reads every table of a database file as text, one line per row in
// the order of all its columns, so two databases can be compared table by
// table. Virtual tables are left out; their rows live in shadow tables,
// which are dumped.
func dump(t *testing.T, path string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	db := readOnlyDB(t, path)
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name`)
	if err != nil {
		t.Fatalf("listing tables of %s: %v", path, err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		out[table] = dumpTable(t, db, table)
	}
	return out
}

func dumpTable(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	ctx := context.Background()
	cols, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM "%s" LIMIT 0`, table))
	if err != nil {
		t.Fatal(err)
	}
	names, _ := cols.Columns()
	cols.Close()
	order := make([]string, len(names))
	for i := range names {
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM "%s" ORDER BY %s`, table, strings.Join(order, ", ")))
	if err != nil {
		t.Fatalf("dumping %s: %v", table, err)
	}
	defer rows.Close()
	var out []string
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%#v", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("dumping %s: %v", table, err)
	}
	return out
}

// sameTables reports the tables whose rows differ, leaving out skip.
func sameTables(t *testing.T, got, want map[string][]string, skip ...string) {
	t.Helper()
	for table, rows := range want {
		if slices.Contains(skip, table) {
			continue
		}
		if !slices.Equal(got[table], rows) {
			t.Errorf("table %s differs: %d rows, want %d", table, len(got[table]), len(rows))
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok && !slices.Contains(skip, table) {
			t.Errorf("unexpected table %s", table)
		}
	}
}

// rowCount counts a table's rows in a file, read-only.
func rowCount(t *testing.T, path, table string) int {
	t.Helper()
	var n int
	if err := readOnlyDB(t, path).QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("counting %s in %s: %v", table, path, err)
	}
	return n
}

// folderNames lists a folder's entries, sorted.
func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// closeEnv closes the env's store so its file is whole on disk, and gives
// the cleanup a spare store to close.
func (e *env) closeStore() {
	e.t.Helper()
	if err := e.st.Close(); err != nil {
		e.t.Fatal(err)
	}
	spare, err := sqlite.Open(e.ctx, filepath.Join(e.t.TempDir(), "spare.db"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.st = spare
}

// lastEvent is the newest audit event of a database file.
func lastEvent(t *testing.T, path string) data.AuditEvent {
	t.Helper()
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer st.Close()
	evs, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("audit trail of %s: %v, %d events", path, err, len(evs))
	}
	return evs[0]
}

// Set moves the clock to t.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
