package pgtest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"needledesk/data/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestEachTestGetsItsOwnDatabase: two databases on the throwaway server
// are separate, speak UTF-8 and sort text by its bytes, as SQLite does.
func TestEachTestGetsItsOwnDatabase(t *testing.T) {
	a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	if a == b {
		t.Fatalf("both tests got %s", a)
	}
	ca, err := pgx.Connect(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(t.Context())
	if _, err := ca.Exec(t.Context(), `CREATE TABLE only_here (x int)`); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(t.Context())
	var n int
	if err := cb.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the second database sees the first one's table: %d, %v", n, err)
	}
	var enc, first string
	if err := cb.QueryRow(t.Context(), `SELECT current_setting('server_encoding'),
		(SELECT x FROM unnest(ARRAY['é', 'z', 'Z']) x ORDER BY x LIMIT 1)`).Scan(&enc, &first); err != nil {
		t.Fatal(err)
	}
	if enc != "UTF8" || first != "Z" {
		t.Errorf("encoding %s, first of é z Z %q; want UTF8 and Z (byte order)", enc, first)
	}
}

// TestTheServerRunsAsItsOwnUser: as root the server runs as TestUser,
// never as root, and listens only on the socket in its own folder.
func TestTheServerRunsAsItsOwnUser(t *testing.T) {
	url := pgtest.NewDatabase(t)
	c, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(t.Context())
	var dir, listen string
	if err := c.QueryRow(t.Context(), `SELECT current_setting('data_directory'), current_setting('listen_addresses')`).Scan(&dir, &listen); err != nil {
		t.Fatal(err)
	}
	if listen != "" {
		t.Errorf("the server listens on %q; want the socket only", listen)
	}
	info, err := os.Stat(filepath.Join(dir, "PG_VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 && ownerUID(info) == 0 {
		t.Error("the test server's files belong to root")
	}
}
