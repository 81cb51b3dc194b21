package storeopen_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/storeopen"
)

var testNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

// openWithClient opens a new clinic at path with one client in it.
func openWithClient(t *testing.T, path string, opts ...storeopen.Option) data.Store {
	t.Helper()
	st, err := storeopen.Open(t.Context(), path, append(opts, storeopen.WithClock(clock))...)
	if err != nil {
		t.Fatal(err)
	}
	c := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, time.March, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestAFileStoreOffersItsCapabilities: the store a path opens is a
// data.Store, and what only a file store has is found by asking it: its
// path, the full check, file backups and restoring one.
func TestAFileStoreOffersItsCapabilities(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st := openWithClient(t, path)
	defer st.Close()
	fs, ok := st.(data.FileStore)
	if !ok || fs.Path() != path {
		t.Fatalf("the store is not a file store at %s", path)
	}
	if _, ok := st.(data.FullChecker); !ok {
		t.Error("no full check")
	}
	if _, ok := st.(data.FileRestorer); !ok {
		t.Error("no restore")
	}
	fb, ok := st.(data.FileBackuper)
	if !ok {
		t.Fatal("no file backups")
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := fb.Backup(t.Context(), data.SystemActor, dest, data.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := fb.CheckBackup(t.Context(), dest, true); err != nil {
		t.Errorf("the backup does not check out: %v", err)
	}
	if err := os.WriteFile(dest, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := fb.CheckBackup(t.Context(), dest, false); !errors.Is(err, data.ErrDamaged) {
		t.Errorf("a file that is no backup checks out: %v", err)
	}
}

// TestRestoreWaitsForTheStoreToClose: a restore works on the files, so an
// open store refuses it and changes nothing; once closed, the same store
// value restores a backup over its file.
func TestRestoreWaitsForTheStoreToClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	st := openWithClient(t, path)
	good := filepath.Join(t.TempDir(), "good.db")
	if err := st.(data.FileBackuper).Backup(t.Context(), data.SystemActor, good, data.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	r := st.(data.FileRestorer)
	opts := data.RestoreOptions{Actor: data.SystemActor, Clock: clock}
	if _, err := r.RestoreFile(t.Context(), good, opts); err == nil {
		t.Fatal("a backup was restored over records still open")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := r.RestoreFile(t.Context(), good, opts)
	if err != nil || res.SafetyCopy == "" {
		t.Fatalf("restore after closing: %+v, %v", res, err)
	}
}

// TestADamagedFileIsRefusedWithWhatToDo: opened the way the window opens
// it, a damaged file is refused untouched; the error is a
// data.DamageReport naming the newest good backup, and offers the restore
// that puts it back.
func TestADamagedFileIsRefusedWithWhatToDo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	folder := data.DefaultBackupSettings().FolderFor(path)
	st := openWithClient(t, path)
	res, err := backup.Auto(t.Context(), st.(backup.Store), folder, data.DefaultBackupSettings(), testNow, backup.AtQuit)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	_, err = storeopen.Open(t.Context(), path, storeopen.CheckInBackground(folder))
	var report data.DamageReport
	if !errors.As(err, &report) {
		t.Fatalf("opening a damaged file: %v; want a data.DamageReport", err)
	}
	d := report.Damage()
	if d.Path != path || d.Backup != res.Made || d.Problem == "" || d.Folder != folder {
		t.Errorf("the damage report says %+v; want the file, a problem and the backup %s", d, res.Made)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the damaged file was changed")
	}
	var r data.FileRestorer
	if !errors.As(err, &r) {
		t.Fatal("the damage report offers no restore")
	}
	if _, err := r.RestoreFile(t.Context(), d.Backup, data.RestoreOptions{Actor: data.SystemActor, Clock: clock}); err != nil {
		t.Fatal(err)
	}
	st, err = storeopen.Open(t.Context(), path, storeopen.CheckInBackground(folder))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.(data.FullChecker).Checked(t.Context()); err != nil {
		t.Errorf("the restored file does not check out: %v", err)
	}
	found, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: "zoe"})
	if err != nil || len(found) != 1 {
		t.Errorf("after the restore: %v, %v; want Zoë back", found, err)
	}
}

// TestNoDatabaseNamed: an empty --db value opens nothing, and no nil store
// of a particular kind hides inside the interface.
func TestNoDatabaseNamed(t *testing.T) {
	st, err := storeopen.Open(context.Background(), "")
	if !errors.Is(err, storeopen.ErrNoDB) || st != nil {
		t.Errorf("Open(\"\") = %v, %v; want nil and ErrNoDB", st, err)
	}
}
