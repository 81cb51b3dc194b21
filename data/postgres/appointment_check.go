package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// What a booking checks inside its transaction, as data/sqlite's
// appointment_check.go: that it names a current client, an active
// technician, a room in use, a treatment still on the menu and one of the
// client's open courses, and that its time is free.

// checkBooking checks the records a new appointment names.
func checkBooking(ctx context.Context, tx pgx.Tx, a data.Appointment) error {
	if err := checkClient(ctx, tx, a.ClientID); err != nil {
		return err
	}
	if _, err := treater(ctx, tx, a.TechnicianID); err != nil {
		return err
	}
	if a.RoomID != 0 {
		if err := checkRoom(ctx, tx, a.RoomID); err != nil {
			return err
		}
	}
	if err := checkTreatment(ctx, tx, a.TreatmentID); err != nil {
		return err
	}
	if a.CourseID != 0 {
		return checkCourse(ctx, tx, a.CourseID, a.ClientID)
	}
	return nil
}

func checkClient(ctx context.Context, q queryer, id int64) error {
	var archived sql.NullString
	err := q.QueryRow(ctx, `SELECT archived_at FROM client WHERE id = $1`, id).Scan(&archived)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return data.Invalid("client", "is not one of the clinic's clients")
	case err != nil:
		return err
	case archived.Valid:
		return data.Invalid("client", "was archived, so cannot be booked")
	}
	return nil
}

// treater reads a staff member who may be booked to treat: an active
// technician or owner.
func treater(ctx context.Context, q queryer, id int64) (data.Staff, error) {
	st, err := scanStaff(q.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, id))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return st, data.Invalid("technician", "is not one of the clinic's staff")
	case err != nil:
		return st, err
	case !st.Active:
		return st, data.Invalid("technician", st.Name+"'s account is switched off")
	case st.Role == data.RoleReceptionist:
		return st, data.Invalid("technician", st.Name+" is a receptionist, not a technician")
	}
	return st, nil
}

func checkRoom(ctx context.Context, q queryer, id int64) error {
	var name string
	var active bool
	err := q.QueryRow(ctx, `SELECT name, active FROM room WHERE id = $1`, id).Scan(&name, &active)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return data.Invalid("room", "is not one of the clinic's rooms")
	case err != nil:
		return err
	case !active:
		return data.Invalid("room", name+" is no longer in use")
	}
	return nil
}

func checkTreatment(ctx context.Context, q queryer, id int64) error {
	t, err := readTreatment(ctx, q, id)
	switch {
	case errors.Is(err, data.ErrNotFound):
		return data.Invalid("treatment", "is not on the treatment menu")
	case err != nil:
		return err
	case !t.Active:
		return data.Invalid("treatment", t.Name+" is no longer offered")
	}
	return nil
}

func checkCourse(ctx context.Context, q queryer, id, clientID int64) error {
	var owner int64
	var closed bool
	err := q.QueryRow(ctx, `SELECT client_id, closed FROM course WHERE id = $1`, id).Scan(&owner, &closed)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != clientID):
		return data.Invalid("course", "is not one of the client's courses")
	case err != nil:
		return err
	case closed:
		return data.Invalid("course", "is closed; open a new course")
	}
	return nil
}

// holdTime serialises the changes that may take a's technician's and
// room's time: it locks their rows (technician first, then room, always
// in that order) until the transaction ends, so two workstations booking
// the same slot at the same moment take turns, and the second's clash
// check (findClash, after this) sees the first's committed appointment.
// The staff and room rows are only locked against one another's
// bookings: FOR NO KEY UPDATE leaves reads and the appointment's foreign
// key checks free.
func holdTime(ctx context.Context, tx pgx.Tx, a data.Appointment) error {
	if _, err := tx.Exec(ctx, `SELECT id FROM staff WHERE id = $1 FOR NO KEY UPDATE`, a.TechnicianID); err != nil {
		return fmt.Errorf("waiting for the technician's diary: %w", err)
	}
	if a.RoomID == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT id FROM room WHERE id = $1 FOR NO KEY UPDATE`, a.RoomID); err != nil {
		return fmt.Errorf("waiting for the room's diary: %w", err)
	}
	return nil
}

// findClash refuses a's time when another appointment that holds its
// time shares any of it with a's technician or room (touching ends do
// not), naming that appointment. The caller holds the time (holdTime).
func findClash(ctx context.Context, q queryer, a data.Appointment, loc *time.Location) error {
	for _, by := range []struct {
		column string
		id     int64
		room   bool
	}{{"technician_id", a.TechnicianID, false}, {"room_id", a.RoomID, true}} {
		if by.id == 0 {
			continue
		}
		var other int64
		args := append(append([]any{by.id}, spanArgs(a.Start, a.End())...), a.ID)
		err := q.QueryRow(ctx, clashSQL(by.column), args...).Scan(&other)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("checking for a clash: %w", err)
		}
		with, err := readAppointment(ctx, q, other)
		if err != nil {
			return err
		}
		return &data.BookingClash{With: with, Room: by.room, Location: loc}
	}
	return nil
}

// clashSQL finds an appointment holding time that its technician's (or
// room's) column shares with a span: the column's ID, spanWhere's
// arguments, then an appointment to leave out.
func clashSQL(column string) string {
	return `SELECT a.id FROM appointment a WHERE a.` + column + ` = $1 AND ` + spanWhere(2) + `
		AND a.status IN ` + holdingSQL + ` AND a.id <> $5 ORDER BY a.start_at LIMIT 1`
}
