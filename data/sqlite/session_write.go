package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"needledesk/data"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sessionWriteColumns are the columns a create or an update writes, in the
// order sessionArgs gives their values.
var sessionWriteColumns = []string{
	"client_id", "technician_id", "started_at", "device", "needle_lot", "passes",
	"numbing_agent", "numbing_minutes", "glide_serum", "products_applied", "reaction", "notes",
	"next_due", "warnings", "override_reason", "aftercare_notes",
}

// updateSessionSQL saves over the version read (migration 12) and raises
// it; no row back means the session changed or is gone.
var updateSessionSQL = `UPDATE session SET ` + strings.Join(sessionWriteColumns, " = ?, ") + ` = ?, updated_at = ?,
	version = version + 1, updated_by = ?
	WHERE id = ? AND version = ? RETURNING created_at, version`

// refreshLatestSQL copies the client's latest session (by started_at) into
// the client row, which keeps the list and the due filter cheap. It takes
// a JSON array of client IDs, so an import refreshes every client it
// touched in one statement.
const refreshLatestSQL = `UPDATE client SET (last_session_at, next_due) = (
		SELECT started_at, next_due FROM session WHERE client_id = client.id
		ORDER BY started_at DESC, id DESC LIMIT 1)
	WHERE id IN (SELECT value FROM json_each(?))`

func sessionArgs(s *data.Session) ([]any, error) {
	warnings, err := jsonList(s.Warnings)
	if err != nil {
		return nil, err
	}
	return []any{
		s.ClientID, s.TechnicianID, timeText(s.StartedAt), s.Device, s.NeedleLot, s.Passes,
		s.NumbingAgent, s.NumbingMinutes, s.GlideSerum, s.ProductsApplied, s.Reaction, s.Notes,
		nullDate(s.NextDue), warnings, s.OverrideReason, s.AftercareNotes,
	}, nil
}

// sessionBatch is how many sessions one INSERT writes during an import.
const sessionBatch = 64

// sessionWriter writes sessions and their child rows a batch at a time.
// Sessions arrive with their IDs already chosen (nextID), so a whole batch
// and all its areas and recommendations take three statements.
type sessionWriter struct {
	sessions, areas, recs *multiInsert
}

func newSessionWriter(tx *sql.Tx) *sessionWriter {
	cols := append(append([]string{"id"}, sessionWriteColumns...), "created_at", "updated_at", "updated_by")
	return &sessionWriter{
		sessions: newMultiInsert(tx, "session", cols...),
		areas:    newMultiInsert(tx, "session_area", "session_id", "area", "depth_mm", "position"),
		recs:     newMultiInsert(tx, "session_recommendation", "session_id", "product_id", "start_day", "position"),
	}
}

// Close releases the statements; the transaction would release them anyway.
func (w *sessionWriter) Close() {
	w.sessions.Close()
	w.areas.Close()
	w.recs.Close()
}

// insert writes sessions whose IDs are set, stamped created and updated at
// stamp by actor, with their children.
func (w *sessionWriter) insert(ctx context.Context, ss []data.Session, stamp string, actor int64) error {
	args := make([]any, 0, len(ss)*(len(sessionWriteColumns)+4))
	for i := range ss {
		row, err := sessionArgs(&ss[i])
		if err != nil {
			return err
		}
		args = append(append(append(args, ss[i].ID), row...), stamp, stamp, actor)
	}
	if err := w.sessions.exec(ctx, args); err != nil {
		return err
	}
	return w.children(ctx, ss)
}

// children writes the areas and recommendations of sessions, keeping the
// order they were charted in.
func (w *sessionWriter) children(ctx context.Context, ss []data.Session) error {
	var areas, recs []any
	for _, s := range ss {
		for i, a := range s.Areas {
			areas = append(areas, s.ID, string(a.Area), a.DepthMM, i)
		}
		for i, r := range s.Recommendations {
			recs = append(recs, s.ID, r.ProductID, r.StartDay, i)
		}
	}
	if err := w.areas.exec(ctx, areas); err != nil {
		return err
	}
	return w.recs.exec(ctx, recs)
}

// nextID is the ID the next row of table gets. Choosing IDs up front is
// safe because every write transaction holds SQLite's write lock from its
// start (_txlock=immediate), and it lets an import insert rows in batches.
func nextID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+table).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("choosing an ID for %s: %w", table, err)
	}
	return id, nil
}

// refreshLatest recomputes last_session_at and next_due for clients.
func refreshLatest(ctx context.Context, tx *sql.Tx, clientIDs []int64) error {
	list, err := idList(clientIDs)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, refreshLatestSQL, list); err != nil {
		return fmt.Errorf("updating the clients' latest session: %w", err)
	}
	return nil
}

// checkSessionRefs reports, as one validation error, every client,
// technician or product the session names that does not exist.
func checkSessionRefs(ctx context.Context, q queryer, ses *data.Session) error {
	var problems []data.FieldError
	check := func(field, msg, query string, id int64) error {
		ok, err := rowExists(ctx, q, query, id)
		if err == nil && !ok {
			problems = append(problems, data.FieldError{Field: field, Message: msg})
		}
		return err
	}
	if err := check("client", "this client does not exist", `SELECT 1 FROM client WHERE id = ?`, ses.ClientID); err != nil {
		return err
	}
	if err := check("technician", "this technician does not exist", `SELECT 1 FROM staff WHERE id = ?`, ses.TechnicianID); err != nil {
		return err
	}
	for _, r := range ses.Recommendations {
		msg := fmt.Sprintf("product %d is not in the catalogue", r.ProductID)
		if err := check("recommendations", msg, `SELECT 1 FROM product WHERE id = ?`, r.ProductID); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return &data.ValidationError{Problems: problems}
	}
	return nil
}

// explainBatchError turns a foreign-key failure in a batch into the
// validation error CreateSession would have given for the first session at
// fault. Imports rely on the foreign keys instead of looking every
// reference up first, which keeps them fast. offset is the batch's place in
// the whole import of n sessions.
func explainBatchError(ctx context.Context, q queryer, batch []data.Session, offset, n int, err error) error {
	var se *sqlitedriver.Error
	if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return fmt.Errorf("sessions %d to %d of %d: %w", offset+1, offset+len(batch), n, err)
	}
	for i := range batch {
		if refErr := checkSessionRefs(ctx, q, &batch[i]); refErr != nil {
			return fmt.Errorf("session %d of %d: %w", offset+i+1, n, refErr)
		}
	}
	return fmt.Errorf("sessions %d to %d of %d: %w", offset+1, offset+len(batch), n, err)
}
