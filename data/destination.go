package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Every file NeedleDesk writes where a person chose (a sheet saved as, an
// audit trail exported, a backup copied elsewhere, the command line's
// --out) goes through CheckDestination and WriteFileAtomic, in the app and
// on the command line alike. They live here, beside the exporter's file
// work, because they need nothing but the standard library and answer with
// data's coded errors, which a package of their own could not import back.

// KeptFiles are the files NeedleDesk never writes over, whatever it is
// asked: the open database with the files SQLite keeps beside it (-wal,
// -shm, -journal), and the files in the backups folders.
type KeptFiles struct {
	Database      string   // the open database file
	BackupFolders []string // folders whose files are backups
}

// databaseCompanions are what SQLite adds to the database's name for the
// files it keeps beside it.
var databaseCompanions = []string{"", "-wal", "-shm", "-journal"}

// ErrKeptFile marks a destination that is one of the KeptFiles.
var ErrKeptFile = errors.New("NeedleDesk never writes over this file")

// CheckDestination says whether a file may be written at path, and
// returns where it will really go: path with its folder's links resolved.
// It refuses, always, a kept file (see KeptFiles; compared by resolved
// path, and by identity where the file exists, so neither a link, a
// relative spelling nor a hard link gets through), a link at path (never
// followed, never replaced), a folder or anything but an ordinary file,
// and a path whose folder does not exist. An existing ordinary file is
// refused with an error that wraps fs.ErrExist unless replace is true.
// Every refusal is in plain words (ErrExplained).
func CheckDestination(path string, kept KeptFiles, replace bool) (string, error) {
	real, err := resolveDestination(path)
	if err != nil {
		return "", err
	}
	info, err := os.Lstat(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		info = nil
	case err != nil:
		return "", FileProblem("looking at "+path, err)
	}
	if err := kept.refuse(path, real, info); err != nil {
		return "", err
	}
	switch {
	case info == nil:
		return real, nil
	case info.Mode()&fs.ModeSymlink != 0:
		return "", refusal(path+" is a link to another file; NeedleDesk does not write through links, so choose another name", ErrInvalid)
	case info.IsDir():
		return "", refusal(path+" is a folder; give the name of a file inside it", ErrInvalid)
	case !info.Mode().IsRegular():
		return "", refusal(path+" is not an ordinary file, so NeedleDesk does not write to it", ErrInvalid)
	case !replace:
		return "", refusal(path+" already exists", fs.ErrExist)
	}
	return real, nil
}

// CheckFolder refuses a folder to write into (an export's) that is one
// of the kept files, or would be made where one belongs (a folder named
// like the database's -journal would stop SQLite opening it). A folder
// that does not exist yet, nor its parent, is no kept file.
func (k KeptFiles) CheckFolder(path string) error {
	real, err := resolveDestination(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	info, err := os.Lstat(real)
	if err != nil {
		info = nil
	}
	if err := k.refuse(path, real, info); err != nil {
		return err
	}
	if info != nil && !info.IsDir() {
		if target, err := os.Stat(real); err != nil || !target.IsDir() {
			return refusal(path+" is a file, not a folder", ErrInvalid)
		}
	}
	return nil
}

// resolveDestination is path made absolute with its folder's links
// resolved: the name the file will really have. The folder must exist.
func resolveDestination(path string) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", Invalid("file", "give the name of the file to write")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", FileProblem("finding "+path, err)
	}
	base := filepath.Base(abs)
	if base == "." || base == ".." || base == string(filepath.Separator) || strings.HasSuffix(path, string(filepath.Separator)) {
		return "", refusal(path+" is a folder; give the name of a file inside it", ErrInvalid)
	}
	dir := filepath.Dir(abs)
	realDir, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", refusal("the folder "+dir+" does not exist", fs.ErrNotExist)
	}
	if err != nil {
		return "", FileProblem("the folder "+dir+" cannot be used", err)
	}
	if info, err := os.Stat(realDir); err != nil || !info.IsDir() {
		return "", refusal(dir+" is not a folder", ErrInvalid)
	}
	return filepath.Join(realDir, base), nil
}

