package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"needledesk/data"
)

func TestEmbeddedMigrationsLoad(t *testing.T) {
	if migrationsErr != nil {
		t.Fatal(migrationsErr)
	}
	if KnownVersion() < 1 || migrations[0].name != "init" {
		t.Errorf("migrations: %+v", migrations)
	}
}

func TestLoadMigrationsRefusesBadSets(t *testing.T) {
	cases := map[string]fstest.MapFS{
		"gap":        {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"duplicate":  {"migrations/0001_a.sql": {}, "migrations/001_b.sql": {}},
		"bad name":   {"migrations/init.sql": {}},
		"zero":       {"migrations/0000_zero.sql": {}},
		"not number": {"migrations/x1_a.sql": {}},
	}
	for name, fsys := range cases {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ms, err := loadMigrations(fstest.MapFS{
		"migrations/0002_more.sql": {Data: []byte("B")}, "migrations/0001_first_one.sql": {Data: []byte("A")},
	})
	if err != nil || len(ms) != 2 || ms[0].name != "first_one" || ms[1].sql != "B" {
		t.Errorf("loadMigrations = %+v, %v", ms, err)
	}
}

func TestFileURIEscapes(t *testing.T) {
	uri, err := fileURI("/tmp/Clinic #2/50% off?.db")
	if err != nil {
		t.Fatal(err)
	}
	if want := "file:///tmp/Clinic%20%232/50%25%20off%3F.db"; runtime.GOOS != "windows" && uri != want {
		t.Errorf("fileURI = %q; want %q", uri, want)
	}
	if strings.ContainsAny(strings.TrimPrefix(uri, "file:"), "?#") {
		t.Errorf("fileURI = %q leaves ? or # unescaped", uri)
	}
}

// TestUpgradeFromEverySchema opens a database made by a build that knew
// only the first n migrations with this build, for every n, and finds its
// staff and an intact audit trail.
func TestUpgradeFromEverySchema(t *testing.T) {
	for n := 1; n < len(migrations); n++ {
		path := filepath.Join(t.TempDir(), "old.db")
		db := OldDatabaseForTest(t, path, n)
		if _, err := db.ExecContext(t.Context(), `INSERT INTO staff (id, name, role) VALUES (1, 'Ann', 'owner')`); err != nil {
			t.Fatal(err)
		}
		if err := AddOldAuditForTest(t.Context(), db, time.Now(), 0, data.ActionCreate, data.EntityStaff, 1); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		st, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("upgrading from schema %d: %v", n, err)
		}
		v, err := schemaVersion(t.Context(), st.r)
		staff, _ := st.StaffList(t.Context(), data.SystemActor, true)
		if err != nil || v != KnownVersion() || len(staff) != 1 {
			t.Errorf("from schema %d: now %d (%v), staff %v", n, v, err, staff)
		}
		if rep, err := st.VerifyAuditChain(t.Context()); err != nil || !rep.OK() || rep.Events != 2 {
			t.Errorf("from schema %d: audit trail %+v, %v; want 2 events intact", n, rep, err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUpgradeToSearchIndex: a database from before the search index
// (schema 4), with search text laid out the old way, comes out of Open
// with every client findable and the index in step with the table.
func TestUpgradeToSearchIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := OldDatabaseForTest(t, path, 4)
	// What schema 4's build wrote: folded "given family email", and its fold's fingerprint.
	for _, n := range [][2]string{{"Zoë", "O'Brien"}, {"芳", "王"}, {"Łukasz", "Nowak"}} {
		_, err := db.ExecContext(t.Context(), `INSERT INTO client (given_name, family_name, date_of_birth, phone,
			created_at, updated_at, family_sort, given_sort, search_text, phone_digits)
			VALUES (?1, ?2, '1990-01-02', '+44 7700 900123', 'x', 'x', lower(?2), lower(?1), lower(?1 || ' ' || ?2 || ' '), '447700900123')`,
			n[0], n[1])
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(t.Context(), `INSERT INTO store_meta (key, value) VALUES ('search_fold', 'schema 4 fold')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for q, want := range map[string]int{"zo": 1, "lukasz": 1, "王芳": 1, "07700 900123": 3, "o'b": 1} {
		got, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: q})
		if err != nil || len(got) != want {
			t.Errorf("after the upgrade, %q finds %d clients (%v); want %d", q, len(got), err, want)
		}
	}
	if _, err := st.w.ExecContext(t.Context(), `INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("client_search after the upgrade: %v", err)
	}
}

func TestMigrationGoSteps(t *testing.T) {
	if _, err := loadMigrations(fstest.MapFS{"migrations/0001_a.sql": {Data: []byte("SELECT 1;\n-- go: no_such_step\nSELECT 2;")}}); err == nil {
		t.Error("a migration naming a Go step that does not exist was loaded")
	}
	var seen []int
	goSteps["test_step"] = func(ctx context.Context, tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n)
		seen = append(seen, n)
		return err
	}
	t.Cleanup(func() { delete(goSteps, "test_step") })
	m := migration{version: 1, name: "steps", sql: "CREATE TABLE t (x);\nINSERT INTO t VALUES (1);\n-- go: test_step\n" +
		"INSERT INTO t VALUES (2);\n-- go: test_step\n-- nothing after the last step but a comment\n"}
	if err := checkGoSteps(m); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "steps.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := prepareMigrations(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	if err := applyMigration(t.Context(), db, m, time.Now()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []int{1, 2}) {
		t.Errorf("the steps saw %v rows; want 1 then 2: each runs where its line stands", seen)
	}

	// A failing step rolls the whole migration back.
	goSteps["test_step"] = func(context.Context, *sql.Tx) error { return errors.New("step failed") }
	m2 := migration{version: 2, name: "fails", sql: "CREATE TABLE u (x);\n-- go: test_step\n"}
	if err := applyMigration(t.Context(), db, m2, time.Now()); err == nil || !strings.Contains(err.Error(), "step failed") {
		t.Errorf("a failing step: %v", err)
	}
	if ok, err := rowExists(t.Context(), db, `SELECT 1 FROM sqlite_schema WHERE name = 'u'`); err != nil || ok {
		t.Errorf("after a failed step the table is there (%v, %v)", ok, err)
	}
}
