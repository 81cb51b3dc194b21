package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
	"needledesk/pdf"
	"needledesk/ui/admin"
	"needledesk/ui/uitest"
)

// testClinic is a real database file the launcher checks, opens and
// restores, the way main wires it.
func testClinic(t *testing.T, path string) Clinic {
	t.Helper()
	folder := data.DefaultBackupSettings().FolderFor(path)
	return Clinic{
		Path: path,
		Check: func(ctx context.Context) error {
			err := sqlite.StartUpCheck(ctx, path, folder)
			var d *sqlite.DamagedDatabaseError
			if errors.As(err, &d) {
				return &Damage{Problem: d.Problem.Error(), Backup: d.Backup, BackupAt: d.BackupAt}
			}
			return err
		},
		Open: func(ctx context.Context) (Deps, func(bool), error) {
			st, err := sqlite.Open(ctx, path, sqlite.WithClock(testClock))
			if err != nil {
				return Deps{}, nil, err
			}
			deps := DepsOf(st)
			deps.Render, deps.Now = pdf.RenderAftercare, testClock
			return deps, func(bool) { st.Close() }, nil
		},
		Restore: func(ctx context.Context, r admin.RestoreRequest) (string, error) {
			res, err := sqlite.Restore(ctx, path, r.From, sqlite.RestoreOptions{Passphrase: r.Passphrase, Actor: r.Actor,
				Clock: testClock, Progress: r.Progress})
			return res.SafetyCopy, err
		},
	}
}

// seedClinic makes a clinic at path with an owner who has a password and
// one client, and returns the owner.
func seedClinic(t *testing.T, path string, clients ...string) data.Staff {
	t.Helper()
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	owner, err := st.CreateFirstOwner(t.Context(), "Maya Lindqvist", "owner-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range clients {
		c := data.Client{GivenName: name, FamilyName: "Adams", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
		if err := st.CreateClient(t.Context(), owner.ID, &c); err != nil {
			t.Fatal(err)
		}
	}
	return owner
}

func startLauncher(t *testing.T, clinic Clinic) (*launcher, uitest.Queue, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1180, 760))
	q := uitest.NewQueue()
	ctx, cancel := context.WithCancel(context.Background())
	l := newLauncher(ctx, a, w, clinic, q.Do)
	t.Cleanup(func() {
		if l.main != nil {
			l.main.stopAll()
		}
		cancel()
		l.shutdown()
		w.Close()
	})
	l.start()
	return l, q, w
}

func clientNames(t *testing.T, deps Deps) []string {
	t.Helper()
	cs, err := deps.Clients.FindClients(context.Background(), data.SystemActor, data.ClientFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.GivenName)
	}
	return out
}

func TestBackupNowThenRestoreBringsTheRecordsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	owner := seedClinic(t, path, "Zoë")
	l, q, w := startLauncher(t, testClinic(t, path))
	q.WaitFor(t, "the clinic to open", func() bool { return l.main != nil })
	l.main.signedIn(owner)
	panel := l.main.settings
	q.WaitFor(t, "the settings to load", func() bool { return l.main.settings.Ready })

	panel.BackupNow()
	q.WaitFor(t, "the backup to be made", func() bool { return uitest.Shows(w.Canvas().Overlays().Top(), "Backup made") })
	backups, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "needledesk-*.db"))
	if len(backups) != 1 {
		t.Fatalf("backups folder holds %v; want one backup", backups)
	}
	w.Canvas().Overlays().Top().Hide()

	bo := data.Client{GivenName: "Bo", FamilyName: "Berg", DateOfBirth: data.NewDate(1991, 1, 1), Phone: "+44 20 7946 0000"}
	if err := l.main.env.deps.Clients.CreateClient(context.Background(), owner.ID, &bo); err != nil {
		t.Fatal(err)
	}
	panel.ConfirmRestore(backups[0], nil)
	test.Tap(uitest.Button(t, w, "Restore"))
	q.WaitFor(t, "the restored clinic at its sign-in screen", func() bool {
		return l.main != nil && l.main.signIn.content.Visible() && uitest.Shows(w.Canvas().Overlays().Top(), "Backup restored")
	})
	if got := strings.Join(clientNames(t, l.main.env.deps), ","); got != "Zoë" {
		t.Fatalf("after the restore the clinic holds %s; want only Zoë, as in the backup", got)
	}
	safety, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "*before-restore*"))
	if len(safety) != 1 {
		t.Fatalf("the records before the restore should be kept: %v", safety)
	}
}

func TestDamagedDatabaseOffersTheNewestGoodBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "clinic.db")
	owner := seedClinic(t, path, "Zoë")
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "backups")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(folder, backup.FileName(testClock(), 0, false))
	if err := st.Backup(t.Context(), owner.ID, good, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(b); i += 97 { // scribble over every page after the first
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}

	l, q, w := startLauncher(t, testClinic(t, path))
	q.WaitFor(t, "the damage screen", func() bool { return uitest.Shows(w.Content(), "The clinic's records are damaged") })
	if l.main != nil {
		t.Fatal("a damaged database must not be opened")
	}
	if after, _ := os.ReadFile(path); string(after) != string(b) {
		t.Fatal("the damaged file was changed")
	}
	test.Tap(uitest.Button(t, w, "Restore this backup"))
	q.WaitFor(t, "the restored clinic", func() bool { return l.main != nil })
	if got := strings.Join(clientNames(t, l.main.env.deps), ","); got != "Zoë" {
		t.Fatalf("the restored clinic holds %q", got)
	}
	kept, _ := filepath.Glob(filepath.Join(folder, "*before-restore*"))
	if len(kept) != 1 {
		t.Fatalf("the damaged file should be kept aside: %v", kept)
	}
	if k, _ := os.ReadFile(kept[0]); string(k) != string(b) {
		t.Error("the damaged file should be kept byte for byte")
	}
}
