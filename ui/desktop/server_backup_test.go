package desktop

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storeopen"
)

// TestAutoBackupsOfAClinicOnTheServer: on a workstation of a clinic whose
// records are on a PostgreSQL server, the automatic backups are the
// server's dumps (pg_dump), made from this computer into this computer's
// folder for that database: by default NeedleDesk backups in the home
// folder, else the one chosen here.
func TestAutoBackupsOfAClinicOnTheServer(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	st, err := storeopen.Open(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	folders := backup.Folders{File: filepath.Join(t.TempDir(), "backup-folders.json")}
	a := newAutoBackups(st, folders, io.Discard)
	var told int
	a.watch(func() { told++ })
	a.run(t.Context(), backup.AtQuit)
	server := st.(data.ServerStore).ServerName()
	found, _ := filepath.Glob(filepath.Join(backup.ForServer(server), "needledesk-*.dump"))
	if len(found) != 1 || told != 1 {
		t.Fatalf("the backup at quitting: %v in %s, the screens told %d times", found, backup.ForServer(server), told)
	}
	if err := st.(data.FileBackuper).CheckBackup(t.Context(), found[0], true); err != nil {
		t.Errorf("the automatic backup does not check out: %v", err)
	}
	stick := filepath.Join(t.TempDir(), "stick")
	if err := folders.Choose(server, stick); err != nil {
		t.Fatal(err)
	}
	a.run(t.Context(), backup.AtQuit)
	if found, _ := filepath.Glob(filepath.Join(stick, "needledesk-*.dump")); len(found) != 1 {
		entries, _ := os.ReadDir(stick)
		t.Errorf("after choosing %s, the backup is not there: %v", stick, entries)
	}
}
