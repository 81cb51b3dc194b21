package cli

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"needledesk/data/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// serverRole is a role name of the test's own (roles belong to the whole
// throwaway server).
func serverRole(t *testing.T, db string) string {
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	return "app_" + strings.TrimPrefix(u.Path, "/")
}

// TestMovingAClinicOntoAServer, as the README tells it: pg-init sets the
// database up (and refuses a second time), move-to-postgres copies a demo
// clinic with its progress on the terminal and leaves the file as it was,
// check verifies the trail on the server with as many events as the
// file's and its records against the hashes the file recorded, and finds
// an event or a client changed there with a database tool.
func TestMovingAClinicOntoAServer(t *testing.T) {
	file := demoDB(t, "20")
	db := pgtest.NewDatabase(t)
	role := serverRole(t, db)
	code, out, errOut := runCLI(t, "pg-init", "--db", db, "--role", role)
	if code != 0 || !strings.Contains(out, "made the role "+role) {
		t.Fatalf("pg-init: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "pg-init", "--db", db, "--role", role); code != 1 || !strings.Contains(errOut, "already set up for NeedleDesk") {
		t.Errorf("pg-init again: exit %d, %s", code, errOut)
	}
	before := fileHash(t, file)
	code, out, errOut = runCLI(t, "move-to-postgres", "--from", file, "--to", db)
	if code != 0 {
		t.Fatalf("move-to-postgres: exit %d\n%s%s", code, out, errOut)
	}
	if fileHash(t, file) != before {
		t.Error("move-to-postgres changed the file")
	}
	for _, want := range []string{"copying client: 20 of 20 rows", "checking audit_event: "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the progress does not show %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "audit trail on the server: ok (") || !regexp.MustCompile(`\n  client\s+20 rows\s+[0-9a-f]{16}\n`).MatchString(out) {
		t.Errorf("move-to-postgres says:\n%s", out)
	}
	_, fileCheck, _ := runCLI(t, "check", "--db", file)
	events := regexp.MustCompile(`audit trail: ok \(\d+ events\)`).FindString(fileCheck)
	records := regexp.MustCompile(`records: [1-9]\d* clients, sessions and staff match their last recorded change\n`).FindString(fileCheck)
	code, out, errOut = runCLI(t, "check", "--db", db)
	if code != 0 || events == "" || !strings.Contains(out, events) || records == "" || !strings.Contains(out, records) {
		t.Fatalf("check on the server: exit %d\n%s%s\nwant %q and %q as the file's check says", code, out, errOut, events, records)
	}
	if code, _, errOut := runCLI(t, "move-to-postgres", "--from", file, "--to", db); code != 1 || !strings.Contains(errOut, "already holds records") {
		t.Errorf("moving again: exit %d, %s", code, errOut)
	}
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	_, err = conn.Exec(t.Context(), `ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change;
		UPDATE audit_event SET actor_id = 42 WHERE id = 5;
		ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `UPDATE client SET allergies = 'none known' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "check", "--db", db)
	if code != 1 || !strings.Contains(out, "audit trail: audit event 5 was changed") ||
		!strings.Contains(out, "problem: records: client 3 does not match its last change recorded in the audit trail") {
		t.Errorf("check on a tampered trail and client on the server: exit %d\n%s", code, out)
	}
}

func TestServerCommandsCalledWrongly(t *testing.T) {
	for _, args := range [][]string{
		{"pg-init", "--db", "clinic.db"},
		{"pg-init"},
		{"move-to-postgres", "--from", "clinic.db", "--to", "other.db"},
		{"move-to-postgres", "--to", "postgres://x@/y"},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}
