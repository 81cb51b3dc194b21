package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"needledesk/data"
)

// sessionDoc is how an earlier version of a session is kept in
// session_version: its own JSON names, so renaming a Go field never loses
// a version. Products are kept by ID (they are never deleted) and read
// back with their current details.
type sessionDoc struct {
	ClientID        int64     `json:"client_id"`
	TechnicianID    int64     `json:"technician_id"`
	StartedAt       string    `json:"started_at"`
	Areas           []areaDoc `json:"areas"`
	Device          string    `json:"device"`
	NeedleLot       string    `json:"needle_lot"`
	Passes          int       `json:"passes"`
	NumbingAgent    string    `json:"numbing_agent"`
	NumbingMinutes  int       `json:"numbing_minutes"`
	GlideSerum      string    `json:"glide_serum"`
	ProductsApplied string    `json:"products_applied"`
	Reaction        string    `json:"reaction"`
	Notes           string    `json:"notes"`
	AftercareNotes  string    `json:"aftercare_notes"`
	NextDue         string    `json:"next_due"`
	Warnings        []string  `json:"warnings"`
	OverrideReason  string    `json:"override_reason"`
	Recommendations []recDoc  `json:"recommendations"`
	CreatedAt       string    `json:"created_at,omitempty"`
	UpdatedAt       string    `json:"updated_at,omitempty"` // when this version was saved
}

type areaDoc struct {
	Area    string  `json:"area"`
	DepthMM float64 `json:"depth_mm"`
}

type recDoc struct {
	ProductID int64 `json:"product_id"`
	StartDay  int   `json:"start_day"`
}

// sessionDocOf is what a version of the session says, without the times
// it was saved at (see stamped).
func sessionDocOf(s data.Session) sessionDoc {
	d := sessionDoc{
		ClientID: s.ClientID, TechnicianID: s.TechnicianID, StartedAt: timeText(s.StartedAt),
		Device: s.Device, NeedleLot: s.NeedleLot, Passes: s.Passes, NumbingAgent: s.NumbingAgent,
		NumbingMinutes: s.NumbingMinutes, GlideSerum: s.GlideSerum, ProductsApplied: s.ProductsApplied,
		Reaction: s.Reaction, Notes: s.Notes, AftercareNotes: s.AftercareNotes, NextDue: s.NextDue.String(),
		Warnings: s.Warnings, OverrideReason: s.OverrideReason,
		Areas: []areaDoc{}, Recommendations: []recDoc{},
	}
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	for _, a := range s.Areas {
		d.Areas = append(d.Areas, areaDoc{Area: string(a.Area), DepthMM: a.DepthMM})
	}
	for _, r := range s.Recommendations {
		d.Recommendations = append(d.Recommendations, recDoc{ProductID: r.ProductID, StartDay: r.StartDay})
	}
	return d
}

// session turns a kept version back into a session; products are filled
// in by the caller.
func (d sessionDoc) session(id int64) (data.Session, error) {
	s := data.Session{
		ID: id, ClientID: d.ClientID, TechnicianID: d.TechnicianID,
		Device: d.Device, NeedleLot: d.NeedleLot, Passes: d.Passes, NumbingAgent: d.NumbingAgent,
		NumbingMinutes: d.NumbingMinutes, GlideSerum: d.GlideSerum, ProductsApplied: d.ProductsApplied,
		Reaction: d.Reaction, Notes: d.Notes, AftercareNotes: d.AftercareNotes,
		Warnings: d.Warnings, OverrideReason: d.OverrideReason,
	}
	for _, a := range d.Areas {
		s.Areas = append(s.Areas, data.AreaTreatment{Area: data.Area(a.Area), DepthMM: a.DepthMM})
	}
	for _, r := range d.Recommendations {
		s.Recommendations = append(s.Recommendations, data.Recommendation{ProductID: r.ProductID, StartDay: r.StartDay})
	}
	var errs [4]error
	s.StartedAt, errs[0] = parseTime(nullText(d.StartedAt))
	s.NextDue, errs[1] = parseDate(nullText(d.NextDue))
	s.CreatedAt, errs[2] = parseTime(nullText(d.CreatedAt))
	s.UpdatedAt, errs[3] = parseTime(nullText(d.UpdatedAt))
	for _, err := range errs {
		if err != nil {
			return s, fmt.Errorf("an earlier version of session %d is damaged: %w", id, err)
		}
	}
	return s, nil
}

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// keepAmendment keeps the stored version of a session that is being
// changed after its treatment day, and says which action the change is:
// ActionAmend when a version was kept, ActionUpdate otherwise (a change on
// the treatment day, or a save that changes nothing).
func keepAmendment(ctx context.Context, tx *sql.Tx, actor int64, before, after data.Session, now time.Time) (data.Action, error) {
	treated := data.DateOf(before.StartedAt.Local())
	if !treated.Before(data.DateOf(now.Local())) {
		return data.ActionUpdate, nil
	}
	earlier := sessionDocOf(before)
	later, err := json.Marshal(sessionDocOf(after))
	if err != nil {
		return "", fmt.Errorf("encoding the session: %w", err)
	}
	same, err := json.Marshal(earlier)
	if err != nil {
		return "", fmt.Errorf("encoding the session: %w", err)
	}
	if string(same) == string(later) {
		return data.ActionUpdate, nil
	}
	earlier.CreatedAt, earlier.UpdatedAt = timeText(before.CreatedAt), timeText(before.UpdatedAt)
	doc, err := json.Marshal(earlier)
	if err != nil {
		return "", fmt.Errorf("encoding the earlier version: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO session_version (session_id, changed_at, changed_by, earlier)
		VALUES (?, ?, ?, ?)`, before.ID, timeText(now), actor, string(doc))
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
	var d sessionDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return a, fmt.Errorf("an earlier version of session %d is damaged: %w", sessionID, err)
	}
	a.Earlier, err = d.session(sessionID)
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
