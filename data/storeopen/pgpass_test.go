package storeopen_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data/storeopen"
)

// TestASavedPasswordIsTheOneFound: a password kept for a server goes in
// PGPASSFILE with mode 0600, ahead of what was there, replacing the line
// for the same server, database and user, and is the one the store's
// driver then finds, colons and backslashes included.
func TestASavedPasswordIsTheOneFound(t *testing.T) {
	pass := filepath.Join(t.TempDir(), "pgpass")
	t.Setenv("PGPASSFILE", pass)
	url := "postgres://desk@clinic-server/clinic?sslmode=verify-full"
	if storeopen.PasswordKnown(url) {
		t.Fatal("a password is known before any was kept")
	}
	if err := os.WriteFile(pass, []byte("clinic-server:5432:clinic:desk:old\n*:*:*:other:kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const pw = `a:b\c d`
	if err := storeopen.SavePassword(url, pw); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgconn.ParseConfig(url)
	if err != nil || cfg.Password != pw {
		t.Errorf("the driver finds the password %q, %v; want %q", cfg.Password, err, pw)
	}
	b, _ := os.ReadFile(pass)
	if want := "clinic-server:5432:clinic:desk:a\\:b\\\\c d\n*:*:*:other:kept\n"; string(b) != want {
		t.Errorf("the file reads %q; want %q", b, want)
	}
	if fi, err := os.Stat(pass); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the file's mode: %v, %v; want 0600", fi.Mode(), err)
	}
}
