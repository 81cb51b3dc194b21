package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/sessiondoc"
)

// sessionSelect reads sessions with their technician's name, how many
// earlier versions are kept, and the version and who changed it last.
// LEFT JOIN, so a session never disappears from a history because of its
// staff row.
const sessionSelect = `SELECT s.id, s.client_id, s.technician_id, s.started_at, s.device, s.needle_lot, s.passes,
	s.numbing_agent, s.numbing_minutes, s.glide_serum, s.products_applied, s.reaction, s.notes,
	s.next_due, s.warnings, s.override_reason, s.aftercare_notes, s.created_at, s.updated_at, coalesce(st.name, ''),
	(SELECT count(*) FROM session_version v WHERE v.session_id = s.id), s.version, s.updated_by
	FROM session s LEFT JOIN staff st ON st.id = s.technician_id`

// Session reads one session with its areas, recommendations (each with
// its product) and technician's name; staff without PermSessionDetails
// get its summary.
func (s *Store) Session(ctx context.Context, actor int64, id int64) (data.Session, error) {
	who, err := s.allowRead(ctx, actor, data.PermSessionView, target{entity: data.EntitySession, id: id})
	if err != nil {
		return data.Session{}, fmt.Errorf("reading session: %w", err)
	}
	var out data.Session
	err = s.read(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = readSession(ctx, tx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("reading session: %w", describeServerError(err))
	}
	return forReader(who, []data.Session{out})[0], nil
}

// readSession reads one complete session; lock, when given, ends the
// session's query (FOR UPDATE OF s).
func readSession(ctx context.Context, q queryer, id int64, lock ...string) (data.Session, error) {
	ses, err := scanSession(q.QueryRow(ctx, sessionSelect+` WHERE s.id = $1`+strings.Join(lock, ""), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return ses, notFound(data.EntitySession, id)
	}
	if err != nil {
		return ses, err
	}
	list := []data.Session{ses}
	if err := loadChildren(ctx, q, list, `= $1`, id); err != nil {
		return ses, err
	}
	return list[0], nil
}

// forReader cuts sessions down to their summaries for staff who may not
// see the clinical details.
func forReader(who data.Staff, ss []data.Session) []data.Session {
	if who.Role.Can(data.PermSessionDetails) {
		return ss
	}
	for i := range ss {
		ss[i] = ss[i].Summary()
	}
	return ss
}

// ClientSessions lists a client's sessions, newest first, each complete
// as Session returns it. A client that does not exist is
// data.ErrNotFound.
func (s *Store) ClientSessions(ctx context.Context, actor int64, clientID int64) ([]data.Session, error) {
	who, err := s.allowRead(ctx, actor, data.PermSessionView, target{entity: data.EntitySession, clientID: clientID})
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	var out []data.Session
	err = s.read(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = clientSessions(ctx, tx, clientID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", describeServerError(err))
	}
	return forReader(who, out), nil
}

func clientSessions(ctx context.Context, q queryer, clientID int64) ([]data.Session, error) {
	exists, err := rowExists(ctx, q, `SELECT 1 FROM client WHERE id = $1`, clientID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, notFound(data.EntityClient, clientID)
	}
	out, err := querySessions(ctx, q, sessionSelect+` WHERE s.client_id = $1 ORDER BY s.started_at DESC, s.id DESC`, clientID)
	if err != nil {
		return nil, err
	}
	return out, loadChildren(ctx, q, out, `IN (SELECT id FROM session WHERE client_id = $1)`, clientID)
}

func querySessions(ctx context.Context, q queryer, query string, args ...any) ([]data.Session, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.Session, error) { return scanSession(r) })
}

func scanSession(sc pgx.Row) (data.Session, error) {
	var s data.Session
	var started, due, created, updated sql.NullString
	var warnings string
	err := sc.Scan(&s.ID, &s.ClientID, &s.TechnicianID, &started, &s.Device, &s.NeedleLot, &s.Passes,
		&s.NumbingAgent, &s.NumbingMinutes, &s.GlideSerum, &s.ProductsApplied, &s.Reaction, &s.Notes,
		&due, &warnings, &s.OverrideReason, &s.AftercareNotes, &created, &updated, &s.TechnicianName, &s.Amendments,
		&s.Version, &s.UpdatedBy)
	if err != nil {
		return s, err
	}
	for _, t := range []*string{&s.Device, &s.NeedleLot, &s.NumbingAgent, &s.GlideSerum, &s.ProductsApplied,
		&s.Reaction, &s.Notes, &s.OverrideReason, &s.AftercareNotes} {
		*t = data.Neutralised(*t)
	}
	var errs [5]error
	s.StartedAt, errs[0] = parseTime(started)
	s.NextDue, errs[1] = parseDate(due)
	s.CreatedAt, errs[2] = parseTime(created)
	s.UpdatedAt, errs[3] = parseTime(updated)
	s.Warnings, errs[4] = parseList[string](warnings)
	if err := errors.Join(errs[:]...); err != nil {
		return s, fmt.Errorf("session %d: %w", s.ID, err)
	}
	return s, nil
}

// loadChildren fills the areas and recommendations of sessions, with one
// query each for the whole list. scope picks the session IDs ("= $1", a
// subquery or "= ANY($1)") and takes arg.
func loadChildren(ctx context.Context, q queryer, sessions []data.Session, scope string, arg any) error {
	if len(sessions) == 0 {
		return nil
	}
	byID := make(map[int64]*data.Session, len(sessions))
	for i := range sessions {
		byID[sessions[i].ID] = &sessions[i]
	}
	if err := loadAreas(ctx, q, byID, scope, arg); err != nil {
		return err
	}
	return loadRecommendations(ctx, q, byID, scope, arg)
}

func loadAreas(ctx context.Context, q queryer, byID map[int64]*data.Session, scope string, arg any) error {
	rows, err := q.Query(ctx, `SELECT session_id, area, depth_mm FROM session_area
		WHERE session_id `+scope+` ORDER BY session_id, position`, arg)
	if err != nil {
		return fmt.Errorf("reading treatment areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a data.AreaTreatment
		var area string
		if err := rows.Scan(&id, &area, &a.DepthMM); err != nil {
			return fmt.Errorf("reading treatment areas: %w", err)
		}
		a.Area = data.Area(area)
		if s := byID[id]; s != nil {
			s.Areas = append(s.Areas, a)
		}
	}
	return rows.Err()
}

func loadRecommendations(ctx context.Context, q queryer, byID map[int64]*data.Session, scope string, arg any) error {
	rows, err := q.Query(ctx, `SELECT r.session_id, r.start_day,
		p.id, p.name, p.brand, p.category, p.how_to_use, p.default_start_day, p.key_ingredients, p.active, p.version
		FROM session_recommendation r JOIN product p ON p.id = r.product_id
		WHERE r.session_id `+scope+` ORDER BY r.session_id, r.position`, arg)
	if err != nil {
		return fmt.Errorf("reading recommendations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r data.Recommendation
		var ps productScan
		if err := rows.Scan(append([]any{&id, &r.StartDay}, ps.dest()...)...); err != nil {
			return fmt.Errorf("reading recommendations: %w", err)
		}
		var err error
		if r.Product, err = ps.product(); err != nil {
			return err
		}
		r.ProductID = r.Product.ID
		if s := byID[id]; s != nil {
			s.Recommendations = append(s.Recommendations, r)
		}
	}
	return rows.Err()
}

// SessionAmendments lists the earlier versions kept of a session, newest
// first, with who replaced each and when; staff allowed
// PermSessionDetails only. A missing session is data.ErrNotFound.
func (s *Store) SessionAmendments(ctx context.Context, actor int64, sessionID int64) ([]data.SessionAmendment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSessionDetails, target{entity: data.EntitySession, id: sessionID}); err != nil {
		return nil, fmt.Errorf("reading earlier versions: %w", err)
	}
	var out []data.SessionAmendment
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = sessionAmendments(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading earlier versions: %w", describeServerError(err))
	}
	return out, nil
}

func sessionAmendments(ctx context.Context, q queryer, sessionID int64) ([]data.SessionAmendment, error) {
	exists, err := rowExists(ctx, q, `SELECT 1 FROM session WHERE id = $1`, sessionID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, notFound(data.EntitySession, sessionID)
	}
	rows, err := q.Query(ctx, `SELECT v.id, v.changed_at, v.changed_by, coalesce(st.name, ''), v.earlier
		FROM session_version v LEFT JOIN staff st ON st.id = v.changed_by
		WHERE v.session_id = $1 ORDER BY v.id DESC`, sessionID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.SessionAmendment, error) {
		a := data.SessionAmendment{SessionID: sessionID}
		var changed sql.NullString
		var doc string
		if err := r.Scan(&a.ID, &changed, &a.ChangedBy, &a.ChangedByName, &doc); err != nil {
			return a, err
		}
		var err error
		if a.ChangedAt, err = parseTime(changed); err != nil {
			return a, err
		}
		a.Earlier, err = sessiondoc.Decode(doc, sessionID)
		return a, err
	})
	if err != nil {
		return nil, err
	}
	return out, fillEarlier(ctx, q, out)
}

// fillEarlier names each earlier version's technician and fills in its
// recommended products.
func fillEarlier(ctx context.Context, q queryer, list []data.SessionAmendment) error {
	for i := range list {
		e := &list[i].Earlier
		err := q.QueryRow(ctx, `SELECT coalesce((SELECT name FROM staff WHERE id = $1), '')`, e.TechnicianID).Scan(&e.TechnicianName)
		if err != nil {
			return err
		}
		for j := range e.Recommendations {
			r := &e.Recommendations[j]
			if r.Product, err = scanProduct(q.QueryRow(ctx, `SELECT `+productColumns+` FROM product WHERE id = $1`, r.ProductID)); err != nil {
				return fmt.Errorf("reading product %d of an earlier version: %w", r.ProductID, err)
			}
		}
	}
	return nil
}
