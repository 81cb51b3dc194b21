package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
)

// ErrNewerSchema means the database was written by a newer NeedleDesk.
var ErrNewerSchema = errors.New("database schema is newer than this version of NeedleDesk")

// ErrSchemaOlder means the database was set up by an older NeedleDesk and
// the role opening it may not bring it up to date: its owner must, with
// pg-init --upgrade (Upgrade).
var ErrSchemaOlder = errors.New("the clinic's records on the server were set up by an older version of NeedleDesk")

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

var migrations, migrationsErr = loadMigrations(migrationFS)

// KnownVersion is the newest schema this build can read and write.
func KnownVersion() int {
	if len(migrations) == 0 {
		return 0
	}
	return migrations[len(migrations)-1].version
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	var out []migration
	for _, n := range names {
		num, name, ok := strings.Cut(strings.TrimSuffix(path.Base(n), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", n, err)
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1, 2, 3... without gaps; found %d at place %d", m.version, i+1)
		}
	}
	return out, nil
}

// migrationLock is the advisory lock two workstations starting at once
// take, so that only one of them migrates.
const migrationLock = 0x4e6565646c65 // "Needle"

// migrate brings the database up to KnownVersion, each migration in its
// own transaction with the row that records it, then seeds the settings.
// A role that may not change the tables (the app's role pg-init made) is
// refused before anything is tried, with ErrSchemaOlder.
func migrate(ctx context.Context, pool *pgxpool.Pool, now time.Time) error {
	if migrationsErr != nil {
		return migrationsErr
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return describeServerError(fmt.Errorf("preparing the database: %w", err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("preparing the database: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock) }()
	current, err := prepareMigrations(ctx, conn.Conn())
	if err != nil {
		return err
	}
	if known := KnownVersion(); current > known {
		return fmt.Errorf("this database was written by a newer version of NeedleDesk (schema %d; this version knows up to %d): update NeedleDesk to open it: %w",
			current, known, ErrNewerSchema)
	}
	if known := KnownVersion(); current < known {
		if err := refuseUnlessOwner(ctx, conn.Conn(), current, known, pool.Config().ConnConfig.Port); err != nil {
			return err
		}
	}
	for _, m := range migrations[current:] {
		if err := applyMigration(ctx, conn.Conn(), m, now); err != nil {
			return err
		}
	}
	if current > 0 && current < KnownVersion() {
		if err := regrantAfterUpgrade(ctx, conn.Conn()); err != nil {
			return err
		}
	}
	return seedSettings(ctx, conn.Conn(), now)
}

// regrantAfterUpgrade gives the roles pg-init gave rights (the
// workstations' role) their rights again, on the tables the migrations
// just added too, as pg-init --upgrade does. Without it, an owner who
// upgrades by opening the clinic in the app would leave every other
// workstation refused by the new tables: a client saved there writes to
// client_order through its trigger. A database pg-init did not set up
// (no such role) has no one to give them to.
func regrantAfterUpgrade(ctx context.Context, c *pgx.Conn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return describeServerError(fmt.Errorf("giving the workstations' role its rights: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	roles, err := appRoles(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := grantAppRights(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return describeServerError(fmt.Errorf("giving the workstations' role its rights: %w", err))
	}
	return nil
}

// refuseUnlessOwner refuses, with ErrSchemaOlder, a role that may not
// bring the schema from current to target. It asks before trying: each
// migration runs in its own transaction, so trying them and mapping
// "permission denied" (42501) would leave those before the refused one
// applied; and a migration that only creates tables can succeed for a
// role that may create in the schema (PUBLIC may, before PostgreSQL 15),
// leaving tables the app's role owns, beyond the limits pg-init set. The
// test is the one PostgreSQL applies to ALTER TABLE: the role owns the
// tables (schema_migrations stands for them, all made by the same role),
// is a member of their owner, or is a superuser.
func refuseUnlessOwner(ctx context.Context, c queryer, current, target int, port uint16) error {
	o, err := readSchemaOwner(ctx, c)
	if err != nil || o.may {
		return err
	}
	return data.Explained(fmt.Errorf("%w (schema %d; this NeedleDesk needs schema %d), and %s may not bring them up to date; "+
		"nothing was changed on the server. Whoever set the server up must run, on the server, as the database's owner:\n"+
		"  needledesk pg-init --upgrade --db %s\n"+
		"then start NeedleDesk here again",
		ErrSchemaOlder, current, target, o.self, ownerURL(o.owner, port, o.db)))
}

// schemaOwner says who owns NeedleDesk's tables and whether the role
// connected (self) may change them.
type schemaOwner struct {
	self, owner, db string
	may             bool
}

func readSchemaOwner(ctx context.Context, c queryer) (schemaOwner, error) {
	var o schemaOwner
	err := c.QueryRow(ctx, `SELECT current_user, t.tableowner, pg_has_role(current_user, t.tableowner, 'USAGE'), current_database()
		FROM pg_tables t WHERE t.schemaname = current_schema() AND t.tablename = 'schema_migrations'`).
		Scan(&o.self, &o.owner, &o.may, &o.db)
	if err != nil {
		return o, fmt.Errorf("checking who may update the schema: %w", err)
	}
	return o, nil
}

// ownerURL is the address pg-init --upgrade takes on the server itself,
// as the owner over the local socket, as the README sets a server up
// (the owner is a user of that computer; the server's network rules let
// in only the workstations' role).
func ownerURL(owner string, port uint16, db string) string {
	u := "postgres://" + url.PathEscape(owner) + "@/" + url.PathEscape(db)
	if port != 0 && port != 5432 {
		u += "?port=" + strconv.Itoa(int(port))
	}
	return u
}

// migrator is a connection, or a transaction (pg-init's: each migration
// is then a savepoint in it).
type migrator interface {
	queryer
	Begin(ctx context.Context) (pgx.Tx, error)
}

// errNotNeedleDesk marks a database with someone else's tables in it.
var errNotNeedleDesk = errors.New("the database holds tables, but not NeedleDesk's: choose an empty database for the clinic")

func prepareMigrations(ctx context.Context, c migrator) (int, error) {
	var tables, ours int
	err := c.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE tablename = 'schema_migrations')
		FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables, &ours)
	if err != nil {
		return 0, fmt.Errorf("reading the schema: %w", err)
	}
	if tables > 0 && ours == 0 {
		return 0, fmt.Errorf("%w: %w", errNotNeedleDesk, data.ErrInvalid)
	}
	// Only when missing: the app's role (pg-init) may create nothing, not
	// even IF NOT EXISTS.
	if ours > 0 {
		return currentVersion(ctx, c)
	}
	if _, err := c.Exec(ctx, `CREATE TABLE schema_migrations (
		version    integer PRIMARY KEY,
		name       text    NOT NULL,
		applied_at text    NOT NULL)`); err != nil {
		return 0, fmt.Errorf("creating the migrations table: %w", err)
	}
	return currentVersion(ctx, c)
}

func currentVersion(ctx context.Context, c queryer) (int, error) {
	var v int
	if err := c.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return v, nil
}

func applyMigration(ctx context.Context, c migrator, m migration, now time.Time) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, timeText(now)); err != nil {
		return fmt.Errorf("recording migration %d: %w", m.version, err)
	}
	return tx.Commit(ctx)
}

// seedSettings gives a new database the default settings, with the audit
// row that says NeedleDesk itself created them.
func seedSettings(ctx context.Context, c *pgx.Conn, now time.Time) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if some, err := rowExists(ctx, tx, `SELECT 1 FROM settings`); err != nil || some {
		return err
	}
	if err := putSettings(ctx, tx, data.DefaultSettings()); err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	err = writeAudit(ctx, tx, auditRow{at: now, actor: data.SystemActor, action: data.ActionCreate, entity: data.EntitySettings, entityID: settingsID})
	if err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	return tx.Commit(ctx)
}

// jsonList stores a list as a JSON array; nil becomes [].
func jsonList[T any](xs []T) (string, error) {
	if xs == nil {
		xs = []T{}
	}
	b, err := json.Marshal(xs)
	return string(b), err
}

// parseList reads a JSON array; an empty one comes back as nil.
func parseList[T any](s string) ([]T, error) {
	var xs []T
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("stored list %q is damaged: %w", s, err)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	return xs, nil
}
