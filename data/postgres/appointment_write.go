package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// The appointment book's changes, as data/sqlite's appointment_write.go.
// Each runs in one transaction that checks the actor's role, the records
// the appointment names and that its time is free, saves it, keeps its
// messages in step (outbox.go) and writes its audit row. Two
// workstations booking the same slot at the same moment take turns on
// the technician's and the room's rows (holdTime), so the second finds
// the first's appointment and is refused naming it.

// BookAppointment books a: its client, technician, room and treatment
// must exist and be current, its time free for the technician and the
// room, and in the future for anyone but an owner (an owner's booking in
// the past is noted in the audit trail). It sets a.ID, a.Status
// (booked), a.Version, the stamps and the names.
func (s *Store) BookAppointment(ctx context.Context, actor int64, a *data.Appointment) error {
	b := *a
	b.ID, b.Status, b.Cancel, b.SessionID, b.Sequence = 0, data.StatusBooked, data.Cancellation{}, 0, 0
	b.Start = b.Start.UTC()
	if err := b.Validate(); err != nil {
		return fmt.Errorf("booking: %w", err)
	}
	var saved data.Appointment
	t := target{entity: data.EntityAppointment, clientID: b.ClientID}
	err := s.change(ctx, actor, data.PermBookWrite, t, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		if err := data.CheckBookingTime(b.Start, now, who.Role); err != nil {
			return err
		}
		loc, err := clinicZone(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkBooking(ctx, tx, b); err != nil {
			return err
		}
		if err := holdTime(ctx, tx, b); err != nil {
			return err
		}
		if err := findClash(ctx, tx, b, loc); err != nil {
			return err
		}
		if saved, err = insertAppointment(ctx, tx, b, actor, now); err != nil {
			return err
		}
		if err := appointmentChanged(ctx, tx, data.Appointment{}, saved, now); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityAppointment,
			entityID: saved.ID, clientID: saved.ClientID, detail: bookedWords(saved, loc, data.InPast(b.Start, now))})
	})
	if err != nil {
		return fmt.Errorf("booking: %w", err)
	}
	*a = saved
	return nil
}

// appointmentWriteList are what a booking writes and a change may
// change, in the order appointmentArgs gives them.
var appointmentWriteList = []string{"client_id", "technician_id", "room_id", "treatment_id", "start_at", "end_at",
	"minutes", "note", "status", "cancel_reason", "cancel_note", "session_id", "course_id", "sequence",
	"warnings", "override_reason"}

var appointmentWriteColumns = strings.Join(appointmentWriteList, ", ")

func appointmentArgs(a data.Appointment) []any {
	warnings, _ := jsonList(a.Warnings) // a list of strings always encodes
	return []any{a.ClientID, a.TechnicianID, nullID(a.RoomID), a.TreatmentID, timeText(a.Start), timeText(a.End()),
		a.Minutes, a.Note, string(a.Status), string(a.Cancel.Reason), a.Cancel.Note, nullID(a.SessionID),
		nullID(a.CourseID), a.Sequence, warnings, a.OverrideReason}
}

// nullID stores "none" (0) as NULL, so a foreign key does not look for
// row 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func insertAppointment(ctx context.Context, tx pgx.Tx, a data.Appointment, actor int64, now time.Time) (data.Appointment, error) {
	stamp := timeText(now)
	args := append(appointmentArgs(a), stamp, actor, stamp, actor)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO appointment (`+appointmentWriteColumns+`, created_at, created_by, updated_at, updated_by)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&id)
	if err != nil {
		return a, err
	}
	return readAppointment(ctx, tx, id)
}

// apptChange changes a stored appointment in place (checking what only
// the transaction can see) before it is saved.
type apptChange func(tx pgx.Tx, now time.Time, who data.Staff, a *data.Appointment, loc *time.Location) error

// apptWords says in the audit trail what a change did.
type apptWords func(before, after data.Appointment, loc *time.Location) string

