package admin

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
	"needledesk/ui/uitest"
)

// TestBackupsTabListsTheStartUpBackupWhenItLands: the tab reads the
// folder when the settings arrive, before the start-up backup is made; when
// that backup lands (the automatic backups call WatchBackups' function,
// from their own goroutine) the tab lists it without anyone touching it.
func TestBackupsTabListsTheStartUpBackupWhenItLands(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Store = e.st
	var landed []func()
	e.deps.WatchBackups = func(fn func()) { landed = append(landed, fn) }
	s := openSettings(t, e)
	p := s.backups
	e.q.WaitFor(t, "the folder read", func() bool { return strings.HasPrefix(p.recent.Text, "No backups") })
	if len(landed) != 1 {
		t.Fatalf("the tab asked to be told of automatic backups %d times; want once", len(landed))
	}

	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	res, err := backup.Auto(e.Ctx, e.st, st.Backups.FolderFor(e.st.Path()), st.Backups, testClock(), backup.AtStartUp)
	if err != nil || res.Made == "" {
		t.Fatalf("the start-up backup: %+v, %v", res, err)
	}
	done := make(chan struct{})
	go func() { landed[0](); close(done) }() // as the backup's own goroutine does
	<-done
	e.q.WaitFor(t, "the start-up backup listed", func() bool {
		return strings.Contains(p.recent.Text, filepath.Base(res.Made))
	})
	if !strings.HasPrefix(p.recent.Text, "1 backup in "+res.Folder) || !strings.Contains(p.recent.Text, "22/11/2026 at 10:00") {
		t.Errorf("the tab says %q; want the backup, made 22/11/2026 at 10:00", p.recent.Text)
	}
}

// TestBackupsTabListsEveryBackupInTheFolder: choosing the tab reads the
// folder again, and it lists what is there, newest first, in the clinic's
// date format: NeedleDesk's own backups, a copy locked with a passphrase
// and the copy a restore kept, but not a file being written or a -wal.
func TestBackupsTabListsEveryBackupInTheFolder(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Store = e.st
	s := openSettings(t, e)
	p := s.backups
	e.q.WaitFor(t, "the folder read", func() bool { return strings.HasPrefix(p.recent.Text, "No backups") })

	folder := filepath.Join(filepath.Dir(e.st.Path()), data.DefaultBackupFolderName)
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	day := testClock()
	owner := e.Actor.ID
	plain := filepath.Join(folder, backup.FileName(day.Add(-48*time.Hour), 0, false))
	if err := e.st.Backup(e.Ctx, owner, plain, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	other := map[string]time.Time{
		"needledesk-2026-11-21T090000Z-before-restore.db":     day.Add(-25 * time.Hour),
		backup.FileName(day.Add(-time.Hour), 0, true):         {},
		".needledesk-x.db.partial-123":                        {},
		"needledesk-2026-11-21T090000Z-before-restore.db-wal": {},
	}
	for name, mod := range other {
		path := filepath.Join(folder, name)
		if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if !mod.IsZero() {
			if err := os.Chtimes(path, mod, mod); err != nil {
				t.Fatal(err)
			}
		}
	}

	s.Tabs.SelectIndex(settingsTabClinic)
	s.Tabs.SelectIndex(settingsTabBackups)
	e.q.WaitFor(t, "the folder read again", func() bool { return strings.HasPrefix(p.recent.Text, "3 backups in ") })
	lines := strings.Split(p.recent.Text, "\n")
	want := []string{
		"22/11/2026 at 09:00", "locked with a passphrase",
		"21/11/2026 at 09:00", "before a restore",
		"20/11/2026 at 10:00", filepath.Base(plain),
	}
	if len(lines) != 4 {
		t.Fatalf("the tab says:\n%s\nwant a count and three backups", p.recent.Text)
	}
	for i, line := range lines[1:] {
		if !strings.Contains(line, want[2*i]) || !strings.Contains(line, want[2*i+1]) {
			t.Errorf("line %d is %q; want %q and %q", i+1, line, want[2*i], want[2*i+1])
		}
	}
	if strings.Contains(p.recent.Text, "partial") || strings.Contains(p.recent.Text, "-wal") {
		t.Errorf("the tab lists files that are not backups:\n%s", p.recent.Text)
	}
}

// serverStore is a store with none of a file store's capabilities, as a
// store on a server will be: only data.Store's own methods show through.
type serverStore struct{ data.Store }

// visibleButtons lists the text of every visible button in root.
func visibleButtons(root fyne.CanvasObject) []string {
	var out []string
	uitest.Walk(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			out = append(out, b.Text)
		}
	})
	return out
}

