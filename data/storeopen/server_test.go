package storeopen_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storeopen"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestAServerURLOpensThePostgreSQLStore: a postgres:// value opens the
// clinic's database on the server, which has no file of its own (its
// backups are pg_dump's files, restored into a new database), and
// what is saved through one handle is found through another.
func TestAServerURLOpensThePostgreSQLStore(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := openWithClient(t, url)
	defer st.Close()
	if _, ok := st.(*postgres.Store); !ok {
		t.Fatalf("%s opened a %T", url, st)
	}
	if data.FilePath(st) != "" {
		t.Error("a store on a server names a file")
	}
	if _, ok := st.(data.FileRestorer); ok {
		t.Error("a store on a server offers to replace its file with a backup")
	}
	if _, ok := st.(data.ServerRestorer); !ok {
		t.Error("a store on a server offers no restore into a new database")
	}
	other, err := storeopen.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	found, err := other.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: "zoe"})
	if err != nil || len(found) != 1 {
		t.Errorf("the other workstation finds %v, %v; want Zoë", found, err)
	}
}

// TestAServerThatCannotBeReached: no server behind the address gives a
// plain message, not a crash, and names no password.
func TestAServerThatCannotBeReached(t *testing.T) {
	dir := t.TempDir()
	url := "postgres://needledesk:secret@/clinic?host=" + dir + "&port=5999&connect_timeout=2"
	st, err := storeopen.Open(t.Context(), url)
	if st != nil || !errors.Is(err, postgres.ErrUnreachable) {
		t.Fatalf("opening a server that is not there: %v, %v; want ErrUnreachable", st, err)
	}
	msg := data.UserMessage(err)
	if !strings.Contains(msg, "cannot be reached") || strings.Contains(msg, "secret") {
		t.Errorf("the message: %q", msg)
	}
}

// TestAWrongPasswordIsSaidPlainly: a server that asks for a password
// refuses a wrong one from ~/.pgpass (PGPASSFILE) with plain words.
func TestAWrongPasswordIsSaidPlainly(t *testing.T) {
	url := pgtest.NewDatabase(t)
	admin, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	admin.Close()
	// The throwaway server trusts its socket, so this test asks for a
	// role with a password over a connection that must give one.
	pass := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(pass, []byte("*:*:*:nobody_here:wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", pass)
	bad := strings.Replace(url, "postgres://postgres@", "postgres://nobody_here@", 1)
	st, err := storeopen.Open(t.Context(), bad)
	if st != nil || !errors.Is(err, postgres.ErrPasswordRefused) {
		t.Fatalf("a role the server does not know: %v; want ErrPasswordRefused", err)
	}
	if msg := data.UserMessage(err); strings.Contains(msg, "wrong") {
		t.Errorf("the message shows the password: %q", msg)
	}
}
