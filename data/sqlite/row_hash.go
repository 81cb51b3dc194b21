package sqlite

import (
	"context"
	"fmt"

	"needledesk/data"
	"needledesk/data/internal/rowhash"
)

// Each change NeedleDesk makes to a client, a session or a staff member
// records in its audit event the SHA-256 of the row as written (row_hash,
// migration 10), and the chain covers it. `needledesk check` hashes every
// current row again and compares it with its last recorded hash, so a row
// changed with a database tool, behind NeedleDesk's back, shows. What is
// hashed, and how, is data/internal/rowhash's, shared with the
// PostgreSQL store; the reads are here.

// rowHashVersion is the migration that added audit_event.row_hash.
const rowHashVersion = 10

// RowMismatch is a current record that does not match the last change
// NeedleDesk recorded for it.
type RowMismatch = rowhash.Mismatch

// RowsReport is what checking the records against the trail found.
type RowsReport = rowhash.Report

// rowHashes hashes the records ids of entity as they now stand; an ID
// with no row is left out. A few statements cover the whole list.
func rowHashes(ctx context.Context, q queryer, entity data.Entity, ids []int64) (map[int64]string, error) {
	rows, ok := rowhash.NewRows(entity)
	if !ok || len(ids) == 0 {
		return nil, nil
	}
	// One record (every single change) is looked up by its key; a list,
	// as imports write, through json_each.
	var list any = ids[0]
	in := ` = ?`
	if len(ids) > 1 {
		l, err := idList(ids)
		if err != nil {
			return nil, err
		}
		list, in = l, ` IN (SELECT value FROM json_each(?))`
	}
	for i, qu := range rows.Queries() {
		var addErr error
		err := scanValues(ctx, q, `SELECT `+qu.Columns+` FROM `+qu.Table+` WHERE `+qu.Key+in, list, func(vals []any) {
			if addErr == nil {
				addErr = rows.Add(i, vals)
			}
		})
		if err == nil {
			err = addErr
		}
		if err != nil {
			return nil, err
		}
	}
	return rows.Sums(), nil
}

// scanValues runs a query with one argument and hands each row's values
// to fn; the slice is reused.
func scanValues(ctx context.Context, q queryer, query string, arg any, fn func([]any)) error {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return fmt.Errorf("reading rows to hash: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("reading rows to hash: %w", err)
		}
		fn(vals)
	}
	return rows.Err()
}

// hashWrittenRows fills in the row hash of every row that records a
// write to a client, session or staff member (hashRow), reading each
// kind of record once for the lot.
func hashWrittenRows(ctx context.Context, q queryer, rows []auditRow) error {
	if len(rows) == 1 { // a single change: no bookkeeping
		r := &rows[0]
		if !r.hashRow || !rowhash.Hashed(r.entity) || r.entityID == 0 {
			return nil
		}
		// Without cancellation: the driver watches a cancellable context
		// with a goroutine per statement, which costs more than this read.
		hashes, err := rowHashes(context.WithoutCancel(ctx), q, r.entity, []int64{r.entityID})
		r.rowHash = hashes[r.entityID]
		return err
	}
	var writes []rowhash.Written
	for i := range rows {
		if rows[i].hashRow {
			writes = append(writes, rowhash.Written{Entity: rows[i].entity, ID: rows[i].entityID, Hash: &rows[i].rowHash})
		}
	}
	return rowhash.FillWritten(writes, func(entity data.Entity, ids []int64) (map[int64]string, error) {
		return rowHashes(ctx, q, entity, ids)
	})
}

// checkRows hashes every client, session and staff row and compares it
// with the last hash the trail recorded for it (rowhash.Check).
func checkRows(ctx context.Context, q queryer) (RowsReport, error) {
	has, err := rowExists(ctx, q, `SELECT 1 FROM pragma_table_info('audit_event') WHERE name = 'row_hash'`)
	if err != nil || !has {
		return RowsReport{}, err
	}
	return rowhash.Check(ctx, rowReader{q})
}

// rowReader is the file as the row check reads it (rowhash.Reader).
type rowReader struct{ q queryer }

func (r rowReader) IDs(ctx context.Context, table string, after int64, limit int) ([]int64, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id FROM `+table+` WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (r rowReader) Sums(ctx context.Context, entity data.Entity, ids []int64) (map[int64]string, error) {
	return rowHashes(ctx, r.q, entity, ids)
}

// Recorded reads, for each record, the newest event that carries its
// row hash.
func (r rowReader) Recorded(ctx context.Context, entity data.Entity, ids []int64) (map[int64]rowhash.Recorded, error) {
	list, err := idList(ids)
	if err != nil {
		return nil, err
	}
	rows, err := r.q.QueryContext(ctx, `SELECT entity_id, id, row_hash FROM audit_event
		WHERE entity = ? AND entity_id IN (SELECT value FROM json_each(?)) AND row_hash != '' ORDER BY id`, string(entity), list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]rowhash.Recorded, len(ids))
	for rows.Next() {
		var id int64
		var rec rowhash.Recorded
		if err := rows.Scan(&id, &rec.Event, &rec.Hash); err != nil {
			return nil, err
		}
		out[id] = rec // newest last
	}
	return out, rows.Err()
}
