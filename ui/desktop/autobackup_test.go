package desktop

import (
	"io"
	"path/filepath"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/storeopen"
)

// TestAutoBackupsTellTheScreensWhenABackupLands: the app's Backups tab
// asks (ui.Deps.WatchBackups) to hear of each automatic backup; the
// start-up backup tells it once it is in the folder, and a start-up with a
// backup less than a day old, which adds nothing, tells it nothing.
func TestAutoBackupsTellTheScreensWhenABackupLands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := newAutoBackups(st, backup.Folders{}, io.Discard)
	var told []int
	appDeps(st, backup.Folders{}, a).WatchBackups(func() {
		found, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "backups", "needledesk-*.db"))
		told = append(told, len(found))
	})
	a.run(t.Context(), backup.AtStartUp)
	if len(told) != 1 || told[0] != 1 {
		t.Fatalf("after the start-up backup the screens were told %v; want once, with the backup in the folder", told)
	}
	a.run(t.Context(), backup.AtStartUp)
	if len(told) != 1 {
		t.Errorf("a start-up that made no backup told the screens again: %v", told)
	}
}

// TestAutoBackupsGoToThisComputersFolder: the automatic backups go to the
// folder this computer keeps for the records (data/backup), the first
// time taking over the one earlier versions kept in the records'
// settings; the records' settings keep only how many are kept.
func TestAutoBackupsGoToThisComputersFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st, err := storeopen.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old := filepath.Join(t.TempDir(), "kept in the records")
	settings, err := st.Settings(t.Context(), data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	settings.ClinicName, settings.Backups.Folder = "Lumen Skin Studio", old
	if err := st.SaveSettings(t.Context(), data.SystemActor, &settings); err != nil {
		t.Fatal(err)
	}
	folders := backup.Folders{File: filepath.Join(t.TempDir(), "backup-folders.json")}
	a := newAutoBackups(st, folders, io.Discard)
	a.run(t.Context(), backup.AtQuit)
	if found, _ := filepath.Glob(filepath.Join(old, "needledesk-*.db")); len(found) != 1 {
		t.Fatalf("the first backup went elsewhere: %v in %s", found, old)
	}
	if chosen, _ := folders.Chosen(path); chosen != old {
		t.Errorf("this computer's folder is %q; want the one taken over, %q", chosen, old)
	}
	stick := filepath.Join(t.TempDir(), "stick")
	if err := folders.Choose(path, stick); err != nil {
		t.Fatal(err)
	}
	a.run(t.Context(), backup.AtQuit)
	if found, _ := filepath.Glob(filepath.Join(stick, "needledesk-*.db")); len(found) != 1 {
		t.Errorf("after choosing %s, the backup is not there: %v", stick, found)
	}
}
