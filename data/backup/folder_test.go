package backup

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"needledesk/data"
)

// testFolders keeps this computer's choices in a file of the test's own.
func testFolders(t *testing.T) Folders {
	t.Helper()
	return Folders{File: filepath.Join(t.TempDir(), "config", "NeedleDesk", "backup-folders.json")}
}

// TestTheFolderIsThisComputersChoicePerDatabase: each database has its own
// folder on this computer, beside it until one is chosen; the choice is
// kept in a private file (0600, folder 0700), found again however the
// database's path is spelled, and emptied back to the folder beside it.
func TestTheFolderIsThisComputersChoicePerDatabase(t *testing.T) {
	f := testFolders(t)
	dir := t.TempDir()
	clinic, other := filepath.Join(dir, "clinic.db"), filepath.Join(dir, "other", "clinic.db")
	if got, err := f.FolderFor(clinic, ""); err != nil || got != filepath.Join(dir, "backups") {
		t.Fatalf("before any choice: %q, %v; want the backups folder beside the database", got, err)
	}
	stick := filepath.Join(t.TempDir(), "stick", "NeedleDesk backups")
	if err := f.Choose(clinic, stick); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(stick); err != nil || !info.IsDir() {
		t.Errorf("the chosen folder was not made: %v", err)
	}
	if got, _ := f.FolderFor(filepath.Join(dir, ".", "clinic.db"), ""); got != stick {
		t.Errorf("the clinic's folder is %q; want %q", got, stick)
	}
	if got, _ := f.FolderFor(other, ""); got != filepath.Join(dir, "other", "backups") {
		t.Errorf("another database's folder is %q; want its own beside it", got)
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(f.File)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("the computer's file: %v, %v; want mode 0600", info, err)
		}
		if info, err := os.Stat(filepath.Dir(f.File)); err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("its folder: %v, %v; want mode 0700", info, err)
		}
	}
	if err := f.Choose(clinic, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.FolderFor(clinic, ""); got != filepath.Join(dir, "backups") {
		t.Errorf("after going back: %q; want the folder beside the database", got)
	}
}

// TestTheFirstStartTakesOverTheFolderInTheRecords: earlier versions kept
// the folder in the database's settings. On this computer's first start
// with the database, that folder becomes this computer's own; after that
// a change to the settings' value (by an earlier version on another
// computer, say) no longer moves this computer's backups.
func TestTheFirstStartTakesOverTheFolderInTheRecords(t *testing.T) {
	f := testFolders(t)
	clinic := filepath.Join(t.TempDir(), "clinic.db")
	inRecords := filepath.Join(t.TempDir(), "backups kept in the settings")
	got, err := f.FolderFor(clinic, inRecords)
	if err != nil || got != inRecords {
		t.Fatalf("first start: %q, %v; want the folder from the records", got, err)
	}
	if chosen, _ := f.Chosen(clinic); chosen != inRecords {
		t.Errorf("this computer's choice is %q; want the folder taken over", chosen)
	}
	if got, _ := f.FolderFor(clinic, "/somewhere/else"); got != inRecords {
		t.Errorf("later, with another folder in the records: %q; want this computer's %q", got, inRecords)
	}
	if got, _ := f.FolderFor(clinic, "relative/folder"); got != inRecords {
		t.Errorf("%q", got)
	}
}

// TestAChosenFolderIsChecked: a folder is given in full and must be one
// this computer's user can write to; a refused choice changes nothing.
func TestAChosenFolderIsChecked(t *testing.T) {
	f := testFolders(t)
	clinic := filepath.Join(t.TempDir(), "clinic.db")
	if err := f.Choose(clinic, "backups"); !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.UserMessage(err), "full path") {
		t.Errorf("a relative folder: %v", err)
	}
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		locked := filepath.Join(t.TempDir(), "locked")
		if err := os.Mkdir(locked, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(locked, 0o700) })
		if err := f.Choose(clinic, locked); !errors.Is(err, data.ErrReadOnly) {
			t.Errorf("a folder that cannot be written to: %v; want data.ErrReadOnly", err)
		}
	}
	if _, err := os.Stat(f.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused choice wrote the computer's file: %v", err)
	}
	if err := (Folders{}).Choose(clinic, t.TempDir()); err == nil {
		t.Error("a choice was taken with nowhere to keep it")
	}
	if got, err := (Folders{}).FolderFor(clinic, "/from/the/records"); err != nil || got != BesideDatabase(clinic) {
		t.Errorf("with nowhere to keep choices: %q, %v; want the folder beside the database", got, err)
	}
}

// TestAFileNotOursIsNotTrusted: a file of another kind where the choices
// are kept is named, and nothing is taken from it.
func TestAFileNotOursIsNotTrusted(t *testing.T) {
	f := testFolders(t)
	if err := os.MkdirAll(filepath.Dir(f.File), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.File, []byte(`{"databases": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	clinic := filepath.Join(t.TempDir(), "clinic.db")
	got, err := f.FolderFor(clinic, "")
	if err == nil || !strings.Contains(data.UserMessage(err), f.File) || got != BesideDatabase(clinic) {
		t.Errorf("%q, %v; want the folder beside the database and the file named", got, err)
	}
}

// TestComputerFoldersLiveInTheUsersConfigFolder: the file is in the
// user's configuration folder, in NeedleDesk's own folder.
func TestComputerFoldersLiveInTheUsersConfigFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("HOME", home)
	t.Setenv("AppData", home)
	f, err := ComputerFolders()
	dir, _ := os.UserConfigDir()
	if err != nil || f.File != filepath.Join(dir, "NeedleDesk", "backup-folders.json") {
		t.Errorf("ComputerFolders() = %+v, %v", f, err)
	}
}

func TestAServersBackupsHaveAFolderOfTheirOwn(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	f := testFolders(t)
	server := "postgres://needledesk@clinic-server/clinic?sslmode=verify-full"
	home, _ := os.UserHomeDir()
	want := filepath.Join(home, "NeedleDesk backups", "clinic-server-clinic")
	if got, err := f.FolderFor(server, ""); err != nil || got != want {
		t.Errorf("FolderFor(%s) = %q, %v; want %q", server, got, err, want)
	}
	stick := t.TempDir()
	if err := f.Choose(server, stick); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.FolderFor(server, ""); got != stick {
		t.Errorf("after choosing: %q, want %q", got, stick)
	}
	if got, _ := f.FolderFor("postgres://needledesk@clinic-server/other", ""); got != filepath.Join(home, "NeedleDesk backups", "clinic-server-other") {
		t.Errorf("another database took the choice: %q", got)
	}
}
