package bookrow

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// TestAppointmentsStartingTogetherGoByTechnician: the day's rows come by
// start and ID; those starting together are then ordered by the
// technician's name, two of one name (or one technician's two) in the
// order they came. Checked against a plain stable sort on random days.
func TestAppointmentsStartingTogetherGoByTechnician(t *testing.T) {
	names := []string{"Priya Raman", "Tomás Herrera", "Ana Silva", "Ana Silva", "Zoë Park", "Émile Roy"}
	base := time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := rng.IntN(40)
		as := make([]data.Appointment, n)
		for i := range as {
			tech := rng.IntN(len(names))
			as[i] = data.Appointment{ID: int64(i + 1), TechnicianID: int64(tech + 1), TechnicianName: names[tech],
				Start: base.Add(time.Duration(rng.IntN(4)*15) * time.Minute)}
		}
		// As the index gives them: by start, then ID.
		slices.SortStableFunc(as, func(x, y data.Appointment) int { return x.Start.Compare(y.Start) })
		want := slices.Clone(as)
		slices.SortStableFunc(want, func(x, y data.Appointment) int {
			if c := x.Start.Compare(y.Start); c != 0 {
				return c
			}
			return strings.Compare(x.TechnicianName, y.TechnicianName)
		})
		OrderByTechnicianWithinStarts(as)
		for i := range want {
			if as[i].ID != want[i].ID {
				t.Fatalf("round %d: place %d holds appointment %d (%s, %s); want %d (%s, %s)", round, i,
					as[i].ID, as[i].Start.Format("15:04"), as[i].TechnicianName,
					want[i].ID, want[i].Start.Format("15:04"), want[i].TechnicianName)
			}
		}
	}
}

// TestStampsReadAsTimeParseWould: the fast reading of a stored instant
// gives what time.Parse gives, for instants across years, months' ends
// and nanoseconds, and refuses what is not one.
func TestStampsReadAsTimeParseWould(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		want := time.Unix(rng.Int64N(4_000_000_000), rng.Int64N(1_000_000_000)).UTC()
		got, err := Stamp(want.Format(TimeLayout))
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("%s read as %s, %v", want.Format(TimeLayout), got, err)
		}
	}
	for _, bad := range []string{"", "2026-02-30T10:00:00.000000000Z", "2026-13-01T10:00:00.000000000Z",
		"2026-01-01T25:00:00.000000000Z", "2026-01-01 10:00:00.000000000Z", "yesterday"} {
		if got, err := Stamp(bad); err == nil {
			t.Errorf("%q read as %s; want it refused", bad, got)
		}
	}
	var a data.Appointment
	if err := Stamps(&a, "2026-01-01T10:00:00.000000000Z2026"); err == nil {
		t.Error("three stamps cut short were read")
	}
}
