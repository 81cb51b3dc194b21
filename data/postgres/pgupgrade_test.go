package postgres_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// olderSchema is where the upgrade tests start: schema 6 (the outbox, a
// new table) and 7 (the change feed, a trigger) are missing.
const olderSchema = 5

// olderServer is a database set up by pg-init as a NeedleDesk at
// olderSchema left it, owned by an ordinary role (createdb --owner) and
// opened by the app's role, as the README sets a server up. It returns
// the owner's address and the app's.
func olderServer(t *testing.T) (owner, app string) {
	t.Helper()
	owner, app, appRole := ownedDatabase(t, "old_")
	if _, err := postgres.InitAt(t.Context(), owner, appRole, olderSchema); err != nil {
		t.Fatal(err)
	}
	return owner, app
}

// schemaRows is the schema's version and what records it, as the
// server holds them.
func schemaRows(t *testing.T, db string) (version int, rows string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	err = conn.QueryRow(t.Context(), `SELECT coalesce(max(version), 0), coalesce(string_agg(version || ' ' || name || ' ' || applied_at, '; ' ORDER BY version), '')
		FROM schema_migrations`).Scan(&version, &rows)
	if err != nil {
		t.Fatal(err)
	}
	return version, rows
}

// TestAWorkstationOpeningAnOlderSchemaIsToldToUpgrade: the app's role may
// not apply the migrations, so opening is refused in plain words naming
// the command to run as the owner, and nothing on the server changes.
func TestAWorkstationOpeningAnOlderSchemaIsToldToUpgrade(t *testing.T) {
	owner, app := olderServer(t)
	_, before := schemaRows(t, owner)
	st, err := postgres.Open(t.Context(), app)
	if err == nil {
		st.Close()
		t.Fatal("the app's role opened a database at an older schema")
	}
	if !errors.Is(err, postgres.ErrSchemaOlder) || !errors.Is(err, data.ErrExplained) {
		t.Fatalf("opening as the app's role: %v; want ErrSchemaOlder, explained", err)
	}
	msg := data.UserMessage(err)
	ownerRole := strings.Split(strings.TrimPrefix(owner, "postgres://"), "@")[0]
	for _, want := range []string{"older version of NeedleDesk", "schema 5", "needs schema " + strconv.Itoa(postgres.KnownVersion()),
		"needledesk pg-init --upgrade --db postgres://" + ownerRole + "@/old_", "nothing was changed"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message does not say %q:\n%s", want, msg)
		}
	}
	version, after := schemaRows(t, owner)
	if version != olderSchema || after != before {
		t.Errorf("the schema after the refusal: %d (%s); want %d as before (%s)", version, after, olderSchema, before)
	}
	conn, err := pgx.Connect(t.Context(), owner)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var settings int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM settings`).Scan(&settings); err != nil || settings != 0 {
		t.Errorf("the refused opening wrote %d settings rows (%v)", settings, err)
	}
}

// TestTheOwnerOpeningAnOlderSchemaStillMigrates: a single-user server, or
// the owner's own workstation, brings the schema up to date on opening.
func TestTheOwnerOpeningAnOlderSchemaStillMigrates(t *testing.T) {
	owner, _ := olderServer(t)
	st, err := postgres.Open(t.Context(), owner)
	if err != nil {
		t.Fatalf("the owner cannot open the older schema: %v", err)
	}
	st.Close()
	if v, _ := schemaRows(t, owner); v != postgres.KnownVersion() {
		t.Errorf("schema %d after the owner opened it; want %d", v, postgres.KnownVersion())
	}
}

// TestPgInitUpgradeBringsTheSchemaUpAndGivesTheAppItsRights: the owner's
// upgrade applies what is missing and gives the app's role its rights on
// the new table too; the workstation then opens the clinic and writes,
// and still may not change or delete the audit trail.
func TestPgInitUpgradeBringsTheSchemaUpAndGivesTheAppItsRights(t *testing.T) {
	owner, app := olderServer(t)
	rep, err := postgres.Upgrade(t.Context(), owner, "")
	if err != nil {
		t.Fatal(err)
	}
	appRole := strings.Split(strings.TrimPrefix(app, "postgres://"), "@")[0]
	if rep.From != olderSchema || rep.To != postgres.KnownVersion() || rep.UpToDate() || rep.Role != appRole ||
		!slices.Equal(rep.NewTables, []string{"book_names", "client_order", "outbox"}) || !slices.Contains(rep.Tables, "audit_event") {
		t.Errorf("the report: %+v", rep)
	}
	if v, _ := schemaRows(t, owner); v != postgres.KnownVersion() {
		t.Errorf("schema %d after the upgrade; want %d", v, postgres.KnownVersion())
	}
	st, err := postgres.Open(t.Context(), app)
	if err != nil {
		t.Fatalf("the app's role cannot open the upgraded clinic: %v", err)
	}
	defer st.Close()
	c := data.Client{GivenName: "Ana", FamilyName: "Silva", DateOfBirth: data.NewDate(1990, 1, 1), Phone: "+44 20 7946 0001"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatalf("the app's role cannot write a client: %v", err)
	}
	conn, err := pgx.Connect(t.Context(), app)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), `DELETE FROM outbox`); err != nil {
		t.Errorf("the app's role may not use the table the upgrade added: %v", err)
	}
	for _, stmt := range []string{`UPDATE audit_event SET detail = 'changed' WHERE id = 1`, `DELETE FROM audit_event WHERE id = 1`} {
		_, err := conn.Exec(t.Context(), stmt)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s as the app's role after the upgrade: %v; want permission denied (42501)", stmt, err)
		}
	}
}

// TestAnOwnerOpeningAnOlderSchemaGivesTheWorkstationsTheirRights: the
// owner may also bring the schema up to date by opening the clinic in
// the app. The workstations' role must then be able to use what the
// migrations added as it could after pg-init --upgrade: a client saved
// at a workstation writes to client_order through its trigger, which
// was refused until this gave the role its rights again.
func TestAnOwnerOpeningAnOlderSchemaGivesTheWorkstationsTheirRights(t *testing.T) {
	owner, app := olderServer(t)
	st, err := postgres.Open(t.Context(), owner)
	if err != nil {
		t.Fatalf("the owner cannot open the older clinic: %v", err)
	}
	st.Close()
	if v, _ := schemaRows(t, owner); v != postgres.KnownVersion() {
		t.Fatalf("schema %d after the owner opened it; want %d", v, postgres.KnownVersion())
	}
	ws, err := postgres.Open(t.Context(), app)
	if err != nil {
		t.Fatalf("a workstation cannot open the clinic the owner brought up to date: %v", err)
	}
	defer ws.Close()
	c := data.Client{GivenName: "Ana", FamilyName: "Silva", DateOfBirth: data.NewDate(1990, 1, 1), Phone: "+44 20 7946 0001"}
	if err := ws.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatalf("a workstation cannot save a client after the owner's upgrade: %v", err)
	}
	conn, err := pgx.Connect(t.Context(), app)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	for _, stmt := range []string{`UPDATE audit_event SET detail = 'changed' WHERE id = 1`, `DELETE FROM audit_event WHERE id = 1`} {
		_, err := conn.Exec(t.Context(), stmt)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s as the workstations' role after the owner's upgrade: %v; want permission denied (42501)", stmt, err)
		}
	}
}

// TestPgInitUpgradeOnAnUpToDateDatabaseChangesNothing, and says so.
func TestPgInitUpgradeOnAnUpToDateDatabaseChangesNothing(t *testing.T) {
	db := pgtest.NewDatabase(t)
	if _, err := postgres.Init(t.Context(), db, roleFor(t, db)); err != nil {
		t.Fatal(err)
	}
	_, before := schemaRows(t, db)
	rep, err := postgres.Upgrade(t.Context(), db, "")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.UpToDate() || rep.From != postgres.KnownVersion() || rep.Tables != nil {
		t.Errorf("the report: %+v; want up to date, nothing granted", rep)
	}
	if _, after := schemaRows(t, db); after != before {
		t.Errorf("the schema's rows changed: %s; were %s", after, before)
	}
}

// TestPgInitUpgradeRefusesWhatItCannotUpgrade: a database that is not
// NeedleDesk's, one from a newer NeedleDesk, and the app's role asking.
func TestPgInitUpgradeRefusesWhatItCannotUpgrade(t *testing.T) {
	owner, app := olderServer(t)
	if _, err := postgres.Upgrade(t.Context(), app, ""); !errors.Is(err, postgres.ErrSchemaOlder) || !strings.Contains(data.UserMessage(err), "run pg-init --upgrade as owner_") {
		t.Errorf("upgrade as the app's role: %v", err)
	}
	if v, _ := schemaRows(t, owner); v != olderSchema {
		t.Errorf("the app's role's upgrade left schema %d", v)
	}

	other := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(t.Context(), other)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), `CREATE TABLE patients (id int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Upgrade(t.Context(), other, ""); !errors.Is(err, postgres.ErrNotSetUp) {
		t.Errorf("upgrade of someone else's database: %v; want ErrNotSetUp", err)
	}
	if _, err := conn.Exec(t.Context(), `DROP TABLE patients`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Upgrade(t.Context(), other, ""); !errors.Is(err, postgres.ErrNotSetUp) || !strings.Contains(data.UserMessage(err), "without --upgrade") {
		t.Errorf("upgrade of an empty database: %v; want ErrNotSetUp", err)
	}

	if _, err := postgres.Init(t.Context(), other, roleFor(t, other)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Upgrade(t.Context(), other, ""); !errors.Is(err, postgres.ErrNewerSchema) {
		t.Errorf("upgrade of a newer schema: %v; want ErrNewerSchema", err)
	}
}
