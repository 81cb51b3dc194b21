//go:build linux

package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// fillDisk writes a file on disk until no space is left.
func fillDisk(t *testing.T, disk string) {
	t.Helper()
	f, err := os.Create(filepath.Join(disk, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	for {
		if _, err := f.Write(block); err != nil {
			return
		}
	}
}

// TestReadingOnAFullDiskSaysTheDiskIsFull: with no space left, opening the
// database to read it (a command such as `clients`, or the app) and
// checking it fail because SQLite cannot grow its shared-memory file
// (SQLITE_IOERR_SHMSIZE, "disk I/O error (4874)"); both say the disk is
// full, in words that do not speak of a change not saved, and the file is unchanged.
func TestReadingOnAFullDiskSaysTheDiskIsFull(t *testing.T) {
	disk := tinyDisk(t, "2m")
	path := filepath.Join(disk, "clinic.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportClients(t.Context(), data.SystemActor, someClients(20, "Before")); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, path)
	fillDisk(t, disk)

	st, err = sqlite.Open(t.Context(), path)
	if err == nil {
		_ = st.Close()
		t.Skip("the database opened on a full disk; nothing to say")
	}
	_, checkErr := sqlite.Check(t.Context(), path)
	for what, err := range map[string]error{"opening": err, "checking": checkErr} {
		msg := data.UserMessage(err)
		if !errors.Is(err, data.ErrDiskFull) || !strings.Contains(msg, "the disk is full") || strings.Contains(msg, "not saved") {
			t.Errorf("%s on a full disk: %v\nthe screen says: %s", what, err, msg)
		}
	}
	if fileHash(t, path) != hash {
		t.Error("the database changed")
	}
}
