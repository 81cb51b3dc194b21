package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// Audit page sizes, as data/sqlite's.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 10000
)

type auditRow struct {
	at       time.Time
	actor    int64
	action   data.Action
	entity   data.Entity
	entityID int64
	clientID int64
	detail   string
	// hashRow asks for the row hash of the client, session or staff
	// member the event records a write of (row_hash.go); appendAudits
	// reads the row as written and sets rowHash.
	hashRow bool
	rowHash string
}

func (a auditRow) chained(id int64) data.ChainEvent {
	return data.ChainEvent{ID: id, At: timeText(a.at), Actor: a.actor, Action: string(a.action), Entity: string(a.entity),
		EntityID: a.entityID, ClientID: a.clientID, Detail: a.detail, RowHash: a.rowHash}
}

func writeAudit(ctx context.Context, q queryer, a auditRow) error {
	return appendAudits(ctx, q, []auditRow{a})
}

// appendAudits chains rows onto the trail inside the caller's
// transaction. It locks the head row first, so writers on every
// workstation append one at a time and the trail stays one chain; the
// lock is held until the caller's transaction ends.
func appendAudits(ctx context.Context, q queryer, rows []auditRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := hashWrittenRows(ctx, q, rows); err != nil {
		return fmt.Errorf("writing the audit trail: %w", err)
	}
	var head data.ChainHead
	err := q.QueryRow(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1 FOR UPDATE`).
		Scan(&head.LastID, &head.Events, &head.Hash)
	if err != nil {
		return fmt.Errorf("reading the audit trail's head: %w", err)
	}
	if !data.IsChainHash(head.Hash) {
		head.Hash = data.ChainGenesis // breaks the link where the damage is; check finds it
	}
	var maxID int64
	if err := q.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM audit_event`).Scan(&maxID); err != nil {
		return fmt.Errorf("reading the audit trail: %w", err)
	}
	id := max(head.LastID, maxID) + 1
	var h data.ChainHasher
	batch := &pgx.Batch{}
	for _, r := range rows {
		e := r.chained(id)
		hash, _ := h.Hash(head.Hash, e)
		batch.Queue(`INSERT INTO audit_event (id, at, actor_id, action, entity, entity_id, client_id, detail, row_hash, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			e.ID, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.ClientID, e.Detail, e.RowHash, head.Hash, hash)
		head = data.ChainHead{LastID: id, Events: head.Events + 1, Hash: hash}
		id++
	}
	batch.Queue(`UPDATE audit_head SET last_id = $1, events = $2, hash = $3 WHERE id = 1`, head.LastID, head.Events, head.Hash)
	br := q.(batchSender).SendBatch(ctx, batch)
	if err := br.Close(); err != nil {
		return fmt.Errorf("writing the audit trail: %w", err)
	}
	return nil
}

// RecordExport records an export the caller has written, as data/sqlite's.
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
	if err := e.Validate(); err != nil {
		return fmt.Errorf("recording an event: %w", err)
	}
	return s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: e.ActorID, action: e.Action, entity: e.Entity,
			entityID: e.EntityID, clientID: e.ClientID, detail: e.Detail})
	})
}

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

// auditEvents reads the trail newest first, as data/sqlite's does.
func (s *Store) auditEvents(ctx context.Context, f data.AuditFilter) ([]data.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorID != 0 {
		add(`actor_id = $%d`, f.ActorID)
	}
	if f.ClientID != 0 {
		add(`client_id = $%d`, f.ClientID)
	}
	if f.Action != "" {
		add(`action = $%d`, string(f.Action))
	}
	if f.Entity != "" {
		add(`entity = $%d`, string(f.Entity))
	}
	if f.EntityID != 0 {
		add(`entity_id = $%d`, f.EntityID)
	}
	if !f.From.IsZero() {
		add(`at >= $%d`, timeText(f.From.Time(time.Local)))
	}
	if !f.To.IsZero() {
		add(`at < $%d`, timeText(f.To.AddDays(1).Time(time.Local)))
	}
	q := `SELECT ` + auditColumns + ` FROM audit_event`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	args = append(args, pageLimit(f.Limit, DefaultAuditLimit, MaxAuditLimit), max(f.Offset, 0))
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", describeServerError(err))
	}
	defer rows.Close()
	var out []data.AuditEvent
	for rows.Next() {
		var e data.AuditEvent
		var at sql.NullString
		var action, entity, given, family string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &action, &entity, &e.EntityID, &e.ClientID, &e.Detail,
			&e.ActorName, &given, &family, &e.RecordName); err != nil {
			return nil, fmt.Errorf("reading the audit trail: %w", err)
		}
		e.ClientName = data.Client{GivenName: given, FamilyName: family}.FullName()
		e.Action, e.Entity = data.Action(action), data.Entity(entity)
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("audit event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	return out, nil
}

// VerifyAuditChain walks the whole trail, oldest first, in one snapshot,
// with data's shared chain check.
func (s *Store) VerifyAuditChain(ctx context.Context) (data.AuditChainReport, error) {
	var rep data.AuditChainReport
	err := s.read(ctx, func(tx pgx.Tx) (err error) {
		rep, err = verifyChainIn(ctx, tx)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("checking the audit trail: %w", err)
	}
	return rep, nil
}

// verifyChainIn checks the trail as tx sees it: a read snapshot, or a
// move's transaction before it commits.
func verifyChainIn(ctx context.Context, tx pgx.Tx) (data.AuditChainReport, error) {
	var head data.ChainHead
	src := data.ChainSource{Head: &head}
	err := tx.QueryRow(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1`).Scan(&head.LastID, &head.Events, &head.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		src.Head = nil
	} else if err != nil {
		return data.AuditChainReport{}, err
	}
	src.MaxID = func() (n int64, err error) {
		return n, tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM audit_event`).Scan(&n)
	}
	src.Events = func(yield func(data.StoredChainEvent) bool) error {
		rows, err := tx.Query(ctx, `SELECT id, at, actor_id, action, entity, entity_id, client_id, detail, row_hash, prev_hash, hash
			FROM audit_event ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ev data.StoredChainEvent
			if err := rows.Scan(&ev.ID, &ev.At, &ev.Actor, &ev.Action, &ev.Entity, &ev.EntityID, &ev.ClientID,
				&ev.Detail, &ev.RowHash, &ev.PrevHash, &ev.Hash); err != nil {
				return err
			}
			if !yield(ev) {
				return nil
			}
		}
		return rows.Err()
	}
	return data.VerifyChain(src)
}

func pageLimit(n, def, ceiling int) int {
	switch {
	case n <= 0:
		return def
	case n > ceiling:
		return ceiling
	}
	return n
}
