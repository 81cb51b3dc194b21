package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	return initAt(ctx, url, role, KnownVersion())
}

// initAt is Init creating the schema only up to version schema (tests set
// a database up as an older NeedleDesk did).
func initAt(ctx context.Context, url, role string, schema int) (InitReport, error) {
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
	if err := createSchema(ctx, tx, schema); err != nil {
		return rep, err
	}
	tables, err := grantAppRights(ctx, tx, role)
	if err != nil {
		return rep, err
	}
	rep.Tables = len(tables)
	if err := tx.Commit(ctx); err != nil {
		return rep, describeServerError(fmt.Errorf("saving the set-up: %w", err))
	}
	rep.Schema = schema
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
	self, exists, err := checkAppRole(ctx, tx, role)
	if err != nil || exists {
		return false, err
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

// checkAppRole refuses a role whose rights cannot be limited (the one
// setting up, a superuser, the database's owner) and reports whether it
// exists, and who is setting up.
func checkAppRole(ctx context.Context, tx pgx.Tx, role string) (self string, exists bool, err error) {
	var super, owns bool
	err = tx.QueryRow(ctx, `SELECT current_user,
		EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
		coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = $1), false),
		coalesce((SELECT d.datdba = r.oid FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = $1), false)`,
		role).Scan(&self, &exists, &super, &owns)
	if err != nil {
		return "", false, fmt.Errorf("looking up the role %s: %w", role, err)
	}
	switch {
	case role == self:
		return self, false, data.Explained(fmt.Errorf("the app's role cannot be %s, who is setting the database up and will own its tables: name another with --role: %w", role, data.ErrInvalid))
	case super:
		return self, false, data.Explained(fmt.Errorf("the role %s is a superuser, whose rights cannot be limited: name another with --role: %w", role, data.ErrInvalid))
	case owns:
		return self, false, data.Explained(fmt.Errorf("the role %s owns this database, so its rights cannot be limited: name another with --role: %w", role, data.ErrInvalid))
	}
	return self, exists, nil
}

// createSchema runs the migrations up to schema inside the set-up's
// transaction, each recorded as Open records it. The settings are not
// seeded: a clinic moved in brings its own, and Open seeds a new clinic's.
func createSchema(ctx context.Context, tx pgx.Tx, schema int) error {
	if _, err := prepareMigrations(ctx, tx); err != nil {
		return err
	}
	now := time.Now()
	for _, m := range migrations[:schema] {
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
// returns the tables it gave rights on (every table there is).
func grantAppRights(ctx context.Context, tx pgx.Tx, role string) ([]string, error) {
	r := pgx.Identifier{role}.Sanitize()
	var db, schema string
	if err := tx.QueryRow(ctx, `SELECT current_database(), current_schema()`).Scan(&db, &schema); err != nil {
		return nil, fmt.Errorf("giving %s its rights: %w", role, err)
	}
	stmts := []string{
		`GRANT CONNECT ON DATABASE ` + pgx.Identifier{db}.Sanitize() + ` TO ` + r,
		`GRANT USAGE ON SCHEMA ` + pgx.Identifier{schema}.Sanitize() + ` TO ` + r,
	}
	tables, err := schemaTables(ctx, tx)
	if err != nil {
		return nil, err
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
	// pg_dump, which makes the server's backups as this role, reads where
	// each ID sequence stands; SELECT lets it read them, not move them.
	stmts = append(stmts, `GRANT SELECT ON ALL SEQUENCES IN SCHEMA `+pgx.Identifier{schema}.Sanitize()+` TO `+r)
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return nil, fmt.Errorf("giving %s its rights (%s): %w", role, s, err)
		}
	}
	return tables, nil
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

// ErrNotSetUp matches Upgrade on a database that holds no NeedleDesk
// records: an empty one (set it up with Init) or someone else's.
var ErrNotSetUp = errors.New("this database is not set up for NeedleDesk")

// UpgradeReport says what Upgrade did.
type UpgradeReport struct {
	Database  string
	Role      string   // the app's role, given its rights again
	From, To  int      // the schema before and after; equal when nothing was missing
	Tables    []string // the tables the role was given its rights on
	NewTables []string // the tables the migrations added
}

// UpToDate reports whether nothing was missing, so nothing was changed.
func (r UpgradeReport) UpToDate() bool { return r.From == r.To }

// Upgrade brings a database an older NeedleDesk set up to this build's
// schema, as `needledesk pg-init --upgrade`: the missing migrations, then
// the app's role's rights given again as Init gives them (so a table a
// migration adds gets them too, and the audit trail stays SELECT and
// INSERT only), all in one transaction: a refusal or a failure leaves the
// database as it was. A database already up to date is left untouched.
//
// url names the database as the owner of its tables (the role that ran
// pg-init) or a superuser; the workstations' role cannot. role is the
// app's role; empty means the one role pg-init gave rights to, found on
// the server. A database that is not NeedleDesk's is ErrNotSetUp; one
// written by a newer NeedleDesk, ErrNewerSchema.
func Upgrade(ctx context.Context, url, role string) (UpgradeReport, error) {
	var rep UpgradeReport
	if migrationsErr != nil {
		return rep, migrationsErr
	}
	conn, err := connectOne(ctx, url)
	if err != nil {
		return rep, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return rep, describeServerError(fmt.Errorf("starting the upgrade: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return rep, fmt.Errorf("starting the upgrade: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT current_database()`).Scan(&rep.Database); err != nil {
		return rep, fmt.Errorf("starting the upgrade: %w", err)
	}
	if rep.From, err = setUpVersion(ctx, tx, rep.Database); err != nil {
		return rep, err
	}
	rep.To = rep.From
	if known := KnownVersion(); rep.From > known {
		return rep, data.Explained(fmt.Errorf("the database %s was set up by a newer version of NeedleDesk (schema %d; this one knows up to %d): nothing was changed; install the newer NeedleDesk and run its pg-init --upgrade: %w",
			rep.Database, rep.From, known, ErrNewerSchema))
	} else if rep.From == known {
		return rep, nil
	}
	if err := upgradeSchema(ctx, tx, &rep, role); err != nil {
		return rep, err
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, describeServerError(fmt.Errorf("saving the upgrade: %w", err))
	}
	return rep, nil
}

// setUpVersion is the schema of a database NeedleDesk set up, refusing
// one it did not.
func setUpVersion(ctx context.Context, tx pgx.Tx, db string) (int, error) {
	var tables, ours int
	err := tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE tablename = 'schema_migrations')
		FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables, &ours)
	switch {
	case err != nil:
		return 0, fmt.Errorf("reading the schema: %w", err)
	case ours == 0 && tables == 0:
		return 0, data.Explained(fmt.Errorf("%w: the database %s is empty; nothing was changed: set it up with pg-init (without --upgrade)", ErrNotSetUp, db))
	case ours == 0:
		return 0, data.Explained(fmt.Errorf("%w: the database %s holds %d tables, none of them NeedleDesk's; nothing was changed: check the --db address", ErrNotSetUp, db, tables))
	}
	return currentVersion(ctx, tx)
}

// upgradeSchema applies the missing migrations and gives the app's role
// its rights again, as the owner of NeedleDesk's tables.
func upgradeSchema(ctx context.Context, tx pgx.Tx, rep *UpgradeReport, role string) error {
	o, err := readSchemaOwner(ctx, tx)
	if err != nil {
		return err
	}
	if !o.may {
		return data.Explained(fmt.Errorf("%w (schema %d; this NeedleDesk needs schema %d), but %s may not change the tables in %s, which %s owns; nothing was changed: run pg-init --upgrade as %s",
			ErrSchemaOlder, rep.From, KnownVersion(), o.self, rep.Database, o.owner, o.owner))
	}
	if rep.Role, err = upgradeRole(ctx, tx, role); err != nil {
		return err
	}
	before, err := schemaTables(ctx, tx)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, m := range migrations[rep.From:] {
		if err := applyMigration(ctx, tx, m, now); err != nil {
			return err
		}
	}
	if rep.Tables, err = grantAppRights(ctx, tx, rep.Role); err != nil {
		return err
	}
	for _, t := range rep.Tables {
		if !slices.Contains(before, t) {
			rep.NewTables = append(rep.NewTables, t)
		}
	}
	rep.To = KnownVersion()
	return nil
}

// appRoles are the roles other than the owner that may read the
// schema's version: those pg-init gave the app's rights.
func appRoles(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT r.rolname FROM pg_class c, aclexplode(c.relacl) a, pg_roles r
		WHERE c.oid = 'schema_migrations'::regclass AND a.privilege_type = 'SELECT' AND a.grantee = r.oid AND a.grantee <> c.relowner
		ORDER BY r.rolname`)
	if err != nil {
		return nil, fmt.Errorf("finding the app's role: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("finding the app's role: %w", err)
	}
	return found, nil
}

// upgradeRole is the app's role to give its rights again: the one named,
// which must exist, or else the one role other than the owner that may
// read the schema's version (pg-init's grant).
func upgradeRole(ctx context.Context, tx pgx.Tx, role string) (string, error) {
	if role != "" {
		if err := checkRoleName(role); err != nil {
			return "", err
		}
		_, exists, err := checkAppRole(ctx, tx, role)
		if err != nil {
			return "", err
		}
		if !exists {
			return "", data.Explained(fmt.Errorf("there is no role %s on the server: name the role the workstations connect as with --role; nothing was changed: %w", role, data.ErrInvalid))
		}
		return role, nil
	}
	found, err := appRoles(ctx, tx)
	if err != nil {
		return "", err
	}
	switch len(found) {
	case 1:
		return upgradeRole(ctx, tx, found[0])
	case 0:
		return "", data.Explained(fmt.Errorf("no role was given rights on this database by pg-init: name the role the workstations connect as with --role; nothing was changed: %w", data.ErrInvalid))
	}
	return "", data.Explained(fmt.Errorf("several roles may read this database (%s): name the one the workstations connect as with --role; nothing was changed: %w",
		strings.Join(found, ", "), data.ErrInvalid))
}
