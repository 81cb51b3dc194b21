package data

import (
	"strings"
	"testing"
	"time"
)

func bookingSettings() Settings {
	s := DefaultSettings()
	s.ClinicName, s.TimeZone, s.DateFormat = "Lumen", "Europe/London", "2 Jan 2006"
	return s
}

var (
	faceMenu    = TreatmentType{ID: 1, Name: "Microneedling, face", DefaultMinutes: 60, Needling: true, Active: true}
	consultMenu = TreatmentType{ID: 2, Name: "Consultation", DefaultMinutes: 30, Active: true}
)

// facts is a booking of the face treatment at 10:00 London time on day
// for a client with consent on file.
func facts(day Date) BookingFacts {
	st := bookingSettings()
	c := validClient()
	c.Consent = Consent{SignedOn: NewDate(2025, 1, 10), FormVersion: "2025-1"}
	return BookingFacts{Client: c, Treatment: faceMenu, Start: At(day, TimeOf(10, 0), st.Location()),
		Menu: []TreatmentType{faceMenu, consultMenu}, Settings: st}
}

func messages(ws []Warning) string { return strings.Join(warningMessages(ws), " | ") }

// TestBookingWarningsUseTheSessionFormsRules: the contraindications and
// the consent rule are those of the session form, for the appointment's
// own day; a consultation needles nothing and is warned of nothing.
func TestBookingWarningsUseTheSessionFormsRules(t *testing.T) {
	f := facts(NewDate(2026, 12, 1))
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Fatalf("a client with nothing on file: %s", messages(ws))
	}
	f.Client.Contra.PregnantOrNursing = true
	f.Client.Consent = Consent{}
	got := messages(BookingWarnings(f))
	if !strings.Contains(got, "No consent on file") || !strings.Contains(got, "Pregnant or breastfeeding") {
		t.Errorf("warnings: %s", got)
	}
	want := BeforeTreating(f.Client, NewDate(2026, 12, 1), f.Settings)
	if got := BookingWarningMessages(f); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("booking warns %q; the session form %q", got, want)
	}
	f.Treatment = consultMenu
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Errorf("a consultation is warned of %s", messages(ws))
	}
	// Isotretinoin stopped on 1 July 2026: a booking on 1 December is
	// inside the six months, one on 2 January 2027 is not.
	f = facts(NewDate(2026, 12, 1))
	f.Client.Contra = Contraindications{Isotretinoin: true, IsotretinoinStopped: NewDate(2026, 7, 1)}
	if got := messages(BookingWarnings(f)); !strings.Contains(got, "wait until 1 Jan 2027") {
		t.Errorf("isotretinoin in December: %s", got)
	}
	f.Start = At(NewDate(2027, 1, 2), TimeOf(10, 0), f.Settings.Location())
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Errorf("isotretinoin in January: %s", messages(ws))
	}
}

func TestIntervalWarnings(t *testing.T) {
	day := NewDate(2026, 12, 1)
	loc := bookingSettings().Location()
	f := facts(day)
	f.Sessions = []Session{{StartedAt: At(day.AddDays(-40), TimeOf(9, 0), loc)}, {StartedAt: At(day.AddDays(-12), TimeOf(23, 30), loc)}}
	got := messages(BookingWarnings(f))
	if !strings.Contains(got, "Only 12 days after the last needling session on 19 Nov 2026; the clinic leaves at least 28 days") {
		t.Errorf("12 days after: %s", got)
	}
	f.Sessions = f.Sessions[:1]
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Errorf("40 days after: %s", messages(ws))
	}
	f.Appointments = []Appointment{
		{ID: 7, TreatmentID: faceMenu.ID, Status: StatusBooked, Start: At(day.AddDays(10), TimeOf(9, 0), loc)},
		{ID: 8, TreatmentID: consultMenu.ID, Status: StatusBooked, Start: At(day.AddDays(-3), TimeOf(9, 0), loc)},
		{ID: 9, TreatmentID: faceMenu.ID, Status: StatusCancelled, Start: At(day.AddDays(-5), TimeOf(9, 0), loc)},
		{ID: 10, TreatmentID: faceMenu.ID, Status: StatusNoShow, Start: At(day.AddDays(-6), TimeOf(9, 0), loc)},
	}
	got = messages(BookingWarnings(f))
	if !strings.Contains(got, "Only 10 days before the needling appointment booked on 11 Dec 2026") || strings.Count(got, "Only") != 1 {
		t.Errorf("a needling appointment booked ten days later: %s", got)
	}
	f.AppointmentID = 7 // moving that one: it is not compared with itself
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Errorf("moving the appointment itself: %s", messages(ws))
	}
	f.Appointments[0].Status = StatusCompleted
	f.AppointmentID = 0
	f.Appointments[0].Start = At(day.AddDays(-1), TimeOf(9, 0), loc)
	if got := messages(BookingWarnings(f)); !strings.Contains(got, "Only 1 day after the last needling session") {
		t.Errorf("a completed appointment the day before: %s", got)
	}
	f.Settings.MinIntervalDays = 1
	if ws := BookingWarnings(f); len(ws) != 0 {
		t.Errorf("with a one-day minimum: %s", messages(ws))
	}
}

func TestHoursWarnings(t *testing.T) {
	loc, _ := LoadZone("Europe/London")
	opening := DefaultOpeningHours()
	var working WorkingHours
	appt := func(day Date, h, m, minutes int) Appointment {
		return Appointment{Start: At(day, TimeOf(h, m), loc), Minutes: minutes}
	}
	tuesday := NewDate(2026, 11, 24)
	for _, c := range []struct {
		a    Appointment
		want string
	}{
		{appt(tuesday, 10, 0, 60), ""},
		{appt(tuesday, 17, 0, 60), ""},
		{appt(tuesday, 8, 30, 60), "Outside the clinic's opening hours (09:00 to 18:00 on Tuesdays)"},
		{appt(tuesday, 17, 30, 60), "Outside the clinic's opening hours"},
		{appt(tuesday.AddDays(5), 10, 0, 60), "The clinic is closed on Sundays"},
		{appt(tuesday, 23, 30, 60), "Outside the clinic's opening hours"},
	} {
		if got := HoursWarningMessages(HoursWarnings(c.a, "Priya Raman", opening, working, loc)); !strings.Contains(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("%v: %q; want %q", c.a.Start.In(loc), got, c.want)
		}
	}
	working = WorkingHours{Set: true, Days: opening}
	working.Days[time.Tuesday] = DayHours{TimeOf(12, 0), TimeOf(18, 0)}
	working.Days[time.Monday] = DayHours{}
	if got := HoursWarningMessages(HoursWarnings(appt(tuesday, 10, 0, 60), "Priya Raman", opening, working, loc)); got != "Outside Priya Raman's working hours (12:00 to 18:00 on Tuesdays)" {
		t.Errorf("before her hours: %q", got)
	}
	if got := HoursWarningMessages(HoursWarnings(appt(tuesday.AddDays(-1), 10, 0, 60), "Priya Raman", opening, working, loc)); got != "Priya Raman does not work on Mondays" {
		t.Errorf("on her day off: %q", got)
	}
	// On the day the clocks go back, 17:00 to 18:00 is still inside the hours.
	sunday := NewDate(2026, 10, 25)
	opening[time.Sunday] = DayHours{TimeOf(9, 0), TimeOf(18, 0)}
	if ws := HoursWarnings(appt(sunday, 17, 0, 60), "Priya Raman", opening, WorkingHours{}, loc); len(ws) != 0 {
		t.Errorf("on the day the clocks change: %s", messages(ws))
	}
}
