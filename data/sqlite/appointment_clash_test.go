package sqlite_test

import (
	"errors"
	"strings"
	"testing"

	"needledesk/data"
)

// wantClash checks err refuses a clash with with, for the room or the
// technician, in words naming the client and the time, and that nothing
// was written.
func (b *book) wantClash(err error, with data.Appointment, room bool, before map[string]int) {
	b.t.Helper()
	var clash *data.BookingClash
	if !errors.Is(err, data.ErrConflict) || !errors.As(err, &clash) {
		b.t.Fatalf("error = %v; want a BookingClash", err)
	}
	if clash.With.ID != with.ID || clash.Room != room {
		b.t.Errorf("clashes with %d (room %v); want %d (room %v)", clash.With.ID, clash.Room, with.ID, room)
	}
	msg := data.UserMessage(err)
	when := with.Start.In(b.loc).Format("15:04")
	if !strings.Contains(msg, with.ClientName+"'s appointment") || !strings.Contains(msg, "from "+when) {
		b.t.Errorf("the refusal reads %q; want %s's appointment from %s", msg, with.ClientName, when)
	}
	for table, n := range before {
		if got := b.count(table); got != n {
			b.t.Errorf("%s has %d rows after a refused clash; want %d", table, got, n)
		}
	}
}

// TestNeverDoubleBooked: a technician or a room holds one appointment at
// a time; touching ends are allowed; cancelled and missed appointments
// free their time; a move or a longer appointment is checked as a
// booking is.
func TestNeverDoubleBooked(t *testing.T) {
	b := newBook(t)
	other := b.env.client(named("Ana", "Silva"))
	held := b.booked(b.desk.ID, b.appt()) // Priya, room 1, Tuesday 10:00 to 11:00
	before := b.counts("appointment", "audit_event")

	sameTech := b.appt(func(a *data.Appointment) { a.ClientID, a.RoomID, a.Start = other.ID, b.room2.ID, b.at(2, 10, 30) })
	b.wantClash(b.st.BookAppointment(b.ctx, b.tech.ID, &sameTech), held, false, before)
	sameRoom := b.appt(func(a *data.Appointment) { a.ClientID, a.TechnicianID, a.Start = other.ID, b.tech2.ID, b.at(2, 9, 30) })
	b.wantClash(b.st.BookAppointment(b.ctx, b.tech.ID, &sameRoom), held, true, before)
	inside := b.appt(func(a *data.Appointment) { a.ClientID, a.Start, a.Minutes = other.ID, b.at(2, 10, 15), 15 })
	b.wantClash(b.st.BookAppointment(b.ctx, b.tech.ID, &inside), held, false, before)
	around := b.appt(func(a *data.Appointment) { a.ClientID, a.Start, a.Minutes = other.ID, b.at(2, 6, 0), 8*60 })
	b.wantClash(b.st.BookAppointment(b.ctx, b.tech.ID, &around), held, false, before)

	// Touching ends: 09:00 to 10:00 and 11:00 to 12:00, same technician and room.
	beforeIt := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.ClientID, a.Start = other.ID, b.at(2, 9, 0) }))
	afterIt := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.ClientID, a.Start = other.ID, b.at(2, 11, 0) }))

	// Neither may grow into the one between them, nor move onto it.
	before = b.counts("appointment", "audit_event")
	_, err := b.st.ChangeAppointmentLength(b.ctx, b.desk.ID, beforeIt.ID, beforeIt.Version, 61)
	b.wantClash(err, held, false, before)
	_, err = b.st.MoveAppointment(b.ctx, b.desk.ID, afterIt.ID, afterIt.Version,
		data.Slot{Start: b.at(2, 10, 45), TechnicianID: b.tech2.ID, RoomID: b.room1.ID})
	b.wantClash(err, held, true, before)
	if got, _ := b.st.Appointment(b.ctx, b.desk.ID, afterIt.ID); got.Version != afterIt.Version || !got.Start.Equal(afterIt.Start) {
		t.Errorf("a refused move changed the appointment: %+v", got)
	}
	// A move that stays where it is does not clash with itself.
	if _, err := b.st.MoveAppointment(b.ctx, b.desk.ID, held.ID, held.Version,
		data.Slot{Start: held.Start, TechnicianID: held.TechnicianID, RoomID: b.room2.ID}); err != nil {
		t.Fatalf("moving to another room at the same time: %v", err)
	}
	held, _ = b.st.Appointment(b.ctx, b.desk.ID, held.ID)

	// A cancelled appointment frees its time.
	if _, err := b.st.CancelAppointment(b.ctx, b.desk.ID, held.ID, held.Version, data.Cancellation{Reason: data.CancelByClient}); err != nil {
		t.Fatal(err)
	}
	b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.ClientID, a.RoomID = other.ID, b.room2.ID }))
}

// TestTheFileRefusesADoubleBooking: a clash written behind the store (a
// database tool, an older copy of NeedleDesk) is refused by the file
// itself, and an import that holds one names it.
func TestTheFileRefusesADoubleBooking(t *testing.T) {
	b := newBook(t)
	held := b.booked(b.desk.ID, b.appt())
	db := rawDB(t, b.path)
	_, err := db.ExecContext(b.ctx, `INSERT INTO appointment (client_id, technician_id, treatment_id, start_at, end_at,
		minutes, status, created_at, created_by, updated_at, updated_by)
		SELECT client_id, technician_id, treatment_id, '2026-11-24T10:59:00.000000000Z', '2026-11-24T11:30:00.000000000Z',
			31, 'booked', created_at, 0, updated_at, 0 FROM appointment WHERE id = ?`, held.ID)
	if err == nil || !strings.Contains(err.Error(), "appointment clash") {
		t.Fatalf("a clash written behind the store: %v", err)
	}
	_, err = db.ExecContext(b.ctx, `UPDATE appointment SET room_id = NULL, technician_id = ? WHERE id = ?`, b.tech2.ID, held.ID)
	if err != nil {
		t.Fatalf("a change that clashes with nothing: %v", err)
	}
	other := b.env.client(named("Ana", "Silva"))
	history := []data.Appointment{
		b.appt(func(a *data.Appointment) { a.Start, a.Status = b.at(4, 9, 0), data.StatusBooked }),
		b.appt(func(a *data.Appointment) { a.ClientID, a.Start, a.Status = other.ID, b.at(4, 9, 30), data.StatusBooked }),
	}
	before := b.counts("appointment", "audit_event")
	err = b.st.ImportAppointments(b.ctx, data.SystemActor, history)
	var clash *data.BookingClash
	if !errors.As(err, &clash) || clash.With.ClientName != "Zoë O'Brien" || !strings.Contains(err.Error(), "appointment 2 of 2") {
		t.Fatalf("an import holding a clash: %v", err)
	}
	for table, n := range before {
		if got := b.count(table); got != n {
			t.Errorf("%s has %d rows after a refused import; want %d", table, got, n)
		}
	}
	// Cancelled and missed appointments in a history hold no time.
	history[1].Status, history[1].Cancel = data.StatusCancelled, data.Cancellation{Reason: data.CancelByClient}
	if err := b.st.ImportAppointments(b.ctx, data.SystemActor, history); err != nil {
		t.Fatalf("a history with a cancelled overlap: %v", err)
	}
}
