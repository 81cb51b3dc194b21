package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
)

// TestAppointmentsAreKeptInUTC: an appointment booked for 10:00 on the
// days the clocks change in London is kept in the file as its UTC
// instant, fixed width. (That it reads back as 10:00 on the clinic's
// clock, and each day's read, are the stores' contract:
// data/storetest/book_clash.go.)
func TestAppointmentsAreKeptInUTC(t *testing.T) {
	b := newBook(t)
	for _, day := range []data.Date{data.NewDate(2026, time.March, 29), data.NewDate(2026, time.October, 25)} {
		ten := b.booked(b.boss.ID, b.appt(func(a *data.Appointment) { a.Start, a.RoomID = data.At(day, data.TimeOf(10, 0), b.loc), 0 }))
		var stored string
		if err := b.st.WriterForTest().QueryRowContext(b.ctx, `SELECT start_at FROM appointment WHERE id = ?`, ten.ID).Scan(&stored); err != nil ||
			stored != ten.Start.UTC().Format("2006-01-02T15:04:05.000000000Z") {
			t.Errorf("%s: kept as %q (%v); want the UTC instant", day, stored, err)
		}
	}
}
