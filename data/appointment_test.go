package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var bookNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

func validAppointment() Appointment {
	return Appointment{
		ClientID: 1, TechnicianID: 2, RoomID: 3, TreatmentID: 4,
		Start: bookNow.Add(48 * time.Hour), Minutes: 60, Status: StatusBooked,
	}
}

func TestAppointmentValidateNamesEachProblem(t *testing.T) {
	if err := validAppointment().Validate(); err != nil {
		t.Fatalf("a good appointment was refused: %v", err)
	}
	cases := []struct {
		field string
		edit  func(*Appointment)
	}{
		{"client", func(a *Appointment) { a.ClientID = 0 }},
		{"technician", func(a *Appointment) { a.TechnicianID = 0 }},
		{"treatment", func(a *Appointment) { a.TreatmentID = 0 }},
		{"room", func(a *Appointment) { a.RoomID = -1 }},
		{"start", func(a *Appointment) { a.Start = time.Time{} }},
		{"end", func(a *Appointment) { a.Minutes = MinutesBetween(a.Start, a.Start.Add(-30*time.Minute)) }},
		{"minutes", func(a *Appointment) { a.Minutes = 0 }},
		{"minutes", func(a *Appointment) { a.Minutes = 8*60 + 1 }},
		{"note", func(a *Appointment) { a.Note = "call\x00back" }},
		{"status", func(a *Appointment) { a.Status = "maybe" }},
		{"cancel_reason", func(a *Appointment) { a.Status = StatusCancelled }},
		{"cancel_reason", func(a *Appointment) { a.Cancel.Reason = CancelByClient }},
		{"session", func(a *Appointment) { a.Status = StatusCompleted }},
		{"session", func(a *Appointment) { a.SessionID = 9 }},
		{"override_reason", func(a *Appointment) { a.Warnings = []string{"Pregnant or breastfeeding"} }},
	}
	for _, c := range cases {
		a := validAppointment()
		c.edit(&a)
		var ve *ValidationError
		err := a.Validate()
		if !errors.As(err, &ve) || ve.For(c.field) == "" {
			t.Errorf("%s: got %v, want a problem with %s", c.field, err, c.field)
		}
	}
	a := validAppointment()
	a.Minutes = -30
	if msg := FieldProblems(a.Validate())[0].Message; !strings.Contains(msg, "ends before it starts") {
		t.Errorf("an end before the start reads %q", msg)
	}
	a.Minutes = 9 * 60
	if msg := FieldProblems(a.Validate())[0].Message; !strings.Contains(msg, "longer than 8 hours") {
		t.Errorf("a nine-hour appointment reads %q", msg)
	}
}

func TestStatusChanges(t *testing.T) {
	allowed := map[[2]AppointmentStatus]bool{
		{StatusBooked, StatusArrived}: true, {StatusBooked, StatusInTreatment}: true, {StatusBooked, StatusCompleted}: true,
		{StatusBooked, StatusCancelled}: true, {StatusBooked, StatusNoShow}: true,
		{StatusArrived, StatusInTreatment}: true, {StatusArrived, StatusCompleted}: true, {StatusArrived, StatusCancelled}: true,
		{StatusInTreatment, StatusCompleted}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			msg := StatusChangeProblem(from, to)
			if allowed[[2]AppointmentStatus{from, to}] != (msg == "") {
				t.Errorf("%s to %s: %q", from, to, msg)
			}
		}
		if from.Open() && !from.Holds() {
			t.Errorf("%s is open but holds no time", from)
		}
	}
	a := validAppointment()
	if err := CheckMark(a, StatusNoShow, a.Start.Add(-time.Minute)); !errors.Is(err, ErrInvalid) {
		t.Errorf("a no-show before the start was allowed: %v", err)
	}
	if err := CheckMark(a, StatusNoShow, a.Start.Add(time.Minute)); err != nil {
		t.Errorf("a no-show after the start was refused: %v", err)
	}
	// Arriving: early on the day, yes; two weeks before, no (a tap on the
	// wrong appointment).
	if err := CheckMark(a, StatusArrived, a.Start.Add(-14*24*time.Hour)); !errors.Is(err, ErrInvalid) {
		t.Errorf("an arrival two weeks early was allowed: %v", err)
	}
	if err := CheckMark(a, StatusArrived, a.Start.Add(-45*time.Minute)); err != nil {
		t.Errorf("an arrival 45 minutes early was refused: %v", err)
	}
}

