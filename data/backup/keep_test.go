package backup

import (
	"slices"
	"testing"
	"time"

	"needledesk/data"
)

// kept lists the kept times as "2006-01-02" strings, oldest first.
func kept(times []time.Time, keep []bool) []string {
	var out []string
	for i, k := range keep {
		if k {
			out = append(out, times[i].Format(time.DateOnly))
		}
	}
	slices.Sort(out)
	return out
}

func TestKeepOverAYearOfDailyBackups(t *testing.T) {
	var times []time.Time
	start := time.Date(2026, 1, 1, 9, 30, 0, 0, time.UTC)
	for d := range 365 {
		times = append(times, start.AddDate(0, 0, d))
	}
	now := time.Date(2026, 12, 31, 18, 0, 0, 0, time.UTC) // a Thursday
	got := kept(times, Keep(data.DefaultBackupSettings(), times, now))
	want := []string{
		// the newest of each of the last 12 months before December
		"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
		"2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30",
		// Sundays ending ISO weeks 50 and 51; weeks 52 and 53 end in the days
		"2026-12-13", "2026-12-20",
		// the last seven days; the 31st is also this week's and month's
		"2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31",
	}
	if !slices.Equal(got, want) {
		t.Errorf("kept %v;\nwant %v", got, want)
	}
}

func TestKeepCountsDaysThatHaveABackup(t *testing.T) {
	// The clinic was closed for a fortnight: the two daily places go to the
	// last two days that have a backup, however long ago.
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	times := []time.Time{day(3, 1, 9), day(3, 2, 9), day(3, 2, 18), day(3, 3, 9), day(3, 20, 9), day(3, 20, 17)}
	b := data.BackupSettings{KeepDaily: 2}
	keep := Keep(b, times, day(4, 5, 12))
	if want := []bool{false, false, false, true, false, true}; !slices.Equal(keep, want) {
		t.Errorf("keep = %v; want %v (newest of 20 March and of 3 March)", keep, want)
	}
}

func TestKeepAlwaysKeepsTheNewestAndAnythingFromTheFuture(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	times := []time.Time{now.AddDate(1, 0, 0), now.Add(-time.Hour), now.Add(-time.Hour), now.AddDate(0, -1, 0)}
	b := data.BackupSettings{KeepDaily: 1}
	keep := Keep(b, times, now)
	// Of the two made in the same instant, the later in the list is newer.
	if want := []bool{true, false, true, false}; !slices.Equal(keep, want) {
		t.Errorf("keep = %v; want %v", keep, want)
	}
	if got := Keep(data.BackupSettings{}, times[1:2], now); !got[0] {
		t.Error("with every count zero, the newest backup was not kept")
	}
}

func TestKeepUsesTheClinicsTimeZone(t *testing.T) {
	// 23:30 and 00:30 in Auckland are one UTC day apart from each other's
	// local day; with a single daily place, the day boundary decides.
	nz := time.FixedZone("NZDT", 13*3600)
	a := time.Date(2026, 1, 10, 23, 30, 0, 0, nz)
	b := time.Date(2026, 1, 11, 0, 30, 0, 0, nz)
	keep := Keep(data.BackupSettings{KeepDaily: 2}, []time.Time{a.UTC(), b.UTC()}, b.Add(time.Hour))
	if !keep[0] || !keep[1] {
		t.Errorf("two local days, both kept: %v", keep)
	}
	keep = Keep(data.BackupSettings{KeepDaily: 2}, []time.Time{a.UTC(), b.UTC()}, b.Add(time.Hour).UTC())
	if keep[0] {
		t.Errorf("in UTC they are the same day (10 January), only the newer kept: %v", keep)
	}
}
