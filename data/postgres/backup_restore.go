package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
	"needledesk/data/backup"
)

// ErrPassphraseNeeded means the backup is encrypted and no passphrase
// was given: ask for one and try again.
var ErrPassphraseNeeded = errors.New("this backup is encrypted: give its passphrase to restore it")

// RestoreToServer restores the backup from into the empty database
// target (data.ServerRestorer), once opts.Actor is found allowed to
// restore in this store (a refusal is recorded here). The database in use
// is never touched.
func (s *Store) RestoreToServer(ctx context.Context, from, target string, opts data.RestoreOptions) (data.RestoreResult, error) {
	if opts.Actor != data.SystemActor {
		if err := s.Authorize(ctx, opts.Actor, data.PermRestore); err != nil {
			return data.RestoreResult{}, fmt.Errorf("restoring a backup: %w", err)
		}
	}
	return Restore(ctx, target, from, opts)
}

// Restore restores the backup from (a pg_dump archive Backup made, or
// one encrypted with a passphrase) into the database target, which must
// be empty: nothing is ever restored over a database that holds
// anything. In this order:
//
//  1. The target is checked: it must hold no tables, functions, types,
//     schemas or extensions (but plpgsql and an empty public schema,
//     which every new database has).
//  2. An encrypted backup is decrypted into a private temporary folder.
//  3. The dump is checked as a new backup is (checkDump), its audit
//     trail's head read.
//  4. pg_restore restores it in one transaction that stops at the first
//     error, so a restore that fails leaves the database empty. Its
//     objects belong to the user restoring (--no-owner); the rights
//     granted on them (such as the app's role's) come with them.
//  5. The database is opened as the app opens it, which brings an older
//     backup's schema up to date; its audit trail is checked in full and
//     must end where the dump's did; and the restore is recorded in it.
//
// The workstations are then pointed at the restored database.
func Restore(ctx context.Context, target, from string, opts data.RestoreOptions) (data.RestoreResult, error) {
	var res data.RestoreResult
	progress := opts.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	if from == "" || target == "" {
		return res, fmt.Errorf("give both the backup and the database to restore it into: %w", data.ErrInvalid)
	}
	c, err := connFor(target)
	if err != nil {
		return res, err
	}
	if err := checkEmpty(ctx, target); err != nil {
		return res, err
	}
	progress(1, 5)
	if err := checkManifest(ctx, from, true); err != nil {
		return res, fmt.Errorf("the backup %s does not check out, so nothing was restored: %w", from, err)
	}
	dump, cleanup, err := stageDump(ctx, from, opts.Passphrase)
	if err != nil {
		return res, err
	}
	defer cleanup()
	if err := checkDump(ctx, dump, nil); err != nil {
		return res, fmt.Errorf("the backup %s does not check out, so nothing was restored: %w", from, err)
	}
	head, err := dumpedHead(ctx, dump)
	if err != nil {
		return res, damagedDump(from, err)
	}
	progress(2, 5)
	if _, err := c.run(ctx, nil, "pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--dbname="+c.address, dump); err != nil {
		return res, fmt.Errorf("the backup %s could not be restored, and the database was left empty: %w", from, err)
	}
	progress(3, 5)
	res.SchemaVersion, err = schemaVersion(ctx, target)
	if err != nil {
		return res, err
	}
	st, err := Open(ctx, target, WithClock(opts.Clock))
	if err != nil {
		return res, fmt.Errorf("the backup was restored but the database does not open: %w", err)
	}
	defer st.Close()
	progress(4, 5)
	if err := st.checkRestoredTrail(ctx, head); err != nil {
		return res, err
	}
	err = st.write(ctx, func(tx pgx.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: opts.Actor, action: data.ActionRestore, entity: data.EntityDatabase,
			detail: filepath.Base(from)})
	})
	if err != nil {
		return res, fmt.Errorf("the backup was restored and checked, but recording the restore in its audit trail failed: %w", err)
	}
	progress(5, 5)
	return res, nil
}

