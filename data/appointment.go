package data

import (
	"fmt"
	"strings"
	"time"
)

// AppointmentStatus is where an appointment is in its day.
type AppointmentStatus string

// The states of an appointment. Booked, arrived and in treatment are
// open: the appointment may still move, change or be cancelled.
// Completed (a session was saved for it), cancelled and no-show are kept
// as history and never change again.
const (
	StatusBooked      AppointmentStatus = "booked"
	StatusArrived     AppointmentStatus = "arrived"
	StatusInTreatment AppointmentStatus = "in_treatment"
	StatusCompleted   AppointmentStatus = "completed"
	StatusCancelled   AppointmentStatus = "cancelled"
	StatusNoShow      AppointmentStatus = "no_show"
)

// Statuses lists every status, in the order of a day.
var Statuses = []AppointmentStatus{StatusBooked, StatusArrived, StatusInTreatment, StatusCompleted, StatusCancelled, StatusNoShow}

var statusLabels = map[AppointmentStatus]string{
	StatusBooked: "Booked", StatusArrived: "Arrived", StatusInTreatment: "In treatment",
	StatusCompleted: "Done", StatusCancelled: "Cancelled", StatusNoShow: "Did not come",
}

// Label is the status as the front desk reads it.
func (s AppointmentStatus) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Holds reports whether an appointment in this state holds its
// technician and room: every state but cancelled and no-show. Only
// appointments that hold their time can clash.
func (s AppointmentStatus) Holds() bool {
	return s == StatusBooked || s == StatusArrived || s == StatusInTreatment || s == StatusCompleted
}

// HoldingStatuses are the states that hold a technician and a room.
var HoldingStatuses = []AppointmentStatus{StatusBooked, StatusArrived, StatusInTreatment, StatusCompleted}

// Open reports whether the appointment may still change.
func (s AppointmentStatus) Open() bool {
	return s == StatusBooked || s == StatusArrived || s == StatusInTreatment
}

// nextStatuses are the changes of state the front desk and the session
// form make. A session saved for the appointment completes it from any
// open state.
var nextStatuses = map[AppointmentStatus][]AppointmentStatus{
	StatusBooked:      {StatusArrived, StatusInTreatment, StatusCompleted, StatusCancelled, StatusNoShow},
	StatusArrived:     {StatusInTreatment, StatusCompleted, StatusCancelled},
	StatusInTreatment: {StatusCompleted},
}

// StatusChangeProblem says why an appointment in state from cannot
// become to, or "" when it can.
func StatusChangeProblem(from, to AppointmentStatus) string {
	for _, s := range nextStatuses[from] {
		if s == to {
			return ""
		}
	}
	switch {
	case from == StatusCancelled:
		return "the appointment was cancelled; book a new one instead"
	case from == StatusNoShow:
		return "the client did not come to this appointment; book a new one instead"
	case from == StatusCompleted:
		return "the appointment is done: a session was saved for it"
	case from == to:
		return fmt.Sprintf("the appointment is already marked %s", strings.ToLower(from.Label()))
	}
	return fmt.Sprintf("an appointment marked %s cannot be marked %s", strings.ToLower(from.Label()), strings.ToLower(to.Label()))
}

// CancelReason is who called an appointment off.
type CancelReason string

// The reasons for a cancellation.
const (
	CancelByClient CancelReason = "client"
	CancelByClinic CancelReason = "clinic"
)

// Label is the reason as the front desk reads it.
func (r CancelReason) Label() string {
	switch r {
	case CancelByClient:
		return "Client cancelled"
	case CancelByClinic:
		return "Clinic cancelled"
	}
	return string(r)
}

// Cancellation is why an appointment was called off.
type Cancellation struct {
	Reason CancelReason
	Note   string
}

// Validate checks a cancellation.
func (c Cancellation) Validate() error {
	var p problems
	c.validate(&p)
	return p.err()
}

func (c Cancellation) validate(p *problems) {
	if c.Reason != CancelByClient && c.Reason != CancelByClinic {
		p.add("cancel_reason", "say who cancelled: the client or the clinic")
	}
	p.text("cancel_note", c.Note, textRule{max: maxLongText, multiline: true})
}

