package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"needledesk/data"
)

// Audit page sizes. The trail grows by one row per change, so an unbounded
// read could pull hundreds of thousands of rows into the UI.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 10000
)

// auditRow is one line of the trail before it is written.
type auditRow struct {
	at       time.Time
	actor    int64
	action   data.Action
	entity   data.Entity
	entityID int64
	clientID int64  // the client the event concerns, 0 for none
	detail   string // a short plain-words note; never a password
}

const insertAudit = `INSERT INTO audit_event (at, actor_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?)`

// writeAudit appends one row inside the caller's transaction, so the change
// and its record commit or vanish together.
func writeAudit(ctx context.Context, q queryer, a auditRow) error {
	_, err := q.ExecContext(ctx, insertAudit, timeText(a.at), a.actor, string(a.action), string(a.entity), a.entityID)
	if err != nil {
		return fmt.Errorf("writing the audit trail: %w", err)
	}
	return nil
}

// RecordEvent appends an event that is not part of a change the store
// makes itself: a sheet printed again, an export, a backup. Its time is the
// store's clock; e.ID and e.At are ignored.
func (s *Store) RecordEvent(ctx context.Context, e data.AuditEvent) error {
	if e.Action == "" || e.Entity == "" {
		return fmt.Errorf("recording an event: %w", data.Invalid("action", "an audit event needs an action and an entity"))
	}
	return s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: e.ActorID, action: e.Action, entity: e.Entity,
			entityID: e.EntityID, clientID: e.ClientID, detail: e.Detail})
	})
}

// auditEvents reads the trail newest first. Zero filter fields do not filter;
// Limit 0 means DefaultAuditLimit, and no more than MaxAuditLimit rows come
// back. Newest first is by id, the order rows were written, which stays
// right even if the computer's clock was once wrong.
func (s *Store) auditEvents(ctx context.Context, f data.AuditFilter) ([]data.AuditEvent, error) {
	q := `SELECT id, at, actor_id, action, entity, entity_id FROM audit_event WHERE 1 = 1`
	var args []any
	if f.ActorID != 0 {
		q += ` AND actor_id = ?`
		args = append(args, f.ActorID)
	}
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, string(f.Entity))
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, pageLimit(f.Limit, DefaultAuditLimit, MaxAuditLimit))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	defer rows.Close()
	var out []data.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return out, nil
}

func scanAudit(sc scanner) (data.AuditEvent, error) {
	var e data.AuditEvent
	var at sql.NullString
	var action, entity string
	if err := sc.Scan(&e.ID, &at, &e.ActorID, &action, &entity, &e.EntityID); err != nil {
		return e, fmt.Errorf("reading the audit trail: %w", err)
	}
	e.Action, e.Entity = data.Action(action), data.Entity(entity)
	var err error
	if e.At, err = parseTime(at); err != nil {
		return e, fmt.Errorf("audit event %d: %w", e.ID, err)
	}
	return e, nil
}

// pageLimit applies a default to 0 (or less) and a ceiling to the rest.
func pageLimit(n, def, ceiling int) int {
	switch {
	case n <= 0:
		return def
	case n > ceiling:
		return ceiling
	}
	return n
}