// changeAppointment runs change on appointment id once the actor may book
// and it is at the version read, then saves it, lets the outbox know and
// writes the audit row. The appointment's row is locked as it is read,
// so two changes to it take turns and the second sees the first's
// version.
func (s *Store) changeAppointment(ctx context.Context, actor, id, version int64, doing string, change apptChange, words apptWords) (data.Appointment, error) {
	var saved data.Appointment
	t := target{entity: data.EntityAppointment, id: id}
	err := s.change(ctx, actor, data.PermBookWrite, t, func(tx pgx.Tx, now time.Time, who data.Staff) error {
		if _, err := tx.Exec(ctx, `SELECT id FROM appointment WHERE id = $1 FOR NO KEY UPDATE`, id); err != nil {
			return err
		}
		before, err := readAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return appointmentConflict(ctx, tx, before)
		}
		loc, err := clinicZone(ctx, tx)
		if err != nil {
			return err
		}
		a := before
		if err := change(tx, now, who, &a, loc); err != nil {
			return err
		}
		if err := a.Validate(); err != nil {
			return err
		}
		if saved, err = updateAppointment(ctx, tx, a, actor, now); err != nil {
			return err
		}
		if err := appointmentChanged(ctx, tx, before, saved, now); err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityAppointment,
			entityID: id, clientID: saved.ClientID, detail: clip(words(before, saved, loc))})
	})
	if err != nil {
		return data.Appointment{}, fmt.Errorf("%s: %w", doing, err)
	}
	return saved, nil
}

func updateAppointment(ctx context.Context, tx pgx.Tx, a data.Appointment, actor int64, now time.Time) (data.Appointment, error) {
	args := append(appointmentArgs(a), timeText(now), actor)
	n := len(args)
	args = append(args, a.ID, a.Version)
	tag, err := tx.Exec(ctx, `UPDATE appointment SET (`+appointmentWriteColumns+`, updated_at, updated_by) =
		(`+placeholders(1, n)+`), version = version + 1 WHERE id = `+fmt.Sprintf("$%d AND version = $%d", n+1, n+2), args...)
	if err := mustChange(tag, err, data.EntityAppointment, a.ID); err != nil {
		return a, err
	}
	return readAppointment(ctx, tx, a.ID)
}

// appointmentConflict refuses a change over an appointment changed since
// it was read: who changed it last, and when.
func appointmentConflict(ctx context.Context, q queryer, stored data.Appointment) error {
	return &data.ConflictError{What: stored.ClientName + "'s appointment",
		By: changedBy(ctx, q, stored.UpdatedBy), At: stored.UpdatedAt}
}

// mayChange refuses a change to an appointment kept as history.
func mayChange(a data.Appointment) error {
	if a.Status.Open() {
		return nil
	}
	return data.Invalid("status", data.StatusChangeProblem(a.Status, data.StatusBooked))
}

// MoveAppointment moves an open appointment to another time, technician
// or room, checking the new ones as a booking does. A new time raises the
// calendar sequence (and so sends the client new messages); another
// technician or room alone does not. A move into the past is an owner's
// alone.
func (s *Store) MoveAppointment(ctx context.Context, actor, id, version int64, to data.Slot) (data.Appointment, error) {
	change := func(tx pgx.Tx, now time.Time, who data.Staff, a *data.Appointment, loc *time.Location) error {
		if err := mayChange(*a); err != nil {
			return err
		}
		to.Start = to.Start.UTC()
		if !to.Start.Equal(a.Start) {
			if err := data.CheckBookingTime(to.Start, now, who.Role); err != nil {
				return err
			}
		}
		if err := moveChecks(ctx, tx, *a, to); err != nil {
			return err
		}
		if !to.Start.Equal(a.Start) {
			a.Sequence++ // the client's calendar entry changes: new messages go (appointmentChanged)
		}
		a.Start, a.TechnicianID, a.RoomID = to.Start, to.TechnicianID, to.RoomID
		keepWarnings(a, to.Warnings, to.OverrideReason)
		if err := holdTime(ctx, tx, *a); err != nil {
			return err
		}
		return findClash(ctx, tx, *a, loc)
	}
	return s.changeAppointment(ctx, actor, id, version, "moving the appointment", change, movedWords)
}

