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

// verifyAuditChain hands the trail to data.VerifyChain, the one walk
// both stores use, so a trail moved between them is judged alike. A
// database from before the chain (migration 6) has nothing to check.
func verifyAuditChain(ctx context.Context, q queryer) (data.AuditChainReport, error) {
	chained, err := rowExists(ctx, q, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_head'`)
	if err != nil || !chained {
		return data.AuditChainReport{}, err
	}
	head, haveHead, err := readHead(ctx, q)
	if err != nil {
		return data.AuditChainReport{}, err
	}
	withRowHash, err := rowExists(ctx, q, `SELECT 1 FROM pragma_table_info('audit_event') WHERE name = 'row_hash'`)
	if err != nil {
		return data.AuditChainReport{}, err
	}
	src := data.ChainSource{
		Events: func(yield func(data.StoredChainEvent) bool) error { return chainEvents(ctx, q, withRowHash, yield) },
		// Asked only once the walk is over: Check has a single connection.
		MaxID: func() (n int64, err error) {
			return n, q.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_event`).Scan(&n)
		},
	}
	if haveHead {
		src.Head = &data.ChainHead{LastID: head.lastID, Events: head.events, Hash: head.hash}
	}
	return data.VerifyChain(src)
}

// readHead reads the head record; found is false when it is missing.
func readHead(ctx context.Context, q queryer) (h auditHead, found bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1`).Scan(&h.lastID, &h.events, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	return h, err == nil, err
}

// chainEvents reads the events in ID order for the walk until yield
// says stop.
func chainEvents(ctx context.Context, q queryer, withRowHash bool, yield func(data.StoredChainEvent) bool) error {
	rows, err := q.QueryContext(ctx, `SELECT `+chainedColumns(withRowHash)+`, prev_hash, hash FROM audit_event ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev data.StoredChainEvent
		if err := rows.Scan(append(chainFields(&ev.ChainEvent), &ev.RowHash, &ev.PrevHash, &ev.Hash)...); err != nil {
			return err
		}
		if !yield(ev) {
			return nil
		}
	}
	return rows.Err()
}
