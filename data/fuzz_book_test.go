package data

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for the appointment book's validators: whatever they
// accept has the shape the store and the screens rely on.

// FuzzAppointment: an accepted appointment has a plausible start, a
// length from 5 minutes to 8 hours, a known state consistent with its
// cancellation and session, and a reason for any warning.
func FuzzAppointment(f *testing.F) {
	f.Add(int64(1_800_000_000), 60, "Bring the patch-test result", "booked", "", "", int64(0), "", "")
	f.Add(int64(1_800_000_000), -30, "", "cancelled", "client", "ill", int64(0), "", "")
	f.Add(int64(0), 481, "\x00", "completed", "", "", int64(3), "Pregnant", "")
	f.Fuzz(func(t *testing.T, unix int64, minutes int, note, status, reason, cancelNote string, session int64, warning, override string) {
		a := validAppointment()
		a.Start, a.Minutes, a.Note, a.Status = time.Unix(unix, 0).UTC(), minutes, note, AppointmentStatus(status)
		a.Cancel, a.SessionID = Cancellation{CancelReason(reason), cancelNote}, session
		if warning != "" {
			a.Warnings = []string{warning}
		}
		a.OverrideReason = override
		err := a.Validate()
		if err != nil {
			mustNameField(t, err, "")
			return
		}
		if y := a.Start.Year(); y < 2000 || y > 9998 || minutes < MinAppointmentMinutes || minutes > MaxAppointmentMinutes {
			t.Fatalf("accepted a start in %d lasting %d minutes", y, minutes)
		}
		if !a.End().After(a.Start) || !utf8.ValidString(note) {
			t.Fatalf("accepted %+v", a)
		}
		if _, ok := statusLabels[a.Status]; !ok || (a.Status == StatusCancelled) != (a.Cancel.Reason != "") ||
			(a.Status == StatusCompleted) != (a.SessionID > 0) {
			t.Fatalf("accepted state %q with reason %q and session %d", status, reason, session)
		}
		if warning != "" && strings.TrimSpace(override) == "" {
			t.Fatal("accepted a warning without a reason")
		}
	})
}

// FuzzParseTimeOfDay: what parses is within the day and prints back as it
// reads.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"09:00", "9:30", "0930", "24:00", "24:01", "23:59", "-1:00", "1:2", " 8:15 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if got < 0 || got > EndOfDay {
			t.Fatalf("%q parsed to %d minutes", s, got)
		}
		if back, err := ParseTimeOfDay(got.String()); err != nil || back != got {
			t.Fatalf("%q -> %s -> %v, %v", s, got, back, err)
		}
	})
}

// FuzzWeekHours: accepted hours run forward within the day, or are a day
// off.
func FuzzWeekHours(f *testing.F) {
	f.Add(540, 1080, 0, 0)
	f.Add(1080, 540, -5, 1500)
	f.Fuzz(func(t *testing.T, open1, close1, open2, close2 int) {
		var w WeekHours
		w[time.Monday] = DayHours{TimeOfDay(open1), TimeOfDay(close1)}
		w[time.Sunday] = DayHours{TimeOfDay(open2), TimeOfDay(close2)}
		if err := w.Validate(); err != nil {
			mustNameField(t, err, "")
			return
		}
		for _, h := range w {
			if h != (DayHours{}) && !(h.Open >= 0 && h.Open < h.Close && h.Close <= EndOfDay) {
				t.Fatalf("accepted %+v", h)
			}
		}
	})
}

// FuzzTreatmentTypeAndCourse: accepted menu lines and courses keep to
// their bounds.
func FuzzTreatmentTypeAndCourse(f *testing.F) {
	f.Add("Microneedling, face", 60, "cheeks", 6, 28)
	f.Add("", 0, "elbow", 0, 400)
	f.Fuzz(func(t *testing.T, name string, minutes int, area string, sessions, interval int) {
		tt := TreatmentType{Name: name, DefaultMinutes: minutes, Areas: []Area{Area(area)}}
		if err := tt.Validate(); err != nil {
			mustNameField(t, err, "")
		} else if !knownArea(Area(area)) || checkMinutes(minutes) != "" || strings.TrimSpace(name) == "" {
			t.Fatalf("accepted %+v", tt)
		}
		c := Course{ClientID: 1, TreatmentID: 1, Sessions: sessions, IntervalDays: interval, Note: name}
		if err := c.Validate(); err != nil {
			mustNameField(t, err, "")
		} else if sessions < 1 || sessions > MaxCourseSessions || interval < MinCourseInterval || interval > MaxCourseInterval {
			t.Fatalf("accepted %+v", c)
		}
	})
}
