package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

func TestScheduleReadsBack(t *testing.T) {
	requireTools(t)
	s := data.DefaultSettings()
	s.TimeZone = "Europe/London"
	loc := s.Location()
	day := data.NewDate(2026, 3, 29) // the clocks go forward in London
	appt := func(h int, client, tech, room string, st data.AppointmentStatus) data.Appointment {
		return data.Appointment{Start: data.At(day, data.TimeOf(h, 0), loc), Minutes: 60, ClientName: client,
			TreatmentName: "Face needling", TechnicianName: tech, RoomName: room, Status: st}
	}
	sch := Schedule{Clinic: "Lumen Skin Studio", Settings: s, MadeAt: time.Date(2026, 3, 28, 17, 0, 0, 0, time.UTC),
		Days: []ScheduleDay{
			{Day: day, Appointments: []data.Appointment{
				appt(10, "Ana Silva", "Priya Raman", "Room 1", data.StatusBooked),
				appt(11, "Nguyễn Thị Lan", "Priya Raman", "", data.StatusArrived),
				appt(12, "Bea Moreau", "Maya Lindqvist", "Room 2", data.StatusCancelled),
			}},
			{Day: day.AddDays(1)},
		}}
	var a, b bytes.Buffer
	if err := RenderSchedule(&a, sch); err != nil {
		t.Fatal(err)
	}
	if err := RenderSchedule(&b, sch); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same schedule gave different bytes")
	}
	text := pdfText(t, a.Bytes())
	for _, want := range []string{"Sunday 29/03/2026", "10:00–11:00 Ana Silva Face needling Priya Raman Room 1 Booked",
		"11:00–12:00 Nguyễn Thị Lan", "Arrived", "Also on this day: 1 cancelled or missed", "Monday 30/03/2026",
		"Nobody is booked on this day.", "Page 1 of 2", "Page 2 of 2", "Lumen Skin Studio"} {
		if !strings.Contains(text, want) {
			t.Errorf("the schedule does not read %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Bea Moreau") {
		t.Error("the cancelled appointment is listed")
	}
}
