package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// demoDays fills a 300-client demo clinic as of now with seed and lists
// the appointments of today and the n days after it, on the clinic's
// clock.
func demoDays(t *testing.T, now time.Time, seed uint64, n int) (data.Settings, [][]data.Appointment) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := demo.Fill(ctx, st, demo.Options{Clients: 300, Seed: seed, Now: now}); err != nil {
		t.Fatal(err)
	}
	s, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	today := data.LocalDay(now, s.Location())
	var out [][]data.Appointment
	for d := range n + 1 {
		as, err := st.DayAppointments(ctx, data.SystemActor, today.AddDays(d))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, as)
	}
	return s, out
}

// TestDemoBooksTodayAndTheNextDay: a new demo clinic has a few people
// booked today (after the time now) and on the next day it opens, so the
// Today list and the day view are not empty at the first look; each is
// booked, holds its technician and room alone, and lies within the
// opening hours; the same seed gives the same bookings.
func TestDemoBooksTodayAndTheNextDay(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		now  time.Time
		next int // days from today to the next day the clinic opens
	}{
		{"a Tuesday at noon", time.Date(2026, 11, 24, 12, 0, 0, 0, london), 1},
		{"a Saturday morning (closed on Sunday)", time.Date(2026, 11, 21, 10, 0, 0, 0, london), 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, days := demoDays(t, c.now, 1, c.next)
			loc := s.Location()
			for _, d := range []int{0, c.next} {
				var booked int
				for _, a := range days[d] {
					if a.Status == data.StatusBooked && a.Start.After(c.now) {
						booked++
					}
					if a.Status.Holds() && len(data.HoursWarnings(a, a.TechnicianName, s.OpeningHours, data.WorkingHours{}, loc)) > 0 {
						t.Errorf("day +%d: %s at %s is outside the opening hours", d, a.ClientName, a.Start.In(loc))
					}
				}
				if booked < 3 {
					t.Errorf("day +%d holds %d bookings still to come; want a few (3 or more)", d, booked)
				}
				wantNoClash(t, days[d])
			}
			_, again := demoDays(t, c.now, 1, c.next)
			if !slices.Equal(appointmentKeys(days[0]), appointmentKeys(again[0])) {
				t.Errorf("the same seed booked today\n%v\nthen\n%v", appointmentKeys(days[0]), appointmentKeys(again[0]))
			}
		})
	}
}

// TestDemoBooksNothingInThePast: late in the day nothing is booked
// before the time now.
func TestDemoBooksNothingInThePast(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 17, 20, 0, 0, london)
	_, days := demoDays(t, now, 2, 1)
	for _, a := range days[0] {
		if a.Status == data.StatusBooked && a.Start.Before(now) {
			t.Errorf("%s is booked at %s, before the time now", a.ClientName, a.Start.In(london).Format("15:04"))
		}
	}
	if n := len(days[1]); n < 3 {
		t.Errorf("tomorrow holds %d appointments; want a few", n)
	}
}

func wantNoClash(t *testing.T, as []data.Appointment) {
	t.Helper()
	for i, a := range as {
		for _, b := range as[i+1:] {
			if a.Status.Holds() && b.Status.Holds() && a.Overlaps(b) &&
				(a.TechnicianID == b.TechnicianID || (a.RoomID != 0 && a.RoomID == b.RoomID)) {
				t.Errorf("%s and %s clash at %s", a.ClientName, b.ClientName, a.Start)
			}
		}
	}
}

func appointmentKeys(as []data.Appointment) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = fmt.Sprintf("%d/%d/%d/%s/%s", a.ClientID, a.TechnicianID, a.RoomID, a.Start.UTC().Format(time.RFC3339), a.Status)
	}
	return out
}
