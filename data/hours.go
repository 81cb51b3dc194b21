package data

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time in the clinic's zone, in minutes after
// midnight: 9*60 is 09:00, 24*60 the end of the day.
type TimeOfDay int

// TimeOf builds a TimeOfDay from hours and minutes.
func TimeOf(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// EndOfDay is midnight at the end of a day, for hours that run to it.
const EndOfDay TimeOfDay = 24 * 60

// String gives 09:00, and 24:00 for the end of the day.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// ParseTimeOfDay reads 9:00, 09:00, 0900 or 24:00.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok && len(s) == 4 {
		h, m, ok = s[:2], s[2:], true
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if strings.ContainsFunc(h+m, func(r rune) bool { return r < '0' || r > '9' }) {
		ok = false
	}
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || len(h) > 2 || hh < 0 || mm < 0 || mm > 59 ||
		hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day like 09:30: %w", s, ErrInvalid)
	}
	return TimeOf(hh, mm), nil
}

// DayHours are the hours of one weekday: from Open to Close on the
// clinic's clock. The zero value is a day off (closed).
type DayHours struct {
	Open, Close TimeOfDay
}

// IsOpen reports whether the day has any hours.
func (d DayHours) IsOpen() bool { return d.Close > d.Open }

// String gives "09:00 to 18:00", or "closed".
func (d DayHours) String() string {
	if !d.IsOpen() {
		return "closed"
	}
	return d.Open.String() + " to " + d.Close.String()
}

// WeekHours are the hours of each weekday, indexed by time.Weekday
// (Sunday first, as Go counts).
type WeekHours [7]DayHours

// DefaultOpeningHours are what a new clinic starts with: 09:00 to 18:00
// on weekdays, 09:00 to 14:00 on Saturdays, closed on Sundays.
func DefaultOpeningHours() WeekHours {
	var w WeekHours
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = DayHours{TimeOf(9, 0), TimeOf(18, 0)}
	}
	w[time.Saturday] = DayHours{TimeOf(9, 0), TimeOf(14, 0)}
	return w
}

// validate adds a problem for each day whose hours do not run forward
// within the day; fields are prefix + the weekday ("opening_hours_monday").
func (w WeekHours) validate(p *problems, prefix string) {
	for d, h := range w {
		if h == (DayHours{}) {
			continue
		}
		field := prefix + strings.ToLower(time.Weekday(d).String())
		switch {
		case h.Open < 0 || h.Close < 0 || h.Open > EndOfDay || h.Close > EndOfDay:
			p.add(field, fmt.Sprintf("%s: times must be within the day, 00:00 to 24:00", time.Weekday(d)))
		case h.Close <= h.Open:
			p.add(field, fmt.Sprintf("%s: closing time %s is not after opening time %s", time.Weekday(d), h.Close, h.Open))
		}
	}
}

// Validate checks a week of hours.
func (w WeekHours) Validate() error {
	var p problems
	w.validate(&p, "hours_")
	return p.err()
}

// WorkingHours are the days and hours a technician works, on the
// clinic's clock. A technician with none set works whenever the clinic
// is open.
type WorkingHours struct {
	TechnicianID int64
	Days         WeekHours
	// Set is false when none have been saved; the store then gives the
	// clinic's opening hours in Days.
	Set     bool
	Version int64
}

// Validate checks a technician's hours.
func (w WorkingHours) Validate() error {
	var p problems
	if w.TechnicianID <= 0 {
		p.add("technician", "choose whose working hours these are")
	}
	w.Days.validate(&p, "working_hours_")
	return p.err()
}

// contains reports whether [start, end) on the clinic's clock lies within
// the day's hours; a span that runs past midnight never does.
func (d DayHours) contains(start, end TimeOfDay) bool {
	return d.IsOpen() && start >= d.Open && end <= d.Close && end > start
}
