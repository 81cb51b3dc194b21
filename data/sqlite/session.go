package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"needledesk/data"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sessionWriteColumns are the columns a create or an update writes, in the
// order sessionArgs gives their values.
var sessionWriteColumns = []string{
	"client_id", "technician_id", "started_at", "device", "needle_lot", "passes",
	"numbing_agent", "numbing_minutes", "glide_serum", "products_applied", "reaction", "notes",
	"next_due", "warnings", "override_reason",
}

var (
	insertSessionSQL = `INSERT INTO session (` + strings.Join(sessionWriteColumns, ", ") + `, created_at, updated_at)
		VALUES (` + strings.Repeat("?, ", len(sessionWriteColumns)) + `?, ?) RETURNING id`
	updateSessionSQL = `UPDATE session SET ` + strings.Join(sessionWriteColumns, " = ?, ") + ` = ?, updated_at = ?
		WHERE id = ? RETURNING created_at`
)

const (
	insertAreaSQL = `INSERT INTO session_area (session_id, area, depth_mm, position) VALUES (?, ?, ?, ?)`
	insertRecSQL  = `INSERT INTO session_recommendation (session_id, product_id, start_day, position) VALUES (?, ?, ?, ?)`

	// refreshLatestSQL copies the client's latest session (by started_at)
	// into the client row, which keeps the list and the due filter cheap.
	refreshLatestSQL = `UPDATE client SET (last_session_at, next_due) = (
		SELECT started_at, next_due FROM session WHERE client_id = client.id
		ORDER BY started_at DESC, id DESC LIMIT 1) WHERE id = ?`
)

func sessionArgs(s *data.Session) ([]any, error) {
	warnings, err := jsonList(s.Warnings)
	if err != nil {
		return nil, err
	}
	return []any{
		s.ClientID, s.TechnicianID, timeText(s.StartedAt), s.Device, s.NeedleLot, s.Passes,
		s.NumbingAgent, s.NumbingMinutes, s.GlideSerum, s.ProductsApplied, s.Reaction, s.Notes,
		nullDate(s.NextDue), warnings, s.OverrideReason,
	}, nil
}

// sessionWriter holds the statements that write a session and its child
// rows, prepared once per transaction: an import runs them hundreds of
// thousands of times.
type sessionWriter struct {
	session, area, rec, refresh *sql.Stmt
}

func prepareSessionWriter(ctx context.Context, tx *sql.Tx) (*sessionWriter, error) {
	w := &sessionWriter{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{{&w.session, insertSessionSQL}, {&w.area, insertAreaSQL}, {&w.rec, insertRecSQL}, {&w.refresh, refreshLatestSQL}} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("preparing to write sessions: %w", err)
		}
		*p.dst = st
	}
	return w, nil
}

