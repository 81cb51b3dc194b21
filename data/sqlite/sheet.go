package sqlite

import (
	"context"
	"database/sql"
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
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
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
	var clientID int64 // for the audit row
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
	res, err := tx.ExecContext(ctx, `INSERT INTO sheet (session_id, version, made_at, made_by, sha256, pdf)
		VALUES (?, ?, ?, ?, ?, ?)`, sh.SessionID, sh.Version, timeText(now), actor, sh.SHA256, sh.PDF)
	if err != nil {
		return sh, err
	}
	if sh.ID, err = res.LastInsertId(); err != nil {
		return sh, err
	}
	return sh, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntitySheet, entityID: sh.ID, clientID: clientID})
}

const sheetColumns = `id, session_id, version, made_at, made_by, sha256, pdf`

// LatestSheet is the newest sheet of a session; data.ErrNotFound if the
// session has none.
func (s *Store) LatestSheet(ctx context.Context, sessionID int64) (data.Sheet, error) {
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
func (s *Store) Sheet(ctx context.Context, id int64) (data.Sheet, error) {
	sh, err := scanSheet(s.r.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheet WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, notFound(data.EntitySheet, id)
	}
	if err != nil {
		return sh, fmt.Errorf("reading sheet: %w", err)
	}
	return sh, nil
}

func scanSheet(sc scanner) (data.Sheet, error) {
	var sh data.Sheet
	var made sql.NullString
	if err := sc.Scan(&sh.ID, &sh.SessionID, &sh.Version, &made, &sh.MadeBy, &sh.SHA256, &sh.PDF); err != nil {
		return sh, err
	}
	var err error
	if sh.MadeAt, err = parseTime(made); err != nil {
		return sh, err
	}
	if data.SumPDF(sh.PDF) != sh.SHA256 {
		return sh, fmt.Errorf("sheet %d is damaged: its bytes no longer match their SHA-256", sh.ID)
	}
	return sh, nil
}

// ClientSheets lists every sheet kept for a client's sessions, newest
// first, without their bytes. A client that does not exist is
// data.ErrNotFound.
func (s *Store) ClientSheets(ctx context.Context, clientID int64) ([]data.SheetInfo, error) {
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
