package sqlite

import (
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
