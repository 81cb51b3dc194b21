package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"needledesk/data"
)

// AuditChainVersionForTest is the migration that made the trail a chain.
const AuditChainVersionForTest = auditChainVersion

// OldDatabaseForTest makes path a database as a build that knew only the
// first n migrations left it after its first Open: that schema, the
// default settings and their audit event. It returns a plain connection
// to the file (no triggers are dropped; foreign keys are off, as on any
// plain connection), closed when the test ends. The newest code cannot
// simply Open with fewer migrations: it writes audit events the way
// schema 6 and later store them.
func OldDatabaseForTest(tb testing.TB, path string, n int) *sql.DB {
	tb.Helper()
	ctx := tb.Context()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { _ = db.Close() })
	if _, err := prepareMigrations(ctx, db); err != nil {
		tb.Fatal(err)
	}
	made := time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC)
	for _, m := range migrations[:n] {
		if err := applyMigration(ctx, db, m, made); err != nil {
			tb.Fatal(err)
		}
	}
	if err := putSettings(ctx, db, data.DefaultSettings()); err != nil {
		tb.Fatal(err)
	}
	if err := AddOldAuditForTest(ctx, db, made, data.SystemActor, data.ActionCreate, data.EntitySettings, settingsID); err != nil {
		tb.Fatal(err)
	}
	return db
}

// AddOldAuditForTest writes an audit event as the build of the database's
// schema wrote it: before migration 6 with no client, detail or hashes;
// from then on chained, as writeAudit does.
func AddOldAuditForTest(ctx context.Context, db *sql.DB, at time.Time, actor int64, action data.Action, entity data.Entity, entityID int64) error {
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if v < auditChainVersion {
		_, err = db.ExecContext(ctx, `INSERT INTO audit_event (at, actor_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?)`,
			timeText(at), actor, string(action), string(entity), entityID)
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	row := auditRow{at: at, actor: actor, action: action, entity: entity, entityID: entityID}
	if v < rowHashVersion { // as a build before row hashes wrote it
		head, id, err := readHeadForWrite(ctx, tx)
		if err != nil {
			return err
		}
		var h chainHasher
		e := row.chained(id)
		hash, _ := h.Hash(head.hash, e)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_event (id, at, actor_id, action, entity, entity_id, client_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.ClientID, e.Detail, head.hash, hash); err != nil {
			return err
		}
		if err := writeHead(ctx, tx, auditHead{lastID: id, events: head.events + 1, hash: hash}); err != nil {
			return err
		}
		return tx.Commit()
	}
	if err := writeAudit(ctx, tx, row); err != nil {
		return err
	}
	return tx.Commit()
}

// AuditQueriesForTest are the statements behind the audit screen's
// filters, for TestAuditQueryPlans.
func AuditQueriesForTest() map[string]HotQuery {
	day := data.NewDate(2026, time.November, 22)
	out := map[string]HotQuery{}
	for name, f := range map[string]data.AuditFilter{
		"page":                {},
		"page 3":              {Offset: 200},
		"by actor":            {ActorID: 2},
		"by client":           {ClientID: 4},
		"by action":           {Action: data.ActionView},
		"by record":           {Entity: data.EntityClient, EntityID: 4},
		"by kind of record":   {Entity: data.EntitySheet},
		"on a day":            {From: day, To: day},
		"since a day":         {From: day},
		"by actor on a day":   {ActorID: 2, From: day, To: day},
		"by client in a week": {ClientID: 4, From: day, To: day.AddDays(6)},
		"by client, action":   {ClientID: 4, Action: data.ActionView},
	} {
		q := auditQuery(f, time.UTC)
		out[name] = HotQuery{q.sql, q.args}
	}
	return out
}
