package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
	"needledesk/data/internal/sessiondoc"
)

// Sessions, as data/sqlite's session.go: the same checks, the same audit
// rows in the change's own transaction, and an amendment kept for a
// change after the treatment day.

// sessionWriteColumns are the columns a create or an update writes, in
// the order sessionArgs gives their values.
var sessionWriteColumns = []string{
	"client_id", "technician_id", "started_at", "device", "needle_lot", "passes",
	"numbing_agent", "numbing_minutes", "glide_serum", "products_applied", "reaction", "notes",
	"next_due", "warnings", "override_reason", "aftercare_notes",
}

// updateSessionSQL saves over the version read and raises it; no row
// back means the session changed or is gone.
var updateSessionSQL = func() string {
	sets := make([]string, len(sessionWriteColumns))
	for i, c := range sessionWriteColumns {
		sets[i] = fmt.Sprintf("%s = $%d", c, i+1)
	}
	n := len(sessionWriteColumns)
	return `UPDATE session SET ` + strings.Join(sets, ", ") + fmt.Sprintf(`, updated_at = $%d,
		version = version + 1, updated_by = $%d
		WHERE id = $%d AND version = $%d RETURNING created_at, version`, n+1, n+2, n+3, n+4)
}()

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

// CreateSession validates and adds a session with its areas and
// recommendations, setting its ID, times and version. A client,
// technician or product that does not exist is a *data.ValidationError
// and nothing is written.
func (s *Store) CreateSession(ctx context.Context, actor int64, ses *data.Session) error {
	if err := ses.Validate(); err != nil {
		return fmt.Errorf("adding session: %w", err)
	}
	var saved data.Session
	t := target{entity: data.EntitySession, clientID: ses.ClientID}
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
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

func createSession(ctx context.Context, tx pgx.Tx, actor int64, ses data.Session, now time.Time) (data.Session, error) {
	if err := checkSessionRefs(ctx, tx, &ses); err != nil {
		return ses, err
	}
	list := []data.Session{ses}
	if err := insertSessions(ctx, tx, list, now, actor); err != nil {
		return ses, err
	}
	ses = list[0]
	if err := refreshLatest(ctx, tx, []int64{ses.ClientID}); err != nil {
		return ses, err
	}
	return ses, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntitySession,
		entityID: ses.ID, clientID: ses.ClientID, hashRow: true})
}

// UpdateSession validates and saves a session over the version read,
// replacing its areas and recommendations. A change after the treatment
// day keeps the version it replaces (SessionAmendments) and is recorded
// as ActionAmend. A session changed since is refused with a
// *data.ConflictError; a summary (SummaryOnly) is refused.
func (s *Store) UpdateSession(ctx context.Context, actor int64, ses *data.Session) error {
	if ses.SummaryOnly {
		return fmt.Errorf("saving session: %w", data.Invalid("session",
			"this is a summary without the clinical details; open the full session to change it"))
	}
	if err := ses.Validate(); err != nil {
		return fmt.Errorf("saving session: %w", err)
	}
	var saved data.Session
	t := target{entity: data.EntitySession, id: ses.ID, clientID: ses.ClientID}
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
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

func updateSession(ctx context.Context, tx pgx.Tx, actor int64, ses data.Session, now time.Time) (data.Session, error) {
	before, err := readSession(ctx, tx, ses.ID, ` FOR UPDATE OF s`)
	if err != nil {
		return ses, err
	}
	if before.Version != ses.Version {
		return ses, sessionConflict(ctx, tx, before)
	}
	if err := checkSessionRefs(ctx, tx, &ses); err != nil {
		return ses, err
	}
	action, err := keepAmendment(ctx, tx, actor, before, ses, now)
	if err != nil {
		return ses, err
	}
	if err := rewriteSession(ctx, tx, actor, &ses, now); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return ses, sessionConflict(ctx, tx, before)
		}
		return ses, err
	}
	if err := copySessionChildren(ctx, tx, []data.Session{ses}); err != nil {
		return ses, err
	}
	if err := refreshLatest(ctx, tx, []int64{before.ClientID, ses.ClientID}); err != nil {
		return ses, err
	}
	ses.UpdatedAt, ses.UpdatedBy, ses.Amendments = now, actor, before.Amendments
	if action == data.ActionAmend {
		ses.Amendments++
	}
	return ses, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: action, entity: data.EntitySession,
		entityID: ses.ID, clientID: ses.ClientID, hashRow: true})
}

