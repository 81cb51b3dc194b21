package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"needledesk/data"
)

// CheckReport is what Check found.
type CheckReport struct {
	// IntegrityOK is true when SQLite's integrity check and foreign key
	// check both found nothing wrong.
	IntegrityOK bool
	// Problems lists what was found, in words, one per line: damage,
	// records pointing at missing ones, a schema too new for this version.
	Problems []string
	// SchemaVersion is the database's schema; KnownVersion is the newest
	// this build understands. An older database is upgraded by Open.
	SchemaVersion, KnownVersion int
	// AuditChain is what walking the audit trail's hash chain found; a
	// broken chain is also one of the Problems, naming the first bad event.
	AuditChain data.AuditChainReport
	// Witnesses says, one line each, what comparing the trail with its
	// witnesses outside the database found (the witness file, the
	// backups' manifests); a head the trail no longer holds is also one
	// of the Problems.
	Witnesses []string
	// Rows is what comparing every client, session and staff row with its
	// last recorded change found; each mismatch is one of the Problems.
	Rows RowsReport
}

// CheckOptions change what Check compares the database with.
type CheckOptions struct {
	// BackupsFolder holds backups whose manifests witness the trail; ""
	// means the backups folder beside the database.
	BackupsFolder string
}

// Check examines the database at path without changing it: SQLite's
// integrity and foreign key checks, the schema version, and the audit
// trail's hash chain. The file is opened read-only, and a missing file is
// an error, never created. It returns an error only when the file cannot
// be checked at all (missing, not a database); damage found inside a
// database is in the report.
func Check(ctx context.Context, path string) (CheckReport, error) {
	return CheckWith(ctx, path, CheckOptions{})
}

// CheckWith is Check with options: it also compares the audit trail with
// its witness file and the manifests of the backups in opts.BackupsFolder,
// checks the append-only triggers, and compares every client, session and
// staff row with its last recorded change.
func CheckWith(ctx context.Context, path string, opts CheckOptions) (CheckReport, error) {
	rep := CheckReport{KnownVersion: KnownVersion()}
	if opts.BackupsFolder == "" {
		opts.BackupsFolder = data.DefaultBackupSettings().FolderFor(path)
	}
	if err := checkFile(path); err != nil {
		return rep, err
	}
	if err := checkHeader(path); err != nil {
		return rep, err
	}
	uri, err := fileURI(path)
	if err != nil {
		return rep, err
	}
	db, err := sql.Open("sqlite", uri+"?"+checkParams(path))
	if err != nil {
		return rep, fmt.Errorf("opening %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := runChecks(ctx, db, &rep); err != nil {
		return rep, describeOpenError(path, err)
	}
	if err := checkBeyondChain(ctx, db, path, opts, &rep); err != nil {
		rep.Problems = append(rep.Problems, "audit trail: it could not be compared with its witnesses: "+err.Error())
	}
	return rep, nil
}

// checkBeyondChain adds what the chain alone cannot show: missing or
// changed append-only triggers, a trail that no longer holds a head its
// witnesses saw, and rows changed outside NeedleDesk. It reads in one
// transaction.
func checkBeyondChain(ctx context.Context, db *sql.DB, path string, opts CheckOptions, rep *CheckReport) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	broken, err := brokenTriggers(ctx, tx)
	if err != nil {
		return err
	}
	for _, b := range broken {
		rep.Problems = append(rep.Problems, "audit trail: "+b.problem())
	}
	if !rep.AuditChain.Chained { // a schema before 6: nothing was witnessed or hashed
		return nil
	}
	problems, notes, err := compareWitnesses(ctx, tx, path, opts.BackupsFolder)
	if err != nil {
		return err
	}
	rep.Witnesses = notes
	rep.Problems = append(rep.Problems, problems...)
	if rep.Rows, err = checkRows(ctx, tx); err != nil {
		return err
	}
	rep.Problems = append(rep.Problems, rep.Rows.Problems()...)
	return nil
}

// checkParams opens the file read-only. With no -wal file beside it no
// connection has the database open (in WAL mode the file exists while any
// does), so it is also opened immutable: SQLite then creates no -wal and
// -shm files, which a read-only connection could not remove again. If the
// app starts writing during the check, the report may be wrong; the file
// is still untouched.
func checkParams(path string) string {
	params := "mode=ro&_pragma=busy_timeout(5000)"
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		params += "&immutable=1"
	}
	return params
}

