package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"needledesk/data"
)

// sessionSelect reads sessions with their technician's name, how many
// earlier versions are kept, and the version and who changed it last
// (migration 12; not in the row hash). LEFT JOIN, so a session never disappears from
// a history because of its staff row.
const sessionSelect = `SELECT s.id, s.client_id, s.technician_id, s.started_at, s.device, s.needle_lot, s.passes,
	s.numbing_agent, s.numbing_minutes, s.glide_serum, s.products_applied, s.reaction, s.notes,
	s.next_due, s.warnings, s.override_reason, s.aftercare_notes, s.created_at, s.updated_at, coalesce(st.name, ''),
	(SELECT count(*) FROM session_version v WHERE v.session_id = s.id), s.version, s.updated_by
	FROM session s LEFT JOIN staff st ON st.id = s.technician_id`

// Session reads one session with its areas, recommendations (each with its
// product) and technician's name. Times come back in UTC. Staff without
// PermSessionDetails get its summary (data.Session.Summary).
func (s *Store) Session(ctx context.Context, actor int64, id int64) (data.Session, error) {
	who, err := s.allowRead(ctx, actor, data.PermSessionView, target{entity: data.EntitySession, id: id})
	if err != nil {
		return data.Session{}, fmt.Errorf("reading session: %w", err)
	}
	var out data.Session
	err = s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = readSession(ctx, tx, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("reading session: %w", err)
	}
	return forReader(who, []data.Session{out})[0], nil
}