// keepAmendment keeps the stored version of a session changed after its
// treatment day and says which action the change is (data/sqlite's rule,
// sessiondoc's document).
func keepAmendment(ctx context.Context, tx pgx.Tx, actor int64, before, after data.Session, now time.Time) (data.Action, error) {
	treated := data.DateOf(before.StartedAt.Local())
	if !treated.Before(data.DateOf(now.Local())) {
		return data.ActionUpdate, nil
	}
	doc, changed, err := sessiondoc.Earlier(before, after)
	if err != nil || !changed {
		return data.ActionUpdate, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO session_version (session_id, changed_at, changed_by, earlier)
		VALUES ($1, $2, $3, $4)`, before.ID, timeText(now), actor, doc)
	if err != nil {
		return "", fmt.Errorf("keeping the earlier version: %w", err)
	}
	return data.ActionAmend, nil
}

// rewriteSession updates the session row over ses.Version, raising it,
// and drops its child rows, which the caller writes again.
// pgx.ErrNoRows means the stored version is another.
func rewriteSession(ctx context.Context, tx pgx.Tx, actor int64, ses *data.Session, now time.Time) error {
	args, err := sessionArgs(ses)
	if err != nil {
		return err
	}
	var created sql.NullString
	if err := tx.QueryRow(ctx, updateSessionSQL, append(args, timeText(now), actor, ses.ID, ses.Version)...).Scan(&created, &ses.Version); err != nil {
		return err
	}
	if ses.CreatedAt, err = parseTime(created); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM session_area WHERE session_id = $1`, `DELETE FROM session_recommendation WHERE session_id = $1`} {
		if _, err := tx.Exec(ctx, q, ses.ID); err != nil {
			return err
		}
	}
	return nil
}

// sessionConflict names who changed the session last, and when.
func sessionConflict(ctx context.Context, q queryer, stored data.Session) error {
	what := "this session"
	if !stored.StartedAt.IsZero() {
		what = "the session of " + stored.StartedAt.Local().Format("2 January 2006")
	}
	if c, err := readClient(ctx, q, stored.ClientID); err == nil {
		what = c.FullName() + "'s " + strings.TrimPrefix(what, "the ")
	}
	return &data.ConflictError{What: what, By: changedBy(ctx, q, stored.UpdatedBy), At: stored.UpdatedAt}
}

// ImportSessions validates every session and then adds them all in one
// transaction, or none of them, each with its create audit row; each
// client's latest session is brought up to date once at the end.
func (s *Store) ImportSessions(ctx context.Context, actor int64, ss []data.Session) error {
	if err := validSessions(ss); err != nil {
		return err
	}
	saved := slices.Clone(ss)
	err := s.change(ctx, actor, data.PermSessionWrite, target{entity: data.EntitySession}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		return importSessions(ctx, tx, actor, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing sessions: %w", err)
	}
	copy(ss, saved)
	return nil
}

// validSessions validates sessions to import, naming the first refused.
func validSessions(ss []data.Session) error {
	for i := range ss {
		if err := ss[i].Validate(); err != nil {
			return fmt.Errorf("importing sessions: session %d of %d: %w", i+1, len(ss), err)
		}
	}
	return nil
}

// sessionBatch is how many sessions one COPY writes during an import.
const sessionBatch = 1000

// importSessions writes ss (a copy the caller may discard on failure) a
// batch at a time, setting each session's ID and timestamps.
func importSessions(ctx context.Context, tx pgx.Tx, actor int64, ss []data.Session, now time.Time) error {
	clients := make(map[int64]bool)
	for start := 0; start < len(ss); start += sessionBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := ss[start:min(start+sessionBatch, len(ss))]
		if err := insertBatch(ctx, tx, batch, now, actor); err != nil {
			return explainBatchError(ctx, tx, batch, start, len(ss), err)
		}
	}
	ids, clientIDs := make([]int64, len(ss)), make([]int64, len(ss))
	for i := range ss {
		ids[i], clientIDs[i] = ss[i].ID, ss[i].ClientID
		clients[ss[i].ClientID] = true
	}
	if err := auditMany(ctx, tx, now, actor, data.ActionCreate, data.EntitySession, ids, clientIDs); err != nil {
		return err
	}
	return refreshLatest(ctx, tx, slices.Collect(maps.Keys(clients)))
}

// insertSessions gives ss IDs from the session table's sequence and
// copies them and their children in, stamped created and updated at now
// by actor.
func insertSessions(ctx context.Context, tx pgx.Tx, ss []data.Session, now time.Time, actor int64) error {
	ids, err := nextIDs(ctx, tx, "session", len(ss))
	if err != nil {
		return err
	}
	stamp := timeText(now)
	rows := make([][]any, len(ss))
	for i := range ss {
		ss[i].ID, ss[i].CreatedAt, ss[i].UpdatedAt, ss[i].Version, ss[i].UpdatedBy = ids[i], now, now, 1, actor
		args, err := sessionArgs(&ss[i])
		if err != nil {
			return err
		}
		rows[i] = append(append([]any{ids[i]}, args...), stamp, stamp, actor)
	}
	cols := append(append([]string{"id"}, sessionWriteColumns...), "created_at", "updated_at", "updated_by")
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"session"}, cols, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	return copySessionChildren(ctx, tx, ss)
}

