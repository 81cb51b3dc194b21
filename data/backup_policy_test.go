package data

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestBackupSettingsValidate(t *testing.T) {
	if err := DefaultBackupSettings().Validate(); err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	abs, _ := filepath.Abs(filepath.Join("some", "folder"))
	ok := BackupSettings{Folder: abs, KeepDaily: 1, KeepWeekly: 0, KeepMonthly: 0}
	if err := ok.Validate(); err != nil {
		t.Errorf("%+v refused: %v", ok, err)
	}
	for field, b := range map[string]BackupSettings{
		"backup_folder":       {Folder: "backups", KeepDaily: 7},
		"backup_keep_daily":   {KeepDaily: 0},
		"backup_keep_weekly":  {KeepDaily: 7, KeepWeekly: MaxKeepWeekly + 1},
		"backup_keep_monthly": {KeepDaily: 7, KeepMonthly: -1},
	} {
		err := b.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.For(field) == "" {
			t.Errorf("%+v: %v; want a problem with %s", b, err, field)
		}
	}
	s := DefaultSettings()
	s.ClinicName = "Lumen"
	s.Backups.KeepDaily = 1000
	if msg := FieldProblems(s.Validate()); len(msg) != 1 || msg[0].Field != "backup_keep_daily" {
		t.Errorf("Settings.Validate does not check the backup settings: %v", msg)
	}
}

func TestBackupFolderFor(t *testing.T) {
	db := filepath.Join("clinic", "needledesk.db")
	if got := DefaultBackupSettings().FolderFor(db); got != filepath.Join("clinic", "backups") {
		t.Errorf("default folder %q", got)
	}
	abs, _ := filepath.Abs("elsewhere")
	if got := (BackupSettings{Folder: abs}).FolderFor(db); got != abs {
		t.Errorf("set folder %q", got)
	}
}

func TestBackupFileNames(t *testing.T) {
	at := time.Date(2026, 11, 29, 9, 30, 5, 999, time.FixedZone("CET", 3600))
	cases := []struct {
		seq       int
		encrypted bool
		want      string
	}{
		{1, false, "needledesk-2026-11-29T083005Z.db"},
		{0, true, "needledesk-2026-11-29T083005Z.db.age"},
		{2, false, "needledesk-2026-11-29T083005Z-2.db"},
		{12, true, "needledesk-2026-11-29T083005Z-12.db.age"},
	}
	for _, c := range cases {
		name := BackupFileName(at, c.seq, c.encrypted)
		if name != c.want {
			t.Errorf("BackupFileName(seq %d, %v) = %q; want %q", c.seq, c.encrypted, name, c.want)
		}
		f, ok := ParseBackupFileName(name)
		if !ok || !f.At.Equal(at.Truncate(time.Second)) || f.Seq != max(1, c.seq) || f.Encrypted != c.encrypted || f.Name != name {
			t.Errorf("ParseBackupFileName(%q) = %+v, %v", name, f, ok)
		}
	}
	// An encrypted backup of an earlier version, in NeedleDesk's own format.
	if f, ok := ParseBackupFileName("needledesk-2026-11-29T083005Z-3.db.enc"); !ok || !f.Encrypted || f.Seq != 3 {
		t.Errorf("an older encrypted backup's name: %+v, %v", f, ok)
	}
	for _, name := range []string{
		"needledesk-2026-11-29T083005Z-before-restore.db", "needledesk-2026-11-29T083005Z-1.db",
		"needledesk-2026-11-29T083005Z-02.db", "needledesk-2026-11-29T083005Z.db-wal",
		"needledesk-2026-13-29T083005Z.db", "needledesk-2026-11-29T0830Z.db", "clinic.db",
		".needledesk-2026-11-29T083005Z.db.partial-123", "needledesk-.db", "needledesk-2026-11-29T083005Z-.db",
	} {
		if f, ok := ParseBackupFileName(name); ok {
			t.Errorf("%q was taken for a backup: %+v", name, f)
		}
	}
	files := []BackupFile{}
	for _, n := range []string{"needledesk-2026-11-29T083005Z-2.db", "needledesk-2025-01-01T000000Z.db", "needledesk-2026-11-29T083005Z.db"} {
		f, _ := ParseBackupFileName(n)
		files = append(files, f)
	}
	SortBackupFiles(files)
	if files[0].At.Year() != 2025 || files[1].Seq != 1 || files[2].Seq != 2 {
		t.Errorf("sorted: %+v", files)
	}
}

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
	got := kept(times, DefaultBackupSettings().Keep(times, now))
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
	b := BackupSettings{KeepDaily: 2}
	keep := b.Keep(times, day(4, 5, 12))
	if want := []bool{false, false, false, true, false, true}; !slices.Equal(keep, want) {
		t.Errorf("keep = %v; want %v (newest of 20 March and of 3 March)", keep, want)
	}
}

func TestKeepAlwaysKeepsTheNewestAndAnythingFromTheFuture(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	times := []time.Time{now.AddDate(1, 0, 0), now.Add(-time.Hour), now.Add(-time.Hour), now.AddDate(0, -1, 0)}
	b := BackupSettings{KeepDaily: 1}
	keep := b.Keep(times, now)
	// Of the two made in the same instant, the later in the list is newer.
	if want := []bool{true, false, true, false}; !slices.Equal(keep, want) {
		t.Errorf("keep = %v; want %v", keep, want)
	}
	if got := (BackupSettings{}).Keep(times[1:2], now); !got[0] {
		t.Error("with every count zero, the newest backup was not kept")
	}
}

func TestKeepUsesTheClinicsTimeZone(t *testing.T) {
	// 23:30 and 00:30 in Auckland are one UTC day apart from each other's
	// local day; with a single daily place, the day boundary decides.
	nz := time.FixedZone("NZDT", 13*3600)
	a := time.Date(2026, 1, 10, 23, 30, 0, 0, nz)
	b := time.Date(2026, 1, 11, 0, 30, 0, 0, nz)
	keep := BackupSettings{KeepDaily: 2}.Keep([]time.Time{a.UTC(), b.UTC()}, b.Add(time.Hour))
	if !keep[0] || !keep[1] {
		t.Errorf("two local days, both kept: %v", keep)
	}
	keep = BackupSettings{KeepDaily: 2}.Keep([]time.Time{a.UTC(), b.UTC()}, b.Add(time.Hour).UTC())
	if keep[0] {
		t.Errorf("in UTC they are the same day (10 January), only the newer kept: %v", keep)
	}
}
