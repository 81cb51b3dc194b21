package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"needledesk/data"
)

// appointmentBatch is how many appointments one INSERT writes during an
// import (21 columns each, well under SQLite's parameter limit).
const appointmentBatch = 256

// ImportAppointments validates every appointment and then adds them all
// in one transaction, or none of them, each with its create audit row;
// owners only, since a clinic's history lies in the past. Appointments
// keep the state given (a completed one names its session); the records
// they name must exist, and none may take a technician's or a room's
// time another holds (the trigger of migration 16 refuses it). Imports
// queue no messages. On success every element of as has its ID, version
// and stamps set.
func (s *Store) ImportAppointments(ctx context.Context, actor int64, as []data.Appointment) error {
	if err := data.ValidForImport(as); err != nil {
		return err
	}
	saved := slices.Clone(as)
	err := s.change(ctx, actor, data.PermBookSetup, target{entity: data.EntityAppointment}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		return importAppointments(ctx, tx, actor, saved, now)
	})
	if err != nil {
		return fmt.Errorf("importing appointments: %w", err)
	}
	copy(as, saved)
	return nil
}

func importAppointments(ctx context.Context, tx *sql.Tx, actor int64, as []data.Appointment, now time.Time) error {
	first, err := nextID(ctx, tx, "appointment")
	if err != nil {
		return err
	}
	columns := append(append([]string{"id"}, appointmentWriteList...), "created_at", "created_by", "updated_at", "updated_by")
	ins := newMultiInsert(tx, "appointment", columns...)
	defer ins.Close()
	rowCtx, cancelled := rowContext(ctx)
	stamp := timeText(now)
	ids, clientIDs := make([]int64, len(as)), make([]int64, len(as))
	args := make([]any, 0, appointmentBatch*len(columns))
	for start := 0; start < len(as); start += appointmentBatch {
		if err := cancelled(); err != nil {
			return err
		}
		args = args[:0]
		for i := start; i < min(start+appointmentBatch, len(as)); i++ {
			a := &as[i]
			a.ID, a.Version, a.CreatedAt, a.UpdatedAt, a.CreatedBy, a.UpdatedBy = first+int64(i), 1, now, now, actor, actor
			ids[i], clientIDs[i] = a.ID, a.ClientID
			args = append(append(append(args, a.ID), appointmentArgs(*a)...), stamp, actor, stamp, actor)
		}
		if err := ins.exec(rowCtx, args); err != nil {
			if isClash(err) {
				return explainClash(ctx, tx, as, start, actor, stamp)
			}
			return fmt.Errorf("appointments %d to %d of %d: %w", start+1, min(start+appointmentBatch, len(as)), len(as), err)
		}
	}
	return auditMany(ctx, tx, now, actor, data.ActionCreate, data.EntityAppointment, ids, clientIDs)
}

// isClash reports the refusal of migration 16's triggers.
func isClash(err error) bool { return err != nil && strings.Contains(err.Error(), "appointment clash") }

// explainClash finds, in the batch from start that a trigger refused, the
// first appointment that clashes, and names the appointment it clashes
// with: it writes the batch's rows one at a time (the import is rolled
// back anyway) until one is refused.
func explainClash(ctx context.Context, tx *sql.Tx, as []data.Appointment, start int, actor int64, stamp string) error {
	loc, err := clinicZone(ctx, tx)
	if err != nil {
		return err
	}
	for i := start; i < min(start+appointmentBatch, len(as)); i++ {
		args := append(append([]any{as[i].ID}, appointmentArgs(as[i])...), stamp, actor, stamp, actor)
		_, err := tx.ExecContext(ctx, `INSERT INTO appointment (id, `+appointmentWriteColumns+`, created_at, created_by,
			updated_at, updated_by) VALUES (`+placeholders(len(args))+`)`, args...)
		if !isClash(err) {
			if err != nil {
				return err
			}
			continue
		}
		if err := findClash(ctx, tx, as[i], loc); err != nil {
			return fmt.Errorf("appointment %d of %d: %w", i+1, len(as), err)
		}
		return fmt.Errorf("appointment %d of %d: %w", i+1, len(as), data.ErrConflict)
	}
	return fmt.Errorf("appointments %d and on: %w", start+1, data.ErrConflict)
}