// refuse says why the file at real (path as given; info from Lstat, nil
// when there is none) is one NeedleDesk keeps, or nil.
func (k KeptFiles) refuse(path, real string, info fs.FileInfo) error {
	var target fs.FileInfo // what a link at real points to, for SameFile
	if info != nil {
		target, _ = os.Stat(real)
	}
	if k.Database != "" {
		for _, db := range spellings(k.Database) {
			for _, suffix := range databaseCompanions {
				if samePath(real, db+suffix) || sameFile(target, db+suffix) {
					return refusal(path+" is the clinic's database or a file SQLite keeps beside it; "+
						"NeedleDesk never writes over it, so choose another name", ErrKeptFile)
				}
			}
		}
	}
	if info == nil {
		return nil // a new file in a backups folder replaces nothing
	}
	linked := real
	if r, err := filepath.EvalSymlinks(real); err == nil {
		linked = r
	}
	for _, folder := range k.BackupFolders {
		if folder == "" {
			continue
		}
		for _, f := range spellings(folder) {
			if samePath(filepath.Dir(real), f) || samePath(filepath.Dir(linked), f) {
				return refusal(path+" is in the backups folder; NeedleDesk never writes over a backup, so choose another name", ErrKeptFile)
			}
		}
	}
	return nil
}

// spellings are the names one file or folder goes by: as given (made
// absolute), with its folder's links resolved, and wholly resolved.
func spellings(path string) []string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	out := []string{abs}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		out = append(out, filepath.Join(dir, filepath.Base(abs)))
	}
	if full, err := filepath.EvalSymlinks(abs); err == nil {
		out = append(out, full)
	}
	return out
}

// samePath compares two clean absolute paths as the file system does:
// without regard to case on Windows and macOS.
func samePath(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// sameFile says whether info (nil for no file) is the file at path.
func sameFile(info fs.FileInfo, path string) bool {
	if info == nil {
		return false
	}
	other, err := os.Stat(path)
	return err == nil && os.SameFile(info, other)
}

// WriteFileAtomic writes a file at path with write, after
// CheckDestination (see it for what is refused; replace allows an
// existing ordinary file to be replaced), and returns the path written.
// The bytes go to a private (0600) temporary file beside path, are
// flushed to disk, and only then take path's name, so path never holds
// half a file and, unless replace, a file that appeared meanwhile is not
// replaced either. On failure only the temporary file is removed: never a
// file NeedleDesk did not create.
func WriteFileAtomic(path string, kept KeptFiles, replace bool, write func(io.Writer) error) (string, error) {
	real, err := CheckDestination(path, kept, replace)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".*.partial")
	if err != nil {
		return "", FileProblem("writing "+path, err)
	}
	placed := false
	defer func() {
		if !placed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return "", FileProblem("writing "+path, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", FileProblem("writing "+path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", FileProblem("writing "+path, err)
	}
	if err := place(tmp.Name(), path, real, kept, replace); err != nil {
		return "", err
	}
	placed = true
	return real, SyncDir(filepath.Dir(real))
}

// place gives the finished temporary file tmp its final name real,
// checking the destination again first. Without replace a hard link
// claims the name only if it is still free; where the file system has no
// hard links (a FAT memory stick), the name is checked and then renamed.
func place(tmp, path, real string, kept KeptFiles, replace bool) error {
	if _, err := CheckDestination(path, kept, replace); err != nil {
		return err
	}
	if !replace {
		err := os.Link(tmp, real)
		switch {
		case err == nil:
			_ = os.Remove(tmp)
			return nil
		case errors.Is(err, fs.ErrExist):
			return refusal(path+" appeared while the file was being written, and was left as it is", fs.ErrExist)
		}
	}
	if err := os.Rename(tmp, real); err != nil {
		return FileProblem("writing "+path, err)
	}
	return nil
}

// refusal is a refusal in plain words (ErrExplained) that errors.Is still
// finds the coded errors of, without their words added to the message.
func refusal(words string, codes ...error) error {
	return refusalError{words: words, codes: codes}
}

type refusalError struct {
	words string
	codes []error
}

func (r refusalError) Error() string { return r.words }

func (r refusalError) Unwrap() []error { return append(append([]error{}, r.codes...), ErrExplained) }

// SyncDir makes the names in a folder durable, so that after a power cut
// a file written into it (or an export) is either all there or absent. Windows cannot sync a folder
// and does not need to.
func SyncDir(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	dir, err := os.Open(path)
	if err != nil {
		return FileProblem("saving "+path, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return FileProblem("saving "+path, err)
	}
	return nil
}

// FileProblem says what was being done to a file and what the
// system answered (a full disk, a folder without permission): words for
// the person, not a fault of NeedleDesk.
func FileProblem(doing string, err error) error {
	return Explained(fmt.Errorf("%s: %w", doing, err))
}
