package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"needledesk/data"
)

// ErrNewerSchema means the database was written by a newer NeedleDesk. It is
// refused rather than opened, because this version could misread or damage
// tables it does not know.
var ErrNewerSchema = errors.New("database schema is newer than this version of NeedleDesk")

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded file, NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are read once; a badly named file is a programming error that
// the tests catch, so it surfaces as an error from Open, never a panic.
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
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", n, err)
		}
		m := migration{version: v, name: name, sql: string(b)}
		if err := checkGoSteps(m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1, 2, 3... without gaps; found %d at place %d", m.version, i+1)
		}
	}
	return out, nil
}

// migrate brings the database up to KnownVersion. Each migration runs in its
// own transaction together with the row recording it, so a crash leaves the
// database at a version it really has.
func migrate(ctx context.Context, db *sql.DB, now time.Time) error {
	if migrationsErr != nil {
		return migrationsErr
	}
	current, err := prepareMigrations(ctx, db)
	if err != nil {
		return err
	}
	if known := KnownVersion(); current > known {
		return newerSchemaError(current, known)
	}
	for _, m := range migrations[current:] {
		if err := applyMigration(ctx, db, m, now); err != nil {
			return err
		}
	}
	if err := refreshDerived(ctx, db); err != nil {
		return err
	}
	return seedSettings(ctx, db, now)
}

// newerSchema is the error for a database from the future; it matches
// ErrNewerSchema with errors.Is and reads well on its own.
type newerSchema struct{ current, known int }

func newerSchemaError(current, known int) error { return newerSchema{current, known} }

func (e newerSchema) Error() string {
	return fmt.Sprintf("this database was written by a newer version of NeedleDesk (schema %d; this version knows up to %d): update NeedleDesk to open it",
		e.current, e.known)
}

func (e newerSchema) Is(target error) bool { return target == ErrNewerSchema }

// errNotNeedleDesk marks a SQLite file with someone else's tables in it.
var errNotNeedleDesk = errors.New("the file holds a database, but not a NeedleDesk one")

// prepareMigrations makes sure the bookkeeping table exists and returns the
// schema version. A database that has tables but no bookkeeping is someone
// else's, and is refused rather than filled with NeedleDesk's tables.
func prepareMigrations(ctx context.Context, db *sql.DB) (int, error) {
	var tables, ours int
	err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&tables, &ours)
	if err != nil {
		return 0, fmt.Errorf("reading the schema: %w", err)
	}
	if tables > 0 && ours == 0 {
		return 0, errNotNeedleDesk
	}
	_, err = db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`)
	if err != nil {
		return 0, fmt.Errorf("creating the migrations table: %w", err)
	}
	return schemaVersion(ctx, db)
}

// schemaVersion is the highest migration recorded, 0 for a new database.
func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return v, nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration, now time.Time) error {
	tx, err := beginWrite(ctx, db)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := runMigration(ctx, tx, m); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, timeText(now))
	if err != nil {
		return fmt.Errorf("recording migration %d: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	return nil
}

// goStepLine marks the place in a migration file where a Go step runs, for
// work SQL cannot do (such as SHA-256); the step runs in the migration's
// transaction, between the SQL before the line and the SQL after it.
var goStepLine = regexp.MustCompile(`(?m)^-- go: ([a-z0-9_]+)[ \t]*$`)

// goSteps are the Go steps migration files may name.
var goSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"chain_audit_events": chainExistingAuditEvents,
}

// checkGoSteps refuses a file that names a step this build does not have,
// when the migrations load rather than halfway through one.
func checkGoSteps(m migration) error {
	for _, match := range goStepLine.FindAllStringSubmatch(m.sql, -1) {
		if goSteps[match[1]] == nil {
			return fmt.Errorf("migration %d (%s) names a Go step %q that does not exist", m.version, m.name, match[1])
		}
	}
	return nil
}

// runMigration runs a migration's SQL and its Go steps in file order.
func runMigration(ctx context.Context, tx *sql.Tx, m migration) error {
	rest := m.sql
	for {
		loc := goStepLine.FindStringSubmatchIndex(rest)
		if loc == nil {
			return execSQL(ctx, tx, rest)
		}
		if err := execSQL(ctx, tx, rest[:loc[0]]); err != nil {
			return err
		}
		if err := goSteps[rest[loc[2]:loc[3]]](ctx, tx); err != nil {
			return err
		}
		rest = rest[loc[1]:]
	}
}

// execSQL runs the statements in text, which may be only comments.
func execSQL(ctx context.Context, tx *sql.Tx, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, text)
	return err
}

// seedSettings gives a new database the default settings, with the audit row
// that says NeedleDesk itself created them. It does nothing once a settings
// row exists.
func seedSettings(ctx context.Context, db *sql.DB, now time.Time) error {
	tx, err := beginWrite(ctx, db)
	if err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM settings`).Scan(&n); err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := putSettings(ctx, tx, data.DefaultSettings()); err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	err = writeAudit(ctx, tx, auditRow{at: now, actor: data.SystemActor, action: data.ActionCreate, entity: data.EntitySettings, entityID: settingsID})
	if err != nil {
		return fmt.Errorf("seeding settings: %w", err)
	}
	return tx.Commit()
}
