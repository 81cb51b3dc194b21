package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"needledesk/data"
)

// The audit trail is a hash chain. Each event stores prev_hash, the hash of
// the event before it (genesisHash for the first), and hash, the SHA-256 of
// prev_hash's 32 bytes followed by the event's canonical encoding (see
// chainedEvent.encode). audit_head keeps the newest event's ID and hash and
// the number of events. An edit to any field breaks the event's own hash;
// a removed or moved event breaks the link of the event after it; events
// removed from the end no longer reach the head. The hashes are not keyed,
// so the chain shows changes made with a database tool, not a forgery by
// someone who recomputes every hash after the one they change.

// auditChainVersion is the migration that made the trail a chain.
const auditChainVersion = 6

// genesisHash is what the first event chains on: nothing.
var genesisHash = data.ChainGenesis

// chainedEvent is an event as stored, in data's shared encoding, which
// the PostgreSQL store uses too (data.ChainEvent, data.ChainHasher).
type (
	chainedEvent = data.ChainEvent
	chainHasher  = data.ChainHasher
)

func (a auditRow) chained(id int64) chainedEvent {
	return chainedEvent{ID: id, At: timeText(a.at), Actor: a.actor, Action: string(a.action), Entity: string(a.entity),
		EntityID: a.entityID, ClientID: a.clientID, Detail: a.detail, RowHash: a.rowHash}
}

// auditHead is the trail's head record.
type auditHead struct {
	lastID, events int64
	hash           string
}

// readHeadForWrite gives the head the next event chains on and the ID it
// gets. Tampering never stops the clinic's writes, and check still finds
// it: the ID is past both the head and the table, so an event added behind
// NeedleDesk's back cannot collide; a missing head is rebuilt from the
// newest event; a head hash that is not a hash is replaced by genesisHash,
// which breaks the link where the damage is.
func readHeadForWrite(ctx context.Context, q queryer) (head auditHead, nextID int64, err error) {
	var maxID int64
	err = q.QueryRowContext(ctx, `SELECT h.last_id, h.events, h.hash, (SELECT coalesce(max(id), 0) FROM audit_event)
		FROM audit_head h WHERE h.id = 1`).Scan(&head.lastID, &head.events, &head.hash, &maxID)
	if errors.Is(err, sql.ErrNoRows) {
		head, err = headFromTable(ctx, q)
		maxID = head.lastID
	}
	if err != nil {
		return head, 0, fmt.Errorf("reading the audit trail's head: %w", err)
	}
	if !data.IsChainHash(head.hash) {
		head.hash = genesisHash
	}
	return head, max(head.lastID, maxID) + 1, nil
}

// headFromTable is the head as the events in the table give it.
func headFromTable(ctx context.Context, q queryer) (auditHead, error) {
	h := auditHead{hash: genesisHash}
	err := q.QueryRowContext(ctx, `SELECT id, hash, (SELECT count(*) FROM audit_event) FROM audit_event ORDER BY id DESC LIMIT 1`).
		Scan(&h.lastID, &h.hash, &h.events)
	if errors.Is(err, sql.ErrNoRows) {
		return auditHead{hash: genesisHash}, nil
	}
	return h, err
}

func writeHead(ctx context.Context, q queryer, h auditHead) error {
	_, err := q.ExecContext(ctx, `INSERT INTO audit_head (id, last_id, events, hash) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, events = excluded.events, hash = excluded.hash`,
		h.lastID, h.events, h.hash)
	if err != nil {
		return fmt.Errorf("writing the audit trail's head: %w", err)
	}
	return nil
}

const auditInsertHead = `INSERT INTO audit_event (id, at, actor_id, action, entity, entity_id, client_id, detail, row_hash, prev_hash, hash) VALUES `

const (
	auditTuple     = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	auditTupleSize = 11
)

// originKey carries where the work comes from, when not from the app's
// window (WithOrigin).
type originKey struct{}

// WithOrigin marks the work done with ctx as coming from somewhere other
// than the app's window, such as "from the command line, as the
// computer's user alice": every audit event recorded with it carries
// those words after its own note, so the trail says how, and as which of
// the computer's users, work under an owner's name was done.
func WithOrigin(ctx context.Context, origin string) context.Context {
	return context.WithValue(ctx, originKey{}, origin)
}

// withOrigin adds ctx's origin to a detail, keeping it within
// data.MaxAuditDetail characters.
func withOrigin(ctx context.Context, detail string) string {
	origin, _ := ctx.Value(originKey{}).(string)
	if origin == "" {
		return detail
	}
	if detail != "" {
		origin = "; " + origin
	}
	if r := []rune(detail); len(r)+len([]rune(origin)) > data.MaxAuditDetail {
		detail = string(r[:max(0, data.MaxAuditDetail-len([]rune(origin)))])
	}
	return detail + origin
}

