package postgres_test

import (
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// asRole is the throwaway server's address of the same database for
// another role (the server trusts its socket, so no password is asked).
func asRole(t *testing.T, dbURL, role string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// roleFor is a role name of the test's own: roles belong to the whole
// server, which every test of the binary shares.
func roleFor(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return "app_" + strings.TrimPrefix(u.Path, "/")
}

// TestPgInitGivesTheAppRoleOnlyWhatItNeeds: after pg-init the app's role
// opens the clinic (which writes the settings and their audit event), but
// the server itself refuses it UPDATE, DELETE and TRUNCATE on the audit
// trail, for want of the right, not only by the trail's trigger.
func TestPgInitGivesTheAppRoleOnlyWhatItNeeds(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := roleFor(t, db)
	rep, err := postgres.Init(t.Context(), db, role)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.RoleCreated || rep.Role != role || rep.Schema != postgres.KnownVersion() || rep.Tables == 0 {
		t.Errorf("the report: %+v", rep)
	}
	app := asRole(t, db, role)
	st, err := postgres.Open(t.Context(), app)
	if err != nil {
		t.Fatalf("the app's role cannot open the clinic: %v", err)
	}
	defer st.Close()
	chain, err := st.VerifyAuditChain(t.Context())
	if err != nil || !chain.OK() || chain.Events != 1 {
		t.Errorf("the trail as the app's role sees it: %+v, %v; want the settings' one event", chain, err)
	}
	conn, err := pgx.Connect(t.Context(), app)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	for _, stmt := range []string{
		`UPDATE audit_event SET detail = 'changed' WHERE id = 1`,
		`DELETE FROM audit_event WHERE id = 1`,
		`TRUNCATE audit_event`,
		`UPDATE sheet SET sha256 = '' WHERE id = 1`,
		`DELETE FROM schema_migrations`,
		`CREATE TABLE mine (x int)`,
	} {
		_, err := conn.Exec(t.Context(), stmt)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s as the app's role: %v; want permission denied (42501)", stmt, err)
		}
	}
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM audit_event`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the app's role reads %d events, %v", n, err)
	}
}

// TestPgInitTwiceRefusesTheSecondTime: a database already set up is left
// as it is, and said so.
func TestPgInitTwiceRefusesTheSecondTime(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := roleFor(t, db)
	if _, err := postgres.Init(t.Context(), db, role); err != nil {
		t.Fatal(err)
	}
	_, err := postgres.Init(t.Context(), db, role)
	if !errors.Is(err, postgres.ErrAlreadySetUp) {
		t.Fatalf("pg-init again: %v; want ErrAlreadySetUp", err)
	}
	if msg := data.UserMessage(err); !strings.Contains(msg, "already set up") {
		t.Errorf("the message: %q", msg)
	}
}

// TestPgInitRefusesADatabaseHoldingSomethingElse names what it found and
// changes nothing: no NeedleDesk table, no role.
func TestPgInitRefusesADatabaseHoldingSomethingElse(t *testing.T) {
	db := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), `CREATE TABLE patients (id int); CREATE VIEW old_patients AS SELECT * FROM patients`); err != nil {
		t.Fatal(err)
	}
	role := roleFor(t, db)
	_, err = postgres.Init(t.Context(), db, role)
	if !errors.Is(err, postgres.ErrNotEmpty) {
		t.Fatalf("pg-init on someone else's database: %v; want ErrNotEmpty", err)
	}
	if msg := data.UserMessage(err); !strings.Contains(msg, "table patients") || !strings.Contains(msg, "view old_patients") {
		t.Errorf("the message does not name what is there: %q", msg)
	}
	var tables, roles int
	if err := conn.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'),
		(SELECT count(*) FROM pg_roles WHERE rolname = $1)`, role).Scan(&tables, &roles); err != nil {
		t.Fatal(err)
	}
	if tables != 1 || roles != 0 {
		t.Errorf("after the refusal: %d tables, %d roles named %s; want 1 and 0", tables, roles, role)
	}
}

// TestPgInitRefusesARoleWhoseRightsCannotBeLimited: the role setting up
// (the tables' owner) cannot be the app's.
func TestPgInitRefusesARoleWhoseRightsCannotBeLimited(t *testing.T) {
	db := pgtest.NewDatabase(t)
	if _, err := postgres.Init(t.Context(), db, "postgres"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("pg-init with the superuser as the app's role: %v; want ErrInvalid", err)
	}
	if _, err := postgres.Init(t.Context(), db, "Robert'); DROP"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("pg-init with a strange role name: %v; want ErrInvalid", err)
	}
}

// TestPgInitAsTheDatabasesOwner, as the README sets a server up: the
// app's role made beforehand (createuser), the database owned by an
// ordinary role (createdb --owner), which runs pg-init and may not make
// roles itself.
func TestPgInitAsTheDatabasesOwner(t *testing.T) {
	asOwner, asApp, app := ownedDatabase(t, "own_")
	_, err := postgres.Init(t.Context(), asOwner, "someone_new_"+app)
	if msg := data.UserMessage(err); !strings.Contains(msg, "may not create roles") || !strings.Contains(msg, "createuser --pwprompt") {
		t.Errorf("pg-init naming a role the owner may not make: %v", err)
	}
	rep, err := postgres.Init(t.Context(), asOwner, app)
	if err != nil {
		t.Fatal(err)
	}
	if rep.RoleCreated {
		t.Error("pg-init says it made a role that was there")
	}
	st, err := postgres.Open(t.Context(), asApp)
	if err != nil {
		t.Fatalf("the app's role cannot open the clinic: %v", err)
	}
	st.Close()
}

// ownedDatabase is a database as the README sets a server up: owned by an
// ordinary role (createdb --owner), with the app's role made beforehand
// (createuser), named prefix and the test's own base name. It returns the
// owner's address, the app role's, and the base name (the app role's).
func ownedDatabase(t *testing.T, prefix string) (owner, app, base string) {
	t.Helper()
	admin := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(t.Context(), admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	base = roleFor(t, admin)
	ownerRole, dbName := "owner_"+base, prefix+base
	for _, stmt := range []string{
		`CREATE ROLE ` + ownerRole + ` LOGIN`,
		`CREATE ROLE ` + base + ` LOGIN PASSWORD 'secret'`,
		`CREATE DATABASE ` + dbName + ` OWNER ` + ownerRole,
	} {
		if _, err := conn.Exec(t.Context(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + dbName
	return asRole(t, u.String(), ownerRole), asRole(t, u.String(), base), base
}

// TestTheAppRoleBacksTheClinicUp: the workstations back the clinic up as
// the app's role (pg_dump, as they connect), which must read every table
// and where each ID sequence stands; pg-init gave it no right on the
// sequences, and every workstation's automatic backup failed ("permission
// denied for sequence appointment_id_seq").
func TestTheAppRoleBacksTheClinicUp(t *testing.T) {
	db := pgtest.NewDatabase(t)
	role := roleFor(t, db)
	if _, err := postgres.Init(t.Context(), db, role); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(t.Context(), asRole(t, db, role))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := data.Client{GivenName: "Ines", FamilyName: "Duarte", DateOfBirth: data.NewDate(1990, 5, 4), Phone: "0123 45678"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "needledesk-2026-12-07T100000Z.dump")
	if err := st.Backup(t.Context(), data.SystemActor, dest, data.BackupOptions{}); err != nil {
		t.Fatalf("the app's role cannot back the clinic up: %v", err)
	}
	if err := st.CheckBackup(t.Context(), dest, true); err != nil {
		t.Fatalf("its backup does not check out: %v", err)
	}
}
