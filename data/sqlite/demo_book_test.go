package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// TestDemoBookMatchesTheSessions: the demo clinic's book holds, for every
// session, the completed appointment it was given in (same client,
// technician and start, linked to it), some cancelled and missed
// appointments in the past, and bookings in the next two weeks; nothing
// clashes and everything that holds time is inside the opening hours.
func TestDemoBookMatchesTheSessions(t *testing.T) {
	e := newEnv(t)
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 600, Seed: 5, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.count("appointment"); got != res.Appointments || got <= res.Sessions {
		t.Fatalf("%d appointments kept, %d made, for %d sessions", got, res.Appointments, res.Sessions)
	}
	db := e.st.WriterForTest()
	var unmatched int
	err = db.QueryRowContext(e.ctx, `SELECT count(*) FROM session s WHERE NOT EXISTS (SELECT 1 FROM appointment a
		WHERE a.session_id = s.id AND a.status = 'completed' AND a.client_id = s.client_id
		AND a.technician_id = s.technician_id AND a.start_at = s.started_at)`).Scan(&unmatched)
	if err != nil || unmatched != 0 {
		t.Errorf("%d sessions without their appointment (%v)", unmatched, err)
	}
	counts := map[string]int{}
	rows, err := db.QueryContext(e.ctx, `SELECT status || CASE WHEN start_at > ? THEN ' ahead' ELSE ' past' END, count(*)
		FROM appointment GROUP BY 1`, timeTextForTest(testNow))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		counts[k] = n
	}
	rows.Close()
	if counts["cancelled past"] == 0 || counts["no_show past"] == 0 || counts["booked ahead"] == 0 ||
		counts["completed past"] != res.Sessions || len(counts) != 4 {
		t.Errorf("appointments by state and time: %v", counts)
	}
	var last string
	if err := db.QueryRowContext(e.ctx, `SELECT max(start_at) FROM appointment`).Scan(&last); err != nil ||
		last >= timeTextForTest(testNow.Add(14*24*time.Hour)) {
		t.Errorf("the last booking starts %s (%v); want within two weeks", last, err)
	}
	e.wantBookSound(data.WeekHours{})
}

// TestBusyDemoClinicGainsTechnicians: a clinic open one hour a week
// cannot give its sessions with four technicians; the demo adds
// technicians, each with a room of their own, rather than double-book.
func TestBusyDemoClinicGainsTechnicians(t *testing.T) {
	e := newEnv(t)
	s, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName, s.TimeZone, s.OpeningHours = "Tiny Clinic", "Europe/London", data.WeekHours{}
	s.OpeningHours[time.Monday] = data.DayHours{Open: data.TimeOf(9, 0), Close: data.TimeOf(10, 30)}
	if err := e.st.SaveSettings(e.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 300, Seed: 2, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var treaters, rooms int
	db := e.st.WriterForTest()
	if err := db.QueryRowContext(e.ctx, `SELECT count(*) FROM staff WHERE role != 'receptionist'`).Scan(&treaters); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(e.ctx, `SELECT count(*) FROM room`).Scan(&rooms); err != nil {
		t.Fatal(err)
	}
	if treaters <= 4 || rooms != treaters || len(res.Staff) != treaters+2 {
		t.Errorf("%d treating staff, %d rooms, %d staff in the result; want more than 4 treating, a room each", treaters, rooms, len(res.Staff))
	}
	e.wantBookSound(s.OpeningHours)
}

// wantBookSound checks no two appointments that hold time share a
// technician or a room, and that each lies within the opening hours
// (hours, or the clinic's when zero).
func (e *env) wantBookSound(hours data.WeekHours) {
	e.t.Helper()
	db := e.st.WriterForTest()
	var clashes int
	err := db.QueryRowContext(e.ctx, `SELECT count(*) FROM appointment a JOIN appointment b
		ON a.id < b.id AND (a.technician_id = b.technician_id OR a.room_id = b.room_id)
		AND a.start_at < b.end_at AND b.start_at < a.end_at
		WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')`).Scan(&clashes)
	if err != nil || clashes != 0 {
		e.t.Errorf("%d clashing pairs (%v)", clashes, err)
	}
	st, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		e.t.Fatal(err)
	}
	if hours == (data.WeekHours{}) {
		hours = st.OpeningHours
	}
	var outside int
	for day := today.AddDays(-731); day.Before(today.AddDays(15)); day = day.AddDays(1) {
		as, err := e.st.DayAppointments(e.ctx, data.SystemActor, day)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, a := range as {
			if a.Status.Holds() && len(data.HoursWarnings(a, a.TechnicianName, hours, data.WorkingHours{}, st.Location())) > 0 {
				outside++
			}
		}
	}
	if outside != 0 {
		e.t.Errorf("%d appointments outside the opening hours", outside)
	}
}

func timeTextForTest(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
