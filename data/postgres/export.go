package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

var _ data.ExportSource = (*Store)(nil)

// ClientRecord reads everything kept about one client for an export (the
// client, every session complete, every kept aftercare sheet with its
// bytes) from one snapshot. A sheet whose bytes no longer match their
// SHA-256 is an error, never exported as if it were what the client was
// given.
func (s *Store) ClientRecord(ctx context.Context, clientID int64) (data.ClientRecord, error) {
	var rec data.ClientRecord
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		if rec.Client, err = readClient(ctx, tx, clientID); err != nil {
			return err
		}
		if rec.Sessions, err = clientSessions(ctx, tx, clientID); err != nil {
			return err
		}
		rec.Sheets, err = keptSheets(ctx, tx, clientID)
		return err
	})
	if err != nil {
		return data.ClientRecord{}, fmt.Errorf("reading the client's record: %w", describeServerError(err))
	}
	return rec, nil
}

func keptSheets(ctx context.Context, q queryer, clientID int64) ([]data.KeptSheet, error) {
	rows, err := q.Query(ctx, `SELECT sh.id, sh.session_id, sh.version, sh.made_at, sh.made_by,
		coalesce(st.name, ''), sh.sha256, sh.pdf
		FROM sheet sh JOIN session se ON se.id = sh.session_id LEFT JOIN staff st ON st.id = sh.made_by
		WHERE se.client_id = $1 ORDER BY sh.made_at, sh.id`, clientID)
	if err != nil {
		return nil, fmt.Errorf("reading aftercare sheets: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.KeptSheet, error) {
		var sh data.KeptSheet
		var made sql.NullString
		if err := r.Scan(&sh.ID, &sh.SessionID, &sh.Version, &made, &sh.MadeBy, &sh.MadeByName, &sh.SHA256, &sh.PDF); err != nil {
			return sh, err
		}
		var err error
		if sh.MadeAt, err = parseTime(made); err != nil {
			return sh, fmt.Errorf("sheet %d: %w", sh.ID, err)
		}
		if data.SumPDF(sh.PDF) != sh.SHA256 {
			return sh, fmt.Errorf("sheet %d is damaged: its bytes no longer match their SHA-256", sh.ID)
		}
		sh.Size = len(sh.PDF)
		return sh, nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading aftercare sheets: %w", err)
	}
	return out, nil
}

// walkBatch is how many clients or sessions WalkClinic reads at a time.
const walkBatch = 500

// WalkClinic reads the whole clinic for the owner's export from one
// snapshot: first the counts, then every client (archived ones too) in ID
// order, then every session, complete, in ID order, a batch at a time, so
// memory stays small for any clinic. A callback's error stops the walk
// and is returned.
func (s *Store) WalkClinic(ctx context.Context, w data.ClinicWalker) error {
	err := s.read(ctx, func(tx pgx.Tx) error {
		if w.Totals != nil {
			var clients, sessions int
			err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM session)`).Scan(&clients, &sessions)
			if err != nil {
				return fmt.Errorf("counting: %w", err)
			}
			if err := w.Totals(clients, sessions); err != nil {
				return err
			}
		}
		if err := walkClients(ctx, tx, w.Client); err != nil {
			return err
		}
		return walkSessions(ctx, tx, w.Session)
	})
	if err != nil {
		return fmt.Errorf("reading the clinic: %w", describeServerError(err))
	}
	return nil
}

// walkClients hands fn every client in ID order, a batch at a time (a
// callback may take its time; no cursor stays open meanwhile).
func walkClients(ctx context.Context, tx pgx.Tx, fn func(data.Client) error) error {
	if fn == nil {
		return nil
	}
	for after := int64(0); ; {
		rows, err := tx.Query(ctx, `SELECT `+clientColumns+` FROM client WHERE id > $1 ORDER BY id LIMIT $2`, after, walkBatch)
		if err != nil {
			return fmt.Errorf("reading clients: %w", err)
		}
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.Client, error) { return scanClient(r) })
		if err != nil {
			return fmt.Errorf("reading clients: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, c := range batch {
			if err := fn(c); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

func walkSessions(ctx context.Context, tx pgx.Tx, fn func(data.Session) error) error {
	if fn == nil {
		return nil
	}
	for after := int64(0); ; {
		batch, err := querySessions(ctx, tx, sessionSelect+` WHERE s.id > $1 ORDER BY s.id LIMIT $2`, after, walkBatch)
		if err != nil {
			return fmt.Errorf("reading sessions: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		ids := make([]int64, len(batch))
		for i := range batch {
			ids[i] = batch[i].ID
		}
		if err := loadChildren(ctx, tx, batch, `= ANY($1)`, ids); err != nil {
			return err
		}
		for _, ses := range batch {
			if err := fn(ses); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}
