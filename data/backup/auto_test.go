package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

// The automatic backups run on a real SQLite store (the file capabilities
// of data/store.go) with a clock the tests set.

var testNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

type env struct {
	ctx   context.Context
	st    *sqlite.Store
	clock *testClock
}

// newEnv opens a store on a new file with one client in it.
func newEnv(t *testing.T) *env {
	t.Helper()
	clock := &testClock{t: testNow}
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "clinic", "needledesk.db"), sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := data.Client{GivenName: "Zoë", FamilyName: "O'Brien", DateOfBirth: data.NewDate(1990, time.March, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	return &env{ctx: t.Context(), st: st, clock: clock}
}

// folderNames lists the names in dir.
func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// backupDates lists the dates (UTC) of the backups NeedleDesk made in folder.
func backupDates(t *testing.T, folder string) []string {
	t.Helper()
	var out []string
	for _, name := range folderNames(t, folder) {
		if f, ok := backup.ParseFileName(name); ok {
			out = append(out, f.At.Format(time.DateOnly))
		}
	}
	return out
}

// TestAutoBackupOverAYear runs the clinic's year with a fixed clock. The
// app starts at 9:30 (a backup only when the newest is a day old), is
// started again an hour later (none due), and quits at 17:30 (always a
// backup), every day but a week's holiday in August. After each day the
// newest backup is there and no more than the policy's 23 are kept; at the
// end exactly the expected daily, weekly and monthly ones are left.
func TestAutoBackupOverAYear(t *testing.T) {
	e := newEnv(t)
	cfg := data.BackupSettings{Folder: filepath.Join(t.TempDir(), "backups"), KeepDaily: 7, KeepWeekly: 4, KeepMonthly: 12}
	start := time.Date(2026, 1, 1, 9, 30, 0, 0, time.UTC)
	backups := 0
	run := func(now time.Time, when backup.Occasion) backup.AutoResult {
		t.Helper()
		e.clock.Set(now)
		res, err := backup.Auto(e.ctx, e.st, cfg.Folder, cfg, now, when)
		if err != nil {
			t.Fatalf("%s: %v", now, err)
		}
		if res.Made != "" {
			backups++
		}
		return res
	}
	for d := range 365 {
		morning := start.AddDate(0, 0, d)
		if morning.Month() == time.August && morning.Day() <= 7 {
			continue // closed
		}
		firstDay := d == 0 || (morning.Month() == time.August && morning.Day() == 8)
		if res := run(morning, backup.AtStartUp); (res.Made != "") != firstDay {
			t.Fatalf("%s: the start-up backup %+v; want one only after a day or more without", morning, res)
		}
		if res := run(morning.Add(time.Hour), backup.AtStartUp); res.Made != "" || len(res.Removed) != 0 {
			t.Fatalf("%s: a second start the same morning made or removed backups: %+v", morning, res)
		}
		quit := run(morning.Add(8*time.Hour), backup.AtQuit)
		if quit.Made == "" {
			t.Fatalf("%s: no backup at quitting", morning)
		}
		if _, err := os.Stat(quit.Made); err != nil {
			t.Fatalf("%s: the newest backup is gone: %v", morning, err)
		}
		if n := len(backupDates(t, cfg.Folder)); n > 23 {
			t.Fatalf("%s: %d backups kept; the policy allows 23", morning, n)
		}
	}
	want := []string{
		"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
		"2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30",
		"2026-12-13", "2026-12-20",
		"2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31",
	}
	if got := backupDates(t, cfg.Folder); !slices.Equal(got, want) {
		t.Errorf("kept at the end of the year:\n%v\nwant\n%v", got, want)
	}
	backupEvents, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityDatabase, Limit: 1000})
	if err != nil || len(backupEvents) != backups {
		t.Errorf("%d backup events in the audit trail (%v); want %d", len(backupEvents), err, backups)
	}
}

// TestAutoBackupLeavesWhatItCannotVerify: a damaged newest backup is
// neither trusted nor removed, a newer good one is made, and the rotation
// goes on around it.
func TestAutoBackupLeavesWhatItCannotVerify(t *testing.T) {
	e := newEnv(t)
	folder := filepath.Join(t.TempDir(), "backups")
	cfg := data.BackupSettings{Folder: folder, KeepDaily: 1}
	day1 := testNow
	if _, err := backup.Auto(e.ctx, e.st, cfg.Folder, cfg, day1, backup.AtStartUp); err != nil {
		t.Fatal(err)
	}
	// Day 2's backup is cut short by a failing stick; a stray file and a
	// copy kept before a restore share the folder.
	day2 := day1.AddDate(0, 0, 1)
	res, err := backup.Auto(e.ctx, e.st, cfg.Folder, cfg, day2, backup.AtStartUp)
	if err != nil || len(res.Removed) != 1 {
		t.Fatalf("day 2: %+v, %v", res, err)
	}
	b, _ := os.ReadFile(res.Made)
	if err := os.WriteFile(res.Made, b[:len(b)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	broken := res.Made
	others := []string{"notes.txt", "needledesk-2026-01-01T000000Z-before-restore.db"}
	for _, name := range others {
		if err := os.WriteFile(filepath.Join(folder, name), []byte("not ours"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// An hour later the broken one is not taken for a recent backup.
	later := day2.Add(time.Hour)
	res, err = backup.Auto(e.ctx, e.st, cfg.Folder, cfg, later, backup.AtStartUp)
	if err != nil || res.Made == "" || !slices.Equal(res.Unverified, []string{broken}) || len(res.Removed) != 0 {
		t.Fatalf("with a broken newest backup: %+v, %v", res, err)
	}
	if _, err := os.Stat(broken); err != nil {
		t.Error("the broken backup was removed; it should be left for the clinic to look at")
	}
	for _, name := range others {
		if _, err := os.Stat(filepath.Join(folder, name)); err != nil {
			t.Errorf("%s was removed", name)
		}
	}
	// Days later the good one is rotated out in its turn; the broken one stays.
	res, err = backup.Auto(e.ctx, e.st, cfg.Folder, cfg, day2.AddDate(0, 0, 3), backup.AtStartUp)
	if err != nil || len(res.Removed) != 1 {
		t.Fatalf("day 5: %+v, %v", res, err)
	}
	if got := len(folderNames(t, folder)); got != 6 { // newest and broken with their manifests, two others
		t.Errorf("the folder holds %v", folderNames(t, folder))
	}
}

// TestAutoBackupKeepsBackupsFromTheFuture: a backup dated after now (the
// computer's clock was wrong) is kept and does not stop today's backup.
func TestAutoBackupKeepsBackupsFromTheFuture(t *testing.T) {
	e := newEnv(t)
	cfg := data.BackupSettings{Folder: filepath.Join(t.TempDir(), "b"), KeepDaily: 1}
	future, err := backup.Auto(e.ctx, e.st, cfg.Folder, cfg, testNow.AddDate(5, 0, 0), backup.AtStartUp)
	if err != nil {
		t.Fatal(err)
	}
	res, err := backup.Auto(e.ctx, e.st, cfg.Folder, cfg, testNow, backup.AtStartUp)
	if err != nil || res.Made == "" || len(res.Removed) != 0 {
		t.Fatalf("today, with a backup from the future: %+v, %v", res, err)
	}
	if _, err := os.Stat(future.Made); err != nil {
		t.Error("the backup from the future was removed")
	}
}