// appendAudits chains rows onto the trail in order, inside the caller's
// transaction, writing up to maxRowsPerInsert events per statement.
func appendAudits(ctx context.Context, q queryer, rows []auditRow) error {
	if len(rows) == 0 {
		return nil
	}
	if _, ok := ctx.Value(originKey{}).(string); ok {
		for i := range rows {
			rows[i].detail = withOrigin(ctx, rows[i].detail)
		}
	}
	if err := hashWrittenRows(ctx, q, rows); err != nil {
		return fmt.Errorf("writing the audit trail: %w", err)
	}
	head, id, err := readHeadForWrite(ctx, q)
	if err != nil {
		return err
	}
	var h chainHasher
	ins := &auditInserter{q: q}
	defer ins.Close()
	args := make([]any, 0, min(len(rows), maxRowsPerInsert)*auditTupleSize)
	for start := 0; start < len(rows); start += maxRowsPerInsert {
		batch := rows[start:min(start+maxRowsPerInsert, len(rows))]
		args = args[:0]
		for _, r := range batch {
			e := r.chained(id)
			hash, _ := h.Hash(head.hash, e) // head.hash is a hash: readHeadForWrite sees to it
			args = append(args, e.ID, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.ClientID, e.Detail, e.RowHash, head.hash, hash)
			head = auditHead{lastID: id, events: head.events + 1, hash: hash}
			id++
		}
		if err := ins.exec(ctx, len(batch), args); err != nil {
			return fmt.Errorf("writing the audit trail: %w", err)
		}
	}
	return writeHead(ctx, q, head)
}

// auditInserter runs the multi-row INSERT of appendAudits, preparing the
// statement for a full batch once per call: an import writes hundreds of
// them, and parsing 500 rows of placeholders each time cost a fifth of its
// audit trail's time.
type auditInserter struct {
	q    queryer
	full *sql.Stmt
}

func (a *auditInserter) exec(ctx context.Context, n int, args []any) error {
	text := auditInsertHead + strings.TrimSuffix(strings.Repeat(auditTuple+", ", n), ", ")
	p, canPrepare := a.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if n < maxRowsPerInsert || !canPrepare {
		_, err := a.q.ExecContext(ctx, text, args...)
		return err
	}
	if a.full == nil {
		var err error
		if a.full, err = p.PrepareContext(ctx, text); err != nil {
			return err
		}
	}
	_, err := a.full.ExecContext(ctx, args...)
	return err
}

func (a *auditInserter) Close() {
	if a.full != nil {
		_ = a.full.Close()
	}
}

// chainExistingAuditEvents is migration 6's Go step: it hashes the events
// written before the chain existed, oldest first, and writes the head. It
// reads a slice at a time so a long trail never sits in memory whole.
func chainExistingAuditEvents(ctx context.Context, tx *sql.Tx) error {
	update, err := tx.PrepareContext(ctx, `UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer update.Close()
	head := auditHead{hash: genesisHash}
	var h chainHasher
	for {
		events, err := readEventsAfter(ctx, tx, head.lastID, 10_000)
		if err != nil || len(events) == 0 {
			if err == nil {
				err = writeHead(ctx, tx, head)
			}
			return err
		}
		for _, e := range events {
			hash, _ := h.Hash(head.hash, e) // head.hash is always one of ours here
			if _, err := update.ExecContext(ctx, head.hash, hash, e.ID); err != nil {
				return fmt.Errorf("chaining audit event %d: %w", e.ID, err)
			}
			head = auditHead{lastID: e.ID, events: head.events + 1, hash: hash}
		}
	}
}

// readEventsAfter reads up to n events with IDs above after, in ID order,
// for migration 6, before events had row hashes.
func readEventsAfter(ctx context.Context, q queryer, after int64, n int) ([]chainedEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+chainedColumnsV1+` FROM audit_event WHERE id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chainedEvent
	for rows.Next() {
		var e chainedEvent
		if err := rows.Scan(chainFields(&e)...); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const chainedColumnsV1 = `id, at, actor_id, action, entity, entity_id, client_id, detail`

// chainFields are where rows.Scan puts chainedColumnsV1.
func chainFields(e *chainedEvent) []any {
	return []any{&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.ClientID, &e.Detail}
}

// chainedColumns are chainFields and the row hash, for a schema that has it
// (migration 10); an older one reads as ”.
func chainedColumns(withRowHash bool) string {
	if withRowHash {
		return chainedColumnsV1 + `, row_hash`
	}
	return chainedColumnsV1 + `, ''`
}
