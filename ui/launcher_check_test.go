package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
	"needledesk/ui/uitest"
)

// checkingClinic is wired as main wires the app: a look at the header
// before opening, the pages checked in the background after.
func checkingClinic(t *testing.T, path string) Clinic {
	t.Helper()
	folder := data.DefaultBackupSettings().FolderFor(path)
	asDamage := func(err error) error {
		var d *sqlite.DamagedDatabaseError
		if errors.As(err, &d) {
			return &Damage{Problem: d.Problem.Error(), Backup: d.Backup, BackupAt: d.BackupAt}
		}
		return err
	}
	c := testClinic(t, path)
	c.Check = func(ctx context.Context) error { return asDamage(sqlite.StartUpLook(ctx, path, folder)) }
	c.Open = func(ctx context.Context) (Deps, func(bool), error) {
		st, err := sqlite.Open(ctx, path, sqlite.WithClock(testClock), sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: folder}))
		if err != nil {
			return Deps{}, nil, asDamage(err)
		}
		deps := DepsOf(st)
		deps.Now = testClock
		return deps, func(bool) { st.Close() }, nil
	}
	return c
}

// TestDamageOnlyTheFullCheckFindsShowsTheDamageScreen: the window opens
// the records at once, the check in the background finds damage deep in
// the file, and the person is told in the damage screen's words; nothing
// is written to the file, and nothing is left beside it.
func TestDamageOnlyTheFullCheckFindsShowsTheDamageScreen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Fill(t.Context(), st, demo.Options{Clients: 200, Seed: 3, Now: testClock()}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for p := len(b)/4096 - 12; p < len(b)/4096-4; p++ { // leaves of the big tables, far from the schema
		for i := p * 4096; i < (p+1)*4096; i++ {
			b[i] = byte(i * 7)
		}
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	beside := folderEntries(t, filepath.Dir(path))

	l, q, w := startLauncher(t, checkingClinic(t, path))
	q.WaitFor(t, "the damage screen", func() bool { return uitest.Shows(w.Content(), "The clinic's records are damaged") })
	if l.main != nil || l.close != nil {
		t.Fatal("the records of a damaged file must be closed")
	}
	l.working.Wait() // the records closing
	if after, _ := os.ReadFile(path); string(after) != string(b) {
		t.Fatal("the damaged file was changed")
	}
	if now := folderEntries(t, filepath.Dir(path)); !slices.Equal(now, beside) {
		t.Errorf("files appeared beside the damaged one: %v (before: %v)", now, beside)
	}
}

func folderEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
