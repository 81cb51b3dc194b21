package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"needledesk/data"
)

var _ data.ExportSource = (*Store)(nil)

// ClientRecord reads everything kept about one client for an export: the
// client, every session complete (areas, recommendations, technician) and
// every kept aftercare sheet with its bytes, all from one snapshot, so a
// session saved meanwhile is either wholly in it or not at all. A sheet
// whose bytes no longer match their SHA-256 is an error, never exported
// as if it were what the client was given.
func (s *Store) ClientRecord(ctx context.Context, clientID int64) (data.ClientRecord, error) {
	var rec data.ClientRecord
	err := s.read(ctx, func(tx *sql.Tx) error {
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
		return data.ClientRecord{}, fmt.Errorf("reading the client's record: %w", err)
	}
	return rec, nil
}

// keptSheetsSQL is clientSheetsSQL with the bytes.
const keptSheetsSQL = `SELECT sh.id, sh.session_id, sh.version, sh.made_at, sh.made_by,
		coalesce(st.name, ''), sh.sha256, sh.pdf
		FROM sheet sh JOIN session se ON se.id = sh.session_id LEFT JOIN staff st ON st.id = sh.made_by
		WHERE se.client_id = ? ORDER BY sh.made_at, sh.id`

func keptSheets(ctx context.Context, q queryer, clientID int64) ([]data.KeptSheet, error) {
	rows, err := q.QueryContext(ctx, keptSheetsSQL, clientID)
	if err != nil {
		return nil, fmt.Errorf("reading aftercare sheets: %w", err)
	}
	defer rows.Close()
	var out []data.KeptSheet
	for rows.Next() {
		var sh data.KeptSheet
		var made sql.NullString
		if err := rows.Scan(&sh.ID, &sh.SessionID, &sh.Version, &made, &sh.MadeBy, &sh.MadeByName, &sh.SHA256, &sh.PDF); err != nil {
			return nil, fmt.Errorf("reading aftercare sheets: %w", err)
		}
		if sh.MadeAt, err = parseTime(made); err != nil {
			return nil, fmt.Errorf("sheet %d: %w", sh.ID, err)
		}
		if data.SumPDF(sh.PDF) != sh.SHA256 {
			return nil, fmt.Errorf("sheet %d is damaged: its bytes no longer match their SHA-256", sh.ID)
		}
		sh.Size = len(sh.PDF)
		out = append(out, sh)
	}
	return out, rows.Err()
}

// walkBatch is how many sessions WalkClinic reads at a time: their areas
// and recommendations take one query each per batch.
const walkBatch = 500

// WalkClinic reads the whole clinic for the owner's export from one
// snapshot: first the counts, then every client (archived ones too) in ID
// order, then every session, complete, in ID order. Clients stream from
// one query; sessions come a batch at a time; so memory stays small for
// any clinic. A callback's error stops the walk and is returned.
func (s *Store) WalkClinic(ctx context.Context, w data.ClinicWalker) error {
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := walkTotals(ctx, tx, w.Totals); err != nil {
			return err
		}
		if err := walkClients(ctx, tx, w.Client); err != nil {
			return err
		}
		return walkSessions(ctx, tx, w.Session)
	})
	if err != nil {
		return fmt.Errorf("reading the clinic: %w", err)
	}
	return nil
}

func walkTotals(ctx context.Context, tx *sql.Tx, fn func(clients, sessions int) error) error {
	if fn == nil {
		return nil
	}
	var clients, sessions int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM client), (SELECT count(*) FROM session)`).
		Scan(&clients, &sessions)
	if err != nil {
		return fmt.Errorf("counting: %w", err)
	}
	return fn(clients, sessions)
}

func walkClients(ctx context.Context, tx *sql.Tx, fn func(data.Client) error) error {
	if fn == nil {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+clientReadColumns+`, version, updated_by, email_reminders FROM client ORDER BY id`)
	if err != nil {
		return fmt.Errorf("reading clients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var version, by int64
		var remind bool
		c, err := scanClient(rows, &version, &by, &remind)
		c.Version, c.UpdatedBy, c.EmailReminders = version, by, remind
		if err != nil {
			return fmt.Errorf("reading clients: %w", err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func walkSessions(ctx context.Context, tx *sql.Tx, fn func(data.Session) error) error {
	if fn == nil {
		return nil
	}
	products, err := catalogue(ctx, tx)
	if err != nil {
		return err
	}
	for after := int64(0); ; {
		batch, err := sessionBatchAfter(ctx, tx, after, products)
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, ses := range batch {
			if err := fn(ses); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// sessionBatchAfter reads up to walkBatch complete sessions with IDs above
// after, in ID order, taking each recommended product from products.
func sessionBatchAfter(ctx context.Context, q queryer, after int64, products map[int64]data.Product) ([]data.Session, error) {
	rows, err := q.QueryContext(ctx, sessionSelect+` WHERE s.id > ? ORDER BY s.id LIMIT ?`, after, walkBatch)
	if err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	defer rows.Close()
	batch := make([]data.Session, 0, walkBatch)
	ids := make([]int64, 0, walkBatch)
	for rows.Next() {
		ses, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("reading sessions: %w", err)
		}
		batch = append(batch, ses)
		ids = append(ids, ses.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading sessions: %w", err)
	}
	list, err := idList(ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*data.Session, len(batch))
	for i := range batch {
		byID[batch[i].ID] = &batch[i]
	}
	const scope = `IN (SELECT value FROM json_each(?))`
	if err := loadAreas(ctx, q, byID, scope, list); err != nil {
		return nil, err
	}
	return batch, loadRecommendedIDs(ctx, q, byID, scope, list, products)
}

// catalogue reads every product, retired ones too, by ID. A clinic's
// catalogue is a few dozen rows; reading it once spares a whole-clinic
// walk the same product read and decoded for each of its (on the demo
// clinic, four hundred thousand) recommendations, which was half its time.
func catalogue(ctx context.Context, q queryer) (map[int64]data.Product, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+productColumns+` FROM product`)
	if err != nil {
		return nil, fmt.Errorf("reading products: %w", err)
	}
	defer rows.Close()
	out := map[int64]data.Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("reading products: %w", err)
		}
		out[p.ID] = p
	}
	return out, rows.Err()
}

// loadRecommendedIDs is loadRecommendations with the products taken from
// a catalogue already read. Sessions share the catalogue's values, so
// their products must be read and not changed.
func loadRecommendedIDs(ctx context.Context, q queryer, byID map[int64]*data.Session, scope string, arg any, products map[int64]data.Product) error {
	rows, err := q.QueryContext(ctx, `SELECT session_id, product_id, start_day FROM session_recommendation
		WHERE session_id `+scope+` ORDER BY session_id, position`, arg)
	if err != nil {
		return fmt.Errorf("reading recommendations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r data.Recommendation
		if err := rows.Scan(&id, &r.ProductID, &r.StartDay); err != nil {
			return fmt.Errorf("reading recommendations: %w", err)
		}
		r.Product = products[r.ProductID] // the foreign key guarantees it is there
		if s := byID[id]; s != nil {
			s.Recommendations = append(s.Recommendations, r)
		}
	}
	return rows.Err()
}
