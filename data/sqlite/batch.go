package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"needledesk/data"
)

// multiInsert writes several rows of one table with a single statement,
// keeping one prepared statement per row count. A session's areas and
// recommendations go in one statement each instead of one per row, which
// is most of an import's time saved: with this driver each statement costs
// far more than the row it writes.
type multiInsert struct {
	tx    *sql.Tx
	head  string // INSERT INTO t (a, b) VALUES
	tuple string // (?, ?)
	width int
	stmts map[int]*sql.Stmt
}

func newMultiInsert(tx *sql.Tx, table string, columns ...string) *multiInsert {
	return &multiInsert{
		tx:    tx,
		head:  "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ",
		tuple: "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")",
		width: len(columns),
		stmts: map[int]*sql.Stmt{},
	}
}

// maxRowsPerInsert keeps a statement well under SQLite's limit of 32766
// parameters.
const maxRowsPerInsert = 500

// exec inserts len(args)/width rows.
func (m *multiInsert) exec(ctx context.Context, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/m.width, maxRowsPerInsert)
		if n == 0 {
			return fmt.Errorf("insert into %s: %d values do not make whole rows", m.head, len(args))
		}
		if err := m.execRows(ctx, n, args[:n*m.width]); err != nil {
			return err
		}
		args = args[n*m.width:]
	}
	return nil
}

func (m *multiInsert) execRows(ctx context.Context, n int, args []any) error {
	st, ok := m.stmts[n]
	if !ok {
		var err error
		q := m.head + strings.TrimSuffix(strings.Repeat(m.tuple+", ", n), ", ")
		if st, err = m.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		m.stmts[n] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

func (m *multiInsert) Close() {
	for _, st := range m.stmts {
		_ = st.Close()
	}
}

// idList is a JSON array of IDs, for statements that take a whole set of
// rows at once through json_each. Integers survive JSON exactly.
func idList(ids []int64) (string, error) {
	b, err := json.Marshal(ids)
	if err != nil {
		return "", fmt.Errorf("encoding IDs: %w", err)
	}
	return string(b), nil
}

// auditMany writes one audit row per ID, in the order of ids, chained in
// Go and inserted many rows per statement. clientIDs[i] is the client the
// record ids[i] concerns.
func auditMany(ctx context.Context, tx *sql.Tx, at time.Time, actor int64, action data.Action, entity data.Entity, ids, clientIDs []int64) error {
	if len(clientIDs) != len(ids) {
		return fmt.Errorf("writing the audit trail: %d records but %d clients", len(ids), len(clientIDs))
	}
	rows := make([]auditRow, len(ids))
	for i, id := range ids {
		rows[i] = auditRow{at: at, actor: actor, action: action, entity: entity, entityID: id, clientID: clientIDs[i], hashRow: true}
	}
	return appendAudits(ctx, tx, rows)
}

// rowContext gives the context for an import's per-batch statements and a
// function that reports whether ctx has been cancelled. The statements run
// on a context without cancellation because the driver starts a goroutine
// per statement to watch a cancellable one, which costs more than a small
// insert; the import looks at ctx itself between batches instead.
func rowContext(ctx context.Context) (context.Context, func() error) {
	return context.WithoutCancel(ctx), ctx.Err
}
