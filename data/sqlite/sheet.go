package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
)

var _ data.SheetStore = (*Store)(nil)

// KeepSheet stores the exact bytes of an aftercare sheet handed over for a
// session, filling in ID, Version (1 for the session's first sheet, then
// 2, 3...), MadeAt, MadeBy (the actor) and SHA256. A sheet is never changed
// afterwards. A missing session or an empty PDF is a *data.ValidationError.
func (s *Store) KeepSheet(ctx context.Context, actor int64, sh *data.Sheet) error {
	if len(sh.PDF) == 0 {
		return fmt.Errorf("keeping sheet: %w", data.Invalid("pdf", "the sheet has no content"))
	}
	var saved data.Sheet
	t := target{entity: data.EntitySheet}
	err := s.change(ctx, actor, data.PermSheetMake, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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

func keepSheet(ctx context.Context, tx *sql.Tx, actor int64, sh data.Sheet, now time.Time) (data.Sheet, error) {
	var clientID int64
	err := tx.QueryRowContext(ctx, `SELECT client_id FROM session WHERE id = ?`, sh.SessionID).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, data.Invalid("session", "this session does not exist")
	}
	if err != nil {
		return sh, err
	}
	err = tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) + 1 FROM sheet WHERE session_id = ?`,
		sh.SessionID).Scan(&sh.Version)
	if err != nil {
		return sh, err
	}
	sh.MadeAt, sh.MadeBy, sh.SHA256 = now, actor, data.SumPDF(sh.PDF)
	basis, err := basisText(sh.Basis)
	if err != nil {
		return sh, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sheet (session_id, version, made_at, made_by, sha256, pdf, basis)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sh.SessionID, sh.Version, timeText(now), actor, sh.SHA256, sh.PDF, basis)
	if err != nil {
		return sh, err
	}
	if sh.ID, err = res.LastInsertId(); err != nil {
		return sh, err
	}
	return sh, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntitySheet,
		entityID: sh.ID, clientID: clientID})
}

// ReprintSheet reads a kept sheet to hand over again (open, save or print
// it) and records ActionReprint in the same transaction. Anyone allowed to
// make sheets may; the bytes are checked as Sheet checks them.
func (s *Store) ReprintSheet(ctx context.Context, actor, id int64) (data.Sheet, error) {
	var sh data.Sheet
	err := s.change(ctx, actor, data.PermSheetMake, target{entity: data.EntitySheet, id: id}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		var clientID int64
		row := tx.QueryRowContext(ctx, `SELECT `+sheetColumns+`, (SELECT client_id FROM session WHERE id = sheet.session_id)
			FROM sheet WHERE id = ?`, id)
		var err error
		sh, err = scanSheet(row, &clientID)
		if errors.Is(err, sql.ErrNoRows) {
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
// (data.SheetInput): when, by whom, the areas without their depths, the
// recommendations with their products, the technician's words for the
// client and the next visit; the client's name, the allergies that clash
// with a recommended product, and the three screening answers the sheet
// prints lines for. Anyone allowed to make sheets may, and everyone gets
// the same, so the sheet does not depend on who prints it; no clinical
// detail of the session is read at all. It records nothing; the sheet
// kept, or handed over again, is what the audit trail records.
func (s *Store) SheetInput(ctx context.Context, actor, sessionID int64) (data.SheetInput, error) {
	var in data.SheetInput
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntitySession, id: sessionID}); err != nil {
		return in, fmt.Errorf("preparing the aftercare sheet: %w", err)
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		in, err = readSheetInput(ctx, tx, sessionID)
		return err
	})
	if err != nil {
		return in, fmt.Errorf("preparing the aftercare sheet: %w", err)
	}
	return in, nil
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
	sh, err := scanSheet(s.r.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheet
		WHERE session_id = ? ORDER BY version DESC LIMIT 1`, sessionID))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, fmt.Errorf("no sheet was kept for session %d: %w", sessionID, data.ErrNotFound)
	}
	if err != nil {
		return sh, fmt.Errorf("reading the latest sheet: %w", err)
	}
	return sh, nil
}

// Sheet reads one kept sheet. Its bytes are checked against their SHA-256,
// so a damaged sheet is an error rather than a silently different document.
func (s *Store) Sheet(ctx context.Context, actor, id int64) (data.Sheet, error) {
	if _, err := s.allowRead(ctx, actor, data.PermSheetMake, target{entity: data.EntitySheet, id: id}); err != nil {
		return data.Sheet{}, fmt.Errorf("reading sheet: %w", err)
	}
	sh, err := scanSheet(s.r.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheet WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, notFound(data.EntitySheet, id)
	}
	if err != nil {
		return sh, fmt.Errorf("reading sheet: %w", err)
	}
	return sh, nil
}

// scanSheet reads sheetColumns and any further columns into extra.
func scanSheet(sc scanner, extra ...any) (data.Sheet, error) {
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
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = clientSheets(ctx, tx, clientID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing sheets: %w", err)
	}
	return out, nil
}

// clientSheetsSQL lists a client's kept sheets through their sessions
// (session_by_client, then the sheet's UNIQUE (session_id, version) index).
// length(pdf) reads the size from the record header, not the bytes.
const clientSheetsSQL = `SELECT sh.id, sh.session_id, sh.version, sh.made_at, sh.made_by,
		coalesce(st.name, ''), sh.sha256, length(sh.pdf)
		FROM sheet sh JOIN session se ON se.id = sh.session_id LEFT JOIN staff st ON st.id = sh.made_by
		WHERE se.client_id = ? ORDER BY sh.made_at DESC, sh.id DESC`

func clientSheets(ctx context.Context, q queryer, clientID int64) ([]data.SheetInfo, error) {
	exists, err := rowExists(ctx, q, `SELECT 1 FROM client WHERE id = ?`, clientID)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, notFound(data.EntityClient, clientID)
	}
	rows, err := q.QueryContext(ctx, clientSheetsSQL, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.SheetInfo
	for rows.Next() {
		var in data.SheetInfo
		var made sql.NullString
		if err := rows.Scan(&in.ID, &in.SessionID, &in.Version, &made, &in.MadeBy, &in.MadeByName, &in.SHA256, &in.Size); err != nil {
			return nil, err
		}
		if in.MadeAt, err = parseTime(made); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
