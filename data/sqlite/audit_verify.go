package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"needledesk/data"
)

// VerifyAuditChain walks the whole audit trail, oldest first, in one read
// transaction, and reports the first event that was changed, removed or
// moved, or events removed from the end. It reads every event: about a
// fifth of a second per 100,000 (BenchmarkVerifyAuditChain).
func (s *Store) VerifyAuditChain(ctx context.Context) (data.AuditChainReport, error) {
	var rep data.AuditChainReport
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		rep, err = verifyAuditChain(ctx, tx)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("checking the audit trail: %w", err)
	}
	return rep, nil
}

// storedEvent is an event with its stored links, as the walk reads it.
type storedEvent struct {
	chainedEvent
	prevHash, hash string
}

// chainBreak is the first event whose links do not hold, with what the
// walk knew just before it.
type chainBreak struct {
	ev       storedEvent
	selfOK   bool   // its hash matches its fields and its prev_hash
	prevID   int64  // the intact event before it, 0 for none
	prevHash string // that event's hash, genesisHash for none
}

func verifyAuditChain(ctx context.Context, q queryer) (data.AuditChainReport, error) {
	var rep data.AuditChainReport
	chained, err := rowExists(ctx, q, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_head'`)
	if err != nil || !chained {
		return rep, err
	}
	rep.Chained = true
	head, haveHead, err := readHead(ctx, q)
	if err != nil {
		return rep, err
	}
	last, brk, err := walkChain(ctx, q, &rep)
	switch {
	case err != nil:
		return rep, err
	case brk != nil && haveHead && brk.ev.ID > head.lastID:
		rep.BadEventID = brk.ev.ID
		rep.Problem = fmt.Sprintf("audit event %d was added outside NeedleDesk", brk.ev.ID)
	case brk != nil:
		rep.BadEventID, rep.Problem, err = brk.diagnose(ctx, q)
	case !haveHead:
		rep.BadEventID = last.ID
		rep.Problem = "the audit trail's head record is missing, so events removed from the end would not show"
	default:
		rep.BadEventID, rep.Problem = checkHead(head, last, rep.Events)
	}
	return rep, err
}

// readHead reads the head record; found is false when it is missing.
func readHead(ctx context.Context, q queryer) (h auditHead, found bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1`).Scan(&h.lastID, &h.events, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	return h, err == nil, err
}

// walkChain reads the events in ID order, counting the intact ones in
// rep.Events, and stops at the first break. last is the last intact event
// (ID 0 and genesisHash when there is none).
func walkChain(ctx context.Context, q queryer, rep *data.AuditChainReport) (last storedEvent, brk *chainBreak, err error) {
	withRowHash, err := rowExists(ctx, q, `SELECT 1 FROM pragma_table_info('audit_event') WHERE name = 'row_hash'`)
	if err != nil {
		return last, nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+chainedColumns(withRowHash)+`, prev_hash, hash FROM audit_event ORDER BY id`)
	if err != nil {
		return last, nil, err
	}
	defer rows.Close()
	last.hash = genesisHash
	var h chainHasher
	for rows.Next() {
		var ev storedEvent
		if err := rows.Scan(append(chainFields(&ev.chainedEvent), &ev.RowHash, &ev.prevHash, &ev.hash)...); err != nil {
			return last, nil, err
		}
		want, ok := h.Hash(ev.prevHash, ev.chainedEvent)
		selfOK := ok && want == ev.hash
		if !selfOK || ev.prevHash != last.hash {
			return last, &chainBreak{ev: ev, selfOK: selfOK, prevID: last.ID, prevHash: last.hash}, nil
		}
		last = ev
		rep.Events++
	}
	return last, nil, rows.Err()
}

// diagnose names the first bad event and says what happened to it. The
// walk must be over: this runs another query, and Check has a single
// connection.
func (b *chainBreak) diagnose(ctx context.Context, q queryer) (int64, string, error) {
	id := b.ev.ID
	switch {
	case !data.IsChainHash(b.ev.hash) && !data.IsChainHash(b.ev.prevHash): // NeedleDesk never writes an event without them
		return id, fmt.Sprintf("audit event %d was added outside NeedleDesk", id), nil
	case b.ev.prevHash == b.prevHash: // linked to the right event, but its fields or hash differ
		return id, fmt.Sprintf("audit event %d was changed", id), nil
	case id > b.prevID+2:
		return b.prevID + 1, fmt.Sprintf("audit events %d to %d are missing", b.prevID+1, id-1), nil
	case id == b.prevID+2:
		return b.prevID + 1, fmt.Sprintf("audit event %d is missing", b.prevID+1), nil
	}
	// The link is broken with no gap: this event was moved here (its hash
	// fits its fields under another ID), or the event before it was
	// rewritten with a fresh hash, or its own link was edited.
	var maxID int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_event`).Scan(&maxID); err != nil {
		return 0, "", err
	}
	if was, ok := writtenAs(b.ev, maxID); ok {
		return id, fmt.Sprintf("audit event %d is out of order: it was written as event %d", id, was), nil
	}
	if b.selfOK && b.ev.prevHash == genesisHash {
		return id, fmt.Sprintf("audit event %d starts the trail again: the trail's head record was damaged before it was written", id), nil
	}
	if b.selfOK && b.prevID > 0 {
		return b.prevID, fmt.Sprintf("audit event %d was changed", b.prevID), nil
	}
	return id, fmt.Sprintf("audit event %d was changed", id), nil
}

// writtenAs finds the ID an event had when it was written, trying every
// ID up to maxID: the one under which its hash fits its fields and link.
// It runs once, on a broken chain; 100,000 tries take a few hundredths of
// a second.
func writtenAs(ev storedEvent, maxID int64) (int64, bool) {
	var h chainHasher
	e := ev.chainedEvent
	for k := int64(1); k <= maxID; k++ {
		e.ID = k
		if hash, ok := h.Hash(ev.prevHash, e); !ok {
			return 0, false
		} else if hash == ev.hash && k != ev.ID {
			return k, true
		}
	}
	return 0, false
}

// checkHead compares the intact chain's end with the head record, which
// is what shows events removed from the end.
func checkHead(h auditHead, last storedEvent, events int64) (int64, string) {
	switch {
	case h.lastID > last.ID && last.ID == 0:
		return 1, fmt.Sprintf("all %d audit events were removed", h.events)
	case h.lastID > last.ID:
		return last.ID + 1, fmt.Sprintf("audit events after %d were removed (the trail ended at %d)", last.ID, h.lastID)
	case h.lastID < last.ID:
		return h.lastID + 1, fmt.Sprintf("audit events after %d were added outside NeedleDesk, or the trail's head record was changed", h.lastID)
	case h.hash != last.hash:
		return last.ID, fmt.Sprintf("audit event %d does not match the trail's head record: one of them was changed", last.ID)
	case h.events != events:
		return last.ID, fmt.Sprintf("the trail's head record counts %d audit events up to event %d, but there are %d: it was changed", h.events, last.ID, events)
	}
	return 0, ""
}
