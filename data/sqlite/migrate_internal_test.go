package sqlite

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

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
// only the first n migrations with this build, for every n.
func TestUpgradeFromEverySchema(t *testing.T) {
	all := migrations
	t.Cleanup(func() { migrations = all })
	for n := 1; n < len(all); n++ {
		path := filepath.Join(t.TempDir(), "old.db")
		migrations = all[:n]
		st, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("schema %d: %v", n, err)
		}
		if _, err := st.w.ExecContext(t.Context(), `INSERT INTO staff (name, role) VALUES ('Ann', 'owner')`); err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		migrations = all
		st, err = Open(t.Context(), path)
		if err != nil {
			t.Fatalf("upgrading from schema %d: %v", n, err)
		}
		v, err := schemaVersion(t.Context(), st.r)
		staff, _ := st.StaffList(t.Context(), true)
		if err != nil || v != KnownVersion() || len(staff) != 1 {
			t.Errorf("from schema %d: now %d (%v), staff %v", n, v, err, staff)
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
	all := migrations
	t.Cleanup(func() { migrations = all })
	path := filepath.Join(t.TempDir(), "old.db")
	migrations = all[:4]
	st, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range [][2]string{{"Zoë", "O'Brien"}, {"芳", "王"}, {"Łukasz", "Nowak"}} {
		c := data.Client{GivenName: n[0], FamilyName: n[1], DateOfBirth: data.NewDate(1990, 1, 2), Phone: "+44 7700 900123"}
		// NeedleDesk itself: the store's role check reads columns that
		// schema 4 lacks.
		if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
			t.Fatal(err)
		}
	}
	// What schema 4's build wrote: folded "given family email", and its fold's fingerprint.
	_, err = st.w.ExecContext(t.Context(), `UPDATE client SET search_text = lower(given_name || ' ' || family_name || ' ' || email)`)
	if err == nil {
		_, err = st.w.ExecContext(t.Context(), `UPDATE store_meta SET value = 'schema 4 fold' WHERE key = 'search_fold'`)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	migrations = all
	if st, err = Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for q, want := range map[string]int{"zo": 1, "lukasz": 1, "王芳": 1, "07700 900123": 3, "o'b": 1} {
		got, err := st.FindClients(t.Context(), data.ClientFilter{Text: q})
		if err != nil || len(got) != want {
			t.Errorf("after the upgrade, %q finds %d clients (%v); want %d", q, len(got), err, want)
		}
	}
	if _, err := st.w.ExecContext(t.Context(), `INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("client_search after the upgrade: %v", err)
	}
}
