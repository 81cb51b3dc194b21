package data

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone: a date of birth, a
// treatment day, the day a product starts. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf takes the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate builds a Date; it does not check that the day exists.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// ParseDate reads YYYY-MM-DD and refuses days that do not exist (2023-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD: %w", s, ErrInvalid)
	}
	return DateOf(t), nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String gives YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time is midnight of the date in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays moves the date by n calendar days (negative n goes back).
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// AddMonths moves the date by n months, normalising like time.AddDate.
func (d Date) AddMonths(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, n, 0)) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int { return d.Time(time.UTC).Compare(e.Time(time.UTC)) }

// DaysUntil counts calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.Time(time.UTC).Sub(d.Time(time.UTC)).Hours() / 24)
}

// valid reports whether the date exists on the calendar.
func (d Date) valid() bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(d.Time(time.UTC)) == d
}

// YearsBetween counts whole years from d to e, as ages are counted.
func YearsBetween(d, e Date) int {
	years := e.Year - d.Year
	if e.Month < d.Month || (e.Month == d.Month && e.Day < d.Day) {
		years--
	}
	return years
}

// Clock gives the current time; tests inject a fixed one.
type Clock func() time.Time