// checkRestoredTrail checks the restored audit trail in full, and that it
// ends where the dump's head said.
func (s *Store) checkRestoredTrail(ctx context.Context, head data.ChainHead) error {
	rep, err := s.VerifyAuditChain(ctx)
	if err != nil {
		return err
	}
	if !rep.OK() {
		return fmt.Errorf("the backup was restored, but its audit trail does not check out (%s): do not use this database: %w",
			rep.Problem, data.ErrDamaged)
	}
	var got data.ChainHead
	err = s.pool.QueryRow(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1`).Scan(&got.LastID, &got.Events, &got.Hash)
	if err != nil {
		return fmt.Errorf("reading the restored audit trail: %w", err)
	}
	if got != head {
		return fmt.Errorf("the backup was restored, but its audit trail ends at event %d, not at %d as the backup's does: %w",
			got.LastID, head.LastID, data.ErrDamaged)
	}
	return nil
}

// checkEmpty refuses a database that holds anything, naming it and what
// it holds.
func checkEmpty(ctx context.Context, target string) error {
	cfg, err := pgxpool.ParseConfig(target)
	if err != nil {
		return fmt.Errorf("reading the database address: %w", errors.Join(data.ErrInvalid, errors.New(redactedParseError(err))))
	}
	db, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return describeConnectError(cfg, err)
	}
	defer db.Close(context.WithoutCancel(ctx))
	rows, err := db.Query(ctx, holdingsQuery)
	if err != nil {
		return describeServerError(fmt.Errorf("looking into %s: %w", where(cfg), err))
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return describeServerError(fmt.Errorf("looking into %s: %w", where(cfg), err))
	}
	if len(found) == 0 {
		return nil
	}
	shown := found[:min(len(found), 5)]
	more := ""
	if len(found) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(found)-len(shown))
	}
	return data.Explained(fmt.Errorf("%w; %s already holds %s%s. Nothing was changed: a backup is restored only into a new, empty database, so create one for it",
		ErrNotEmpty, where(cfg), strings.Join(shown, ", "), more))
}

// holdingsQuery lists what a database holds beyond what every new one
// has.
const holdingsQuery = `SELECT what FROM (
SELECT CASE c.relkind WHEN 'S' THEN 'the sequence ' WHEN 'v' THEN 'the view ' WHEN 'm' THEN 'the view '
       ELSE 'the table ' END || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
UNION ALL
SELECT 'the function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'the type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typtype IN ('e', 'd', 'r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT 'the extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL
SELECT 'the schema ' || nspname FROM pg_namespace
 WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%'
) AS held (what) ORDER BY what NOT LIKE 'the table %', what`

// schemaVersion is the newest migration a restored database records.
func schemaVersion(ctx context.Context, target string) (int, error) {
	db, err := pgx.Connect(ctx, target)
	if err != nil {
		return 0, fmt.Errorf("reading the restored database: %w", err)
	}
	defer db.Close(context.WithoutCancel(ctx))
	var v int
	if err := db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the restored database's version: %w", err)
	}
	return v, nil
}

// stageDump gives the path of the unencrypted dump: from itself, or a
// decrypted copy in a private temporary folder that cleanup removes.
func stageDump(ctx context.Context, from string, passphrase []byte) (string, func(), error) {
	none := func() {}
	head, err := readHead(from)
	if err != nil {
		return "", none, err
	}
	if !backup.IsEncrypted(head) {
		return from, none, nil
	}
	if len(passphrase) == 0 {
		return "", none, data.Explained(fmt.Errorf("%s: %w", from, ErrPassphraseNeeded))
	}
	dir, err := os.MkdirTemp("", "needledesk-restore-")
	if err != nil {
		return "", none, data.FileProblem("making a private folder for the restore", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	plain := filepath.Join(dir, "backup.dump")
	if err := decryptTo(ctx, from, plain, passphrase); err != nil {
		cleanup()
		return "", none, err
	}
	return plain, cleanup, nil
}

func decryptTo(ctx context.Context, from, to string, passphrase []byte) error {
	in, err := os.Open(from)
	if err != nil {
		return data.FileProblem("reading the backup "+from, err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return data.FileProblem("decrypting the backup", err)
	}
	err = backup.Decrypt(out, io.Reader(ctxReader{ctx, in}), passphrase)
	if cerr := out.Close(); err == nil && cerr != nil {
		return data.FileProblem("decrypting the backup", cerr)
	}
	if err != nil {
		return fmt.Errorf("the backup %s was not restored: %w", from, err)
	}
	return nil
}
