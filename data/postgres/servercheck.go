package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/rowhash"
)

// CheckReport is what Check found on the server.
type CheckReport struct {
	// SchemaVersion is the database's schema; KnownVersion is the newest
	// this build understands.
	SchemaVersion, KnownVersion int
	// AuditChain is what walking the audit trail's hash chain found.
	AuditChain data.AuditChainReport
	// Rows is what comparing every client, session and staff row with its
	// last recorded change found; each mismatch is one of the Problems.
	Rows RowsReport
	// Problems lists what was found, in words, one per line.
	Problems []string
}

// Check examines the clinic's database at url without changing it, as
// `needledesk check` does a file: the schema version, the audit trail's
// hash chain, and every client, session and staff row against its last
// recorded change, with the same code as the SQLite store's, in one
// read-only snapshot. Unlike Open it brings nothing up to date and seeds
// nothing. It returns an error only when the database cannot be checked
// at all (unreachable, refused, not NeedleDesk's).
func Check(ctx context.Context, url string) (CheckReport, error) {
	rep := CheckReport{KnownVersion: KnownVersion()}
	conn, err := connectOne(ctx, url)
	if err != nil {
		return rep, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return rep, describeServerError(fmt.Errorf("starting the check: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	ours, err := rowExists(ctx, tx, `SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`)
	if err != nil {
		return rep, fmt.Errorf("reading the schema: %w", err)
	}
	if !ours {
		return rep, data.Explained(fmt.Errorf("this database has no NeedleDesk tables: it is not a clinic's database (set one up with needledesk pg-init): %w", data.ErrInvalid))
	}
	if rep.SchemaVersion, err = currentVersion(ctx, tx); err != nil {
		return rep, err
	}
	if rep.SchemaVersion > rep.KnownVersion {
		rep.Problems = append(rep.Problems, fmt.Sprintf("this database was written by a newer version of NeedleDesk (schema %d; this version knows up to %d)",
			rep.SchemaVersion, rep.KnownVersion))
	}
	rep.AuditChain, err = verifyChainIn(ctx, tx)
	if err != nil {
		rep.AuditChain = data.AuditChainReport{Chained: true, Problem: "it could not be read to the end: " + err.Error()}
	}
	if rep.AuditChain.Problem != "" {
		rep.Problems = append(rep.Problems, "audit trail: "+rep.AuditChain.Problem)
	}
	if rep.Rows, err = rowhash.Check(ctx, rowReader{tx}); err != nil {
		rep.Problems = append(rep.Problems, "records: they could not be compared with the audit trail: "+describeServerError(err).Error())
		return rep, nil
	}
	rep.Problems = append(rep.Problems, rep.Rows.Problems()...)
	return rep, nil
}
