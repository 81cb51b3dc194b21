package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/rowhash"
)

// Each change NeedleDesk makes to a client, a session or a staff member
// records in its audit event the SHA-256 of the row as written, as
// data/sqlite does (data/internal/rowhash says what is hashed, and how,
// for both stores), in the change's own transaction; Check hashes every
// current row again and compares it with its last recorded hash, so a
// row changed with a database tool, behind NeedleDesk's back, shows. A
// clinic moved from its file keeps the hashes the file recorded, and they
// verify here.

// RowsReport is what checking the records against the trail found.
type RowsReport = rowhash.Report

// batchSender sends several statements in one round trip; a pgx.Tx and
// the pool both can.
type batchSender interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// rowHashes hashes the records ids of entity as they now stand; an ID
// with no row is left out. The record's row and each kind of child row
// are read in one round trip, for the whole list.
func rowHashes(ctx context.Context, q queryer, entity data.Entity, ids []int64) (map[int64]string, error) {
	rows, ok := rowhash.NewRows(entity)
	if !ok || len(ids) == 0 {
		return nil, nil
	}
	queries := rows.Queries()
	batch := &pgx.Batch{}
	for _, qu := range queries {
		batch.Queue(`SELECT `+qu.Columns+` FROM `+qu.Table+` WHERE `+qu.Key+` = ANY($1)`, ids)
	}
	br := q.(batchSender).SendBatch(ctx, batch)
	for i := range queries {
		if err := addRows(br, rows, i); err != nil {
			_ = br.Close()
			return nil, fmt.Errorf("reading rows to hash: %w", err)
		}
	}
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("reading rows to hash: %w", err)
	}
	return rows.Sums(), nil
}

// addRows hands the rows of the batch's next statement, query i, to rows.
func addRows(br pgx.BatchResults, rows *rowhash.Rows, i int) error {
	res, err := br.Query()
	if err != nil {
		return err
	}
	defer res.Close()
	for res.Next() {
		vals, err := res.Values()
		if err != nil {
			return err
		}
		if err := rows.Add(i, vals); err != nil {
			return err
		}
	}
	return res.Err()
}

// hashWrittenRows fills in the row hash of every row that records a
// write to a client, session or staff member (hashRow), reading each
// kind of record once for the lot.
func hashWrittenRows(ctx context.Context, q queryer, rows []auditRow) error {
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

// rowReader is the database as the row check reads it (rowhash.Reader),
// inside the check's snapshot.
type rowReader struct{ q queryer }

func (r rowReader) IDs(ctx context.Context, table string, after int64, limit int) ([]int64, error) {
	rows, err := r.q.Query(ctx, `SELECT id FROM `+pgx.Identifier{table}.Sanitize()+` WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func (r rowReader) Sums(ctx context.Context, entity data.Entity, ids []int64) (map[int64]string, error) {
	return rowHashes(ctx, r.q, entity, ids)
}

// Recorded reads, for each record, the newest event that carries its row
// hash. A record whose newest write (rowhash.WriteActions) carries none
// is left out, not compared: before this version the server recorded no
// row hashes, and a workstation still running one may have changed a
// record moved from a file with its hash.
func (r rowReader) Recorded(ctx context.Context, entity data.Entity, ids []int64) (map[int64]rowhash.Recorded, error) {
	actions := make([]string, len(rowhash.WriteActions))
	for i, a := range rowhash.WriteActions {
		actions[i] = string(a)
	}
	rows, err := r.q.Query(ctx, `SELECT DISTINCT ON (entity_id) entity_id, id, row_hash FROM audit_event
		WHERE entity = $1 AND entity_id = ANY($2) AND (row_hash <> '' OR action = ANY($3))
		ORDER BY entity_id, id DESC`, string(entity), ids, actions)
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
		if rec.Hash != "" {
			out[id] = rec
		}
	}
	return out, rows.Err()
}
