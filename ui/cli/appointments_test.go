package cli

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// bookedDB is a London clinic with three appointments on Sunday 29 March
// 2026, the day the clocks go forward: 10:00 and 11:30 with Priya in
// Room 1, and a cancelled one at 09:00.
func bookedDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "clinic.db")
	ctx := t.Context()
	st, err := sqlite.Open(ctx, db, sqlite.WithClock(func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName, s.TimeZone = "Lumen", "Europe/London"
	tech := data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}
	room := data.Room{Name: "Room 1", Active: true}
	face := data.TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60, Needling: true, Active: true}
	zoe := data.Client{GivenName: "Zoë", FamilyName: "O'Brien", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
	ana := data.Client{GivenName: "Ana", FamilyName: "Silva", DateOfBirth: data.NewDate(1985, 6, 1), Phone: "+44 20 7946 0959"}
	for _, err := range []error{st.SaveSettings(ctx, 0, &s), st.CreateStaff(ctx, 0, &tech), st.CreateRoom(ctx, 0, &room),
		st.CreateTreatmentType(ctx, 0, &face), st.CreateClient(ctx, 0, &zoe), st.CreateClient(ctx, 0, &ana)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	loc := s.Location()
	day := data.NewDate(2026, 3, 29)
	book := func(c data.Client, h, m int) data.Appointment {
		a := data.Appointment{ClientID: c.ID, TechnicianID: tech.ID, RoomID: room.ID, TreatmentID: face.ID,
			Start: data.At(day, data.TimeOf(h, m), loc), Minutes: 60, Note: "Patch test done"}
		if err := st.BookAppointment(ctx, 0, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	book(zoe, 10, 0)
	book(ana, 11, 30)
	early := book(ana, 9, 0)
	if _, err := st.CancelAppointment(ctx, 0, early.ID, early.Version, data.Cancellation{Reason: data.CancelByClient, Note: "Has a cold"}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestAppointmentsListsTheDay(t *testing.T) {
	db := bookedDB(t)
	code, out, errOut := runCLI(t, "appointments", "--db", db, "--day", "2026-03-29")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("the table:\n%s", out)
	}
	for i, want := range [][]string{
		{"09:00-10:00", "Ana Silva", "Cancelled (Client cancelled)"},
		{"10:00-11:00", "Zoë O'Brien", "Priya Raman", "Room 1", "Microneedling, face", "Booked"},
		{"11:30-12:30", "Ana Silva", "Booked"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %d %q lacks %q", i+1, lines[i+1], w)
			}
		}
	}
	_, out, _ = runCLI(t, "appointments", "--db", db, "--day", "2026-03-30")
	if out != "No appointments on 30/03/2026.\n" {
		t.Errorf("an empty day: %q", out)
	}
}

func TestAppointmentsJSON(t *testing.T) {
	db := bookedDB(t)
	code, out, errOut := runCLI(t, "appointments", "--db", db, "--day", "2026-03-29", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []appointmentJSON
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var j appointmentJSON
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		got = append(got, j)
	}
	if len(got) != 3 {
		t.Fatalf("%d lines:\n%s", len(got), out)
	}
	// Before the clocks went forward at 01:00 UTC it is GMT; 10:00 is British Summer Time.
	if got[1].Start != "2026-03-29T10:00:00+01:00" || got[1].End != "2026-03-29T11:00:00+01:00" ||
		got[1].Client != "Zoë O'Brien" || got[1].Technician != "Priya Raman" || got[1].Status != "booked" ||
		got[1].Note != "Patch test done" || got[1].Minutes != 60 {
		t.Errorf("the 10:00 appointment: %+v", got[1])
	}
	if got[0].Status != "cancelled" || got[0].CancelReason != "client" || got[0].CancelNote != "Has a cold" {
		t.Errorf("the cancelled one: %+v", got[0])
	}
}

func TestAppointmentsWantsADay(t *testing.T) {
	db := bookedDB(t)
	for _, args := range [][]string{{"appointments", "--db", db}, {"appointments", "--db", db, "--day", "29/03/2026"}, {"appointments", "--day", "2026-03-29"}} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, "needledesk appointments --db PATH --day YYYY-MM-DD") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
