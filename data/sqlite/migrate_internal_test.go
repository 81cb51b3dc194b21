package sqlite

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
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
