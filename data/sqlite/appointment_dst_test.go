package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
)

// TestTenOClockOnTheDaysTheClocksChange: instants are kept in UTC and
// shown on the clinic's clock; an appointment booked for 10:00 on either
// day the clocks change is 10:00 there, and a day's read returns the
// appointments of that clinic-local day (23 or 25 hours long) and no
// other, in London and in New York, whatever zone the computer is in.
func TestTenOClockOnTheDaysTheClocksChange(t *testing.T) {
	for _, c := range []struct {
		zone           string
		spring, autumn data.Date
	}{
		{"Europe/London", data.NewDate(2026, time.March, 29), data.NewDate(2026, time.October, 25)},
		{"America/New_York", data.NewDate(2026, time.March, 8), data.NewDate(2026, time.November, 1)},
	} {
		t.Run(c.zone, func(t *testing.T) {
			b := newBook(t)
			s, err := b.st.Settings(b.ctx, data.SystemActor)
			if err != nil {
				t.Fatal(err)
			}
			s.TimeZone = c.zone
			if err := b.st.SaveSettings(b.ctx, data.SystemActor, &s); err != nil {
				t.Fatal(err)
			}
			loc := s.Location()
			for _, day := range []data.Date{c.spring, c.autumn} {
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
	var stored string
	if err := b.st.WriterForTest().QueryRowContext(b.ctx, `SELECT start_at FROM appointment WHERE id = ?`, ten.ID).Scan(&stored); err != nil ||
		stored != ten.Start.UTC().Format("2006-01-02T15:04:05.000000000Z") {
		t.Errorf("%s: kept as %q (%v); want the UTC instant", day, stored, err)
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
