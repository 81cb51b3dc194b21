package data

// The appointment book's part of the clinic's settings: its time zone,
// the shortest interval between needling sessions and the opening hours.

// Bounds of the minimum interval between needling sessions, in days.
const (
	MinIntervalLow  = 1
	MinIntervalHigh = 365
)

func (s Settings) validateBook(p *problems) {
	if msg := checkTimeZone(s.TimeZone); msg != "" {
		p.add("time_zone", msg)
	}
	if s.MinIntervalDays < MinIntervalLow || s.MinIntervalDays > MinIntervalHigh {
		p.add("min_interval_days", "must be between 1 and 365 days")
	}
	s.OpeningHours.validate(p, "opening_hours_")
}
