package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"needledesk/data/postgres"
	"needledesk/data/storeopen"
)

// runPgInit sets up a new, empty PostgreSQL database for a clinic: the
// tables, and the role the workstations connect as, with only the rights
// the app needs. With --upgrade it brings a database an older NeedleDesk
// set up to this one's schema instead.
func runPgInit(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("pg-init", flag.ContinueOnError)
	db := fs.String("db", "", "the clinic's new, empty database (with --upgrade, the one an older NeedleDesk set up), as the role that owns or will own its tables: postgres://OWNER@HOST/DATABASE (a password comes from ~/.pgpass or PGPASSFILE)")
	role := fs.String("role", "", "the role every workstation connects as (default: "+postgres.DefaultAppRole+"; with --upgrade, the one pg-init gave rights to). When it does not exist, pg-init makes it (it can log in, but has no password yet: give it one with psql's \\password, or make the role beforehand with: sudo -u postgres createuser --pwprompt NAME). It may read and add to the audit trail, never change, delete or empty it")
	upgrade := fs.Bool("upgrade", false, "bring a database set up by an older NeedleDesk up to this one, as the owner of its tables (the role that ran pg-init): the missing changes to the tables, and the workstations' role's rights on them, in one step. Do this once, on the server, before the workstations start the new NeedleDesk")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return fmt.Errorf("--db postgres://... is required: %w", errUsage)
	}
	if !storeopen.IsServer(*db) {
		return fmt.Errorf("--db must be a PostgreSQL address (postgres://...); a clinic kept in a file needs no setting up: %w", errUsage)
	}
	if *upgrade {
		return runPgUpgrade(ctx, *db, *role, stdout)
	}
	if *role == "" {
		*role = postgres.DefaultAppRole
	}
	rep, err := postgres.Init(ctx, *db, *role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "set up database %s for NeedleDesk: %d tables, schema %d\n", rep.Database, rep.Tables, rep.Schema)
	if rep.RoleCreated {
		fmt.Fprintf(stdout, "made the role %s; it has no password yet: give it one with\n  psql -d %s -c '\\password %s'\n", rep.Role, rep.Database, rep.Role)
	} else {
		fmt.Fprintf(stdout, "the role %s was there already and keeps its password\n", rep.Role)
	}
	fmt.Fprintf(stdout, "%s may read and add to every table, change and delete only where the app does, and never change, delete or empty the audit trail\n", rep.Role)
	fmt.Fprintf(stdout, "workstations connect with --db postgres://%s@SERVER/%s\n", rep.Role, rep.Database)
	return nil
}

// runPgUpgrade is pg-init --upgrade.
func runPgUpgrade(ctx context.Context, db, role string, stdout io.Writer) error {
	rep, err := postgres.Upgrade(ctx, db, role)
	if err != nil {
		return err
	}
	if rep.UpToDate() {
		fmt.Fprintf(stdout, "database %s is already up to date for this NeedleDesk (schema %d): nothing was changed\n", rep.Database, rep.To)
		return nil
	}
	fmt.Fprintf(stdout, "upgraded database %s from schema %d to schema %d\n", rep.Database, rep.From, rep.To)
	if len(rep.NewTables) > 0 {
		fmt.Fprintf(stdout, "new tables: %s\n", strings.Join(rep.NewTables, ", "))
	}
	fmt.Fprintf(stdout, "gave %s its rights again on %d tables: %s\n", rep.Role, len(rep.Tables), strings.Join(rep.Tables, ", "))
	fmt.Fprintf(stdout, "%s may read and add to every table, change and delete only where the app does, and never change, delete or empty the audit trail\n", rep.Role)
	fmt.Fprintln(stdout, "workstations with this NeedleDesk can open the clinic now")
	return nil
}