// Appointment is a client booked with a technician, perhaps in a room,
// for a treatment from the menu.
type Appointment struct {
	ID           int64
	ClientID     int64
	TechnicianID int64
	RoomID       int64 // 0: no room
	TreatmentID  int64
	Start        time.Time // an instant; the store keeps it in UTC
	Minutes      int
	Note         string
	Status       AppointmentStatus
	Cancel       Cancellation // set when cancelled
	SessionID    int64        // the session saved for it; 0 until completed
	CourseID     int64        // 0 when not part of a course
	// Warnings are what the booking was warned of (contraindications, too
	// soon after the last session); OverrideReason is why it was booked
	// anyway, kept with it.
	Warnings       []string
	OverrideReason string
	// Sequence rises each time the appointment moves, so a calendar that
	// took the first invitation takes the new time (RFC 5545 SEQUENCE).
	Sequence int
	// Version rises with every saved change; a change saves only over the
	// version read (ErrConflict otherwise).
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy int64
	UpdatedBy int64

	// Filled in by the store when an appointment is read.
	ClientName     string
	TechnicianName string
	RoomName       string
	TreatmentName  string
	// CourseNumber is the appointment's place in its course (3 in
	// "session 3 of 6"), CoursePlanned the course's length; 0 when none.
	CourseNumber  int
	CoursePlanned int
}

// End is when the appointment ends.
func (a Appointment) End() time.Time { return a.Start.Add(time.Duration(a.Minutes) * time.Minute) }

// Overlaps reports whether a and b share any time; touching ends (one
// ends at 10:00, the other starts at 10:00) do not.
func (a Appointment) Overlaps(b Appointment) bool {
	return a.Start.Before(b.End()) && b.Start.Before(a.End())
}

// MinutesBetween is the length from start to end, for a form that asks
// for the end: negative when the end comes first, which Validate words
// as an end before the start.
func MinutesBetween(start, end time.Time) int {
	return int(end.Sub(start).Round(time.Minute) / time.Minute)
}

// ValidForImport puts each appointment's start in UTC and checks it,
// before an import; the first that is not valid is named by its place.
func ValidForImport(as []Appointment) error {
	for i := range as {
		as[i].Start = as[i].Start.UTC()
		if err := as[i].Validate(); err != nil {
			return fmt.Errorf("importing appointments: appointment %d of %d: %w", i+1, len(as), err)
		}
	}
	return nil
}

// Validate checks an appointment's own fields; the store checks that the
// client, technician, room and treatment exist and that the time is
// free.
func (a Appointment) Validate() error {
	var p problems
	if a.ClientID <= 0 {
		p.add("client", "choose the client to book")
	}
	if a.TechnicianID <= 0 {
		p.add("technician", "choose the technician")
	}
	if a.RoomID < 0 {
		p.add("room", "choose a room from the list, or none")
	}
	if a.TreatmentID <= 0 {
		p.add("treatment", "choose the treatment from the menu")
	}
	a.validateTime(&p)
	p.text("note", a.Note, textRule{max: maxLongText, multiline: true})
	a.validateStatus(&p)
	if a.CourseID < 0 {
		p.add("course", "choose one of the client's courses, or none")
	}
	for _, w := range a.Warnings {
		p.text("warnings", w, textRule{max: maxLongText})
	}
	p.text("override_reason", a.OverrideReason, textRule{max: maxLongText, multiline: true})
	if len(a.Warnings) > 0 && strings.TrimSpace(a.OverrideReason) == "" {
		p.add("override_reason", "write why the appointment is booked despite the warnings")
	}
	return p.err()
}

func (a Appointment) validateTime(p *problems) {
	switch {
	case a.Start.IsZero():
		p.add("start", "choose the day and time")
	case a.Start.Year() < 2000 || a.Start.Year() > 9998:
		p.add("start", "is not a plausible day for an appointment")
	}
	if msg := checkMinutes(a.Minutes); msg != "" {
		field := "minutes"
		if a.Minutes < 0 {
			field = "end"
		}
		p.add(field, "the appointment "+msg)
	}
}

