package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"needledesk/data"
)

// Each change NeedleDesk makes to a client, a session or a staff member
// records in its audit event the SHA-256 of the row as written (row_hash,
// migration 10), and the chain covers it. `needledesk check` hashes every
// current row again and compares it with its last recorded hash, so a row
// changed with a database tool, behind NeedleDesk's back, shows.
//
// What is hashed is the record's own columns, in a fixed order: not the
// columns the store derives from others (a client's sort and search keys,
// which a new version may recompute, and the copy of their latest
// session), nor a staff member's count of wrong passwords, which every
// sign-in changes. A session's hash covers its areas and depths and its
// recommended products too.

// rowHashVersion is the migration that added audit_event.row_hash.
const rowHashVersion = 10

// rowSource says what a kind of record's hash covers.
type rowSource struct {
	table    string
	columns  string // id first
	children []rowChild
}

// rowChild is a table of rows that belong to a record, hashed with it.
type rowChild struct {
	table, parent, columns, order string
}

var rowSources = map[data.Entity]rowSource{
	data.EntityClient: {table: "client", columns: clientReadColumns},
	data.EntityStaff:  {table: "staff", columns: `id, name, role, active, password_hash`},
	data.EntitySession: {table: "session", columns: `id, client_id, technician_id, started_at, device, needle_lot, passes,
		numbing_agent, numbing_minutes, glide_serum, products_applied, reaction, notes, next_due, warnings,
		override_reason, aftercare_notes, created_at, updated_at`,
		children: []rowChild{
			{table: "session_area", parent: "session_id", columns: "area, depth_mm, position", order: "position, area"},
			{table: "session_recommendation", parent: "session_id", columns: "product_id, start_day, position", order: "position, product_id"},
		}},
}

// hashesRows reports whether events about entity carry a row hash.
func hashesRows(entity data.Entity) bool {
	_, ok := rowSources[entity]
	return ok
}

// rowTag starts every row encoding.
const rowTag = "needledesk row v1\x00"

// appendValue encodes one column's value: a type byte, then integers and
// reals as 8 bytes, text and blobs behind their length.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, 0)
	case int64:
		return binary.BigEndian.AppendUint64(append(b, 1), uint64(v))
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 2), math.Float64bits(v))
	case string:
		b = binary.BigEndian.AppendUint64(append(b, 3), uint64(len(v)))
		return append(b, v...)
	case []byte:
		b = binary.BigEndian.AppendUint64(append(b, 4), uint64(len(v)))
		return append(b, v...)
	case bool:
		n := int64(0)
		if v {
			n = 1
		}
		return binary.BigEndian.AppendUint64(append(b, 1), uint64(n))
	}
	s := fmt.Sprint(v)
	b = binary.BigEndian.AppendUint64(append(b, 5), uint64(len(s)))
	return append(b, s...)
}

// rowHashes hashes the records ids of entity as they now stand; an ID
// with no row is left out. A few statements cover the whole list.
func rowHashes(ctx context.Context, q queryer, entity data.Entity, ids []int64) (map[int64]string, error) {
	src, ok := rowSources[entity]
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
	enc := make(map[int64][]byte, len(ids))
	err := scanValues(ctx, q, `SELECT `+src.columns+` FROM `+src.table+` WHERE id`+in, list,
		func(vals []any) {
			id, _ := vals[0].(int64)
			b := append([]byte(rowTag), src.table...)
			for _, v := range vals {
				b = appendValue(b, v)
			}
			enc[id] = b
		})
	if err != nil {
		return nil, err
	}
	for _, c := range src.children {
		for id := range enc {
			enc[id] = append(append(enc[id], 0xff), c.table...)
		}
		err = scanValues(ctx, q, `SELECT `+c.parent+`, `+c.columns+` FROM `+c.table+` WHERE `+c.parent+
			in+` ORDER BY `+c.parent+`, `+c.order, list,
			func(vals []any) {
				id, _ := vals[0].(int64)
				if b, ok := enc[id]; ok {
					b = append(b, 0xfe)
					for _, v := range vals[1:] {
						b = appendValue(b, v)
					}
					enc[id] = b
				}
			})
		if err != nil {
			return nil, err
		}
	}
	out := make(map[int64]string, len(enc))
	for id, b := range enc {
		sum := sha256.Sum256(b)
		out[id] = hex.EncodeToString(sum[:])
	}
	return out, nil
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
		if !r.hashRow || !hashesRows(r.entity) || r.entityID == 0 {
			return nil
		}
		// Without cancellation: the driver watches a cancellable context
		// with a goroutine per statement, which costs more than this read.
		hashes, err := rowHashes(context.WithoutCancel(ctx), q, r.entity, []int64{r.entityID})
		r.rowHash = hashes[r.entityID]
		return err
	}
	byEntity := map[data.Entity][]int64{}
	for _, r := range rows {
		if r.hashRow && hashesRows(r.entity) && r.entityID != 0 {
			byEntity[r.entity] = append(byEntity[r.entity], r.entityID)
		}
	}
	for entity, ids := range byEntity {
		hashes, err := rowHashes(ctx, q, entity, ids)
		if err != nil {
			return err
		}
		for i := range rows {
			if rows[i].hashRow && rows[i].entity == entity {
				rows[i].rowHash = hashes[rows[i].entityID]
			}
		}
	}
	return nil
}

