package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"needledesk/data"
)

// appendOnlyTrigger is one of the triggers that keep the audit trail, the
// kept aftercare sheets and earlier versions of sessions append-only, as
// its migration created it.
type appendOnlyTrigger struct {
	name, table, sql string
}

var appendOnlyTriggers = []appendOnlyTrigger{
	{"audit_event_no_update", "audit_event", `CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');
END`},
	{"audit_event_no_delete", "audit_event", `CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');
END`},
	{"sheet_no_update", "sheet", `CREATE TRIGGER sheet_no_update BEFORE UPDATE ON sheet
BEGIN
    SELECT RAISE(ABORT, 'kept aftercare sheets cannot be changed; make a new version');
END`},
	{"sheet_no_delete", "sheet", `CREATE TRIGGER sheet_no_delete BEFORE DELETE ON sheet
BEGIN
    SELECT RAISE(ABORT, 'kept aftercare sheets cannot be deleted');
END`},
	{"session_version_no_update", "session_version", `CREATE TRIGGER session_version_no_update BEFORE UPDATE ON session_version
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of a session cannot be changed');
END`},
	{"session_version_no_delete", "session_version", `CREATE TRIGGER session_version_no_delete BEFORE DELETE ON session_version
BEGIN
    SELECT RAISE(ABORT, 'earlier versions of a session cannot be deleted');
END`},
}

// sameSQL compares two statements ignoring how they are spaced.
func sameSQL(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// brokenTrigger is an append-only trigger that is missing or not as
// NeedleDesk made it.
type brokenTrigger struct {
	appendOnlyTrigger
	missing bool
}

func (b brokenTrigger) problem() string {
	what := map[string]string{"audit_event": "the audit trail", "sheet": "kept aftercare sheets",
		"session_version": "earlier versions of sessions"}[b.table]
	if b.missing {
		return fmt.Sprintf("the rule that keeps %s append-only (trigger %s) is missing: someone removed it with a database tool, so rows could be changed or deleted unseen; NeedleDesk puts it back when it next opens the database",
			what, b.name)
	}
	return fmt.Sprintf("the rule that keeps %s append-only (trigger %s) was changed with a database tool; NeedleDesk puts it back when it next opens the database", what, b.name)
}

// brokenTriggers lists the append-only triggers, of tables the database
// has, that are missing or changed.
func brokenTriggers(ctx context.Context, q queryer) ([]brokenTrigger, error) {
	rows, err := q.QueryContext(ctx, `SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('table', 'trigger')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables, triggers := map[string]bool{}, map[string]string{}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		if typ == "table" {
			tables[name] = true
		} else {
			triggers[name] = text
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []brokenTrigger
	for _, t := range appendOnlyTriggers {
		text, ok := triggers[t.name]
		switch {
		case !tables[t.table]:
		case !ok:
			out = append(out, brokenTrigger{t, true})
		case !sameSQL(text, t.sql):
			out = append(out, brokenTrigger{t, false})
		}
	}
	return out, nil
}

// restoreAppendOnly puts back, at Open, every append-only trigger that
// was removed or changed, and records each in the audit trail in the same
// transaction.
func restoreAppendOnly(ctx context.Context, db *sql.DB, now time.Time) error {
	broken, err := brokenTriggers(ctx, db)
	if err != nil || len(broken) == 0 {
		return err
	}
	tx, err := beginWrite(ctx, db)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if broken, err = brokenTriggers(ctx, tx); err != nil {
		return err
	}
	var events []auditRow
	for _, b := range broken {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS `+b.name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, b.sql); err != nil {
			return fmt.Errorf("putting back trigger %s: %w", b.name, err)
		}
		how := "was missing"
		if !b.missing {
			how = "had been changed"
		}
		events = append(events, auditRow{at: now, actor: data.SystemActor, action: data.ActionUpdate, entity: data.EntityAudit,
			detail: fmt.Sprintf("the append-only rule %s %s (removed with a database tool) and was put back", b.name, how)})
	}
	if err := appendAudits(ctx, tx, events); err != nil {
		return err
	}
	return tx.Commit()
}
