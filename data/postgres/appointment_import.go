package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// ImportAppointments validates every appointment and then adds them all
// in one transaction, or none of them, each with its create audit row;
// owners only, since a clinic's history lies in the past. Appointments
// keep the state given (a completed one names its session); the records
// they name must exist, and none may take a technician's or a room's
// time another holds: the first that would is refused as a
// *data.BookingClash naming the appointment it clashes with, and its
// place in the import. Imports queue no messages. On success every
// element of as has its ID, version and stamps set.
func (s *Store) ImportAppointments(ctx context.Context, actor int64, as []data.Appointment) error {
	if err := data.ValidForImport(as); err != nil {
		return err
	}
	saved := slices.Clone(as)
	err := s.change(ctx, actor, data.PermBookSetup, target{entity: data.EntityAppointment}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		return importAppointments(ctx, tx, actor, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing appointments: %w", err)
	}
	copy(as, saved)
	return nil
}

func importAppointments(ctx context.Context, tx pgx.Tx, actor int64, as []data.Appointment, now time.Time) error {
	loc, err := clinicZone(ctx, tx)
	if err != nil {
		return err
	}
	// The whole book is locked for the import: it checks each
	// appointment against those before it, and a booking made meanwhile
	// from another workstation must not slip between them.
	if _, err := tx.Exec(ctx, `LOCK TABLE appointment IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("waiting for the book: %w", err)
	}
	stamp := timeText(now)
	insert := `INSERT INTO appointment (` + appointmentWriteColumns + `, created_at, created_by, updated_at, updated_by)
		VALUES (` + placeholders(1, len(appointmentWriteList)+4) + `) RETURNING id`
	audits := make([]auditRow, len(as))
	for i := range as {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		a := &as[i]
		if slices.Contains(data.HoldingStatuses, a.Status) {
			if err := findClash(ctx, tx, *a, loc); err != nil {
				return fmt.Errorf("appointment %d of %d: %w", i+1, len(as), err)
			}
		}
		args := append(appointmentArgs(*a), stamp, actor, stamp, actor)
		if err := tx.QueryRow(ctx, insert, args...).Scan(&a.ID); err != nil {
			return fmt.Errorf("appointment %d of %d: %w", i+1, len(as), err)
		}
		a.Version, a.CreatedAt, a.UpdatedAt, a.CreatedBy, a.UpdatedBy = 1, now, now, actor, actor
		audits[i] = auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityAppointment,
			entityID: a.ID, clientID: a.ClientID}
	}
	return appendAudits(ctx, tx, audits)
}
