package data_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
)

// keptClinic is a folder with a database, its -wal and -shm, and a
// backups folder holding one backup.
func keptClinic(t *testing.T) (data.KeptFiles, string) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "clinic.db")
	backups := filepath.Join(dir, "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm", filepath.Join(backups, "b.db")} {
		if err := os.WriteFile(f, []byte("kept "+filepath.Base(f)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return data.KeptFiles{Database: db, BackupFolders: []string{backups}}, dir
}

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestDestinationRefusesKeptFilesHoweverSpelled(t *testing.T) {
	kept, dir := keptClinic(t)
	elsewhere := t.TempDir()
	for _, l := range []struct{ name, to string }{
		{"linked-folder", dir},
		{"link-to-db", kept.Database},
		{"link-to-backup", filepath.Join(dir, "backups", "b.db")},
	} {
		if err := os.Symlink(l.to, filepath.Join(elsewhere, l.name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(kept.Database, filepath.Join(elsewhere, "hard-link.db")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, c := range []struct{ path, says string }{
		{kept.Database, "the clinic's database"},
		{"clinic.db", "the clinic's database"},
		{"./backups/../clinic.db", "the clinic's database"},
		{"clinic.db-wal", "the clinic's database"},
		{"clinic.db-shm", "the clinic's database"},
		{"clinic.db-journal", "the clinic's database"}, // not there, and still refused
		{filepath.Join(elsewhere, "linked-folder", "clinic.db-journal"), "the clinic's database"},
		{filepath.Join(elsewhere, "link-to-db"), "the clinic's database"},
		{filepath.Join(elsewhere, "hard-link.db"), "the clinic's database"},
		{filepath.Join("backups", "b.db"), "backups folder"},
		{filepath.Join(elsewhere, "linked-folder", "backups", "b.db"), "backups folder"},
		{filepath.Join(elsewhere, "link-to-backup"), "backups folder"},
	} {
		for _, replace := range []bool{false, true} {
			_, err := data.CheckDestination(c.path, kept, replace)
			if !errors.Is(err, data.ErrKeptFile) || !strings.Contains(data.UserMessage(err), c.says) {
				t.Errorf("%s (replace %v): %v; want a refusal saying %q", c.path, replace, err, c.says)
			}
			if _, err := data.WriteFileAtomic(c.path, kept, replace, write("%PDF")); !errors.Is(err, data.ErrKeptFile) {
				t.Errorf("writing %s (replace %v): %v", c.path, replace, err)
			}
		}
	}
	for _, f := range []string{kept.Database, kept.Database + "-wal", kept.Database + "-shm", filepath.Join(dir, "backups", "b.db")} {
		if b, err := os.ReadFile(f); err != nil || string(b) != "kept "+filepath.Base(f) {
			t.Errorf("%s now holds %q, %v", f, b, err)
		}
	}
	if _, err := os.Lstat(kept.Database + "-journal"); err == nil {
		t.Error("a -journal was made")
	}
	// A new file in the backups folder replaces nothing.
	if _, err := data.WriteFileAtomic(filepath.Join("backups", "notes.txt"), kept, false, write("x")); err != nil {
		t.Errorf("a new file beside the backups: %v", err)
	}
}

func TestDestinationRefusesLinksFoldersAndMissingFolders(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "someone's.txt")
	if err := os.WriteFile(target, []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "link.pdf")); err != nil {
		t.Fatal(err)
	}
	nowhere := filepath.Join(t.TempDir(), "planted.pdf")
	if err := os.Symlink(nowhere, filepath.Join(dir, "dangling.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.pdf"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		code error
		says string
	}{
		{filepath.Join(dir, "link.pdf"), data.ErrInvalid, "is a link"},
		{filepath.Join(dir, "dangling.pdf"), data.ErrInvalid, "is a link"},
		{filepath.Join(dir, "folder.pdf"), data.ErrInvalid, "is a folder"},
		{dir + string(filepath.Separator), data.ErrInvalid, "is a folder"},
		{filepath.Join(dir, "missing", "s.pdf"), fs.ErrNotExist, "does not exist"},
		{"", data.ErrInvalid, "give the name"},
	} {
		_, err := data.WriteFileAtomic(c.path, data.KeptFiles{}, true, write("%PDF"))
		if !errors.Is(err, c.code) || !strings.Contains(data.UserMessage(err), c.says) {
			t.Errorf("%q: %v; want %v saying %q", c.path, err, c.code, c.says)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "theirs" {
		t.Error("a link was followed")
	}
	if _, err := os.Lstat(nowhere); err == nil {
		t.Error("a dangling link was followed")
	}
	if _, err := os.Lstat(filepath.Join(dir, "missing")); err == nil {
		t.Error("the missing folder was made")
	}
}

func TestWriteFileAtomicReplacesOnlyWhenAskedAndPrivately(t *testing.T) {
	noUmask(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "sheet.pdf")
	if err := os.WriteFile(path, []byte("before"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := data.WriteFileAtomic(path, data.KeptFiles{}, false, write("after"))
	if !errors.Is(err, fs.ErrExist) || data.UserMessage(err) != path+" already exists" {
		t.Errorf("an existing file without replace: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "before" {
		t.Fatal("replaced without being asked")
	}
	got, err := data.WriteFileAtomic(path, data.KeptFiles{}, true, write("after"))
	if err != nil || got != path {
		t.Fatalf("replacing: %q, %v", got, err)
	}
	for _, p := range []string{path, filepath.Join(dir, "new.pdf")} {
		if p != path {
			if _, err := data.WriteFileAtomic(p, data.KeptFiles{}, false, write("after")); err != nil {
				t.Fatal(err)
			}
		}
		info, err := os.Stat(p)
		if b, _ := os.ReadFile(p); err != nil || string(b) != "after" || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %q, %v, %v; want \"after\", 0600 under umask 0", p, b, info.Mode(), err)
		}
	}
	// A write that fails leaves the file as it was and nothing beside it.
	failed := errors.New("the disk went away")
	_, err = data.WriteFileAtomic(path, data.KeptFiles{}, true, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("a failed write: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "after" {
		t.Errorf("a failed write left %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %v; want the two files only", entries)
	}
}