// copySessionChildren writes the areas and recommendations of sessions,
// keeping the order they were charted in.
func copySessionChildren(ctx context.Context, tx pgx.Tx, ss []data.Session) error {
	var areas, recs [][]any
	for _, s := range ss {
		for i, a := range s.Areas {
			areas = append(areas, []any{s.ID, string(a.Area), a.DepthMM, i})
		}
		for i, r := range s.Recommendations {
			recs = append(recs, []any{s.ID, r.ProductID, r.StartDay, i})
		}
	}
	if len(areas) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"session_area"}, []string{"session_id", "area", "depth_mm", "position"},
			pgx.CopyFromRows(areas)); err != nil {
			return err
		}
	}
	if len(recs) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"session_recommendation"}, []string{"session_id", "product_id", "start_day", "position"},
			pgx.CopyFromRows(recs)); err != nil {
			return err
		}
	}
	return nil
}

// nextIDs takes n IDs from table's identity sequence, in order.
func nextIDs(ctx context.Context, q queryer, table string, n int) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) ORDER BY 1`, table, n)
	if err != nil {
		return nil, fmt.Errorf("choosing IDs for %s: %w", table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("choosing IDs for %s: %w", table, err)
	}
	return ids, nil
}

// refreshLatest recomputes last_session_at and next_due for clients.
func refreshLatest(ctx context.Context, q queryer, clientIDs []int64) error {
	_, err := q.Exec(ctx, `UPDATE client SET (last_session_at, next_due) = (
			SELECT started_at, next_due FROM session WHERE client_id = client.id
			ORDER BY started_at DESC, id DESC LIMIT 1)
		WHERE id = ANY($1)`, clientIDs)
	if err != nil {
		return fmt.Errorf("updating the clients' latest session: %w", err)
	}
	return nil
}

// auditMany writes one audit row per record, all at the same instant.
func auditMany(ctx context.Context, q queryer, at time.Time, actor int64, action data.Action, entity data.Entity, ids, clientIDs []int64) error {
	if len(clientIDs) != len(ids) {
		return fmt.Errorf("writing the audit trail: %d records but %d clients", len(ids), len(clientIDs))
	}
	rows := make([]auditRow, len(ids))
	for i, id := range ids {
		rows[i] = auditRow{at: at, actor: actor, action: action, entity: entity, entityID: id, clientID: clientIDs[i], hashRow: true}
	}
	return appendAudits(ctx, q, rows)
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
	if err := check("client", "this client does not exist", `SELECT 1 FROM client WHERE id = $1`, ses.ClientID); err != nil {
		return err
	}
	if err := check("technician", "this technician does not exist", `SELECT 1 FROM staff WHERE id = $1`, ses.TechnicianID); err != nil {
		return err
	}
	for _, r := range ses.Recommendations {
		msg := fmt.Sprintf("product %d is not in the catalogue", r.ProductID)
		if err := check("recommendations", msg, `SELECT 1 FROM product WHERE id = $1`, r.ProductID); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return &data.ValidationError{Problems: problems}
	}
	return nil
}

// insertBatch is insertSessions behind a savepoint, so that after a
// refused batch the transaction can still look up why.
func insertBatch(ctx context.Context, tx pgx.Tx, batch []data.Session, now time.Time, actor int64) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	if err := insertSessions(ctx, sp, batch, now, actor); err != nil {
		return errors.Join(err, sp.Rollback(ctx))
	}
	return sp.Commit(ctx)
}

// explainBatchError turns a foreign-key failure in a batch into the
// validation error CreateSession would have given for the first session
// at fault. Imports rely on the foreign keys instead of looking every
// reference up first, which keeps them fast.
func explainBatchError(ctx context.Context, q queryer, batch []data.Session, offset, n int, err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23503" {
		return fmt.Errorf("sessions %d to %d of %d: %w", offset+1, offset+len(batch), n, err)
	}
	for i := range batch {
		if refErr := checkSessionRefs(ctx, q, &batch[i]); refErr != nil {
			return fmt.Errorf("session %d of %d: %w", offset+i+1, n, refErr)
		}
	}
	return fmt.Errorf("sessions %d to %d of %d: %w", offset+1, offset+len(batch), n, err)
}