// RowMismatch is a current record that does not match the last change
// NeedleDesk recorded for it.
type RowMismatch struct {
	Entity  data.Entity
	ID      int64
	EventID int64 // the event that recorded its last change
}

func (m RowMismatch) String() string {
	return fmt.Sprintf("%s %d does not match its last change recorded in the audit trail (event %d): it was changed outside NeedleDesk",
		m.Entity, m.ID, m.EventID)
}

// RowsReport is what checking the records against the trail found.
type RowsReport struct {
	Checked    int // records with a recorded hash, compared
	Unrecorded int // records with no change recorded since hashes were kept (written by an older version)
	Mismatches []RowMismatch
	more       int // mismatches past those listed
}

// maxListedMismatches keeps a report readable; the count says the rest.
const maxListedMismatches = 20

// checkRows hashes every client, session and staff row and compares it
// with the last hash the trail recorded for it. It reads a page of
// records at a time.
func checkRows(ctx context.Context, q queryer) (RowsReport, error) {
	var rep RowsReport
	has, err := rowExists(ctx, q, `SELECT 1 FROM pragma_table_info('audit_event') WHERE name = 'row_hash'`)
	if err != nil || !has {
		return rep, err
	}
	for _, entity := range []data.Entity{data.EntityClient, data.EntitySession, data.EntityStaff} {
		if err := checkEntityRows(ctx, q, entity, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

const rowCheckPage = 500

func checkEntityRows(ctx context.Context, q queryer, entity data.Entity, rep *RowsReport) error {
	src := rowSources[entity]
	for after := int64(0); ; {
		ids, err := pageIDs(ctx, q, src.table, after)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		got, err := rowHashes(ctx, q, entity, ids)
		if err != nil {
			return err
		}
		recorded, err := lastRowHashes(ctx, q, entity, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			rec, ok := recorded[id]
			switch {
			case !ok:
				rep.Unrecorded++
			case rec.hash != got[id]:
				if len(rep.Mismatches) < maxListedMismatches {
					rep.Mismatches = append(rep.Mismatches, RowMismatch{Entity: entity, ID: id, EventID: rec.event})
				} else {
					rep.more++
				}
			default:
				rep.Checked++
			}
		}
	}
}

func pageIDs(ctx context.Context, q queryer, table string, after int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM `+table+` WHERE id > ? ORDER BY id LIMIT ?`, after, rowCheckPage)
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

type recordedHash struct {
	event int64
	hash  string
}

// lastRowHashes reads, for each record, the newest event that carries
// its row hash.
func lastRowHashes(ctx context.Context, q queryer, entity data.Entity, ids []int64) (map[int64]recordedHash, error) {
	list, err := idList(ids)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT entity_id, id, row_hash FROM audit_event
		WHERE entity = ? AND entity_id IN (SELECT value FROM json_each(?)) AND row_hash != '' ORDER BY id`, string(entity), list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]recordedHash, len(ids))
	for rows.Next() {
		var id int64
		var r recordedHash
		if err := rows.Scan(&id, &r.event, &r.hash); err != nil {
			return nil, err
		}
		out[id] = r // newest last
	}
	return out, rows.Err()
}

// Problems lists what the report found, in words.
func (r RowsReport) Problems() []string {
	var out []string
	for _, m := range r.Mismatches {
		out = append(out, "records: "+m.String())
	}
	if r.more > 0 {
		out = append(out, fmt.Sprintf("records: %d more records do not match their last recorded change", r.more))
	}
	return out
}
