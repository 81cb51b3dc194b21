package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// RecordDoNotTreat keeps a decision not to treat a client as one
// ActionDoNotTreat row with the reason, as data/sqlite's: it needs
// PermSessionWrite; an invalid reason is a *data.ValidationError and an
// unknown client data.ErrNotFound, with nothing written.
func (s *Store) RecordDoNotTreat(ctx context.Context, actor int64, d data.DoNotTreat) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("recording a decision not to treat: %w", err)
	}
	t := target{entity: data.EntityClient, id: d.ClientID, clientID: d.ClientID}
	err := s.change(ctx, actor, data.PermSessionWrite, t, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		exists, err := rowExists(ctx, tx, `SELECT 1 FROM client WHERE id = $1`, d.ClientID)
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
