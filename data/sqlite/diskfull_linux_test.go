//go:build linux

package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// tinyDisk mounts a tmpfs of the given size ("512k", "2m") and returns its
// folder: a real small disk that fills up, or can be made read-only. It
// needs root (as CI runs); elsewhere the test is skipped.
func tinyDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small disk needs root")
	}
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a small disk here: %v", err)
	}
	// Detach lazily, so a file still open on it does not keep it mounted.
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

func remount(t *testing.T, dir string, flags uintptr, opts string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|flags, opts); err != nil {
		t.Fatalf("remounting %s: %v", dir, err)
	}
}

func TestStoreOnAFullDisk(t *testing.T) {
	disk := tinyDisk(t, "2m")
	path := filepath.Join(disk, "clinic.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	var saved []string
	var fullErr error
	for batch := 0; batch < 100 && fullErr == nil; batch++ {
		cs := someClients(50, "Batch "+letters(batch))
		if fullErr = st.ImportClients(t.Context(), data.SystemActor, cs); fullErr == nil {
			for _, c := range cs {
				saved = append(saved, c.FamilyName)
			}
		}
	}
	if !errors.Is(fullErr, data.ErrDiskFull) || !strings.Contains(fullErr.Error(), "everything saved before is intact") {
		t.Fatalf("filling a 2 MB disk: %v; want data.ErrDiskFull", fullErr)
	}
	if len(saved) == 0 {
		t.Fatal("nothing fitted at all")
	}
	if got := clientNames(t, st); strings.Join(got, ",") != strings.Join(saved, ",") {
		t.Errorf("%d clients after the disk filled; want the %d saved before", len(got), len(saved))
	}
	// Space is freed; the store closes cleanly and the file checks out.
	remount(t, disk, 0, "size=64m")
	if err := st.Close(); err != nil {
		t.Fatalf("closing after space was freed: %v", err)
	}
	if rep, err := sqlite.Check(t.Context(), path); err != nil || !rep.IntegrityOK {
		t.Fatalf("after a full disk: %+v, %v", rep, err)
	}
	if st, err = sqlite.Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	if got := clientNames(t, st); len(got) != len(saved) {
		t.Errorf("after reopening: %d clients, want %d", len(got), len(saved))
	}
}

func TestBackupOntoAFullDisk(t *testing.T) {
	e := demoEnv(t, 200)
	disk := tinyDisk(t, "256k")
	audits := e.count("audit_event")
	err := e.st.Backup(e.ctx, data.SystemActor, filepath.Join(disk, "b.db"), sqlite.BackupOptions{})
	if !errors.Is(err, data.ErrDiskFull) {
		t.Fatalf("backup onto a full disk: %v; want data.ErrDiskFull", err)
	}
	if names := folderNames(t, disk); len(names) != 0 {
		t.Errorf("a failed backup left %v", names)
	}
	if got := e.count("audit_event"); got != audits {
		t.Error("a failed backup was audited")
	}
	res, err := sqlite.AutoBackup(e.ctx, e.st, data.BackupSettings{Folder: disk, KeepDaily: 7}, testNow, sqlite.AtQuit)
	if !errors.Is(err, data.ErrDiskFull) || res.Made != "" {
		t.Errorf("automatic backup onto a full disk: %+v, %v", res, err)
	}
	err = e.st.Backup(e.ctx, data.SystemActor, filepath.Join(disk, "b.db.enc"), sqlite.BackupOptions{Passphrase: []byte("0123456789ab"), WorkFactor: cheapWorkFactor})
	if !errors.Is(err, data.ErrDiskFull) {
		t.Errorf("encrypted backup onto a full disk: %v", err)
	}
	if names := folderNames(t, disk); len(names) != 0 {
		t.Errorf("failed backups left %v", names)
	}
}

func TestBackupOntoAReadOnlyDisk(t *testing.T) {
	e := newEnv(t)
	e.client()
	disk := tinyDisk(t, "4m")
	remount(t, disk, syscall.MS_RDONLY, "")
	err := e.st.Backup(e.ctx, data.SystemActor, filepath.Join(disk, "b.db"), sqlite.BackupOptions{})
	if !errors.Is(err, data.ErrReadOnly) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("backup onto a read-only disk: %v; want data.ErrReadOnly", err)
	}
	_, err = sqlite.AutoBackup(e.ctx, e.st, data.BackupSettings{Folder: filepath.Join(disk, "backups"), KeepDaily: 7}, testNow, sqlite.AtStartUp)
	if !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("automatic backup onto a read-only disk: %v", err)
	}
}

func TestOpenOnAReadOnlyDisk(t *testing.T) {
	disk := tinyDisk(t, "4m")
	path := filepath.Join(disk, "clinic.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, path)
	remount(t, disk, syscall.MS_RDONLY, "")
	st, err = sqlite.Open(t.Context(), path)
	if err == nil {
		_ = st.Close()
		t.Fatal("opened a database on a read-only disk for writing")
	}
	if !errors.Is(err, data.ErrReadOnly) {
		t.Errorf("Open on a read-only disk: %v; want data.ErrReadOnly", err)
	}
	if fileHash(t, path) != hash {
		t.Error("the file changed")
	}
}

func TestRestoreOntoAFullDisk(t *testing.T) {
	src := demoEnv(t, 200)
	backup := filepath.Join(t.TempDir(), "big.db")
	if err := src.st.Backup(src.ctx, data.SystemActor, backup, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	disk := tinyDisk(t, "1m") // room for a new database to fold its -wal in when it closes, not for the backup
	path := filepath.Join(disk, "clinic.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, path)
	_, err = sqlite.Restore(t.Context(), path, backup, sqlite.RestoreOptions{})
	if !errors.Is(err, data.ErrDiskFull) {
		t.Fatalf("restoring onto a full disk: %v; want data.ErrDiskFull", err)
	}
	if fileHash(t, path) != hash {
		t.Error("the database changed")
	}
	if names := folderNames(t, disk); !slices.Equal(names, []string{"clinic.db", "clinic.db.witness"}) {
		t.Errorf("a failed restore left %v; want the database and its witness file", names)
	}
}
