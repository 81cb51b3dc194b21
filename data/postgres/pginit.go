package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
)

// DefaultAppRole is the database role the workstations connect as,
// unless pg-init is told another.
const DefaultAppRole = "needledesk"

// ErrAlreadySetUp matches Init on a database that already holds
// NeedleDesk's tables.
var ErrAlreadySetUp = errors.New("this database is already set up for NeedleDesk")

// ErrNotEmpty matches Init on a database that holds someone else's
// tables, a move into a database that already holds records, and a
// restore into a database that holds anything (a backup is restored only
// into a new, empty one).
var ErrNotEmpty = errors.New("the database is not empty")

// InitReport says what Init did.
type InitReport struct {
	Schema      int    // the schema version created
	Tables      int    // the tables created
	Role        string // the app's role
	RoleCreated bool   // false when the role was there already
	Database    string
}

// Init sets up an empty database for NeedleDesk, as `needledesk pg-init`:
// it creates the schema (every migration) and gives the app's role,
// created when missing (LOGIN, no password: set one with psql's
// \password, or create the role beforehand with createuser --pwprompt),
// only the rights the app needs. The audit trail, kept sheets and
// sessions' earlier versions: SELECT and INSERT only; the schema's
// version: SELECT; every other table: SELECT, INSERT, UPDATE, DELETE. No
// TRUNCATE anywhere, no right to create anything. Everything happens in
// one transaction: a refusal leaves the database as it was.
//
// url names the database as its owner (or a superuser), who will own the
// tables. A database holding anything else is refused, naming what is
// there; one already set up for NeedleDesk is ErrAlreadySetUp.
func Init(ctx context.Context, url, role string) (InitReport, error) {
	rep := InitReport{Role: role}
	if err := checkRoleName(role); err != nil {
		return rep, err
	}
	conn, err := connectOne(ctx, url)
	if err != nil {
		return rep, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if migrationsErr != nil {
		return rep, migrationsErr
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return rep, describeServerError(fmt.Errorf("starting the set-up: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return rep, fmt.Errorf("starting the set-up: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT current_database()`).Scan(&rep.Database); err != nil {
		return rep, fmt.Errorf("starting the set-up: %w", err)
	}
	if err := refuseAnythingThere(ctx, tx); err != nil {
		return rep, err
	}
	if rep.RoleCreated, err = prepareRole(ctx, tx, role); err != nil {
		return rep, err
	}
	if err := createSchema(ctx, tx); err != nil {
		return rep, err
	}
	if rep.Tables, err = grantAppRights(ctx, tx, role); err != nil {
		return rep, err
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, describeServerError(fmt.Errorf("saving the set-up: %w", err))
	}
	rep.Schema = KnownVersion()
	return rep, nil
}

var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func checkRoleName(role string) error {
	if !roleName.MatchString(role) {
		return data.Explained(fmt.Errorf("the role name %q is not usable: use small letters, digits and _ (starting with a letter), such as %s: %w",
			role, DefaultAppRole, data.ErrInvalid))
	}
	return nil
}

// connectOne opens one connection to url, with the store's words for a
// server that cannot be reached or refuses the password.
func connectOne(ctx context.Context, url string) (*pgx.Conn, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("reading the database address: %w", errors.Join(data.ErrInvalid, errors.New(redactedParseError(err))))
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return nil, describeConnectError(cfg, err)
	}
	return conn, nil
}

// refuseAnythingThere refuses a database whose schema already holds
// tables, views or sequences, naming a few of them.
func refuseAnythingThere(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'view'
			WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'table' END
		FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
		ORDER BY c.relkind <> 'r', c.relname`)
	if err != nil {
		return fmt.Errorf("looking at what the database holds: %w", err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var name, kind string
		err := r.Scan(&name, &kind)
		return kind + " " + name, err
	})
	if err != nil {
		return fmt.Errorf("looking at what the database holds: %w", err)
	}
	for _, f := range found {
		if f == "table schema_migrations" {
			var v int
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
				return fmt.Errorf("reading the schema version: %w", err)
			}
			return data.Explained(fmt.Errorf("%w (schema %d): nothing was changed; NeedleDesk opens it as it is", ErrAlreadySetUp, v))
		}
	}
	if len(found) == 0 {
		return nil
	}
	shown := found[:min(len(found), 5)]
	more := ""
	if len(found) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(found)-len(shown))
	}
	return data.Explained(fmt.Errorf("%w: it holds %s%s, which are not NeedleDesk's; nothing was changed: set NeedleDesk up in a new, empty database (createdb)",
		ErrNotEmpty, strings.Join(shown, ", "), more))
}

