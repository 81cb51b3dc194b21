package storetest

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"needledesk/data"
)

// wantClash checks err refuses a clash with with, for the room or the
// technician, in words naming the client and the time, and that nothing
// was written.
func (b *book) wantClash(err error, with data.Appointment, room bool, before tally) {
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
	b.unchanged(before, "a refused clash")
}

// neverDoubleBooked: a technician or a room holds one appointment at
// a time; touching ends are allowed; cancelled and missed appointments
// free their time; a move or a longer appointment is checked as a
// booking is.
func (ct contract) neverDoubleBooked(t *testing.T) {
	b := ct.newBook(t)
	other := b.newClient(named("Ana", "Silva"))
	held := b.booked(b.desk.ID, b.appt()) // Priya, room 1, Tuesday 10:00 to 11:00
	before := b.counts()

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
	before = b.counts()
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

// anImportHoldingAClashIsRefused: an import that holds a clash is
// refused whole, naming the appointment it clashes with and its place in
// the import; cancelled and missed appointments in a history hold no
// time.
func (ct contract) anImportHoldingAClashIsRefused(t *testing.T) {
	b := ct.newBook(t)
	b.booked(b.desk.ID, b.appt())
	other := b.newClient(named("Ana", "Silva"))
	history := []data.Appointment{
		b.appt(func(a *data.Appointment) { a.Start, a.Status = b.at(4, 9, 0), data.StatusBooked }),
		b.appt(func(a *data.Appointment) { a.ClientID, a.Start, a.Status = other.ID, b.at(4, 9, 30), data.StatusBooked }),
	}
	before := b.counts()
	err := b.st.ImportAppointments(b.ctx, data.SystemActor, history)
	var clash *data.BookingClash
	if !errors.As(err, &clash) || clash.With.ClientName != "Zoë O'Brien" || !strings.Contains(err.Error(), "appointment 2 of 2") {
		t.Fatalf("an import holding a clash: %v", err)
	}
	b.unchanged(before, "a refused import")
	// Cancelled and missed appointments in a history hold no time.
	history[1].Status, history[1].Cancel = data.StatusCancelled, data.Cancellation{Reason: data.CancelByClient}
	if err := b.st.ImportAppointments(b.ctx, data.SystemActor, history); err != nil {
		t.Fatalf("a history with a cancelled overlap: %v", err)
	}
}

// noDoubleBookingFromTwoWorkstations: two workstations (two handles on
// one clinic) book the same technician, room and time at the same moment,
// round after round, each also booking a slot of its own technician's
// alongside. Exactly one of the two wins each round; the other is refused
// with the clash naming the winner's appointment; every slot of its own
// is kept; and the book holds exactly one appointment per shared slot.
func (ct contract) noDoubleBookingFromTwoWorkstations(t *testing.T) {
	b := ct.newBook(t)
	other := b.again()
	ana := b.newClient(named("Ana", "Silva"))
	const rounds = 40
	type booker struct {
		st     data.Store
		client data.Client
		own    data.Staff
		won    int
	}
	bookers := []*booker{{st: b.st, client: b.client, own: b.tech2}, {st: other, client: ana, own: b.boss}}
	first := b.at(1, 0, 0)
	var wg sync.WaitGroup
	for r := range rounds {
		start := first.Add(time.Duration(r) * time.Hour)
		go1 := make(chan struct{})
		for i, k := range bookers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-go1
				shared := data.Appointment{ClientID: k.client.ID, TechnicianID: b.tech.ID, RoomID: b.room1.ID,
					TreatmentID: b.face.ID, Start: start, Minutes: 60}
				err := k.st.BookAppointment(b.ctx, b.desk.ID, &shared)
				var clash *data.BookingClash
				switch {
				case err == nil:
					k.won++
				case errors.As(err, &clash):
					if !clash.With.Start.Equal(start) || clash.With.ClientID == k.client.ID {
						t.Errorf("round %d, workstation %d: refused naming %+v", r, i+1, clash.With)
					}
				default:
					t.Errorf("round %d, workstation %d: %v", r, i+1, err)
				}
				mine := data.Appointment{ClientID: k.client.ID, TechnicianID: k.own.ID, TreatmentID: b.consult.ID,
					Start: start, Minutes: 30}
				if err := k.st.BookAppointment(b.ctx, b.desk.ID, &mine); err != nil {
					t.Errorf("round %d, workstation %d's own booking: %v", r, i+1, err)
				}
			}()
		}
		close(go1)
		wg.Wait()
		if won := bookers[0].won + bookers[1].won; won != r+1 {
			t.Fatalf("after round %d the two workstations won %d shared slots; want %d", r, won, r+1)
		}
	}
	week, err := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, TechnicianID: b.tech.ID})
	if err != nil || len(week) != rounds {
		t.Fatalf("Priya's week holds %d appointments (%v); want one per round, %d", len(week), err, rounds)
	}
	for i := 1; i < len(week); i++ {
		if week[i].Start.Before(week[i-1].End()) {
			t.Errorf("double booked: %+v and %+v", week[i-1], week[i])
		}
	}
	for _, k := range bookers {
		own, err := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: today, TechnicianID: k.own.ID})
		if err != nil || len(own) != rounds {
			t.Errorf("%s's week holds %d appointments (%v); want %d", k.own.Name, len(own), err, rounds)
		}
	}
	if v, ok := b.st.(ChainVerifier); ok {
		if rep, err := v.VerifyAuditChain(b.ctx); err != nil || !rep.OK() {
			t.Errorf("the audit chain after the race: %+v, %v", rep, err)
		}
	}
}

