package backup

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// TestLockedBackupsOfEitherFormatAreListed: the listing finds the age files
// NeedleDesk writes now (.db.age) and the encrypted backups of earlier
// versions (.db.enc), both as locked with a passphrase.
func TestLockedBackupsOfEitherFormatAreListed(t *testing.T) {
	folder := t.TempDir()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	age, old := FileName(at, 0, true), "needledesk-2026-11-19T090000Z.db.enc"
	for _, name := range []string{age, old, "notes.age", "clinic.db"} {
		if err := os.WriteFile(filepath.Join(folder, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	found, err := ListFolder(folder)
	if err != nil {
		t.Fatal(err)
	}
	locked := map[string]bool{}
	for _, b := range found {
		locked[b.Name] = b.Kind == Locked
	}
	if !strings.HasSuffix(age, ".db.age") || len(found) != 3 || !locked[age] || !locked[old] || locked["clinic.db"] {
		t.Errorf("listed %+v; want %s and %s locked, and clinic.db", found, age, old)
	}
	if !IsLockedName("/media/stick/copy.age") || !IsLockedName("old.db.enc") || IsLockedName("clinic.db") {
		t.Error("the restore's file choice does not tell a locked backup by its name")
	}
}

// TestListFolderNewestFirst: every backup in the folder, newest first,
// each with when it was made (from its name, else the file's time) and
// its kind; files being written, SQLite's -wal files and other files are
// left out, and a folder not made yet holds none.
func TestListFolderNewestFirst(t *testing.T) {
	folder := t.TempDir()
	day := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	files := map[string]time.Time{
		FileName(day.Add(-48*time.Hour), 0, false):            {},
		"needledesk-2026-11-21T090000Z-before-restore.db":     day.Add(-25 * time.Hour),
		FileName(day.Add(-time.Hour), 0, true):                {},
		".needledesk-x.db.partial-123":                        {},
		"needledesk-2026-11-21T090000Z-before-restore.db-wal": {},
		"notes.txt": {},
	}
	for name, mod := range files {
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
	found, err := ListFolder(folder)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Name: FileName(day.Add(-time.Hour), 0, true), At: day.Add(-time.Hour), Kind: Locked},
		{Name: "needledesk-2026-11-21T090000Z-before-restore.db", At: day.Add(-25 * time.Hour), Kind: BeforeRestore},
		{Name: FileName(day.Add(-48*time.Hour), 0, false), At: day.Add(-48 * time.Hour), Kind: Made},
	}
	if len(found) != len(want) {
		t.Fatalf("listed %+v; want %+v", found, want)
	}
	for i := range want {
		if found[i].Name != want[i].Name || !found[i].At.Equal(want[i].At) || found[i].Kind != want[i].Kind {
			t.Errorf("entry %d is %+v; want %+v", i, found[i], want[i])
		}
	}
	if none, err := ListFolder(filepath.Join(folder, "not yet")); err != nil || len(none) != 0 {
		t.Errorf("a folder not made yet lists %v, %v", none, err)
	}
}

// TestPrepareDestMakesTheFolderAndNeverReplaces: a backup into the
// backups folder makes it (0700) when missing; a file already there is
// never replaced, and stays as it was.
func TestPrepareDestMakesTheFolderAndNeverReplaces(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "backups", FileName(time.Now(), 0, false))
	if err := PrepareDest(dest, true, data.KeptFiles{}); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Dir(dest)); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("the backups folder: %v, %v; want it made, mode 0700", info, err)
	}
	if err := os.WriteFile(dest, []byte("the clinic's own"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := PrepareDest(dest, true, data.KeptFiles{})
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(data.UserMessage(err), "never replaces a file") {
		t.Errorf("a backup over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "the clinic's own" {
		t.Error("the existing file was changed")
	}
}