// checkFile refuses a missing path or a folder up front, so SQLite never
// gets the chance to create anything.
func checkFile(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return data.Explained(fmt.Errorf("there is no file at %s: %w", path, err))
	case err != nil:
		return fmt.Errorf("cannot check %s: %w", path, err)
	case !info.Mode().IsRegular():
		return data.Explained(fmt.Errorf("cannot check %s: it is not a file", path))
	}
	return nil
}

func runChecks(ctx context.Context, db *sql.DB, rep *CheckReport) error {
	integrity, err := integrityProblems(ctx, db)
	if err != nil {
		return err
	}
	keys, err := foreignKeyProblems(ctx, db)
	if err != nil {
		return err
	}
	rep.Problems = append(integrity, keys...)
	rep.IntegrityOK = len(rep.Problems) == 0
	ours, err := rowExists(ctx, db, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`)
	if err != nil {
		return err
	}
	if !ours {
		return errNotNeedleDesk
	}
	if rep.SchemaVersion, err = schemaVersion(ctx, db); err != nil {
		return err
	}
	if rep.SchemaVersion > rep.KnownVersion {
		rep.Problems = append(rep.Problems, newerSchemaError(rep.SchemaVersion, rep.KnownVersion).Error())
	}
	names, err := copiedNameProblems(ctx, db, rep.SchemaVersion)
	if err != nil {
		return err
	}
	rep.Problems = append(rep.Problems, names...)
	rep.AuditChain = checkAuditChain(ctx, db)
	if rep.AuditChain.Problem != "" {
		rep.Problems = append(rep.Problems, "audit trail: "+rep.AuditChain.Problem)
	}
	return nil
}

// checkAuditChain walks the chain in one read transaction, so that events
// the app writes meanwhile cannot look like a broken end. A trail too
// damaged to read is a problem to report, not a reason to stop the check.
func checkAuditChain(ctx context.Context, db *sql.DB) data.AuditChainReport {
	var rep data.AuditChainReport
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err == nil {
		rep, err = verifyAuditChain(ctx, tx)
		_ = tx.Rollback()
	}
	if err != nil {
		rep.Chained = true
		rep.Problem = "it could not be read to the end: " + err.Error()
	}
	return rep
}

// integrityProblems runs PRAGMA integrity_check.
func integrityProblems(ctx context.Context, db *sql.DB) ([]string, error) {
	return pragmaProblems(ctx, db, "integrity_check")
}

// pragmaProblems runs a checking pragma, which answers one row "ok" or one
// row per problem.
func pragmaProblems(ctx context.Context, db *sql.DB, pragma string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			out = append(out, "damage: "+line)
		}
	}
	return out, rows.Err()
}

// foreignKeyProblems runs PRAGMA foreign_key_check: one row per record that
// points at a missing one. rowid is NULL for WITHOUT ROWID tables.
func foreignKeyProblems(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, err
		}
		where := "a row"
		if rowid.Valid {
			where = fmt.Sprintf("row %d", rowid.Int64)
		}
		out = append(out, fmt.Sprintf("%s in %s refers to a missing %s", where, table, parent))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// copiedNameProblems reports appointments whose copy of their client's
// name (migration 20, kept by SQLite's triggers) is not the client's
// name: only an edit made outside NeedleDesk leaves one, and the book
// would show it.
func copiedNameProblems(ctx context.Context, db *sql.DB, schema int) ([]string, error) {
	if schema < 20 {
		return nil, nil
	}
	var n int64
	var first sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT count(*), min(a.id) FROM appointment a JOIN client c ON c.id = a.client_id
		WHERE a.client_name IS NOT c.given_name || char(31) || c.family_name`).Scan(&n, &first)
	if err != nil { // a damaged file: say so, and go on checking
		return []string{"appointments: their client names could not be compared with their clients': " + err.Error()}, nil
	}
	if n == 0 {
		return nil, nil
	}
	what := fmt.Sprintf("appointment %d shows a client name that is not its client's", first.Int64)
	if n > 1 {
		what = fmt.Sprintf("%d appointments (the first: %d) show a client name that is not their client's", n, first.Int64)
	}
	return []string{what + ": the file was changed outside NeedleDesk"}, nil
}
