package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
)

// The appointment book's behaviour tests are the stores' contract
// (data/storetest/book*.go, run by TestContract); what is here is the
// same small clinic for the tests about SQLite alone.

// book is a small clinic in London with the appointment book set up: two
// technicians, a receptionist, an owner, two rooms, two treatments and a
// client. testNow is Sunday 22 November 2026, noon; London is on GMT.
type book struct {
	*env
	loc               *time.Location
	tech, tech2, desk data.Staff
	boss              data.Staff
	room1, room2      data.Room
	face, consult     data.TreatmentType
	client            data.Client
}

func newBook(t *testing.T) *book {
	t.Helper()
	e := newEnv(t)
	b := &book{env: e}
	s, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName, s.TimeZone = "Lumen Skin Studio", "Europe/London"
	if err := e.st.SaveSettings(e.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	b.loc = s.Location()
	b.tech = e.staff("Priya Raman", data.RoleTechnician)
	b.tech2 = e.staff("Tomás Herrera", data.RoleTechnician)
	b.desk = e.staff("Sam O'Neill", data.RoleReceptionist)
	b.boss = e.owner()
	b.room1, b.room2 = b.room("Room 1"), b.room("Room 2")
	b.face = b.treatment(data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60,
		Areas: []data.Area{data.AreaCheeks, data.AreaForehead}, Needling: true, Active: true})
	b.consult = b.treatment(data.TreatmentType{Name: "Consultation", DefaultMinutes: 30, Active: true})
	b.client = e.client(func(c *data.Client) { c.EmailReminders = true })
	return b
}

func (b *book) room(name string) data.Room {
	b.t.Helper()
	r := data.Room{Name: name, Active: true}
	if err := b.st.CreateRoom(b.ctx, data.SystemActor, &r); err != nil {
		b.t.Fatal(err)
	}
	return r
}

func (b *book) treatment(t data.TreatmentType) data.TreatmentType {
	b.t.Helper()
	if err := b.st.CreateTreatmentType(b.ctx, data.SystemActor, &t); err != nil {
		b.t.Fatal(err)
	}
	return t
}

// at is the instant of a London wall-clock time, days after testNow's day.
func (b *book) at(days, h, m int) time.Time {
	return data.At(today.AddDays(days), data.TimeOf(h, m), b.loc)
}

// appt is a face treatment for the client with tech in room 1, two days
// from now at 10:00 London time, for an hour; edits change it.
func (b *book) appt(edits ...func(*data.Appointment)) data.Appointment {
	a := data.Appointment{ClientID: b.client.ID, TechnicianID: b.tech.ID, RoomID: b.room1.ID, TreatmentID: b.face.ID,
		Start: b.at(2, 10, 0), Minutes: 60, Note: "First visit; bring the patch test result."}
	for _, e := range edits {
		e(&a)
	}
	return a
}

// booked books a as actor and fails the test if it cannot.
func (b *book) booked(actor int64, a data.Appointment) data.Appointment {
	b.t.Helper()
	if err := b.st.BookAppointment(b.ctx, actor, &a); err != nil {
		b.t.Fatalf("BookAppointment: %v", err)
	}
	return a
}
