package data

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Course is a plan of treatments sold together: microneedling is usually
// given as 3 to 6 sessions, 4 to 6 weeks apart. Its appointments name it
// (Appointment.CourseID); the store counts which are done and which are
// booked.
type Course struct {
	ID           int64
	ClientID     int64
	TreatmentID  int64
	Sessions     int // how many sessions are planned
	IntervalDays int // the days between sessions
	Note         string
	// Closed is set when the course was ended early (or by hand after
	// its last session); a closed course is not offered for booking.
	Closed  bool
	Version int64

	// Filled in by the store when a course is read.
	CreatedAt     time.Time
	TreatmentName string
	Progress      CourseProgress
}

// Course limits.
const (
	MaxCourseSessions = 20
	MinCourseInterval = 7
	MaxCourseInterval = 365
)

// Validate checks a course.
func (c Course) Validate() error {
	var p problems
	if c.ClientID <= 0 {
		p.add("client", "choose the client the course is for")
	}
	if c.TreatmentID <= 0 {
		p.add("treatment", "choose the treatment from the menu")
	}
	if c.Sessions < 1 || c.Sessions > MaxCourseSessions {
		p.add("sessions", fmt.Sprintf("must be between 1 and %d", MaxCourseSessions))
	}
	if c.IntervalDays < MinCourseInterval || c.IntervalDays > MaxCourseInterval {
		p.add("interval_days", fmt.Sprintf("must be between %d and %d days", MinCourseInterval, MaxCourseInterval))
	}
	p.text("note", c.Note, textRule{max: maxLongText, multiline: true})
	return p.err()
}

// CourseProgress is how far a course has come: sessions given, sessions
// booked and still to come, and the next one's place.
type CourseProgress struct {
	Planned int
	Done    int // appointments completed
	Booked  int // appointments booked, arrived or in treatment
	// LastDone is when the latest completed appointment started; zero
	// before the first.
	LastDone time.Time
	// NextDue is the day the next session is due (LastDone's day plus
	// the interval) when none is booked and the course is not over;
	// zero otherwise.
	NextDue Date
}

// Finished reports whether every planned session was given.
func (p CourseProgress) Finished() bool { return p.Done >= p.Planned }

// Next is the number of the next session to give: 3 in "session 3 of 6".
func (p CourseProgress) Next() int { return min(p.Done+1, p.Planned) }

// Label is how the client record shows the course: "session 3 of 6"
// (the next to give), or "all 6 sessions done".
func (p CourseProgress) Label() string {
	if p.Planned == 0 {
		return ""
	}
	if p.Finished() {
		return fmt.Sprintf("all %d sessions done", p.Planned)
	}
	return fmt.Sprintf("session %d of %d", p.Next(), p.Planned)
}

// Detail says what is done and booked: "2 done, 1 booked".
func (p CourseProgress) Detail() string {
	s := fmt.Sprintf("%d done", p.Done)
	if p.Booked > 0 {
		s += fmt.Sprintf(", %d booked", p.Booked)
	}
	return s
}

// CountCourse tallies a course from its appointments (any order, any
// state): completed ones are done, open ones booked, cancelled and
// missed ones do not count. Days are the clinic's (loc).
func CountCourse(c Course, appts []Appointment, loc *time.Location) CourseProgress {
	p := CourseProgress{Planned: c.Sessions}
	for _, a := range appts {
		switch {
		case a.Status == StatusCompleted:
			p.Done++
			if a.Start.After(p.LastDone) {
				p.LastDone = a.Start
			}
		case a.Status.Open():
			p.Booked++
		}
	}
	if !c.Closed && p.Booked == 0 && !p.Finished() && !p.LastDone.IsZero() {
		p.NextDue = LocalDay(p.LastDone, loc).AddDays(c.IntervalDays)
	}
	return p
}

// CourseNumbers gives each appointment of a course that holds its time
// its place in the course, in order of time: completed and open ones
// count, cancelled and missed ones get 0.
func CourseNumbers(appts []Appointment) map[int64]int {
	held := slices.DeleteFunc(slices.Clone(appts), func(a Appointment) bool { return !a.Status.Holds() })
	slices.SortFunc(held, func(a, b Appointment) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make(map[int64]int, len(held))
	for i, a := range held {
		out[a.ID] = i + 1
	}
	return out
}
