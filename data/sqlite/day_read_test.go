package sqlite_test

import (
	"context"
	"testing"
	"time"

	"needledesk/data"
)

// TestTheDayIsReadAgainWhenAChangeCameBetweenItsHalves: the day is read
// in two halves at once, each in its own transaction (day_read.go). An
// appointment moved across the middle of the day between the two reads
// would be missed, or listed twice; the halves then disagree on the
// newest audit row, and the day is read again in one transaction.
func TestTheDayIsReadAgainWhenAChangeCameBetweenItsHalves(t *testing.T) {
	b := newBook(t)
	// Tuesday and Wednesday: open 09:00 to 18:00, so split at 13:30.
	for _, move := range []struct {
		name           string
		days           int
		fromH, fromM   int
		toH, toM       int
		withoutTheRule int // what the two halves alone would list
	}{
		{"into the morning", 2, 16, 0, 9, 0, 0},
		{"into the afternoon", 3, 9, 30, 16, 30, 2},
	} {
		t.Run(move.name, func(t *testing.T) {
			a := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(move.days, move.fromH, move.fromM) }))
			to := b.at(move.days, move.toH, move.toM)
			got, twoMoments, err := b.st.DayReadWithAChangeBetweenItsHalves(b.ctx, today.AddDays(move.days), func() {
				if _, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version,
					data.Slot{Start: to, TechnicianID: a.TechnicianID, RoomID: a.RoomID}); err != nil {
					t.Error(err)
				}
			})
			if err != nil || !twoMoments {
				t.Fatalf("err %v, two moments %v: the halves should have seen the move between them", err, twoMoments)
			}
			if len(got) != 1 || got[0].ID != a.ID || !got[0].Start.Equal(to) {
				t.Fatalf("the day reads %d appointments (%+v); want the moved one once (the halves alone: %d)",
					len(got), got, move.withoutTheRule)
			}
		})
	}
}

// TestTheDayReadsWholeAcrossItsMiddle: appointments before, at, after and
// across the middle of the opening hours, where the day's read is split,
// all come back once, by start and then the technician's name.
func TestTheDayReadsWholeAcrossItsMiddle(t *testing.T) {
	b := newBook(t)
	withTomas := func(a *data.Appointment) { a.TechnicianID, a.RoomID = b.tech2.ID, b.room2.ID }
	at := func(h, m int) func(*data.Appointment) { return func(a *data.Appointment) { a.Start = b.at(2, h, m) } }
	tomasAt17 := b.booked(b.desk.ID, b.appt(at(17, 0), withTomas)) // booked first, listed after Priya's
	want := []data.Appointment{
		b.booked(b.desk.ID, b.appt(at(9, 0))),
		b.booked(b.desk.ID, b.appt(at(13, 0), withTomas, func(a *data.Appointment) { a.Minutes = 90 })), // across 13:30
		b.booked(b.desk.ID, b.appt(at(13, 30))),
		b.booked(b.desk.ID, b.appt(at(17, 0))),
		tomasAt17,
	}
	got, err := b.st.DayAppointments(b.ctx, b.desk.ID, today.AddDays(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("the day holds %d appointments, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].ID != want[i].ID {
			t.Errorf("appointment %d is %d (%s, %s); want %d", i, got[i].ID,
				got[i].Start.In(b.loc).Format("15:04"), got[i].TechnicianName, want[i].ID)
		}
	}
}

// TestDayViewsReadAtOnceDoNotWaitForEachOther: the day's statements are
// prepared once per store, and preparing one takes a connection of the
// read pool. Made inside the halves' transactions, two day views at once
// (four halves on the pool's four connections, each waiting for a fifth)
// waited for each other for ever, which the book's screens met when the
// day was read again while its first read was under way.
func TestDayViewsReadAtOnceDoNotWaitForEachOther(t *testing.T) {
	b := newBook(t)
	b.booked(b.desk.ID, b.appt())
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	errs := make(chan error, 8)
	for range cap(errs) {
		go func() {
			_, err := b.st.DayAppointments(ctx, b.desk.ID, today.AddDays(2))
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatalf("a day view read beside seven others: %v", err)
		}
	}
}