// moveChecks checks a new technician or room as a booking would.
func moveChecks(ctx context.Context, tx pgx.Tx, a data.Appointment, to data.Slot) error {
	if to.TechnicianID != a.TechnicianID {
		if _, err := treater(ctx, tx, to.TechnicianID); err != nil {
			return err
		}
	}
	if to.RoomID != a.RoomID && to.RoomID != 0 {
		return checkRoom(ctx, tx, to.RoomID)
	}
	return nil
}

// keepWarnings adds the warnings of a change and the reason given for
// them to those kept with the appointment.
func keepWarnings(a *data.Appointment, warnings []string, reason string) {
	for _, w := range warnings {
		if !containsString(a.Warnings, w) {
			a.Warnings = append(a.Warnings, w)
		}
	}
	if len(warnings) > 0 {
		a.OverrideReason = data.JoinReasons(a.OverrideReason, reason)
		if reason == "" {
			a.OverrideReason = "" // Validate asks for a reason for the new warnings
		}
	}
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ChangeAppointmentLength gives an open appointment a new length, if the
// time it then takes is free.
func (s *Store) ChangeAppointmentLength(ctx context.Context, actor, id, version int64, minutes int) (data.Appointment, error) {
	change := func(tx pgx.Tx, _ time.Time, _ data.Staff, a *data.Appointment, loc *time.Location) error {
		if err := mayChange(*a); err != nil {
			return err
		}
		a.Minutes = minutes
		a.Sequence++
		if err := a.Validate(); err != nil {
			return err
		}
		if err := holdTime(ctx, tx, *a); err != nil {
			return err
		}
		return findClash(ctx, tx, *a, loc)
	}
	words := func(before, after data.Appointment, _ *time.Location) string {
		return fmt.Sprintf("length changed from %d to %d minutes", before.Minutes, after.Minutes)
	}
	return s.changeAppointment(ctx, actor, id, version, "changing the appointment's length", change, words)
}

// CancelAppointment calls an open appointment off, saying who did (the
// client or the clinic) and why. It stays readable in the client's
// history and frees its time.
func (s *Store) CancelAppointment(ctx context.Context, actor, id, version int64, c data.Cancellation) (data.Appointment, error) {
	if err := c.Validate(); err != nil {
		return data.Appointment{}, fmt.Errorf("cancelling the appointment: %w", err)
	}
	change := func(_ pgx.Tx, now time.Time, _ data.Staff, a *data.Appointment, _ *time.Location) error {
		if err := data.CheckMark(*a, data.StatusCancelled, now); err != nil {
			return err
		}
		a.Status, a.Cancel = data.StatusCancelled, c
		return nil
	}
	words := func(_, after data.Appointment, _ *time.Location) string {
		w := "cancelled: " + after.Cancel.Reason.Label()
		if after.Cancel.Note != "" {
			w += ": " + after.Cancel.Note
		}
		return w
	}
	return s.changeAppointment(ctx, actor, id, version, "cancelling the appointment", change, words)
}

// markable are the states MarkAppointment records.
var markable = map[data.AppointmentStatus]string{
	data.StatusArrived:     "marked arrived",
	data.StatusInTreatment: "marked in treatment",
	data.StatusNoShow:      "marked as not come (no-show)",
}

// MarkAppointment records the client arriving, going in for treatment
// or not coming; a no-show only once the appointment has begun.
func (s *Store) MarkAppointment(ctx context.Context, actor, id, version int64, to data.AppointmentStatus) (data.Appointment, error) {
	if _, ok := markable[to]; !ok {
		return data.Appointment{}, fmt.Errorf("marking the appointment: %w",
			data.Invalid("status", "mark an appointment arrived, in treatment or not come; cancel it or save its session otherwise"))
	}
	change := func(_ pgx.Tx, now time.Time, _ data.Staff, a *data.Appointment, _ *time.Location) error {
		if err := data.CheckMark(*a, to, now); err != nil {
			return err
		}
		a.Status = to
		return nil
	}
	words := func(_, _ data.Appointment, _ *time.Location) string { return markable[to] }
	return s.changeAppointment(ctx, actor, id, version, "marking the appointment", change, words)
}

// LinkSession records the session saved for an open appointment, which
// completes it. The session must be the appointment's client's and not
// already another appointment's.
func (s *Store) LinkSession(ctx context.Context, actor, id, version, sessionID int64) (data.Appointment, error) {
	change := func(tx pgx.Tx, now time.Time, _ data.Staff, a *data.Appointment, _ *time.Location) error {
		if err := data.CheckMark(*a, data.StatusCompleted, now); err != nil {
			return err
		}
		if err := checkSessionFor(ctx, tx, *a, sessionID); err != nil {
			return err
		}
		a.Status, a.SessionID = data.StatusCompleted, sessionID
		return nil
	}
	words := func(_, after data.Appointment, _ *time.Location) string {
		return fmt.Sprintf("completed: session %d was saved for it", after.SessionID)
	}
	return s.changeAppointment(ctx, actor, id, version, "linking the session", change, words)
}

func checkSessionFor(ctx context.Context, tx pgx.Tx, a data.Appointment, sessionID int64) error {
	var clientID int64
	err := tx.QueryRow(ctx, `SELECT client_id FROM session WHERE id = $1`, sessionID).Scan(&clientID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return data.Invalid("session", "is not a saved session")
	case err != nil:
		return err
	case clientID != a.ClientID:
		return data.Invalid("session", "is another client's session")
	}
	taken, err := rowExists(ctx, tx, `SELECT 1 FROM appointment WHERE session_id = $1 AND id <> $2`, sessionID, a.ID)
	if err != nil {
		return err
	}
	if taken {
		return data.Invalid("session", "is already linked to another appointment")
	}
	return nil
}

// clip keeps an audit note within the trail's limit.
func clip(s string) string {
	if r := []rune(s); len(r) > data.MaxAuditDetail {
		return string(r[:data.MaxAuditDetail-1]) + "…"
	}
	return s
}

// whenWords is an appointment's time as the audit trail says it, on the
// clinic's clock.
func whenWords(a data.Appointment, loc *time.Location) string {
	return a.Start.In(loc).Format("15:04 on Mon 2 January 2006")
}

func bookedWords(a data.Appointment, loc *time.Location, past bool) string {
	w := fmt.Sprintf("booked %s with %s at %s for %d minutes (%s", a.ClientName, a.TechnicianName, whenWords(a, loc), a.Minutes, a.TreatmentName)
	if a.RoomName != "" {
		w += ", " + a.RoomName
	}
	w += ")"
	if past {
		w += "; a time already gone, booked by an owner"
	}
	if len(a.Warnings) > 0 {
		w += "; booked despite warnings, because: " + a.OverrideReason + " (warned of: " + strings.Join(a.Warnings, "; ") + ")"
	}
	return clip(w)
}

func movedWords(before, after data.Appointment, loc *time.Location) string {
	where := func(a data.Appointment) string {
		w := whenWords(a, loc) + " with " + a.TechnicianName
		if a.RoomName != "" {
			w += " in " + a.RoomName
		}
		return w
	}
	w := "moved from " + where(before) + " to " + where(after)
	if after.OverrideReason != before.OverrideReason {
		w += "; despite warnings: " + after.OverrideReason
	}
	return w
}
