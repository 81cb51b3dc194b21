package book

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"needledesk/data"
	"needledesk/ui/screen"
)

// BookNext opens the booking dialog for a client's next visit, from the
// client record's "Book next" or a Due back row's "Book": the client,
// and the technician and treatment of their last session, come filled
// in, on the day the client is due back when that is still to come.
func (a *Area) BookNext(clientID int64) {
	env := a.env
	d, actor, today, settings := env.deps, env.ActorID(), env.today(), env.Settings
	type read struct {
		client   data.Client
		sessions []data.Session
		appts    []data.Appointment
		menu     []data.TreatmentType
		courses  []data.Course
	}
	screen.Background(env.Env, func(ctx context.Context) (read, error) {
		var r read
		var err error
		if r.client, err = d.Clients.Client(ctx, actor, clientID); err != nil {
			return r, fmt.Errorf("reading the client: %w", err)
		}
		if r.sessions, err = d.Sessions.ClientSessions(ctx, actor, clientID); err != nil {
			return r, fmt.Errorf("reading the client's sessions: %w", err)
		}
		if r.appts, err = d.Appointments.ClientAppointments(ctx, actor, clientID); err != nil {
			return r, fmt.Errorf("reading the client's appointments: %w", err)
		}
		if r.menu, err = d.Setup.TreatmentTypes(ctx, actor, false); err != nil {
			return r, fmt.Errorf("reading the treatment menu: %w", err)
		}
		if d.Courses != nil {
			if r.courses, err = d.Courses.ClientCourses(ctx, actor, clientID); err != nil {
				return r, fmt.Errorf("reading the client's courses: %w", err)
			}
		}
		return r, nil
	}, func(r read, err error) {
		if err != nil {
			env.ShowError("Could not open the booking", err)
			return
		}
		a.Book(followCourse(nextBooking(r.client, r.sessions, r.appts, r.menu, today, settings), r.courses, r.appts, r.menu, today, settings))
	})
}

// nextBooking is what the booking dialog starts with for a client's next
// visit: the client; the technician of the last session; its treatment,
// which is the one booked for that session when it came from the book,
// or else the line of the menu (needling first) whose areas match the
// session's best; and the day the client is due back, at opening time,
// when that day is still to come.
func nextBooking(c data.Client, sessions []data.Session, appts []data.Appointment, menu []data.TreatmentType,
	today data.Date, s data.Settings) Booking {
	b := Booking{ClientID: c.ID, ClientName: strings.TrimSpace(c.GivenName + " " + c.FamilyName)}
	if len(sessions) == 0 {
		return b
	}
	last := sessions[0] // newest first
	b.TechnicianID = last.TechnicianID
	b.TreatmentID = treatmentOf(last, appts, menu)
	if due := last.NextDue; !due.IsZero() && today.Before(due) {
		b.Start = openingOn(due, s)
	}
	return b
}

// treatmentOf finds the treatment a session was: the one its appointment
// was booked for, when that is still on the menu, or else the menu's
// line that best fits its areas (a needling line before any other, then
// the most areas shared, then the fewest areas not treated, then the
// menu's order); 0 when no line shares an area.
func treatmentOf(last data.Session, appts []data.Appointment, menu []data.TreatmentType) int64 {
	for _, a := range appts {
		if a.SessionID == last.ID && a.TreatmentID != 0 &&
			slices.ContainsFunc(menu, func(t data.TreatmentType) bool { return t.ID == a.TreatmentID && t.Active }) {
			return a.TreatmentID
		}
	}
	type fit struct{ needling, shared, extra int }
	better := func(a, b fit) bool {
		if a.needling != b.needling {
			return a.needling > b.needling
		}
		if a.shared != b.shared {
			return a.shared > b.shared
		}
		return a.extra < b.extra
	}
	var best int64
	var bestFit fit
	for _, t := range menu {
		if !t.Active {
			continue
		}
		var f fit
		for _, at := range last.Areas {
			if slices.Contains(t.Areas, at.Area) {
				f.shared++
			}
		}
		if f.shared == 0 {
			continue
		}
		f.extra = len(t.Areas) - f.shared
		if t.Needling {
			f.needling = 1
		}
		if best == 0 || better(f, bestFit) {
			best, bestFit = t.ID, f
		}
	}
	return best
}

// followCourse has the next visit follow the client's open course: the
// one for the treatment already proposed, or else the newest open one.
// The booking names that course and its treatment, and starts, at opening
// time, on the day its next session is due when that day is still to
// come: the course's interval after its latest session, given or booked,
// so a session already booked is not offered again but the one after it.
// A course whose every session left is booked is followed too, but the
// booking is outside it (the dialog says why), after its last session.
func followCourse(b Booking, courses []data.Course, appts []data.Appointment, menu []data.TreatmentType,
	today data.Date, s data.Settings) Booking {
	c, ok := courseFor(b.TreatmentID, openCourses(courses))
	if ok {
		b.CourseID = c.ID
	} else if c, ok = courseFor(b.TreatmentID, fullyBooked(courses)); !ok {
		return b
	}
	if slices.ContainsFunc(menu, func(t data.TreatmentType) bool { return t.ID == c.TreatmentID && t.Active }) {
		b.TreatmentID = c.TreatmentID
	}
	if due := nextCourseDay(c, appts, s.Location()); !due.IsZero() && today.Before(due) {
		b.Start = openingOn(due, s)
	}
	return b
}

// courseFor is the course of cs (newest first) for the treatment, or
// else the newest; false when cs is empty.
func courseFor(treatment int64, cs []data.Course) (data.Course, bool) {
	for _, c := range cs {
		if c.TreatmentID == treatment {
			return c, true
		}
	}
	if len(cs) == 0 {
		return data.Course{}, false
	}
	return cs[0], true
}

// nextCourseDay is the day the session after the course's latest one,
// given or booked, is due: that one's day on the clinic's clock plus the
// course's interval; zero before the course's first appointment.
func nextCourseDay(c data.Course, appts []data.Appointment, loc *time.Location) data.Date {
	var last time.Time
	for _, a := range appts {
		if a.CourseID == c.ID && a.Status.Holds() && a.Start.After(last) {
			last = a.Start
		}
	}
	if last.IsZero() {
		return c.Progress.NextDue
	}
	return data.LocalDay(last, loc).AddDays(c.IntervalDays)
}

// openingOn is the clinic's opening time on day (09:00 on a closed day).
func openingOn(day data.Date, s data.Settings) time.Time {
	hours, open := s.OpeningHours[day.Time(time.UTC).Weekday()], data.TimeOf(9, 0)
	if hours.IsOpen() {
		open = hours.Open
	}
	return data.At(day, open, s.Location())
}
