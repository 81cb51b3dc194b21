package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"needledesk/data"
)

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
	t := target{entity: data.EntitySession, clientID: ses.ClientID}
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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
	var err error
	if ses.ID, err = nextID(ctx, tx, "session"); err != nil {
		return ses, err
	}
	w := newSessionWriter(tx)
	defer w.Close()
	if err := w.insert(ctx, []data.Session{ses}, timeText(now), actor); err != nil {
		return ses, err
	}
	if err := refreshLatest(ctx, tx, []int64{ses.ClientID}); err != nil {
		return ses, err
	}
	ses.CreatedAt, ses.UpdatedAt, ses.Version, ses.UpdatedBy = now, now, 1, actor
	return ses, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntitySession,
		entityID: ses.ID, clientID: ses.ClientID, hashRow: true})
}

// UpdateSession validates and saves a session, replacing its areas and
// recommendations, and sets s.UpdatedAt (s.CreatedAt and s.Amendments are
// reloaded). Moving a session to another client updates both clients'
// latest session. A change after the session's treatment day (the clinic's
// local date by the store's clock) keeps the version it replaces, readable
// with SessionAmendments, and is recorded as ActionAmend; a change on the
// day itself is a plain update. Either way ses.Version must be the
// version stored: a session changed since ses was read is refused with a
// *data.ConflictError (data.ErrConflict) naming who changed it and when,
// and nothing is saved or kept; on success ses.Version is the new version.
// A summary (SummaryOnly) is refused: it lacks the details it would
// overwrite.
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
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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
	before, err := readSession(ctx, tx, ses.ID)
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
		if errors.Is(err, sql.ErrNoRows) {
			return ses, sessionConflict(ctx, tx, before)
		}
		return ses, err
	}
	w := newSessionWriter(tx)
	defer w.Close()
	if err := w.children(ctx, []data.Session{ses}); err != nil {
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

// rewriteSession updates the session row over ses.Version, raising it, and
// drops its child rows, which the caller writes again. sql.ErrNoRows means
// the stored version is another.
func rewriteSession(ctx context.Context, tx *sql.Tx, actor int64, ses *data.Session, now time.Time) error {
	args, err := sessionArgs(ses)
	if err != nil {
		return err
	}
	var created sql.NullString
	if err := tx.QueryRowContext(ctx, updateSessionSQL, append(args, timeText(now), actor, ses.ID, ses.Version)...).Scan(&created, &ses.Version); err != nil {
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

// sessionConflict is the refusal of a save over a session that changed
// since it was read: who changed it last, and when.
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
// transaction, or none of them; each gets its create audit row, and each
// client's latest session is brought up to date once at the end. On success
// every element of ss has its ID and timestamps set.
func (s *Store) ImportSessions(ctx context.Context, actor int64, ss []data.Session) error {
	if err := validSessions(ss); err != nil {
		return err
	}
	saved := slices.Clone(ss)
	err := s.change(ctx, actor, data.PermSessionWrite, target{entity: data.EntitySession}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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

// importSessions writes ss (a copy the caller may discard on failure) in
// batches, setting each session's ID and timestamps.
func importSessions(ctx context.Context, tx *sql.Tx, actor int64, ss []data.Session, now time.Time) error {
	first, err := nextID(ctx, tx, "session")
	if err != nil {
		return err
	}
	w := newSessionWriter(tx)
	defer w.Close()
	rowCtx, cancelled := rowContext(ctx)
	stamp := timeText(now)
	ids, clientIDs := make([]int64, len(ss)), make([]int64, len(ss))
	clients := make(map[int64]bool)
	for i := range ss {
		ss[i].ID, ss[i].CreatedAt, ss[i].UpdatedAt = first+int64(i), now, now
		ss[i].Version, ss[i].UpdatedBy = 1, actor
		ids[i], clientIDs[i] = ss[i].ID, ss[i].ClientID
		clients[ss[i].ClientID] = true
	}
	for start := 0; start < len(ss); start += sessionBatch {
		if err := cancelled(); err != nil {
			return err
		}
		batch := ss[start:min(start+sessionBatch, len(ss))]
		if err := w.insert(rowCtx, batch, stamp, actor); err != nil {
			return explainBatchError(ctx, tx, batch, start, len(ss), err)
		}
	}
	if err := auditMany(ctx, tx, now, actor, data.ActionCreate, data.EntitySession, ids, clientIDs); err != nil {
		return err
	}
	return refreshLatest(ctx, tx, slices.Collect(maps.Keys(clients)))
}
