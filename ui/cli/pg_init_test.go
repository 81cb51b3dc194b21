package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// TestPgInitUpgrade, as the README tells it: on a server an older
// NeedleDesk set up (here, the newest migration, the day view's count of
// name changes, undone by hand), pg-init --upgrade as the owner says what it did and gives the
// app's role its rights again; run again, it says there is nothing to do.
func TestPgInitUpgrade(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := serverRole(t, db)
	if code, out, errOut := runCLI(t, "pg-init", "--db", db, "--role", role); code != 0 {
		t.Fatalf("pg-init: exit %d\n%s%s", code, out, errOut)
	}
	known := postgres.KnownVersion()
	want := fmt.Sprintf("already up to date for this NeedleDesk (schema %d): nothing was changed", known)
	if code, out, errOut := runCLI(t, "pg-init", "--upgrade", "--db", db); code != 0 || !strings.Contains(out, want) {
		t.Errorf("pg-init --upgrade on a new database: exit %d\n%s%s", code, out, errOut)
	}

	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), `DROP TRIGGER book_names_staff ON staff; DROP TRIGGER book_names_room ON room;
		DROP TRIGGER book_names_treatment ON treatment_type; DROP FUNCTION book_names_changed(); DROP TABLE book_names;
		DELETE FROM schema_migrations WHERE version = `+fmt.Sprint(known)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "pg-init", "--upgrade", "--db", db)
	if code != 0 {
		t.Fatalf("pg-init --upgrade: exit %d\n%s%s", code, out, errOut)
	}
	for _, w := range []string{fmt.Sprintf("from schema %d to schema %d", known-1, known), "gave " + role + " its rights again on ",
		"audit_event", "never change, delete or empty the audit trail"} {
		if !strings.Contains(out, w) {
			t.Errorf("pg-init --upgrade does not say %q:\n%s", w, out)
		}
	}
	var v int
	if err := conn.QueryRow(t.Context(), `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil || v != known {
		t.Errorf("schema %d after the upgrade (%v); want %d", v, err, known)
	}
	if code, out, _ := runCLI(t, "pg-init", "--upgrade", "--db", db); code != 0 || !strings.Contains(out, want) {
		t.Errorf("pg-init --upgrade again: exit %d\n%s", code, out)
	}
}
