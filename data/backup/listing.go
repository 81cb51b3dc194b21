package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"needledesk/data"
)

// Kind tells the backups in a folder apart.
type Kind int

const (
	// Made is a backup NeedleDesk made (at start-up, at quitting, or with
	// Back up now), or a database file the clinic put there.
	Made Kind = iota
	// Locked is a copy locked with a passphrase: an age file, or one of an
	// earlier version in NeedleDesk's own format.
	Locked
	// BeforeRestore is the copy of the records a restore kept.
	BeforeRestore
)

// Entry is one backup found in a folder.
type Entry struct {
	Name string
	At   time.Time // when it was made: from its name, else the file's time
	Kind Kind
}

// ListFolder finds every backup in folder, newest first: those NeedleDesk
// names itself, copies locked with a passphrase, the copies a restore
// keeps, and database files the clinic put there. Files being written
// (hidden partial files) and SQLite's -wal and -shm files are left out. A
// folder that does not exist yet holds none.
func ListFolder(folder string) ([]Entry, error) {
	entries, err := os.ReadDir(folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") ||
			!(strings.HasSuffix(name, ".db") || strings.HasSuffix(name, ".db.age") || strings.HasSuffix(name, ".db.enc") ||
				strings.HasSuffix(name, dumpExt) || strings.HasSuffix(name, dumpExt+encryptedExt)) {
			continue
		}
		b := Entry{Name: name}
		if f, ok := ParseFileName(name); ok {
			b.At = f.At
		} else if info, err := e.Info(); err == nil {
			b.At = info.ModTime()
		}
		switch {
		case IsLockedName(name):
			b.Kind = Locked
		case strings.Contains(name, "-before-restore"):
			b.Kind = BeforeRestore
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Entry) int { return b.At.Compare(a.At) })
	return out, nil
}

// IsLockedName says whether a backup's name is that of one locked with a
// passphrase: an age file (.age), or one of an earlier version in
// NeedleDesk's own format (.enc).
func IsLockedName(name string) bool {
	return strings.HasSuffix(name, ".age") || strings.HasSuffix(name, ".enc")
}

// PrepareDest makes the backups folder when a backup goes there
// (intoFolder), and checks dest once more: a backup never replaces a
// file, and never goes where the database's own files do. Nothing is
// removed.
func PrepareDest(dest string, intoFolder bool, kept data.KeptFiles) error {
	if intoFolder {
		if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
			return data.Explained(fmt.Errorf("making the backups folder: %w", err))
		}
	}
	_, err := data.CheckDestination(dest, kept, false)
	if errors.Is(err, fs.ErrExist) {
		return data.Explained(fmt.Errorf("%w; a backup never replaces a file, so choose another name", err))
	}
	return err
}
