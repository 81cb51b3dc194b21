package data

import "fmt"

// What the appointment book is set up with, by the owner: the rooms (or
// chairs) appointments take, and the treatment menu they are booked
// from. Neither is ever deleted, since past appointments name them; a
// room or treatment no longer offered is retired (Active false).

// Room is a treatment room or chair. An appointment may take one.
type Room struct {
	ID     int64
	Name   string
	Active bool
	// Version rises with every saved change; UpdateRoom saves only over
	// the version that was read (ErrConflict otherwise).
	Version int64
}

// Validate checks a room.
func (r Room) Validate() error {
	var p problems
	p.text("name", r.Name, textRule{required: true, max: maxNameLen})
	return p.err()
}

// Appointment lengths, in minutes.
const (
	MinAppointmentMinutes = 5
	MaxAppointmentMinutes = 8 * 60
)

// TreatmentType is one line of the clinic's treatment menu: what a client
// is booked for, how long it usually takes and which areas it usually
// covers (the session form starts with them ticked).
type TreatmentType struct {
	ID             int64
	Name           string
	DefaultMinutes int
	Areas          []Area
	// Needling is true for a treatment that needles the skin, which the
	// minimum interval between sessions applies to; false for a
	// consultation or a patch test.
	Needling bool
	Active   bool
	Version  int64
}

// Validate checks a line of the treatment menu.
func (t TreatmentType) Validate() error {
	var p problems
	p.text("name", t.Name, textRule{required: true, max: maxNameLen})
	if msg := checkMinutes(t.DefaultMinutes); msg != "" {
		p.add("default_minutes", msg)
	}
	seen := map[Area]bool{}
	for _, a := range t.Areas {
		switch {
		case !knownArea(a):
			p.add("areas", fmt.Sprintf("%q is not a known treatment area", string(a)))
		case seen[a]:
			p.add("areas", fmt.Sprintf("%s is listed twice", a.Label()))
		}
		seen[a] = true
	}
	return p.err()
}

// checkMinutes reports what is wrong with a length in minutes, or "".
func checkMinutes(m int) string {
	switch {
	case m < 0:
		return "ends before it starts"
	case m == 0:
		return "give it a length"
	case m < MinAppointmentMinutes:
		return fmt.Sprintf("is shorter than %d minutes", MinAppointmentMinutes)
	case m > MaxAppointmentMinutes:
		return fmt.Sprintf("is longer than %d hours; book two appointments for a longer visit", MaxAppointmentMinutes/60)
	}
	return ""
}
