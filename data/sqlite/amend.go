package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"needledesk/data"
	"needledesk/data/internal/sessiondoc"
)

// keepAmendment keeps the stored version of a session that is being
// changed after its treatment day, and says which action the change is:
// ActionAmend when a version was kept, ActionUpdate otherwise (a change on
// the treatment day, or a save that changes nothing).
func keepAmendment(ctx context.Context, tx *sql.Tx, actor int64, before, after data.Session, now time.Time) (data.Action, error) {
	treated := data.DateOf(before.StartedAt.Local())
	if !treated.Before(data.DateOf(now.Local())) {
		return data.ActionUpdate, nil
	}
	doc, changed, err := sessiondoc.Earlier(before, after)
	if err != nil || !changed {
		return data.ActionUpdate, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO session_version (session_id, changed_at, changed_by, earlier)
		VALUES (?, ?, ?, ?)`, before.ID, timeText(now), actor, doc)
	if err != nil {
		return "", fmt.Errorf("keeping the earlier version: %w", err)
	}
	return data.ActionAmend, nil
}

// SessionAmendments lists the earlier versions kept of a session, newest
// first, each with who replaced it and when; staff allowed
// PermSessionDetails only, since they hold the clinical details. A session
// never changed after its day gives an empty list; a missing one is
// data.ErrNotFound.
func (s *Store) SessionAmendments(ctx context.Context, actor int64, sessionID int64) ([]data.SessionAmendment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSessionDetails, target{entity: data.EntitySession, id: sessionID}); err != nil {
		return nil, fmt.Errorf("reading earlier versions: %w", err)
	}
	var out []data.SessionAmendment
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = sessionAmendments(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading earlier versions: %w", err)
	}
	return out, nil
}

func sessionAmendments(ctx context.Context, q queryer, sessionID int64) ([]data.SessionAmendment, error) {
	exists, err := rowExists(ctx, q, `SELECT 1 FROM session WHERE id = ?`, sessionID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, notFound(data.EntitySession, sessionID)
	}
	rows, err := q.QueryContext(ctx, `SELECT v.id, v.changed_at, v.changed_by, coalesce(st.name, ''), v.earlier
		FROM session_version v LEFT JOIN staff st ON st.id = v.changed_by
		WHERE v.session_id = ? ORDER BY v.id DESC`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.SessionAmendment
	for rows.Next() {
		a, err := scanAmendment(rows, sessionID)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, fillEarlier(ctx, q, out)
}

func scanAmendment(sc scanner, sessionID int64) (data.SessionAmendment, error) {
	a := data.SessionAmendment{SessionID: sessionID}
	var changed sql.NullString
	var doc string
	if err := sc.Scan(&a.ID, &changed, &a.ChangedBy, &a.ChangedByName, &doc); err != nil {
		return a, err
	}
	var err error
	if a.ChangedAt, err = parseTime(changed); err != nil {
		return a, err
	}
	a.Earlier, err = sessiondoc.Decode(doc, sessionID)
	return a, err
}

// fillEarlier names each earlier version's technician and fills in its
// recommended products.
func fillEarlier(ctx context.Context, q queryer, list []data.SessionAmendment) error {
	for i := range list {
		e := &list[i].Earlier
		err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT name FROM staff WHERE id = ?), '')`, e.TechnicianID).Scan(&e.TechnicianName)
		if err != nil {
			return err
		}
		for j := range e.Recommendations {
			r := &e.Recommendations[j]
			var ps productScan
			err := q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM product WHERE id = ?`, r.ProductID).Scan(ps.dest()...)
			if err != nil {
				return fmt.Errorf("reading product %d of an earlier version: %w", r.ProductID, err)
			}
			if r.Product, err = ps.product(); err != nil {
				return err
			}
		}
	}
	return nil
}