// tenOClockOnTheDaysTheClocksChange: instants are kept in UTC and
// shown on the clinic's clock; an appointment booked for 10:00 on either
// day the clocks change is 10:00 there, and a day's read returns the
// appointments of that clinic-local day (23 or 25 hours long) and no
// other, in London and in New York, whatever zone the computer is in.
func (ct contract) tenOClockOnTheDaysTheClocksChange(t *testing.T) {
	for _, z := range []struct {
		zone           string
		spring, autumn data.Date
	}{
		{"Europe/London", data.NewDate(2026, time.March, 29), data.NewDate(2026, time.October, 25)},
		{"America/New_York", data.NewDate(2026, time.March, 8), data.NewDate(2026, time.November, 1)},
	} {
		t.Run(z.zone, func(t *testing.T) {
			b := ct.newBook(t)
			s, err := b.st.Settings(b.ctx, data.SystemActor)
			if err != nil {
				t.Fatal(err)
			}
			s.TimeZone = z.zone
			if err := b.st.SaveSettings(b.ctx, data.SystemActor, &s); err != nil {
				t.Fatal(err)
			}
			loc := s.Location()
			for _, day := range []data.Date{z.spring, z.autumn} {
				b.wantDay(day, loc)
			}
		})
	}
}

// wantDay books, as the owner (the days are before testNow), 10:00, the
// first minutes of the day and its last half hour, plus appointments just
// either side of it, and reads the day back.
func (b *book) wantDay(day data.Date, loc *time.Location) {
	t := b.t
	t.Helper()
	book := func(d data.Date, clock data.TimeOfDay, minutes int) data.Appointment {
		return b.booked(b.boss.ID, b.appt(func(a *data.Appointment) {
			a.Start, a.Minutes, a.RoomID = data.At(d, clock, loc), minutes, 0
		}))
	}
	ten := book(day, data.TimeOf(10, 0), 60)
	first := book(day, data.TimeOf(0, 15), 30)
	last := book(day, data.TimeOf(23, 30), 30)
	book(day.AddDays(-1), data.TimeOf(23, 0), 45) // ends 23:45 the day before
	book(day.AddDays(1), data.TimeOf(0, 0), 30)   // starts at the next midnight
	// 10:00 on the clinic's clock, whichever side of the change it falls.
	if got := ten.Start.In(loc); got.Hour() != 10 || got.Minute() != 0 || data.LocalDay(ten.Start, loc) != day {
		t.Errorf("%s: the 10:00 appointment is at %v", day, got)
	}
	got, err := b.st.DayAppointments(b.ctx, b.desk.ID, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != first.ID || got[1].ID != ten.ID || got[2].ID != last.ID {
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		t.Errorf("%s reads %v; want %d, %d, %d", day, ids, first.ID, ten.ID, last.ID)
	}
	week, err := b.st.WeekAppointments(b.ctx, b.desk.ID, data.Week{Start: day.AddDays(-3), TechnicianID: b.tech.ID})
	if err != nil || len(week) != 5 {
		t.Errorf("the week around %s holds %d appointments (%v); want 5", day, len(week), err)
	}
}

// twoWorkstationsChangeOneAppointment: two workstations change the same
// appointment, read at the same version, at the same moment, round after
// round: one change is saved, the other is refused as a *ConflictError
// naming who changed it, never lost nor saved over the first.
func (ct contract) twoWorkstationsChangeOneAppointment(t *testing.T) {
	b := ct.newBook(t)
	other := b.again()
	a := b.booked(b.desk.ID, b.appt())
	const rounds = 20
	for r := range rounds {
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([]error, 2)
		saved := make([]data.Appointment, 2)
		for i, st := range []data.Store{b.st, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				saved[i], results[i] = st.ChangeAppointmentLength(b.ctx, b.desk.ID, a.ID, a.Version, 30+5*(2*r+i))
			}()
		}
		close(start)
		wg.Wait()
		won := -1
		for i, err := range results {
			var conflict *data.ConflictError
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("round %d: both changes over version %d were saved", r, a.Version)
				}
				won = i
			case !errors.As(err, &conflict) || conflict.By != b.desk.Name:
				t.Errorf("round %d, workstation %d: %v; want a conflict naming %s", r, i+1, err, b.desk.Name)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: neither change was saved", r)
		}
		got, err := b.st.Appointment(b.ctx, b.desk.ID, a.ID)
		if err != nil || got.Version != a.Version+1 || got.Minutes != saved[won].Minutes {
			t.Fatalf("round %d: the appointment reads %+v, %v; want the winner's %d minutes at version %d", r, got, err, saved[won].Minutes, a.Version+1)
		}
		a = got
	}
}
