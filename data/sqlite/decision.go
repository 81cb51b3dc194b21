package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"needledesk/data"
)

// RecordDoNotTreat keeps a decision not to treat a client, taken at the
// check before treating, as one ActionDoNotTreat row with the reason. It
// needs PermSessionWrite (those who chart the session decide whether to
// treat); a refusal is recorded as ActionDenied instead. A missing reason,
// or one too long for the trail, is a *data.ValidationError and nothing
// is written; an unknown client is data.ErrNotFound.
func (s *Store) RecordDoNotTreat(ctx context.Context, actor int64, d data.DoNotTreat) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("recording a decision not to treat: %w", err)
	}
	t := target{entity: data.EntityClient, id: d.ClientID, clientID: d.ClientID}
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		exists, err := rowExists(ctx, tx, `SELECT 1 FROM client WHERE id = ?`, d.ClientID)
		if err != nil {
			return err
		}
		if !exists {
			return notFound(data.EntityClient, d.ClientID)
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionDoNotTreat,
			entity: data.EntityClient, entityID: d.ClientID, clientID: d.ClientID, detail: d.Detail()})
	})
	if err != nil {
		return fmt.Errorf("recording a decision not to treat: %w", err)
	}
	return nil
}
