package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/sqlite"
	"needledesk/data/storeopen"
)

// runCheck checks a database without changing it, and names the newest
// good backup when it is damaged.
func runCheck(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file, or the clinic's database on a server (postgres://...)")
	folder := fs.String("backups", "", "where to look for a backup when the database is damaged (default: the folder this computer keeps its backups in, else the backups folder beside it)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" {
		return fmt.Errorf("--db PATH is required: %w", errUsage)
	}
	if storeopen.IsServer(*dbPath) {
		return checkServer(ctx, *dbPath, stdout)
	}
	if *folder == "" {
		*folder = BackupsFolder(*dbPath)
	}
	rep, err := sqlite.CheckWith(ctx, *dbPath, sqlite.CheckOptions{BackupsFolder: *folder})
	if errors.Is(err, data.ErrDamaged) {
		suggestBackup(ctx, stdout, *dbPath, *folder)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (this NeedleDesk knows up to %d)\n", rep.SchemaVersion, rep.KnownVersion)
	fmt.Fprintln(stdout, "audit trail:", auditChainLine(rep.AuditChain))
	for _, w := range rep.Witnesses {
		fmt.Fprintln(stdout, "witness:", w)
	}
	recordsLine(stdout, rep.Rows.Checked, rep.Rows.Unrecorded)
	if len(rep.Problems) == 0 {
		fmt.Fprintln(stdout, "integrity: ok\nforeign keys: ok")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	if !rep.IntegrityOK {
		suggestBackup(ctx, stdout, *dbPath, *folder)
	}
	return fmt.Errorf("%s has %d problem(s); it was not changed", *dbPath, len(rep.Problems))
}

// recordsLine says how many clients, sessions and staff members matched
// their last recorded change, and how many had none to compare with.
func recordsLine(w io.Writer, checked, unrecorded int) {
	fmt.Fprintf(w, "records: %d clients, sessions and staff match their last recorded change", checked)
	if unrecorded > 0 {
		fmt.Fprintf(w, " (%d more have no change recorded since this version, so they were not compared)", unrecorded)
	}
	fmt.Fprintln(w)
}

// checkServer checks the clinic's database on a PostgreSQL server: its
// schema, its audit trail's chain and its records against the trail,
// changing nothing.
func checkServer(ctx context.Context, url string, stdout io.Writer) error {
	rep, err := postgres.Check(ctx, url)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (this NeedleDesk knows up to %d)\n", rep.SchemaVersion, rep.KnownVersion)
	fmt.Fprintln(stdout, "audit trail:", auditChainLine(rep.AuditChain))
	recordsLine(stdout, rep.Rows.Checked, rep.Rows.Unrecorded)
	if len(rep.Problems) == 0 {
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	return fmt.Errorf("the clinic's database has %d problem(s); it was not changed", len(rep.Problems))
}

// auditChainLine says what the check found in the audit trail's chain.
func auditChainLine(r data.AuditChainReport) string {
	switch {
	case !r.Chained:
		return "not chained yet; this version chains it when it opens the database"
	case r.OK():
		return fmt.Sprintf("ok (%d events)", r.Events)
	}
	return r.Problem
}

// suggestBackup names the newest good backup in folder, and how to
// restore it, for a database that check found damaged.
func suggestBackup(ctx context.Context, w io.Writer, dbPath, folder string) {
	path, at, err := sqlite.NewestGoodBackup(ctx, folder)
	if err != nil {
		fmt.Fprintf(w, "no good backup was found in %s\n", folder)
		return
	}
	fmt.Fprintf(w, "the newest good backup is %s, made %s\n", path, at.Local().Format("Monday 2 January 2006 at 15:04"))
	fmt.Fprintf(w, "to restore it: needledesk restore --db %q --from %q\n", dbPath, path)
}
