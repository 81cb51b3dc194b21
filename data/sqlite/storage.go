package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

	"needledesk/data"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// describeStorageError names the two failures a clinic can do something
// about, a full disk and a file or folder that cannot be written, so the
// screen says so instead of "internal error". SQLite rolls the transaction
// back in both cases; the words say that nothing was half saved. Any other
// error comes back unchanged.
func describeStorageError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, data.ErrDiskFull), errors.Is(err, data.ErrReadOnly):
		return err
	case isDiskFull(err):
		return fmt.Errorf("%w: nothing of this change was saved, and everything saved before is intact; free some space and try again (%w)",
			data.ErrDiskFull, err)
	case isReadOnly(err):
		return fmt.Errorf("%w (read-only, or no permission): nothing of this change was saved, and everything saved before is intact (%w)",
			data.ErrReadOnly, err)
	}
	return err
}

// isDiskFull says whether err means there is no space left: SQLite's
// SQLITE_FULL, or SQLITE_IOERR_SHMSIZE ("disk I/O error (4874)"), which
// SQLite gives when it cannot grow the -shm file it needs even to read a
// WAL database, and does only when the disk has no room for it; or the
// system's own "no space left" and "quota exceeded".
func isDiskFull(err error) bool {
	var se *sqlitedriver.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_FULL || se.Code() == sqlite3.SQLITE_IOERR_SHMSIZE) {
		return true
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// describeReadError names a full disk met while opening or reading the
// database: SQLite needs a little room beside the file even to read it.
// The words are the person's (data.Explained), since nothing was being
// changed; any other error comes back unchanged.
func describeReadError(doing string, err error) error {
	if err == nil || errors.Is(err, data.ErrDiskFull) || !isDiskFull(err) {
		return err
	}
	return data.Explained(fmt.Errorf("%s: %w, and SQLite needs a little free space beside the database even to read it. "+
		"Nothing was changed; free some space and try again (%w)", doing, data.ErrDiskFull, err))
}

func isReadOnly(err error) bool {
	var se *sqlitedriver.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
			return true
		}
	}
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

// fileError wraps an error from writing a file (a backup, a restore) with
// what was being done, naming a full disk or an unwritable folder.
//
// The words say what was being done and what the system answered: a
// problem with the computer's files, not a fault of NeedleDesk, so they
// are shown to the person as they are (data.Explained).
func fileError(doing string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, data.ErrDiskFull), errors.Is(err, data.ErrReadOnly):
		return fmt.Errorf("%s: %w", doing, err)
	case isDiskFull(err):
		return fmt.Errorf("%s: %w (%w)", doing, data.ErrDiskFull, err)
	case isReadOnly(err):
		return fmt.Errorf("%s: %w, it may be read-only (%w)", doing, data.ErrReadOnly, err)
	}
	return data.Explained(fmt.Errorf("%s: %w", doing, err))
}

// syncFile flushes a file's bytes to the disk, so that a rename after it
// never puts a name on data still in the computer's memory.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir survive a power cut. Windows cannot open a
// folder to flush it, and its renames are already journalled.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// removeDatabaseFiles removes a temporary database and whatever SQLite
// kept beside it. Errors are ignored: it tidies up after a failure that
// is already being reported.
func removeDatabaseFiles(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
}

// tempFileIn creates an empty private file in dir whose name starts with
// a dot and the name it will become, so a half-written file is hidden and
// never mistaken for a finished backup.
func tempFileIn(dir, becomes string) (string, error) {
	f, err := os.CreateTemp(dir, "."+filepath.Base(becomes)+".partial-*")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}