func TestBookingInThePastIsForOwners(t *testing.T) {
	past := bookNow.Add(-time.Hour)
	for _, r := range []Role{RoleReceptionist, RoleTechnician} {
		var ve *ValidationError
		if err := CheckBookingTime(past, bookNow, r); !errors.As(err, &ve) || ve.For("start") == "" {
			t.Errorf("%s booked in the past: %v", r, err)
		}
	}
	if err := CheckBookingTime(past, bookNow, RoleOwner); err != nil {
		t.Errorf("an owner could not record a past visit: %v", err)
	}
	// A walk-in booked a few minutes after its slot began is not in the past.
	if err := CheckBookingTime(bookNow.Add(-10*time.Minute), bookNow, RoleReceptionist); err != nil {
		t.Errorf("a walk-in ten minutes in was refused: %v", err)
	}
}

func TestBookingClashNamesTheAppointment(t *testing.T) {
	london, err := LoadZone("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	with := Appointment{Start: time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC), Minutes: 45,
		ClientName: "Zoë O'Brien", TechnicianName: "Priya Raman", RoomName: "Room 2"}
	err = &BookingClash{With: with, Location: london}
	if !errors.Is(err, ErrConflict) {
		t.Fatal("a clash does not match ErrConflict")
	}
	msg := UserMessage(err)
	for _, want := range []string{"Priya Raman", "Zoë O'Brien", "10:00 to 10:45", "Wednesday 1 July 2026"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %q", msg, want)
		}
	}
	if msg := (&BookingClash{With: with, Room: true, Location: london}).Error(); !strings.HasPrefix(msg, "Room 2 is taken") {
		t.Errorf("a room clash reads %q", msg)
	}
}

func TestOverlapLeavesTouchingEnds(t *testing.T) {
	a := validAppointment()
	b := a
	b.Start = a.End()
	if a.Overlaps(b) || b.Overlaps(a) {
		t.Error("appointments that touch were taken to overlap")
	}
	b.Start = a.End().Add(-time.Minute)
	if !a.Overlaps(b) || !b.Overlaps(a) {
		t.Error("a minute of overlap was missed")
	}
}

func TestBookSetupValidate(t *testing.T) {
	var ve *ValidationError
	if err := (Room{Name: "Room 1"}).Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Room{Name: " "}).Validate(); !errors.As(err, &ve) || ve.For("name") == "" {
		t.Errorf("a room without a name: %v", err)
	}
	tt := TreatmentType{Name: "Microneedling, face", DefaultMinutes: 60, Areas: []Area{AreaCheeks, AreaForehead}, Needling: true}
	if err := tt.Validate(); err != nil {
		t.Fatal(err)
	}
	tt.DefaultMinutes, tt.Areas = 600, []Area{AreaCheeks, "elbow", AreaCheeks}
	if err := tt.Validate(); !errors.As(err, &ve) || ve.For("default_minutes") == "" || len(FieldProblems(err)) != 3 {
		t.Errorf("a bad menu line: %v", err)
	}
	c := Course{ClientID: 1, TreatmentID: 2, Sessions: 6, IntervalDays: 28}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Sessions, c.IntervalDays = 0, 3
	if err := c.Validate(); !errors.As(err, &ve) || ve.For("sessions") == "" || ve.For("interval_days") == "" {
		t.Errorf("a bad course: %v", err)
	}
	if err := (Week{Start: today}).Validate(); !errors.As(err, &ve) || ve.For("technician") == "" {
		t.Errorf("a week of nobody: %v", err)
	}
	if err := (Cancellation{}).Validate(); !errors.As(err, &ve) || ve.For("cancel_reason") == "" {
		t.Errorf("a cancellation without a reason: %v", err)
	}
}

func TestHoursValidateAndParse(t *testing.T) {
	w := DefaultOpeningHours()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if w[time.Sunday].IsOpen() || w[time.Monday].String() != "09:00 to 18:00" {
		t.Errorf("default hours: Sunday %s, Monday %s", w[time.Sunday], w[time.Monday])
	}
	w[time.Tuesday] = DayHours{TimeOf(18, 0), TimeOf(9, 0)}
	var ve *ValidationError
	if err := w.Validate(); !errors.As(err, &ve) || !strings.Contains(ve.For("hours_tuesday"), "not after") {
		t.Errorf("hours running backwards: %v", err)
	}
	for in, want := range map[string]TimeOfDay{"9:00": 540, "09:30": 570, "0930": 570, "24:00": EndOfDay, "00:00": 0} {
		if got, err := ParseTimeOfDay(in); err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "9", "25:00", "24:30", "9:60", "9:5", "-1:00", "+9:00", "ab:cd"} {
		if _, err := ParseTimeOfDay(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseTimeOfDay(%q) accepted", in)
		}
	}
}

