package storetest

import (
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// setUpClinicSampleHasABook: the sample clinic a first start fills has
// an appointment book, as `needledesk demo` gives a whole store: rooms, a
// treatment menu, the past visits that match the sessions, and bookings
// in the days ahead, which the day view and the week views read back with
// their names, each added with its audit row.
func (ct contract) setUpClinicSampleHasABook(t *testing.T) {
	e := ct.env(t)
	ctx := e.ctx
	owner, err := e.st.SetUpClinic(ctx, glowSetUp(demo.Sample(func() time.Time { return TestNow })), nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms, err := e.st.Rooms(ctx, owner.ID, false)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("rooms %v, %v; want the sample's", rooms, err)
	}
	menu, err := e.st.TreatmentTypes(ctx, owner.ID, false)
	if err != nil || len(menu) == 0 {
		t.Fatalf("treatment menu %v, %v; want the sample's", menu, err)
	}
	for table, entity := range map[string]data.Entity{"room": data.EntityRoom, "treatment_type": data.EntityTreatment,
		"appointment": data.EntityAppointment} {
		evs, err := e.st.AuditEvents(ctx, owner.ID, data.AuditFilter{Entity: entity, Action: data.ActionCreate, Limit: 10000})
		if n := e.count(table); err != nil || n == 0 || len(evs) != n {
			t.Errorf("%d %s rows and %d audit rows of their adding (%v); want one for each", n, table, len(evs), err)
		}
	}
	settings, err := e.st.Settings(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	today := data.LocalDay(TestNow, settings.Location())

	completed := 0
	for day := today.AddDays(-28); day.Before(today); day = day.AddDays(1) {
		for _, a := range e.dayOfSample(owner.ID, day) {
			if a.Status == data.StatusCompleted {
				completed++
				if a.SessionID == 0 {
					t.Errorf("a completed appointment without its session: %+v", a)
				}
			}
		}
	}
	if completed == 0 {
		t.Error("the last four weeks hold no completed appointments")
	}

	booked := map[int64]data.Appointment{}
	nextOpen := data.Date{}
	for day := today; day.Before(today.AddDays(14)); day = day.AddDays(1) {
		as := e.dayOfSample(owner.ID, day)
		if nextOpen.IsZero() && day != today && settings.OpeningHours[day.Time(time.UTC).Weekday()].IsOpen() {
			nextOpen = day
			if len(as) == 0 {
				t.Errorf("the next day the clinic opens, %v, has no bookings", day)
			}
		}
		for _, a := range as {
			if a.Status == data.StatusBooked {
				booked[a.ID] = a
			}
		}
	}
	if len(booked) == 0 {
		t.Fatal("the next two weeks hold no bookings")
	}
	e.weeksShow(owner.ID, today, booked)
}

// dayOfSample reads a day of the book and checks that each appointment
// has its names and shares time with the day.
func (e *env) dayOfSample(actor int64, day data.Date) []data.Appointment {
	e.t.Helper()
	as, err := e.st.DayAppointments(e.ctx, actor, day)
	if err != nil {
		e.t.Fatalf("the day %v: %v", day, err)
	}
	for _, a := range as {
		if a.ClientName == "" || a.TechnicianName == "" || a.RoomName == "" || a.TreatmentName == "" {
			e.t.Errorf("an appointment without its names: %+v", a)
		}
	}
	return as
}

// weeksShow checks that each technician's and each room's weeks from
// today show every booking of the two weeks ahead.
func (e *env) weeksShow(actor int64, today data.Date, booked map[int64]data.Appointment) {
	e.t.Helper()
	byTech, byRoom := map[int64]bool{}, map[int64]bool{}
	for _, a := range booked {
		byTech[a.TechnicianID], byRoom[a.RoomID] = true, true
	}
	seen := map[[2]int64]bool{} // 0: in a technician's week, 1: in a room's
	for _, w := range []struct {
		ids  map[int64]bool
		room int64
	}{{byTech, 0}, {byRoom, 1}} {
		for id := range w.ids {
			for _, start := range []data.Date{today, today.AddDays(7)} {
				week := data.Week{Start: start, TechnicianID: id}
				if w.room == 1 {
					week = data.Week{Start: start, RoomID: id}
				}
				as, err := e.st.WeekAppointments(e.ctx, actor, week)
				if err != nil {
					e.t.Fatalf("the week %+v: %v", week, err)
				}
				for _, a := range as {
					seen[[2]int64{w.room, a.ID}] = true
				}
			}
		}
	}
	for id, a := range booked {
		if !seen[[2]int64{0, id}] || !seen[[2]int64{1, id}] {
			e.t.Errorf("a booking the day view shows is missing from its technician's or its room's week: %+v", a)
		}
	}
}