func (a Appointment) validateStatus(p *problems) {
	if _, ok := statusLabels[a.Status]; !ok {
		p.add("status", "is not a state an appointment can be in")
	}
	if a.Status == StatusCancelled {
		a.Cancel.validate(p)
	} else if a.Cancel != (Cancellation{}) {
		p.add("cancel_reason", "only a cancelled appointment has a reason for cancelling")
	}
	if a.Status == StatusCompleted && a.SessionID <= 0 {
		p.add("session", "a completed appointment names the session saved for it")
	}
	if a.Status != StatusCompleted && a.SessionID != 0 {
		p.add("session", "only a completed appointment has a session")
	}
}

// PastGrace is how far back a start may lie and still not count as in
// the past: a walk-in booked a few minutes after its slot began.
const PastGrace = 15 * time.Minute

// InPast reports whether an appointment starting at start would be
// booked in the past at now.
func InPast(start, now time.Time) bool { return start.Before(now.Add(-PastGrace)) }

// CheckBookingTime refuses a time in the past to anyone but an owner,
// who may record a visit after the fact (the store notes it in the
// audit trail).
func CheckBookingTime(start, now time.Time, role Role) error {
	if !InPast(start, now) || role == RoleOwner {
		return nil
	}
	return Invalid("start", "is in the past; only the clinic owner can book a time that has gone")
}

// CheckMark refuses a change of state that does not fit: the state
// changes StatusChangeProblem allows, and no "did not come" before the
// appointment has begun.
func CheckMark(a Appointment, to AppointmentStatus, now time.Time) error {
	if msg := StatusChangeProblem(a.Status, to); msg != "" {
		return Invalid("status", msg)
	}
	if to == StatusNoShow && now.Before(a.Start) {
		return Invalid("status", "the appointment has not begun yet, so the client cannot have missed it")
	}
	if (to == StatusArrived || to == StatusInTreatment) && now.Before(a.Start.Add(-ArriveEarliest)) {
		return Invalid("status", "the appointment is not until later: mark the client arrived when they come in for it")
	}
	return nil
}

// ArriveEarliest is how long before an appointment's start its client can
// be marked arrived (or in treatment): an early arrival on the day, not
// an appointment weeks away tapped by mistake.
const ArriveEarliest = 12 * time.Hour

// Slot is where and when an appointment is, for a move.
type Slot struct {
	Start        time.Time
	TechnicianID int64
	RoomID       int64
	// OverrideReason, when given, is why the new time is kept despite
	// warnings; it is kept beside the reasons given before.
	Warnings       []string
	OverrideReason string
}

// Week picks one technician's or one room's appointments for the seven
// clinic-local days from Start. Exactly one of TechnicianID and RoomID
// is set.
type Week struct {
	Start        Date
	TechnicianID int64
	RoomID       int64
}

// Validate checks a week.
func (w Week) Validate() error {
	var p problems
	if p.date("start", w.Start, true) && (w.TechnicianID > 0) == (w.RoomID > 0) {
		p.add("technician", "choose one technician or one room")
	}
	return p.err()
}

// BookingClash refuses an appointment whose time another appointment of
// the same technician or room already holds, naming that appointment in
// the clinic's time. It matches ErrConflict.
type BookingClash struct {
	With     Appointment    // the appointment already there, with its names
	Room     bool           // the room clashes (else the technician)
	Location *time.Location // the clinic's zone, for the times
}

func (e *BookingClash) Error() string {
	loc := e.Location
	if loc == nil {
		loc = time.UTC
	}
	w := e.With
	start, end := w.Start.In(loc), w.End().In(loc)
	when := fmt.Sprintf("from %s to %s on %s", start.Format("15:04"), end.Format("15:04"), start.Format("Monday 2 January 2006"))
	if e.Room {
		return fmt.Sprintf("%s is taken by %s's appointment %s; choose another time or room", orName(w.RoomName, "The room"), w.ClientName, when)
	}
	return fmt.Sprintf("%s already has %s's appointment %s; choose another time or technician",
		orName(w.TechnicianName, "The technician"), w.ClientName, when)
}

func orName(name, instead string) string {
	if name == "" {
		return instead
	}
	return name
}

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *BookingClash) Unwrap() error { return ErrConflict }
