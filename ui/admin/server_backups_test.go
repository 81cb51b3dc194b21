package admin

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/ui/uitest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// serverEnv is the owner's Backups tab with the records on the throwaway
// PostgreSQL server: the tab asks its Store for backups, as the window's
// does; the rest of the settings come from the test clinic.
func serverEnv(t *testing.T) (*storeEnv, *postgres.Store, string) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	e := newStoreEnv(t)
	url := pgtest.NewDatabase(t)
	pg, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Close() })
	owner := data.Staff{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true}
	client := data.Client{GivenName: "Zoë", FamilyName: "Ødegård", DateOfBirth: data.NewDate(1990, time.March, 14), Phone: "0161 496 0000"}
	if err := pg.CreateStaff(t.Context(), data.SystemActor, &owner); err != nil {
		t.Fatal(err)
	}
	if owner.ID != e.ActorID() {
		t.Fatalf("the server's owner is %d, the working owner %d", owner.ID, e.ActorID())
	}
	if err := pg.CreateClient(t.Context(), owner.ID, &client); err != nil {
		t.Fatal(err)
	}
	e.deps.Store = pg
	e.deps.BackupFolders = backup.Folders{File: filepath.Join(t.TempDir(), "backup-folders.json")}
	return e, pg, url
}

// TestBackupsTabOfAClinicOnTheServer: the tab says plainly how backups of
// the server's records differ, backs them up into this computer's folder
// for the server's database, and restores a backup into a new, empty
// database, saying to point the workstations at it.
func TestBackupsTabOfAClinicOnTheServer(t *testing.T) {
	e, pg, _ := serverEnv(t)
	s := openSettings(t, e)
	p := s.backups
	folder := backup.ForServer(pg.ServerName())
	e.q.WaitFor(t, "the folder read", func() bool {
		return p.recent.Text == "No backups in "+folder+" yet. The first is made a little after NeedleDesk starts."
	})
	if !uitest.Shows(p.content, serverNowText) || !uitest.Shows(p.content, serverAutoText) {
		t.Errorf("the tab does not say how a server's backups differ: %q", uitest.Texts(p.content))
	}
	if !p.restoreBtn.Visible() || p.restoreBtn.Text != "Restore into a new database…" {
		t.Errorf("the restore button: %q, shown %v", p.restoreBtn.Text, p.restoreBtn.Visible())
	}

	test.Tap(p.backupBtn)
	msg := waitMessage(t, e, "Backup made")
	var made string
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, folder) {
			made = line
		}
	}
	if filepath.Dir(made) != folder || !strings.HasSuffix(made, ".dump") {
		t.Fatalf("the backup made: %q", msg)
	}
	e.q.WaitFor(t, "the backup listed", func() bool { return strings.Contains(p.recent.Text, filepath.Base(made)) })
	closeDialogs(e)

	target := pgtest.NewDatabase(t)
	p.confirmRestore(made, nil)
	var addr *widget.Entry
	uitest.Walk(e.w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if en, ok := o.(*widget.Entry); ok && addr == nil {
			addr = en
		}
	})
	if addr == nil {
		t.Fatal("no place for the new database's address")
	}
	test.Type(addr, "clinic_restored")
	test.Tap(uitest.Button(t, e.w, "Restore"))
	if got := uitest.WaitDialog(t, e.q, e.w); !strings.Contains(got, "starting postgres://") {
		t.Fatalf("an address that is not one: %q", got)
	}
	addr.SetText(target)
	test.Tap(uitest.Button(t, e.w, "Restore"))
	msg = waitMessage(t, e, "Backup restored")
	if !strings.Contains(msg, "--db "+target) || !strings.Contains(msg, "were not changed") {
		t.Errorf("after the restore the tab says %q", msg)
	}
	restored, err := postgres.Open(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	found, err := restored.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: "Ødegård"})
	if err != nil || len(found) != 1 {
		t.Errorf("the restored clinic's client: %v, %v", found, err)
	}
	closeDialogs(e)

	p.confirmRestore(made, nil)
	addr = nil
	uitest.Walk(e.w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if en, ok := o.(*widget.Entry); ok && addr == nil {
			addr = en
		}
	})
	addr.SetText(target) // holds the restored clinic now
	test.Tap(uitest.Button(t, e.w, "Restore"))
	if msg := waitMessage(t, e, "The backup was not restored"); !strings.Contains(msg, "new, empty database") {
		t.Errorf("restoring into a database that holds a clinic: %q", msg)
	}
}

// waitMessage waits for a dialog that shows title, and returns its texts.
func waitMessage(t *testing.T, e *storeEnv, title string) string {
	t.Helper()
	var got string
	e.q.WaitFor(t, title, func() bool {
		top := e.w.Canvas().Overlays().Top()
		if top == nil {
			return false
		}
		got = strings.Join(uitest.Texts(top), "\n")
		return strings.Contains(got, title)
	})
	return got
}

func closeDialogs(e *storeEnv) {
	for e.w.Canvas().Overlays().Top() != nil {
		e.w.Canvas().Overlays().Remove(e.w.Canvas().Overlays().Top())
	}
}