// Close releases the statements; the transaction would release them anyway.
func (w *sessionWriter) Close() {
	for _, st := range []*sql.Stmt{w.session, w.area, w.rec, w.refresh} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// insert writes a session row and its children and returns the new ID.
func (w *sessionWriter) insert(ctx context.Context, s *data.Session, now time.Time) (int64, error) {
	args, err := sessionArgs(s)
	if err != nil {
		return 0, err
	}
	stamp := timeText(now)
	var id int64
	if err := w.session.QueryRowContext(ctx, append(args, stamp, stamp)...).Scan(&id); err != nil {
		return 0, err
	}
	return id, w.children(ctx, id, s)
}

// children writes the areas and recommendations, keeping their order.
func (w *sessionWriter) children(ctx context.Context, id int64, s *data.Session) error {
	for i, a := range s.Areas {
		if _, err := w.area.ExecContext(ctx, id, string(a.Area), a.DepthMM, i); err != nil {
			return err
		}
	}
	for i, r := range s.Recommendations {
		if _, err := w.rec.ExecContext(ctx, id, r.ProductID, r.StartDay, i); err != nil {
			return err
		}
	}
	return nil
}

// refreshLatest recomputes a client's last_session_at and next_due.
func (w *sessionWriter) refreshLatest(ctx context.Context, clientID int64) error {
	if _, err := w.refresh.ExecContext(ctx, clientID); err != nil {
		return fmt.Errorf("updating client %d's latest session: %w", clientID, err)
	}
	return nil
}

// CreateSession validates and adds a session with its areas and
// recommendations, setting s.ID, s.CreatedAt and s.UpdatedAt. A client,
// technician or product that does not exist is a *data.ValidationError and
// nothing is written. Sessions for archived clients and recommendations of
// retired products are accepted: charting what happened comes first.
func (s *Store) CreateSession(ctx context.Context, actor int64, ses *data.Session) error {
	if err := ses.Validate(); err != nil {
		return fmt.Errorf("adding session: %w", err)
	}
	var saved data.Session
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		saved, err = createSession(ctx, tx, actor, *ses, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("adding session: %w", err)
	}
	*ses = saved
	return nil
}

func createSession(ctx context.Context, tx *sql.Tx, actor int64, ses data.Session, now time.Time) (data.Session, error) {
	if err := checkSessionRefs(ctx, tx, &ses); err != nil {
		return ses, err
	}
	w, err := prepareSessionWriter(ctx, tx)
	if err != nil {
		return ses, err
	}
	defer w.Close()
	if ses.ID, err = w.insert(ctx, &ses, now); err != nil {
		return ses, err
	}
	if err := w.refreshLatest(ctx, ses.ClientID); err != nil {
		return ses, err
	}
	ses.CreatedAt, ses.UpdatedAt = now, now
	return ses, writeAudit(ctx, tx, auditRow{now, actor, data.ActionCreate, data.EntitySession, ses.ID})
}

// UpdateSession validates and saves a session, replacing its areas and
// recommendations, and sets s.UpdatedAt (s.CreatedAt is reloaded). Moving
// a session to another client updates both clients' latest session.
func (s *Store) UpdateSession(ctx context.Context, actor int64, ses *data.Session) error {
	if err := ses.Validate(); err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	var saved data.Session
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		saved, err = updateSession(ctx, tx, actor, *ses, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	*ses = saved
	return nil
}

func updateSession(ctx context.Context, tx *sql.Tx, actor int64, ses data.Session, now time.Time) (data.Session, error) {
	var oldClient int64
	err := tx.QueryRowContext(ctx, `SELECT client_id FROM session WHERE id = ?`, ses.ID).Scan(&oldClient)
	if errors.Is(err, sql.ErrNoRows) {
		return ses, notFound(data.EntitySession, ses.ID)
	}
	if err != nil {
		return ses, err
	}
	if err := checkSessionRefs(ctx, tx, &ses); err != nil {
		return ses, err
	}
	if err := rewriteSession(ctx, tx, &ses, now); err != nil {
		return ses, err
	}
	w, err := prepareSessionWriter(ctx, tx)
	if err != nil {
		return ses, err
	}
	defer w.Close()
	if err := w.children(ctx, ses.ID, &ses); err != nil {
		return ses, err
	}
	for _, id := range uniqueIDs(oldClient, ses.ClientID) {
		if err := w.refreshLatest(ctx, id); err != nil {
			return ses, err
		}
	}
	ses.UpdatedAt = now
	return ses, writeAudit(ctx, tx, auditRow{now, actor, data.ActionUpdate, data.EntitySession, ses.ID})
}

// rewriteSession updates the session row and drops its child rows, which
// the caller writes again.
func rewriteSession(ctx context.Context, tx *sql.Tx, ses *data.Session, now time.Time) error {
	args, err := sessionArgs(ses)
	if err != nil {
		return err
	}
	var created sql.NullString
	if err := tx.QueryRowContext(ctx, updateSessionSQL, append(args, timeText(now), ses.ID)...).Scan(&created); err != nil {
		return err
	}
	if ses.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM session_area WHERE session_id = ?`, `DELETE FROM session_recommendation WHERE session_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, ses.ID); err != nil {
			return err
		}
	}
	return nil
}

func uniqueIDs(a, b int64) []int64 {
	if a == b {
		return []int64{a}
	}
	return []int64{a, b}
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

// ImportSessions validates every session and then adds them all in one
// transaction, or none of them; each gets its create audit row, and each
// client's latest session is brought up to date once at the end. On success
// every element of ss has its ID and timestamps set.
func (s *Store) ImportSessions(ctx context.Context, actor int64, ss []data.Session) error {
	for i := range ss {
		if err := ss[i].Validate(); err != nil {
			return fmt.Errorf("importing sessions: session %d of %d: %w", i+1, len(ss), err)
		}
	}
	saved := make([]data.Session, len(ss))
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		return importSessions(ctx, tx, actor, ss, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing sessions: %w", err)
	}
	copy(ss, saved)
	return nil
}

func importSessions(ctx context.Context, tx *sql.Tx, actor int64, ss, saved []data.Session, now time.Time) error {
	w, err := prepareSessionWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.Close()
	audit, err := prepareAudit(ctx, tx)
	if err != nil {
		return err
	}
	defer audit.Close()
	clients := make(map[int64]bool)
	for i, ses := range ss {
		if ses.ID, err = w.insert(ctx, &ses, now); err != nil {
			return explainImportError(ctx, tx, &ses, i, len(ss), err)
		}
		if err := audit.write(ctx, auditRow{now, actor, data.ActionCreate, data.EntitySession, ses.ID}); err != nil {
			return err
		}
		ses.CreatedAt, ses.UpdatedAt = now, now
		saved[i] = ses
		clients[ses.ClientID] = true
	}
	for id := range clients {
		if err := w.refreshLatest(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// explainImportError turns a foreign-key failure into the validation error
// CreateSession would have given. Imports rely on the foreign keys instead
// of looking every reference up first, which keeps them fast.
func explainImportError(ctx context.Context, q queryer, ses *data.Session, i, n int, err error) error {
	var se *sqlitedriver.Error
	if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		if refErr := checkSessionRefs(ctx, q, ses); refErr != nil {
			err = refErr
		}
	}
	return fmt.Errorf("session %d of %d: %w", i+1, n, err)
}
