package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

var _ data.SheetStore = (*Store)(nil)

// KeepSheet stores the exact bytes of an aftercare sheet handed over for
// a session (bytea, byte for byte), filling in ID, Version (1 for the
// session's first sheet, then 2, 3...), MadeAt, MadeBy and SHA256. A
// missing session or an empty PDF is a *data.ValidationError.
func (s *Store) KeepSheet(ctx context.Context, actor int64, sh *data.Sheet) error {
	if len(sh.PDF) == 0 {
		return fmt.Errorf("keeping sheet: %w", data.Invalid("pdf", "the sheet has no content"))
	}
	var saved data.Sheet
	err := s.change(ctx, actor, data.PermSheetMake, target{entity: data.EntitySheet}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		var err error
		saved, err = keepSheet(ctx, tx, actor, *sh, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("keeping sheet: %w", err)
	}
	*sh = saved
	return nil
}

func keepSheet(ctx context.Context, tx pgx.Tx, actor int64, sh data.Sheet, now time.Time) (data.Sheet, error) {
	// The session's row is locked so that two workstations keeping a
	// sheet of one session at once number them 1 and 2, not both 1.
	var clientID int64
	err := tx.QueryRow(ctx, `SELECT client_id FROM session WHERE id = $1 FOR UPDATE`, sh.SessionID).Scan(&clientID)
	if errors.Is(err, pgx.ErrNoRows) {
		return sh, data.Invalid("session", "this session does not exist")
	}
	if err != nil {
		return sh, err
	}
	err = tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM sheet WHERE session_id = $1`, sh.SessionID).Scan(&sh.Version)
	if err != nil {
		return sh, err
	}
	sh.MadeAt, sh.MadeBy, sh.SHA256 = now, actor, data.SumPDF(sh.PDF)
	basis, err := basisText(sh.Basis)
	if err != nil {
		return sh, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO sheet (session_id, version, made_at, made_by, sha256, pdf, basis)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, sh.SessionID, sh.Version, timeText(now), actor, sh.SHA256, sh.PDF, basis).Scan(&sh.ID)
	if err != nil {
		return sh, err
	}
	return sh, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntitySheet,
		entityID: sh.ID, clientID: clientID})
}

// ReprintSheet reads a kept sheet to hand over again and records
// ActionReprint in the same transaction; the bytes are checked as Sheet
// checks them.
func (s *Store) ReprintSheet(ctx context.Context, actor, id int64) (data.Sheet, error) {
	var sh data.Sheet
	err := s.change(ctx, actor, data.PermSheetMake, target{entity: data.EntitySheet, id: id}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		var clientID int64
		var err error
		sh, err = scanSheet(tx.QueryRow(ctx, `SELECT `+sheetColumns+`, (SELECT client_id FROM session WHERE id = sheet.session_id)
			FROM sheet WHERE id = $1`, id), &clientID)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(data.EntitySheet, id)
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionReprint, entity: data.EntitySheet,
			entityID: id, clientID: clientID})
	})
	if err != nil {
		return data.Sheet{}, fmt.Errorf("reading the kept sheet: %w", err)
	}
	return sh, nil
}

// SheetInput reads what an aftercare sheet of the session is made from
// (data.SheetInput), the same for everyone allowed to make sheets, with
// no clinical detail of the session read at all. It records nothing.
func (s *Store) SheetInput(ctx context.Context, actor, sessionID int64) (data.SheetInput, error) {
	var in data.SheetInput
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntitySession, id: sessionID}); err != nil {
		return in, fmt.Errorf("preparing the aftercare sheet: %w", err)
	}
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		in, err = readSheetInput(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return in, fmt.Errorf("preparing the aftercare sheet: %w", describeServerError(err))
	}
	return in, nil
}

// The reads of what an aftercare sheet is made from name only the
// columns the sheet prints: never a depth, the device, the lot, passes,
// numbing, glide serum, products applied, reaction, notes or warnings.
const (
	sheetSessionSQL = `SELECT s.id, s.client_id, s.started_at, s.next_due, s.aftercare_notes, coalesce(st.name, '')
		FROM session s LEFT JOIN staff st ON st.id = s.technician_id WHERE s.id = $1`
	sheetAreasSQL  = `SELECT area FROM session_area WHERE session_id = $1 ORDER BY position`
	sheetClientSQL = `SELECT id, given_name, family_name, allergies, pregnant_or_nursing, anticoagulants, keloid_tendency
		FROM client WHERE id = $1`
	// sheetNextVisitSQL is the client's next booked visit after the
	// session, as data/sqlite's sheet reads it from the book.
	sheetNextVisitSQL = `SELECT a.start_at, coalesce(st.name, '') FROM appointment a
		LEFT JOIN staff st ON st.id = a.technician_id
		WHERE a.client_id = $1 AND a.start_at > $2 AND a.status IN ('booked', 'arrived')
		ORDER BY a.start_at, a.id LIMIT 1`
)

// readSheetInput reads what the session's aftercare sheet is made from.
// Of the client's allergies it keeps only those that clash with a
// recommended product (data.SheetAllergies).
func readSheetInput(ctx context.Context, q queryer, sessionID int64) (data.SheetInput, error) {
	var in data.SheetInput
	ses := &in.Session
	var started, due sql.NullString
	err := q.QueryRow(ctx, sheetSessionSQL, sessionID).Scan(&ses.ID, &ses.ClientID, &started, &due,
		&ses.AftercareNotes, &ses.TechnicianName)
	if errors.Is(err, pgx.ErrNoRows) {
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
	rows, err := q.Query(ctx, sheetAreasSQL, sessionID)
	if err != nil {
		return in, fmt.Errorf("reading treatment areas: %w", err)
	}
	if ses.Areas, err = pgx.CollectRows(rows, pgx.RowTo[data.Area]); err != nil {
		return in, fmt.Errorf("reading treatment areas: %w", err)
	}
	recs := map[int64]*data.Session{sessionID: {}}
	if err := loadRecommendations(ctx, q, recs, `= $1`, sessionID); err != nil {
		return in, err
	}
	ses.Recommendations = recs[sessionID].Recommendations
	if err := nextVisit(ctx, q, ses); err != nil {
		return in, err
	}
	c := &in.Client
	var allergies string
	err = q.QueryRow(ctx, sheetClientSQL, ses.ClientID).Scan(&c.ID, &c.GivenName, &c.FamilyName, &allergies,
		&c.PregnantOrNursing, &c.Anticoagulants, &c.KeloidTendency)
	if errors.Is(err, pgx.ErrNoRows) {
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

// nextVisit fills in the client's next booked visit after the session.
func nextVisit(ctx context.Context, q queryer, ses *data.SheetSession) error {
	var start sql.NullString
	var with string
	err := q.QueryRow(ctx, sheetNextVisitSQL, ses.ClientID, timeText(ses.StartedAt)).Scan(&start, &with)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("the client's next appointment: %w", err)
	}
	if ses.NextVisit, err = parseTime(start); err != nil {
		return fmt.Errorf("the client's next appointment: %w", err)
	}
	ses.NextVisitWith = with
	return nil
}

const sheetColumns = `id, session_id, version, made_at, made_by, sha256, pdf, basis`

// basisText is how a sheet's basis is kept: JSON, or NULL when there is
// none.
func basisText(b data.SheetBasis) (any, error) {
	if b == nil {
		return nil, nil
	}
	j, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encoding the sheet's basis: %w", err)
	}
	return string(j), nil
}

// LatestSheet is the newest sheet of a session; data.ErrNotFound if the
// session has none.
func (s *Store) LatestSheet(ctx context.Context, actor, sessionID int64) (data.Sheet, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntitySession, id: sessionID}); err != nil {
		return data.Sheet{}, fmt.Errorf("reading the latest sheet: %w", err)
	}
	sh, err := scanSheet(s.pool.QueryRow(ctx, `SELECT `+sheetColumns+` FROM sheet
		WHERE session_id = $1 ORDER BY version DESC LIMIT 1`, sessionID))
	if errors.Is(err, pgx.ErrNoRows) {
		return sh, fmt.Errorf("no sheet was kept for session %d: %w", sessionID, data.ErrNotFound)
	}
	if err != nil {
		return sh, fmt.Errorf("reading the latest sheet: %w", describeServerError(err))
	}
	return sh, nil
}

// Sheet reads one kept sheet, its bytes checked against their SHA-256.
func (s *Store) Sheet(ctx context.Context, actor, id int64) (data.Sheet, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntitySheet, id: id}); err != nil {
		return data.Sheet{}, fmt.Errorf("reading sheet: %w", err)
	}
	sh, err := scanSheet(s.pool.QueryRow(ctx, `SELECT `+sheetColumns+` FROM sheet WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return sh, notFound(data.EntitySheet, id)
	}
	if err != nil {
		return sh, fmt.Errorf("reading sheet: %w", describeServerError(err))
	}
	return sh, nil
}