// readSession reads one complete session.
func readSession(ctx context.Context, q queryer, id int64) (data.Session, error) {
	ses, err := scanSession(q.QueryRowContext(ctx, sessionSelect+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ses, notFound(data.EntitySession, id)
	}
	if err != nil {
		return ses, err
	}
	list := []data.Session{ses}
	if err := loadChildren(ctx, q, list, `= ?`, id); err != nil {
		return ses, err
	}
	return list[0], nil
}

// forReader cuts sessions down to their summaries for staff who may not
// see the clinical details; each summary names the details it withheld
// (data.Session.Withheld), so screens can tell them from details never
// recorded.
func forReader(who data.Staff, ss []data.Session) []data.Session {
	if who.Role.Can(data.PermSessionDetails) {
		return ss
	}
	for i := range ss {
		ss[i] = ss[i].Summary()
	}
	return ss
}

// ClientSessions lists a client's sessions, newest first, each complete as
// Session returns it (summaries for staff without PermSessionDetails). A
// client that does not exist is data.ErrNotFound; one with no sessions
// gives an empty list.
func (s *Store) ClientSessions(ctx context.Context, actor int64, clientID int64) ([]data.Session, error) {
	who, err := s.allowRead(ctx, actor, data.PermSessionView, target{entity: data.EntitySession, clientID: clientID})
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	var out []data.Session
	err = s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = clientSessions(ctx, tx, clientID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	return forReader(who, out), nil
}

func clientSessions(ctx context.Context, q queryer, clientID int64) ([]data.Session, error) {
	exists, err := rowExists(ctx, q, `SELECT 1 FROM client WHERE id = ?`, clientID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, notFound(data.EntityClient, clientID)
	}
	rows, err := q.QueryContext(ctx, clientSessionsSQL, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Session
	for rows.Next() {
		ses, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ses)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadChildren(ctx, q, out, clientSessionsScope, clientID)
}

// clientSessionsSQL lists a client's sessions, newest first; its children
// are read for clientSessionsScope. Both walk session_by_client.
const (
	clientSessionsSQL   = sessionSelect + ` WHERE s.client_id = ? ORDER BY s.started_at DESC, s.id DESC`
	clientSessionsScope = `IN (SELECT id FROM session WHERE client_id = ?)`
)

func scanSession(sc scanner) (data.Session, error) {
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
		*t = data.Neutralised(*t) // see data.Neutralised
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
// query each for the whole list. scope picks the session IDs ("= ?" or a
// subquery) and takes arg.
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
	rows, err := q.QueryContext(ctx, areasSQL(scope), arg)
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
	rows, err := q.QueryContext(ctx, recommendationsSQL(scope), arg)
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

// areasSQL reads the areas of the sessions scope picks.
func areasSQL(scope string) string {
	return `SELECT session_id, area, depth_mm FROM session_area
		WHERE session_id ` + scope + ` ORDER BY session_id, position`
}

// recommendationsSQL reads the recommendations, with their products, of
// the sessions scope picks.
func recommendationsSQL(scope string) string {
	return `SELECT r.session_id, r.start_day,
		p.id, p.name, p.brand, p.category, p.how_to_use, p.default_start_day, p.key_ingredients, p.active, p.version
		FROM session_recommendation r JOIN product p ON p.id = r.product_id
		WHERE r.session_id ` + scope + ` ORDER BY r.session_id, r.position`
}

// The reads of what an aftercare sheet is made from name only the columns
// the sheet prints (data.SheetInput): never a depth, the device, the lot,
// passes, numbing, glide serum, products applied, reaction, notes or
// warnings.
const (
	sheetSessionSQL = `SELECT s.id, s.client_id, s.started_at, s.next_due, s.aftercare_notes, coalesce(st.name, '')
		FROM session s LEFT JOIN staff st ON st.id = s.technician_id WHERE s.id = ?`
	sheetAreasSQL  = `SELECT area FROM session_area WHERE session_id = ? ORDER BY position`
	sheetClientSQL = `SELECT id, given_name, family_name, allergies, pregnant_or_nursing, anticoagulants, keloid_tendency
		FROM client WHERE id = ?`
)

// readSheetInput reads what the session's aftercare sheet is made from.
// Of the client's allergies it keeps only those that clash with a
// recommended product (data.SheetAllergies).
func readSheetInput(ctx context.Context, q queryer, sessionID int64) (data.SheetInput, error) {
	var in data.SheetInput
	ses := &in.Session
	var started, due sql.NullString
	err := q.QueryRowContext(ctx, sheetSessionSQL, sessionID).Scan(&ses.ID, &ses.ClientID, &started, &due,
		&ses.AftercareNotes, &ses.TechnicianName)
	if errors.Is(err, sql.ErrNoRows) {
		return in, notFound(data.EntitySession, sessionID)
	}
	if err != nil {
		return in, err
	}
	var errs [2]error
	ses.StartedAt, errs[0] = parseTime(started)
	ses.NextDue, errs[1] = parseDate(due)
	if err := errors.Join(errs[:]...); err != nil {
		return in, fmt.Errorf("session %d: %w", sessionID, err)
	}
	if ses.Areas, err = sheetAreas(ctx, q, sessionID); err != nil {
		return in, err
	}
	recs := map[int64]*data.Session{sessionID: {}}
	if err := loadRecommendations(ctx, q, recs, `= ?`, sessionID); err != nil {
		return in, err
	}
	ses.Recommendations = recs[sessionID].Recommendations
	next, err := queryAppointments(ctx, q, `WHERE a.client_id = ? AND a.start_at > ? AND a.status IN ('booked', 'arrived')
		ORDER BY a.start_at, a.id LIMIT 1`, ses.ClientID, timeText(ses.StartedAt))
	if err != nil {
		return in, fmt.Errorf("the client's next appointment: %w", err)
	}
	if len(next) == 1 {
		ses.NextVisit, ses.NextVisitWith = next[0].Start, next[0].TechnicianName
	}
	c := &in.Client
	var allergies string
	err = q.QueryRowContext(ctx, sheetClientSQL, ses.ClientID).Scan(&c.ID, &c.GivenName, &c.FamilyName, &allergies,
		&c.PregnantOrNursing, &c.Anticoagulants, &c.KeloidTendency)
	if errors.Is(err, sql.ErrNoRows) {
		return in, notFound(data.EntityClient, ses.ClientID)
	}
	if err != nil {
		return in, err
	}
	c.GivenName, c.FamilyName = data.NeutralisedName(c.GivenName), data.NeutralisedName(c.FamilyName)
	ses.AftercareNotes = data.Neutralised(ses.AftercareNotes)
	c.Allergies = data.SheetAllergies(data.Neutralised(allergies), ses.Recommendations)
	return in, nil
}

// sheetAreas reads the areas of a session, by name, in the order charted.
func sheetAreas(ctx context.Context, q queryer, sessionID int64) ([]data.Area, error) {
	rows, err := q.QueryContext(ctx, sheetAreasSQL, sessionID)
	if err != nil {
		return nil, fmt.Errorf("reading treatment areas: %w", err)
	}
	defer rows.Close()
	var out []data.Area
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("reading treatment areas: %w", err)
		}
		out = append(out, data.Area(a))
	}
	return out, rows.Err()
}
