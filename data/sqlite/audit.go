package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	// hashRow asks for the row hash of the client, session or staff
	// member the event records a write of (row_hash.go); appendAudits
	// reads the row as written and sets rowHash.
	hashRow bool
	rowHash string
}

// writeAudit appends one row inside the caller's transaction, so the change
// and its record commit or vanish together. The row is chained onto the
// trail (see audit_chain.go).
func writeAudit(ctx context.Context, q queryer, a auditRow) error {
	return appendAudits(ctx, q, []auditRow{a})
}

// RecordExport records an export the caller has written: the clinic or a
// client's record (entity database or client) or the audit trail (entity
// audit). Only someone allowed to export may, and for the audit trail
// only someone who may also read it; a refusal writes nothing but its own
// denied row. The row is always an export: no other kind of event can be
// written through it.
func (s *Store) RecordExport(ctx context.Context, actor int64, entity data.Entity, clientID int64, detail string) error {
	if err := s.Authorize(ctx, actor, data.PermExport); err != nil {
		return fmt.Errorf("recording an export: %w", err)
	}
	if entity == data.EntityAudit {
		if err := s.Authorize(ctx, actor, data.PermAuditView); err != nil {
			return fmt.Errorf("recording an export: %w", err)
		}
	}
	e := data.AuditEvent{ActorID: actor, Action: data.ActionExport, Entity: entity, ClientID: clientID, Detail: detail}
	if entity == data.EntityClient {
		e.EntityID = clientID
	}
	return s.recordEvent(ctx, e)
}

// recordEvent appends an event that is not part of a change the store
// makes itself (an export, a backup). Its time is the store's clock; e.ID
// and e.At are ignored. An unknown action, a missing entity or a detail
// that is too long or holds control characters is a *data.ValidationError,
// and nothing is written. Callers check the actor's role first.
func (s *Store) recordEvent(ctx context.Context, e data.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("recording an event: %w", err)
	}
	return s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: e.ActorID, action: e.Action, entity: e.Entity,
			entityID: e.EntityID, clientID: e.ClientID, detail: e.Detail})
	})
}

// auditEvents reads the trail newest first. Zero filter fields do not filter;
// From and To are calendar days in the clinic's local time, both included.
// Limit 0 means DefaultAuditLimit, and no more than MaxAuditLimit rows come
// back; Offset skips that many matches first, for the next page. Newest
// first is by id, the order rows were written, which stays right even if
// the computer's clock was once wrong.
func (s *Store) auditEvents(ctx context.Context, f data.AuditFilter) ([]data.AuditEvent, error) {
	q := auditQuery(f, time.Local)
	rows, err := s.r.QueryContext(ctx, q.sql, q.args...)
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

// auditColumns are an event's columns and the names behind its IDs, each
// looked up by primary key in the row's own subquery, so a page costs a
// few lookups per row and the filters keep their plans.
const auditColumns = `id, at, actor_id, action, entity, entity_id, client_id, detail,
	coalesce((SELECT a.name FROM staff a WHERE a.id = audit_event.actor_id), ''),
	coalesce((SELECT c.given_name FROM client c WHERE c.id = audit_event.client_id), ''),
	coalesce((SELECT c.family_name FROM client c WHERE c.id = audit_event.client_id), ''),
	coalesce(CASE audit_event.entity
		WHEN 'staff' THEN (SELECT r.name FROM staff r WHERE r.id = audit_event.entity_id)
		WHEN 'product' THEN (SELECT p.name FROM product p WHERE p.id = audit_event.entity_id)
		WHEN 'room' THEN (SELECT r.name FROM room r WHERE r.id = audit_event.entity_id)
		WHEN 'treatment' THEN (SELECT t.name FROM treatment_type t WHERE t.id = audit_event.entity_id)
		WHEN 'working_hours' THEN (SELECT r.name FROM staff r WHERE r.id = audit_event.entity_id)
	END, '')`

// auditQuery is the statement behind AuditEvents. Each equality filter
// has an index that gives its events newest first (migration 6), so
// LIMIT stops the read at the end of the page. The days become instants
// at local midnight: From's start up to the start of the day after To.
func auditQuery(f data.AuditFilter, loc *time.Location) stmt {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.ActorID != 0 {
		add(`actor_id = ?`, f.ActorID)
	}
	if f.ClientID != 0 {
		add(`client_id = ?`, f.ClientID)
	}
	if f.Action != "" {
		add(`action = ?`, string(f.Action))
	}
	switch {
	case f.Entity != "" && f.EntityID != 0:
		add(`entity = ?`, string(f.Entity))
		add(`entity_id = ?`, f.EntityID)
	case f.Entity != "":
		// A kind of record alone matches a large share of the trail:
		// reading newest first and testing each event (the + keeps SQLite
		// off the entity index) stops at the end of the page, where the
		// entity index would sort every match first.
		add(`+entity = ?`, string(f.Entity))
	case f.EntityID != 0:
		add(`entity_id = ?`, f.EntityID)
	}
	if !f.From.IsZero() {
		add(`at >= ?`, timeText(f.From.Time(loc)))
	}
	if !f.To.IsZero() {
		add(`at < ?`, timeText(f.To.AddDays(1).Time(loc)))
	}
	q := `SELECT ` + auditColumns + ` FROM audit_event`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ? OFFSET ?`
	args = append(args, pageLimit(f.Limit, DefaultAuditLimit, MaxAuditLimit), max(f.Offset, 0))
	return stmt{q, args}
}

func scanAudit(sc scanner) (data.AuditEvent, error) {
	var e data.AuditEvent
	var at sql.NullString
	var action, entity, given, family string
	if err := sc.Scan(&e.ID, &at, &e.ActorID, &action, &entity, &e.EntityID, &e.ClientID, &e.Detail,
		&e.ActorName, &given, &family, &e.RecordName); err != nil {
		return e, fmt.Errorf("reading the audit trail: %w", err)
	}
	e.ClientName = data.Client{GivenName: given, FamilyName: family}.FullName()
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
