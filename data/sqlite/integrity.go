package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
)

// damagedFile is the error for a file that is not a NeedleDesk database or
// is damaged. It matches data.ErrDamaged, and the SQLite error behind it
// when there is one.
type damagedFile struct {
	path   string
	reason string
	cause  error
}

func (e *damagedFile) Error() string {
	return fmt.Sprintf("%s is not a NeedleDesk database or is damaged: %s", e.path, e.reason)
}

func (e *damagedFile) Unwrap() []error {
	if e.cause == nil {
		return []error{data.ErrDamaged}
	}
	return []error{data.ErrDamaged, e.cause}
}

func damaged(path, reason string, cause error) error {
	return &damagedFile{path: path, reason: reason, cause: cause}
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// checkHeader reads the first 100 bytes of a database file and refuses one
// that is plainly not a database or was cut short, before SQLite opens it
// for writing: SQLite would happily open a truncated file and only fail
// (or worse, write) later. An empty file is a database not yet filled in.
// The size checks are skipped while a -wal file holds changes, because
// until they are checkpointed the main file's header may be out of date.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	size := info.Size()
	if size == 0 {
		return nil
	}
	var h [100]byte
	n, _ := io.ReadFull(f, h[:])
	switch {
	case backup.IsEncrypted(h[:n]):
		return damaged(path, "it is an encrypted backup; restore it (needledesk restore) rather than opening it", nil)
	case n < len(sqliteMagic) || string(h[:len(sqliteMagic)]) != sqliteMagic:
		return damaged(path, "it is not a database file", nil)
	case n < len(h):
		return damaged(path, fmt.Sprintf("it is too short to be a database (%d bytes)", size), nil)
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 || (h[18] != 1 && h[18] != 2) || (h[19] != 1 && h[19] != 2) ||
		h[21] != 64 || h[22] != 32 || h[23] != 32 {
		return damaged(path, "its header is damaged", nil)
	}
	if walHasChanges(path) {
		return nil
	}
	if size%pageSize != 0 {
		return damaged(path, "it ends partway through a page, so it was cut short", nil)
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	headerSizeValid := binary.BigEndian.Uint32(h[24:28]) == binary.BigEndian.Uint32(h[92:96])
	if headerSizeValid && pages*pageSize > size {
		return damaged(path, fmt.Sprintf("it was cut short: it holds %d of its %d pages", size/pageSize, pages), nil)
	}
	return nil
}

// walHasChanges reports whether a -wal file with something in it lies
// beside path.
func walHasChanges(path string) bool {
	info, err := os.Stat(path + "-wal")
	return err == nil && info.Size() > 0
}

// Ways of opening a file only to look at it. A backup, a file being
// restored and a file with no -wal beside it are opened immutable: SQLite
// then creates no -wal and -shm files and takes no locks, so the file and
// its folder are left exactly as they were.
const immutableParams = "mode=ro&immutable=1"

// inspect opens path read-only with params and checks it: SQLite's
// quick_check (or the slower, thorough integrity_check when full), that it
// is a NeedleDesk database, and that this version knows its schema. It
// returns the schema version. Messages call the file name, which differs
// from path when path is a temporary copy of it.
func inspect(ctx context.Context, path, name, params string, full bool) (int, error) {
	uri, err := fileURI(path)
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", uri+"?"+params)
	if err != nil {
		return 0, fmt.Errorf("opening %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	version, err := inspectDB(ctx, db, full)
	if errors.Is(err, ErrNewerSchema) {
		return version, fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return version, describeOpenError(name, err)
	}
	return version, nil
}

func inspectDB(ctx context.Context, db *sql.DB, full bool) (int, error) {
	check := integrityProblems
	if !full {
		check = quickProblems
	}
	problems, err := check(ctx, db)
	if err != nil {
		return 0, err
	}
	if len(problems) > 0 {
		more := ""
		if len(problems) > 1 {
			more = fmt.Sprintf(" (and %d more problems)", len(problems)-1)
		}
		return 0, foundDamage{problems[0] + more}
	}
	ours, err := rowExists(ctx, db, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`)
	if err != nil {
		return 0, err
	}
	if !ours {
		return 0, errNotNeedleDesk
	}
	version, err := schemaVersion(ctx, db)
	if err != nil {
		return 0, err
	}
	if known := KnownVersion(); version > known {
		return version, newerSchemaError(version, known)
	}
	return version, nil
}

// foundDamage is what SQLite's own check reported, summed up.
type foundDamage struct{ summary string }

func (e foundDamage) Error() string { return e.summary }

// quickProblems runs PRAGMA quick_check: the checks of integrity_check
// less the ones that compare indexes with their tables, in a fraction of
// the time.
func quickProblems(ctx context.Context, db *sql.DB) ([]string, error) {
	return pragmaProblems(ctx, db, "quick_check")
}

// QuickCheck looks at the database at path before the app opens it,
// without changing it or creating anything beside it. It returns nil for
// a healthy NeedleDesk database; an error matching fs.ErrNotExist when
// there is no file; one matching ErrNewerSchema for a database from a
// newer NeedleDesk; and one matching data.ErrDamaged, in words, for a
// file that is empty, not a database, cut short or damaged.
func QuickCheck(ctx context.Context, path string) error {
	if err := checkFile(path); err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.Size() == 0 {
		return damaged(path, "it is empty", nil)
	}
	if err := checkHeader(path); err != nil {
		return err
	}
	_, err := inspect(ctx, path, path, checkParams(path), false)
	return err
}

// listBackups finds the backups NeedleDesk made in folder (backup.List).
func listBackups(folder string) ([]backup.File, error) { return backup.List(folder) }

// verifyBackupFile checks a backup the way start-up and rotation do: its
// header, then quick_check, opened immutable.
func verifyBackupFile(ctx context.Context, path string) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return damaged(path, "it is empty", nil)
	}
	_, err = inspect(ctx, path, path, immutableParams, false)
	return err
}

// NewestGoodBackup finds the newest backup in folder that checks out
// (quick_check, a NeedleDesk database of a schema this version knows),
// trying the newest first. Encrypted backups are passed over: they cannot
// be checked without their passphrase. When none is good the error matches
// data.ErrNotFound.
func NewestGoodBackup(ctx context.Context, folder string) (path string, at time.Time, err error) {
	files, err := listBackups(folder)
	if err != nil {
		return "", time.Time{}, err
	}
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if f.Encrypted {
			continue
		}
		p := filepath.Join(folder, f.Name)
		if err := verifyBackupFile(ctx, p); err == nil {
			return p, f.At, nil
		} else if ctx.Err() != nil {
			return "", time.Time{}, ctx.Err()
		}
	}
	return "", time.Time{}, fmt.Errorf("no backup in %s checks out: %w", folder, data.ErrNotFound)
}

// DamagedDatabaseError is what StartUpCheck returns for a database that
// must not be opened, with the newest good backup to offer instead. It
// matches data.ErrDamaged.
type DamagedDatabaseError struct {
	Path     string
	Problem  error     // what is wrong, in words
	Backup   string    // the newest good backup; "" when there is none
	BackupAt time.Time // when Backup was made
	Folder   string    // where backups were looked for
}

func (e *DamagedDatabaseError) Error() string {
	msg := e.Problem.Error() + ". NeedleDesk did not open it and has not changed it."
	if e.Backup == "" {
		return msg + fmt.Sprintf(" No good backup was found in %s.", e.Folder)
	}
	return msg + fmt.Sprintf(" The newest good backup is %s, made %s. To restore it: needledesk restore --db %q --from %q",
		e.Backup, e.BackupAt.Local().Format("Monday 2 January 2006 at 15:04"), e.Path, e.Backup)
}

func (e *DamagedDatabaseError) Unwrap() error { return e.Problem }

// Damage says what is wrong and which backup to offer (data.DamageReport).
func (e *DamagedDatabaseError) Damage() data.Damage {
	return data.Damage{Path: e.Path, Problem: e.Problem.Error(), Backup: e.Backup, BackupAt: e.BackupAt, Folder: e.Folder}
}

// StartUpCheck is what the app runs before opening the database at dbPath:
// QuickCheck, and for a damaged file the newest good backup in
// backupFolder. It returns nil when the database is healthy or does not
// exist yet (Open creates it), a *DamagedDatabaseError for a damaged one,
// and QuickCheck's error otherwise (a database from a newer version, a
// file that cannot be read). An empty file with no backup to restore is
// taken for a database that was being created, and Open fills it in.
func StartUpCheck(ctx context.Context, dbPath, backupFolder string) error {
	return startUpCheck(ctx, dbPath, backupFolder, QuickCheck)
}

// StartUpLook is StartUpCheck without quick_check: only what reading the
// file's first 100 bytes shows (missing, empty, not a database, cut short,
// a damaged header). The app runs it before Open with WithBackgroundCheck,
// which checks the pages in the background.
func StartUpLook(ctx context.Context, dbPath, backupFolder string) error {
	return startUpCheck(ctx, dbPath, backupFolder, func(_ context.Context, path string) error {
		if err := checkFile(path); err != nil {
			return err
		}
		if info, err := os.Stat(path); err == nil && info.Size() == 0 {
			return damaged(path, "it is empty", nil)
		}
		return checkHeader(path)
	})
}

func startUpCheck(ctx context.Context, dbPath, backupFolder string, check func(context.Context, string) error) error {
	err := check(ctx, dbPath)
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return nil
	case !errors.Is(err, data.ErrDamaged):
		return err
	}
	backup, at, _ := NewestGoodBackup(ctx, backupFolder) // none found: "" and offer nothing
	if info, serr := os.Stat(dbPath); serr == nil && info.Size() == 0 && backup == "" {
		return nil
	}
	return &DamagedDatabaseError{Path: dbPath, Problem: err, Backup: backup, BackupAt: at, Folder: backupFolder}
}