func TestSettingsBookPart(t *testing.T) {
	s := DefaultSettings()
	s.ClinicName = "Lumen"
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.MinIntervalDays != s.FollowUpDays {
		t.Errorf("the minimum interval starts at %d days, the follow-up at %d", s.MinIntervalDays, s.FollowUpDays)
	}
	s.TimeZone, s.MinIntervalDays = "Mars/Olympus_Mons", 0
	s.OpeningHours[time.Monday] = DayHours{TimeOf(9, 0), TimeOf(25, 0)}
	var ve *ValidationError
	if err := s.Validate(); !errors.As(err, &ve) || ve.For("time_zone") == "" || ve.For("min_interval_days") == "" ||
		ve.For("opening_hours_monday") == "" {
		t.Errorf("bad book settings: %v", err)
	}
}

// TestSystemTimeZoneFollowsTZ: a new clinic's zone is the computer's,
// which $TZ sets as Go reads it.
func TestSystemTimeZoneFollowsTZ(t *testing.T) {
	for tz, want := range map[string]string{
		"Asia/Tokyo": "Asia/Tokyo", ":America/New_York": "America/New_York", "": "UTC",
		"/usr/share/zoneinfo/Europe/Berlin": "Europe/Berlin",
	} {
		t.Setenv("TZ", tz)
		if got := SystemTimeZone(); got != want {
			t.Errorf("TZ=%q: %q; want %q", tz, got, want)
		}
		if got := DefaultSettings().TimeZone; got != want {
			t.Errorf("TZ=%q: a new clinic's zone is %q; want %q", tz, got, want)
		}
	}
}

// TestWallClockOnTheDaysTheClocksChange: 10:00 is 10:00 in London on both
// days the clocks change in 2026, and those days are 23 and 25 hours long.
func TestWallClockOnTheDaysTheClocksChange(t *testing.T) {
	london, err := LoadZone("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day   Date
		utc   int // the hour in UTC of 10:00 local
		hours float64
	}{
		{NewDate(2026, time.March, 29), 9, 23},
		{NewDate(2026, time.October, 25), 10, 25},
		{NewDate(2026, time.July, 1), 9, 24},
	} {
		at := At(c.day, TimeOf(10, 0), london)
		if at.Hour() != c.utc || at.Location() != time.UTC {
			t.Errorf("%s 10:00 London is %v", c.day, at)
		}
		if LocalClock(at, london) != TimeOf(10, 0) || LocalDay(at, london) != c.day {
			t.Errorf("%s: read back as %s on %s", c.day, LocalClock(at, london), LocalDay(at, london))
		}
		start, end := DayBounds(c.day, london)
		if got := end.Sub(start).Hours(); got != c.hours {
			t.Errorf("%s is %v hours long; want %v", c.day, got, c.hours)
		}
	}
}

func TestCountCourse(t *testing.T) {
	loc := time.UTC
	c := Course{Sessions: 6, IntervalDays: 28}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, loc) }
	appts := []Appointment{
		{ID: 1, Start: day(5), Status: StatusCompleted},
		{ID: 2, Start: day(2), Status: StatusCancelled},
		{ID: 3, Start: day(3), Status: StatusNoShow},
		{ID: 4, Start: day(20), Status: StatusCompleted},
	}
	p := CountCourse(c, appts, loc)
	if p.Done != 2 || p.Booked != 0 || p.Label() != "session 3 of 6" || p.NextDue != NewDate(2026, 2, 17) {
		t.Errorf("two done: %+v, %q", p, p.Label())
	}
	appts = append(appts, Appointment{ID: 5, Start: day(25), Status: StatusBooked})
	p = CountCourse(c, appts, loc)
	if p.Booked != 1 || !p.NextDue.IsZero() || p.Detail() != "2 done, 1 booked" {
		t.Errorf("one booked: %+v, %q", p, p.Detail())
	}
	if n := CourseNumbers(appts); n[1] != 1 || n[4] != 2 || n[5] != 3 || n[2] != 0 || n[3] != 0 {
		t.Errorf("course numbers %v", n)
	}
	c.Sessions = 2
	if p := CountCourse(c, appts[:4], loc); p.Label() != "all 2 sessions done" || !p.NextDue.IsZero() {
		t.Errorf("a finished course: %+v %q", p, p.Label())
	}
}