// TestBackupsTabForRecordsNotInAFile: a store that is not kept in a file
// on this computer has no backups, restore or backups folder here; the
// tab says so plainly and keeps only the export, and asking for a backup
// does nothing rather than fail.
func TestBackupsTabForRecordsNotInAFile(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Store = serverStore{e.st}
	s := openSettings(t, e)
	s.Tabs.SelectIndex(settingsTabBackups)
	p := s.backups
	text := strings.Join(uitest.Texts(p.content), "\n")
	buttons := visibleButtons(p.content)
	if !strings.Contains(text, "kept on a server, not in a file on this computer") || strings.Contains(text, "Backups folder") {
		t.Errorf("the tab says:\n%s\nwant that backups are the server's, and no backups folder", text)
	}
	if !slices.Equal(buttons, []string{"Export every client as CSV…"}) {
		t.Errorf("the tab offers %q; want only the export", buttons)
	}
	p.backupNow()
	if top := e.w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a backup was attempted: %v", uitest.Texts(top))
	}
}

// TestBackupsTabOffersWhatTheFileStoreHas: on a store kept in a file the
// tab offers backups, copies and a restore; without a way to restore (no
// launcher, as in a test window) the Restore button is not offered.
func TestBackupsTabOffersWhatTheFileStoreHas(t *testing.T) {
	for _, withRestore := range []bool{false, true} {
		e := newStoreEnv(t)
		e.deps.Store = e.st
		if withRestore {
			e.deps.Restore = func(RestoreRequest, func(string, error)) {}
		}
		s := openSettings(t, e)
		s.Tabs.SelectIndex(settingsTabBackups)
		want := []string{"Use this folder", "Back up now", "Copy to another place…", "Export every client as CSV…"}
		if withRestore {
			want = []string{"Use this folder", "Back up now", "Copy to another place…", "Restore from a backup…", "Export every client as CSV…"}
		}
		if got := visibleButtons(s.backups.content); !slices.Equal(got, want) {
			t.Errorf("restore wired %v: the tab offers %q; want %q", withRestore, got, want)
		}
		if text := strings.Join(uitest.Texts(s.backups.content), "\n"); strings.Contains(text, "kept on a server") {
			t.Errorf("a file store's tab says its backups are a server's:\n%s", text)
		}
	}
}

// TestTheBackupsFolderIsThisComputers: the tab shows and changes where
// backups go on this computer, kept by data/backup outside the records
// (the records' settings are not saved for it); a folder not given in
// full is refused under the field; and the folder earlier versions kept in
// the records is taken over as this computer's the first time.
func TestTheBackupsFolderIsThisComputers(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Store = e.st
	e.deps.BackupFolders = backup.Folders{File: filepath.Join(t.TempDir(), "backup-folders.json")}
	old := filepath.Join(t.TempDir(), "folder kept in the records")
	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	st.Backups.Folder = old
	if err := e.st.SaveSettings(e.Ctx, data.SystemActor, &st); err != nil {
		t.Fatal(err)
	}
	s := openSettings(t, e)
	p := s.backups
	e.q.WaitFor(t, "the folder taken over", func() bool { return p.folder.Text == old })
	if chosen, _ := e.deps.BackupFolders.Chosen(e.st.Path()); chosen != old {
		t.Errorf("this computer's folder is %q; want the one from the records, %q", chosen, old)
	}

	p.folder.SetText("backups")
	test.Tap(p.useFolderBtn)
	e.q.WaitFor(t, "the refusal", func() bool { return p.folderField.Message.Visible() })
	if !strings.Contains(p.folderField.Message.Text, "full path") {
		t.Errorf("under the folder: %q", p.folderField.Message.Text)
	}

	stick := filepath.Join(t.TempDir(), "stick")
	p.folder.SetText(stick)
	test.Tap(p.useFolderBtn)
	e.q.WaitFor(t, "the folder taken", func() bool { return p.here == stick })
	tapIn(t, e, "OK")
	if chosen, _ := e.deps.BackupFolders.Chosen(e.st.Path()); chosen != stick {
		t.Errorf("this computer's folder is %q; want %q", chosen, stick)
	}
	if saved, _ := e.st.Settings(e.Ctx, data.SystemActor); saved.Backups.Folder != old || saved.Version != st.Version {
		t.Errorf("choosing the folder changed the records' settings: %+v", saved.Backups)
	}
	if s.HasUnsaved() {
		t.Error("choosing the folder left the settings form with unsaved changes")
	}
	e.q.WaitFor(t, "the new folder listed", func() bool { return strings.Contains(p.recent.Text, stick) })
	if kept := e.KeptFiles(); !slices.Contains(kept.BackupFolders, stick) {
		t.Errorf("files written may replace the backups in %s: %v", stick, kept.BackupFolders)
	}
}
