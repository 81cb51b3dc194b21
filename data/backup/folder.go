package backup

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"needledesk/data"
)

// Where a clinic's automatic backups go is a setting of the computer, not
// of the shared records: a folder on this computer's disk or USB drive
// means nothing to another computer that opens the same records. It is
// kept in a small file in the user's configuration folder
// (os.UserConfigDir()/NeedleDesk/backup-folders.json, mode 0600), one
// entry for each database, keyed by the database's full path. How many
// backups are kept stays a clinic setting (data.BackupSettings).
//
// Earlier versions kept the folder in the database's settings
// (data.BackupSettings.Folder). The first time a computer needs the folder
// for a database and has none of its own, it takes that one over as its
// own (FolderFor); after that, the database's value is never read again
// on this computer.

// foldersFileName is the file, in the user's NeedleDesk configuration
// folder, that holds this computer's backup folders.
const foldersFileName = "backup-folders.json"

// Folders is this computer's choice of backups folder for each database.
// The zero value keeps nothing: every database then has its backups
// folder beside it, and Choose refuses.
type Folders struct {
	// File is the file the choices are kept in; "" for none.
	File string
}

// ComputerFolders is this computer's file of backup folders, in the
// user's configuration folder.
func ComputerFolders() (Folders, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return Folders{}, fmt.Errorf("finding this computer's settings folder: %w", err)
	}
	return Folders{File: filepath.Join(dir, "NeedleDesk", foldersFileName)}, nil
}

// BesideDatabase is the backups folder a database has when no other was
// chosen: "backups" in the database's own folder.
func BesideDatabase(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), data.DefaultBackupFolderName)
}

// ForServer is the backups folder a clinic's server database has on this
// computer when no other was chosen: "NeedleDesk backups" in the user's
// home folder, one folder for each server and database. server is its
// address without a password (data.ServerStore), which is also the key
// this computer's choice is kept under.
func ForServer(server string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	name := server
	if u, err := url.Parse(server); err == nil {
		host := u.Hostname()
		if host == "" {
			host = "this-computer"
		}
		name = host + "-" + strings.TrimPrefix(u.Path, "/")
	}
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
	return filepath.Join(home, "NeedleDesk backups", safe)
}

// isServer says whether a database key is a server's address rather than
// a file's path.
func isServer(key string) bool { return strings.Contains(key, "://") }

// defaultFolder is where backups of the database key names go when no
// folder was chosen: beside a file, or ForServer for a server.
func defaultFolder(key string) string {
	if isServer(key) {
		return ForServer(key)
	}
	return BesideDatabase(key)
}

// foldersFile is the file's contents.
type foldersFile struct {
	Format    string                  `json:"format"`
	Version   int                     `json:"version"`
	Databases map[string]chosenFolder `json:"databases"` // by the database's full path
}

type chosenFolder struct {
	Folder string `json:"folder"`
}

const (
	foldersFormat  = "needledesk-backup-folders"
	foldersVersion = 1
)

// Chosen is the folder chosen on this computer for the database at dbPath,
// "" when none was.
func (f Folders) Chosen(dbPath string) (string, error) {
	c, err := f.read()
	if err != nil {
		return "", err
	}
	return c.Databases[databaseKey(dbPath)].Folder, nil
}

// FolderFor is where the automatic backups of the database at dbPath go on
// this computer: the folder chosen here; else, the first time, the folder
// the database's settings name (fromSettings, where earlier versions kept
// it), which becomes this computer's choice; else the folder beside the
// database (ForServer for a server's database, whose address dbPath
// then is).
func (f Folders) FolderFor(dbPath, fromSettings string) (string, error) {
	chosen, err := f.Chosen(dbPath)
	if err != nil {
		return defaultFolder(dbPath), err
	}
	if chosen == "" && fromSettings != "" && f.File != "" && filepath.IsAbs(fromSettings) {
		if err := f.set(dbPath, fromSettings); err != nil {
			return fromSettings, err
		}
		chosen = fromSettings
	}
	if chosen == "" {
		return defaultFolder(dbPath), nil
	}
	return chosen, nil
}

// Choose makes folder this computer's backups folder for the database at
// dbPath, after CheckFolder; "" goes back to the folder beside the
// database.
func (f Folders) Choose(dbPath, folder string) error {
	folder = strings.TrimSpace(folder)
	if f.File == "" {
		return data.Explained(errors.New("this computer has no place to keep its settings, so the backups stay in the folder beside the database"))
	}
	if folder != "" {
		if err := CheckFolder(folder); err != nil {
			return err
		}
	}
	return f.set(dbPath, folder)
}

// CheckFolder checks a folder before backups go there: given in full,
// made (0700) when missing, and one this computer's user may write to.
func CheckFolder(folder string) error {
	switch {
	case !filepath.IsAbs(folder):
		return data.Invalid("backup_folder", "give the folder's full path, or leave it empty for the backups folder beside the database")
	case len(folder) > 1000:
		return data.Invalid("backup_folder", "this path is too long")
	}
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return fileProblem("making the backups folder "+folder, err)
	}
	probe, err := os.CreateTemp(folder, ".needledesk-check-*")
	if err != nil {
		return fileProblem("writing into the backups folder "+folder, err)
	}
	_ = probe.Close()
	return os.Remove(probe.Name())
}

// set records folder for the database, through a temporary file beside
// the file, so the file is never half written.
func (f Folders) set(dbPath, folder string) error {
	c, err := f.read()
	if err != nil {
		return err
	}
	key := databaseKey(dbPath)
	if folder == "" {
		delete(c.Databases, key)
	} else {
		c.Databases[key] = chosenFolder{Folder: folder}
	}
	if err := os.MkdirAll(filepath.Dir(f.File), 0o700); err != nil {
		return fileProblem("making the folder for "+f.File, err)
	}
	_, err = data.WriteFileAtomic(f.File, data.KeptFiles{}, true, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	})
	if err != nil {
		return fmt.Errorf("keeping this computer's backups folder: %w", err)
	}
	return nil
}

// read reads the file; a file that is not there yet holds no choices.
func (f Folders) read() (foldersFile, error) {
	c := foldersFile{Format: foldersFormat, Version: foldersVersion, Databases: map[string]chosenFolder{}}
	if f.File == "" {
		return c, nil
	}
	b, err := os.ReadFile(f.File)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case err != nil:
		return c, data.FileProblem("reading this computer's backups folders from "+f.File, err)
	}
	var found foldersFile
	if err := json.Unmarshal(b, &found); err != nil || found.Format != foldersFormat {
		return c, data.Explained(fmt.Errorf("%s is not a file of backups folders NeedleDesk wrote; move it aside and choose the folder again", f.File))
	}
	if found.Databases != nil {
		c.Databases = found.Databases
	}
	return c, nil
}

// databaseKey is how the file names a database: its full path, with any
// links resolved when it can be, so two spellings of one file share a
// folder.
func databaseKey(dbPath string) string {
	if isServer(dbPath) {
		return dbPath
	}
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return filepath.Clean(dbPath)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
