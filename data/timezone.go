package data

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	// The zone database travels inside NeedleDesk, so a clinic's zone
	// loads on a computer that has none (Windows, a slim container).
	_ "time/tzdata"
)

// The appointment book keeps every instant in UTC and shows it in the
// clinic's own time zone, an IANA name such as Europe/London kept in
// the settings. A 10:00 appointment is 10:00 on the clinic's wall clock
// on every day of the year, the two days the clocks change included.

// SystemTimeZone is the IANA name of this computer's time zone, the
// default for a new clinic: $TZ when it is set (as Go reads it: empty
// means UTC), else the zone /etc/localtime links to, else /etc/timezone,
// else UTC.
func SystemTimeZone() string {
	if tz, ok := os.LookupEnv("TZ"); ok {
		tz = strings.TrimPrefix(tz, ":")
		if tz == "" || tz == "UTC" {
			return "UTC"
		}
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
		if name := zoneFromPath(tz); name != "" {
			return name
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if name := zoneFromPath(target); name != "" {
			return name
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if name := strings.TrimSpace(string(b)); validZone(name) {
			return name
		}
	}
	return "UTC"
}

// zoneFromPath takes the IANA name from a path into a zone database
// (/usr/share/zoneinfo/Europe/London, ../zoneinfo/Asia/Tokyo); "" when
// there is none.
func zoneFromPath(p string) string {
	p = filepath.ToSlash(p)
	i := strings.LastIndex(p, "zoneinfo/")
	if i < 0 {
		return ""
	}
	name := strings.TrimPrefix(p[i+len("zoneinfo/"):], "posix/")
	if !validZone(name) {
		return ""
	}
	return name
}

// validZone reports whether name is a zone Go can load, by its IANA name
// (not "Local", not a file path).
func validZone(name string) bool {
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return false
	}
	_, err := LoadZone(name)
	return err == nil
}

var zones sync.Map // IANA name -> *time.Location, loaded once each

// LoadZone loads an IANA time zone, once per name.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// Location is the clinic's time zone; the computer's zone when the
// setting names none this computer can load (Validate refuses such a
// name, so only a damaged or older file has one).
func (s Settings) Location() *time.Location {
	if s.TimeZone == "" || s.TimeZone == "Local" {
		return time.Local
	}
	loc, err := LoadZone(s.TimeZone)
	if err != nil {
		return time.Local
	}
	return loc
}

// checkTimeZone reports what is wrong with a time-zone setting, or "".
func checkTimeZone(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "choose the clinic's time zone"
	case !validZone(name):
		return "is not a time zone NeedleDesk knows; choose one from the list (for example Europe/London)"
	}
	return ""
}

// At is the instant the clinic's wall clock shows clock on day, in UTC.
// On the day the clocks go forward a time that does not exist (01:30 in
// London) becomes the same number of minutes after the jump; on the day
// they go back, the first of the two times the clock shows.
func At(day Date, clock TimeOfDay, loc *time.Location) time.Time {
	return time.Date(day.Year, day.Month, day.Day, int(clock)/60, int(clock)%60, 0, 0, loc).UTC()
}

// DayBounds is a clinic-local calendar day as instants: its midnight and
// the next one, which are 23 or 25 hours apart on the days the clocks
// change.
func DayBounds(day Date, loc *time.Location) (start, end time.Time) {
	return day.Time(loc).UTC(), day.AddDays(1).Time(loc).UTC()
}

// LocalDay is the clinic's calendar day of instant t.
func LocalDay(t time.Time, loc *time.Location) Date { return DateOf(t.In(loc)) }

// LocalClock is the clinic's wall-clock time of instant t.
func LocalClock(t time.Time, loc *time.Location) TimeOfDay {
	l := t.In(loc)
	return TimeOfDay(l.Hour()*60 + l.Minute())
}