// prepareRole makes sure the app's role exists and is one whose rights
// can be limited: not a superuser, not the database's owner, not the
// role setting up. It reports whether it created the role.
func prepareRole(ctx context.Context, tx pgx.Tx, role string) (bool, error) {
	var self string
	var exists, super, owns bool
	err := tx.QueryRow(ctx, `SELECT current_user,
		EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
		coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = $1), false),
		coalesce((SELECT d.datdba = r.oid FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = $1), false)`,
		role).Scan(&self, &exists, &super, &owns)
	if err != nil {
		return false, fmt.Errorf("looking up the role %s: %w", role, err)
	}
	switch {
	case role == self:
		return false, data.Explained(fmt.Errorf("the app's role cannot be %s, who is setting the database up and will own its tables: name another with --role: %w", role, data.ErrInvalid))
	case super:
		return false, data.Explained(fmt.Errorf("the role %s is a superuser, whose rights cannot be limited: name another with --role: %w", role, data.ErrInvalid))
	case owns:
		return false, data.Explained(fmt.Errorf("the role %s owns this database, so its rights cannot be limited: name another with --role: %w", role, data.ErrInvalid))
	case exists:
		return false, nil
	}
	_, err = tx.Exec(ctx, `CREATE ROLE `+pgx.Identifier{role}.Sanitize()+` LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION`)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return false, data.Explained(fmt.Errorf("%s may not create roles, and the role %s does not exist: create it first (sudo -u postgres createuser --pwprompt %s) and run pg-init again; nothing was changed",
			self, role, role))
	}
	if err != nil {
		return false, fmt.Errorf("creating the role %s: %w", role, err)
	}
	return true, nil
}

// createSchema runs every migration inside the set-up's transaction,
// each recorded as Open records it. The settings are not seeded: a
// clinic moved in brings its own, and Open seeds a new clinic's.
func createSchema(ctx context.Context, tx pgx.Tx) error {
	if _, err := prepareMigrations(ctx, tx); err != nil {
		return err
	}
	now := time.Now()
	for _, m := range migrations {
		if err := applyMigration(ctx, tx, m, now); err != nil {
			return err
		}
	}
	return nil
}

// keptTables are only ever added to: the app's role may read and add,
// never change or remove.
var keptTables = map[string]bool{"audit_event": true, "sheet": true, "session_version": true}

// grantAppRights gives the role what the app needs and no more, and
// returns how many tables there are.
func grantAppRights(ctx context.Context, tx pgx.Tx, role string) (int, error) {
	r := pgx.Identifier{role}.Sanitize()
	var db, schema string
	if err := tx.QueryRow(ctx, `SELECT current_database(), current_schema()`).Scan(&db, &schema); err != nil {
		return 0, fmt.Errorf("giving %s its rights: %w", role, err)
	}
	stmts := []string{
		`GRANT CONNECT ON DATABASE ` + pgx.Identifier{db}.Sanitize() + ` TO ` + r,
		`GRANT USAGE ON SCHEMA ` + pgx.Identifier{schema}.Sanitize() + ` TO ` + r,
	}
	tables, err := schemaTables(ctx, tx)
	if err != nil {
		return 0, err
	}
	for _, t := range tables {
		rights := "SELECT, INSERT, UPDATE, DELETE"
		switch {
		case keptTables[t]:
			rights = "SELECT, INSERT"
		case t == "schema_migrations":
			rights = "SELECT"
		}
		stmts = append(stmts, `GRANT `+rights+` ON TABLE `+pgx.Identifier{t}.Sanitize()+` TO `+r)
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return 0, fmt.Errorf("giving %s its rights (%s): %w", role, s, err)
		}
	}
	return len(tables), nil
}

// schemaTables names the tables in the current schema.
func schemaTables(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, fmt.Errorf("listing the tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("listing the tables: %w", err)
	}
	return names, nil
}