// scanSheet reads sheetColumns and any further columns into extra.
func scanSheet(sc pgx.Row, extra ...any) (data.Sheet, error) {
	var sh data.Sheet
	var made, basis sql.NullString
	if err := sc.Scan(append([]any{&sh.ID, &sh.SessionID, &sh.Version, &made, &sh.MadeBy, &sh.SHA256, &sh.PDF, &basis}, extra...)...); err != nil {
		return sh, err
	}
	var err error
	if sh.MadeAt, err = parseTime(made); err != nil {
		return sh, err
	}
	if basis.Valid {
		// A basis that no longer reads is treated as unknown: the sheet
		// itself is intact, and the app then says it cannot tell.
		if json.Unmarshal([]byte(basis.String), &sh.Basis) != nil {
			sh.Basis = nil
		}
	}
	if data.SumPDF(sh.PDF) != sh.SHA256 {
		return sh, fmt.Errorf("sheet %d is damaged: its bytes no longer match their SHA-256", sh.ID)
	}
	return sh, nil
}

// ClientSheets lists every sheet kept for a client's sessions, newest
// first, without their bytes. A client that does not exist is
// data.ErrNotFound.
func (s *Store) ClientSheets(ctx context.Context, actor, clientID int64) ([]data.SheetInfo, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntityClient, id: clientID, clientID: clientID}); err != nil {
		return nil, fmt.Errorf("listing sheets: %w", err)
	}
	var out []data.SheetInfo
	err := s.read(ctx, func(tx pgx.Tx) error {
		exists, err := rowExists(ctx, tx, `SELECT 1 FROM client WHERE id = $1`, clientID)
		if err != nil {
			return err
		}
		if !exists {
			return notFound(data.EntityClient, clientID)
		}
		rows, err := tx.Query(ctx, `SELECT sh.id, sh.session_id, sh.version, sh.made_at, sh.made_by,
			coalesce(st.name, ''), sh.sha256, octet_length(sh.pdf)
			FROM sheet sh JOIN session se ON se.id = sh.session_id LEFT JOIN staff st ON st.id = sh.made_by
			WHERE se.client_id = $1 ORDER BY sh.made_at DESC, sh.id DESC`, clientID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.SheetInfo, error) {
			var in data.SheetInfo
			var made sql.NullString
			if err := r.Scan(&in.ID, &in.SessionID, &in.Version, &made, &in.MadeBy, &in.MadeByName, &in.SHA256, &in.Size); err != nil {
				return in, err
			}
			var err error
			in.MadeAt, err = parseTime(made)
			return in, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing sheets: %w", describeServerError(err))
	}
	return out, nil
}
