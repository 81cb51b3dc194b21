package data

import (
	"fmt"
	"strings"
	"time"
)

// Safety at booking: what the booking dialog shows before an appointment
// is booked or moved. BookingWarnings need a written reason to go ahead
// (kept with the appointment, Appointment.OverrideReason); HoursWarnings
// only ask the receptionist to confirm.

// BookingFacts is what the booking rules look at.
type BookingFacts struct {
	Client    Client
	Treatment TreatmentType // the treatment being booked
	Start     time.Time
	// AppointmentID is the appointment being moved, left out of the
	// comparison with the client's others; 0 for a new booking.
	AppointmentID int64
	// Sessions are the client's treatment sessions (any order);
	// Appointments the client's appointments (any state, any order); Menu
	// the treatment menu, retired lines too, to tell which of them needle.
	Sessions     []Session
	Appointments []Appointment
	Menu         []TreatmentType
	Settings     Settings
}

// BookingWarnings lists what stands in the way of a needling treatment at
// the booking's time, in the session form's words: no consent on file,
// the client's active contraindications on the appointment's day (the
// same rules as the session form, data.BeforeTreating), and a session
// sooner than the clinic's minimum interval after the last needling
// session or before the next booked one. A treatment that does not needle
// (a consultation) has none. Dates are the clinic's, in its format.
func BookingWarnings(f BookingFacts) []Warning {
	if !f.Treatment.Needling {
		return nil
	}
	loc := f.Settings.Location()
	day := LocalDay(f.Start, loc)
	var out []Warning
	if w := ConsentWarning(f.Client.Consent, day, f.Settings); w != "" {
		out = append(out, Warning{Field: "consent", Message: w})
	}
	out = append(out, Screen(f.Client, day, f.Settings)...)
	return append(out, intervalWarnings(f, day, loc)...)
}

// BookingWarningMessages are the messages of BookingWarnings, as kept in
// Appointment.Warnings.
func BookingWarningMessages(f BookingFacts) []string { return warningMessages(BookingWarnings(f)) }

// intervalWarnings compares the booking's day with the client's nearest
// needling session or appointment before it and the nearest needling
// appointment after it.
func intervalWarnings(f BookingFacts, day Date, loc *time.Location) []Warning {
	minDays := f.Settings.MinIntervalDays
	if minDays <= 0 {
		return nil
	}
	before, after := nearestNeedling(f, loc, day)
	var out []Warning
	if !before.day.IsZero() {
		if gap := before.day.DaysUntil(day); gap < minDays {
			out = append(out, Warning{Field: "interval", Message: fmt.Sprintf(
				"Only %s after the %s on %s; the clinic leaves at least %d days between needling sessions",
				dayCount(gap), before.what, f.Settings.FormatDate(before.day), minDays)})
		}
	}
	if !after.day.IsZero() {
		if gap := day.DaysUntil(after.day); gap < minDays {
			out = append(out, Warning{Field: "interval", Message: fmt.Sprintf(
				"Only %s before the %s on %s; the clinic leaves at least %d days between needling sessions",
				dayCount(gap), after.what, f.Settings.FormatDate(after.day), minDays)})
		}
	}
	return out
}

type needlingDay struct {
	day  Date
	what string
}

// nearestNeedling finds the latest needling day on or before day (a
// session, or an appointment that holds its time) and the earliest one
// after it (an appointment).
func nearestNeedling(f BookingFacts, loc *time.Location, day Date) (before, after needlingDay) {
	consider := func(d Date, what string) {
		switch {
		case !d.After(day) && (before.day.IsZero() || d.After(before.day)):
			before = needlingDay{d, what}
		case d.After(day) && (after.day.IsZero() || d.Before(after.day)):
			after = needlingDay{d, what}
		}
	}
	for _, s := range f.Sessions {
		if !s.StartedAt.IsZero() {
			consider(LocalDay(s.StartedAt, loc), "last needling session")
		}
	}
	needles := map[int64]bool{}
	for _, t := range f.Menu {
		needles[t.ID] = t.Needling
	}
	for _, a := range f.Appointments {
		if a.ID == f.AppointmentID || a.ID == 0 || !a.Status.Holds() || !needles[a.TreatmentID] {
			continue
		}
		what := "needling appointment booked"
		if a.Status == StatusCompleted {
			what = "last needling session"
		}
		consider(LocalDay(a.Start, loc), what)
	}
	return before, after
}

func dayCount(n int) string {
	switch n {
	case 0:
		return "0 days (the same day)"
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// HoursWarnings says when an appointment falls outside the clinic's
// opening hours or the technician's working hours on the clinic's clock,
// which the receptionist confirms. working with Set false (none saved)
// adds nothing of its own. An appointment that runs past midnight is
// outside both.
func HoursWarnings(a Appointment, technician string, opening WeekHours, working WorkingHours, loc *time.Location) []Warning {
	start := a.Start.In(loc)
	from, to := LocalClock(a.Start, loc), LocalClock(a.End(), loc)
	switch endDay := LocalDay(a.End(), loc); {
	case endDay == LocalDay(a.Start, loc):
	case endDay == LocalDay(a.Start, loc).AddDays(1) && to == 0:
		to = EndOfDay // ends at midnight
	default:
		to = EndOfDay + 1 // runs past midnight
	}
	weekday := start.Weekday()
	plural := weekday.String() + "s"
	var out []Warning
	switch h := opening[weekday]; {
	case !h.IsOpen():
		out = append(out, Warning{Field: "start", Message: "The clinic is closed on " + plural})
	case !h.contains(from, to):
		out = append(out, Warning{Field: "start", Message: fmt.Sprintf("Outside the clinic's opening hours (%s on %s)", h, plural)})
	}
	if !working.Set {
		return out
	}
	switch h := working.Days[weekday]; {
	case !h.IsOpen():
		out = append(out, Warning{Field: "technician", Message: fmt.Sprintf("%s does not work on %s", technician, plural)})
	case !h.contains(from, to):
		out = append(out, Warning{Field: "technician", Message: fmt.Sprintf("Outside %s's working hours (%s on %s)",
			technician, h, plural)})
	}
	return out
}

// HoursWarningMessages are the messages of HoursWarnings, one line.
func HoursWarningMessages(ws []Warning) string { return strings.Join(warningMessages(ws), "; ") }
