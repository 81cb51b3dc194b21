package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"needledesk/data"
	"needledesk/data/backup"
)

// Errors Restore returns that a caller may act on.
var (
	// ErrPassphraseNeeded means the backup is encrypted and no passphrase
	// was given: ask for one and try again.
	ErrPassphraseNeeded = errors.New("this backup is encrypted: give its passphrase to restore it")
	// ErrInUse means another program (or this one) has the database open.
	ErrInUse = errors.New("the database is open in a program")
)

// RestoreOptions change how Restore works (see data.RestoreOptions).
type RestoreOptions = data.RestoreOptions

// RestoreResult says what Restore did.
type RestoreResult = data.RestoreResult

// Restore replaces the database at dbPath with the backup from, or
// creates dbPath (folder 0700, file 0600) from it when there is none. It
// works on files, not on an open store: close the app's store first, and
// open it again afterwards. Nothing at dbPath changes until every check
// has passed, in this order:
//
//  1. The backup is copied (or decrypted) into a hidden file beside
//     dbPath and flushed to disk.
//  2. The copy is checked: integrity_check, a NeedleDesk database, a
//     schema this version knows (a backup from a newer version is refused).
//  3. The copy is opened as a store, which upgrades an older schema, and
//     the restore is recorded in its audit trail; closing it folds its
//     -wal back in.
//  4. The current database is kept in the safety folder: a healthy one as
//     a consistent backup (which also folds its -wal in, and finds out
//     whether a program still has it open: then nothing is replaced); a
//     damaged one byte for byte, with its -wal and -journal, unchanged.
//  5. The old database's -wal, -shm and -journal are removed and the copy
//     is renamed to dbPath, and the folder flushed.
//
// Step 5 removes the journals before the rename because they belong to the
// old file: left beside the new one, SQLite would replay the old pages
// into it at the next open. By then they hold nothing that is not kept:
// a healthy database's -wal was folded in at step 4 (SQLite removes it
// when the last connection closes, so a -wal still there means another
// program has the file open, and step 4 refused), and a damaged one's was
// copied aside. A power cut between the removal and the rename leaves the
// old database in place and complete, or its pieces in the safety copy.
func Restore(ctx context.Context, dbPath, from string, opts RestoreOptions) (RestoreResult, error) {
	var res RestoreResult
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	if err := checkRestorePaths(dbPath, from); err != nil {
		return res, err
	}
	if err := authorizeRestore(ctx, dbPath, opts.Actor, clock); err != nil {
		return res, err
	}
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return res, fileError("creating the folder for "+dbPath, err)
	}
	staged, err := stage(ctx, from, dbPath, opts.Passphrase)
	if err != nil {
		return res, err
	}
	defer removeDatabaseFiles(staged) // a no-op for the file once renamed
	defer os.Remove(WitnessPath(staged))
	progress(1, 4)
	if res.SchemaVersion, err = checkCandidate(ctx, staged, from); err != nil {
		return res, err
	}
	if err := recordRestore(ctx, staged, from, currentTrail(ctx, dbPath), opts.Actor, clock); err != nil {
		return res, err
	}
	progress(2, 4)
	folder := opts.SafetyFolder
	if folder == "" {
		folder = data.DefaultBackupSettings().FolderFor(dbPath)
	}
	if res.SafetyCopy, err = keepCurrent(ctx, dbPath, folder, clock()); err != nil {
		return res, err
	}
	progress(3, 4)
	if err := replace(staged, dbPath); err != nil {
		return res, err
	}
	if err := os.Rename(WitnessPath(staged), WitnessPath(dbPath)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fileError("writing the restored database's witness file", err)
	}
	progress(4, 4)
	return res, nil
}

// RestoreFile replaces the store's file with the backup from
// (data.FileRestorer): Restore on the store's path. The store must be
// closed first: Restore refuses a file a program has open (ErrInUse).
func (s *Store) RestoreFile(ctx context.Context, from string, opts RestoreOptions) (RestoreResult, error) {
	return Restore(ctx, s.path, from, opts)
}

// RestoreFile replaces the damaged file with the backup from
// (data.FileRestorer), as the damage screen offers: Restore on its path.
func (e *DamagedDatabaseError) RestoreFile(ctx context.Context, from string, opts RestoreOptions) (RestoreResult, error) {
	return Restore(ctx, e.Path, from, opts)
}

// authorizeRestore checks that actor may restore backups (PermRestore)
// in the database about to be replaced, and records a refusal in that
// database's audit trail. There is no one to ask when there is no
// database yet, or when it is too damaged to open: then the person at
// the computer restores, as the start-up screen offers before anyone
// signs in.
func authorizeRestore(ctx context.Context, dbPath string, actor int64, clock data.Clock) error {
	if actor == data.SystemActor {
		return nil
	}
	if info, err := os.Stat(dbPath); err != nil || info.Size() == 0 {
		return nil
	}
	if err := QuickCheck(ctx, dbPath); err != nil {
		return nil
	}
	st, err := Open(ctx, dbPath, WithClock(clock))
	if err != nil {
		return nil
	}
	err = st.Authorize(ctx, actor, data.PermRestore)
	if cerr := st.Close(); err == nil && cerr != nil {
		return fmt.Errorf("reading who may restore: %w", cerr)
	}
	if err != nil {
		return fmt.Errorf("restoring %s: %w", dbPath, err)
	}
	return nil
}

// checkRestorePaths refuses a backup that is missing, is the database
// itself, or has changes still in its -wal (a database some program has
// open, or that was not closed properly: its file alone is not all of it).
func checkRestorePaths(dbPath, from string) error {
	if dbPath == "" || from == "" {
		return fmt.Errorf("give both the database and the backup to restore: %w", data.ErrInvalid)
	}
	if err := checkFile(from); err != nil {
		return err
	}
	fromInfo, _ := os.Stat(from)
	if dbInfo, err := os.Stat(dbPath); err == nil {
		if !dbInfo.Mode().IsRegular() {
			return fmt.Errorf("%s is not a file: %w", dbPath, data.ErrInvalid)
		}
		if os.SameFile(dbInfo, fromInfo) {
			return fmt.Errorf("%s is the database itself, not a backup of it: %w", from, data.ErrInvalid)
		}
	}
	if walHasChanges(from) {
		return data.Explained(fmt.Errorf("%s has changes not yet written into it (in %s-wal): the program using it may still be open. "+
			"Close it, or make a backup of it with needledesk backup, and restore that: %w", from, from, ErrInUse))
	}
	return nil
}

// stage copies from (decrypting it when it is encrypted) into a hidden
// file in dbPath's folder, flushed to disk, and returns its path.
func stage(ctx context.Context, from, dbPath string, passphrase []byte) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("reading the backup: %w", err)
	}
	defer in.Close()
	head := make([]byte, backup.HeadLen)
	n, _ := io.ReadFull(in, head)
	encrypted := backup.IsEncrypted(head[:n]) // an age file, or NeedleDesk's own format of earlier versions
	if encrypted && len(passphrase) == 0 {
		return "", data.Explained(fmt.Errorf("%s: %w", from, ErrPassphraseNeeded))
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("reading the backup: %w", err)
	}
	tmp, err := tempFileIn(filepath.Dir(dbPath), dbPath)
	if err != nil {
		return "", fileError("copying the backup beside "+dbPath, err)
	}
	if err := copyInto(ctx, tmp, in, encrypted, passphrase); err != nil {
		removeDatabaseFiles(tmp)
		if errors.Is(err, backup.ErrDamaged) {
			return "", damaged(from, err.Error(), err)
		}
		if errors.Is(err, backup.ErrWrongPassphrase) || errors.Is(err, backup.ErrNewerFormat) ||
			errors.Is(err, backup.ErrNotPassphrase) {
			return "", data.Explained(fmt.Errorf("%s cannot be restored: %w; nothing was changed", from, err))
		}
		return "", fileError("copying the backup beside "+dbPath, err)
	}
	return tmp, nil
}

func copyInto(ctx context.Context, dst string, src io.Reader, encrypted bool, passphrase []byte) error {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	r := &progressReader{ctx: ctx, r: src, progress: func(int, int) {}}
	if encrypted {
		err = backup.Decrypt(out, r, passphrase)
	} else {
		_, err = io.Copy(out, r)
	}
	if err == nil {
		err = out.Sync()
	}
	return errors.Join(err, out.Close())
}

// checkCandidate checks the staged copy, naming the backup in messages.
func checkCandidate(ctx context.Context, staged, from string) (int, error) {
	info, err := os.Stat(staged)
	if err != nil {
		return 0, err
	}
	if info.Size() == 0 {
		return 0, damaged(from, "it is empty", nil)
	}
	if err := checkHeader(staged); err != nil {
		var d *damagedFile
		if errors.As(err, &d) {
			d.path = from
		}
		return 0, err
	}
	version, err := inspect(ctx, staged, from, immutableParams, true)
	if errors.Is(err, ErrNewerSchema) {
		return version, data.Explained(fmt.Errorf("%s cannot be restored: %w; nothing was changed", from, errors.Unwrap(err)))
	}
	return version, err
}

// currentTrail is the trail ID of the database at dbPath, "" when there
// is none or it cannot be read.
func currentTrail(ctx context.Context, dbPath string) string {
	if info, err := os.Stat(dbPath); err != nil || info.Size() == 0 {
		return ""
	}
	uri, err := fileURI(dbPath)
	if err != nil {
		return ""
	}
	db, err := sql.Open("sqlite", uri+"?"+checkParams(dbPath))
	if err != nil {
		return ""
	}
	defer db.Close()
	id, _ := readTrailID(ctx, db)
	return id
}

// recordRestore opens the staged copy as a store (upgrading an older
// schema), gives it a new trail, records the restore in it and closes it
// again, which folds its -wal back into the file. Its witness file, beside
// the staged copy, becomes the database's.
func recordRestore(ctx context.Context, staged, from, replacing string, actor int64, clock data.Clock) error {
	st, err := Open(ctx, staged, WithClock(clock))
	if err != nil {
		return fmt.Errorf("the backup %s checked out but could not be opened: %w", from, err)
	}
	err = st.restartTrail(ctx, actor, filepath.Base(from), replacing)
	err = errors.Join(err, st.Close())
	if err != nil {
		return fmt.Errorf("recording the restore in the restored database: %w", err)
	}
	if _, err := os.Stat(staged + "-wal"); err == nil {
		return fmt.Errorf("the restored database was not closed cleanly; nothing was changed")
	}
	return nil
}

// keepCurrent keeps the database at dbPath in folder before it is
// replaced, and returns where. There is nothing to keep when there is no
// file, or an empty one.
func keepCurrent(ctx context.Context, dbPath, folder string, now time.Time) (string, error) {
	info, err := os.Stat(dbPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("reading %s: %w", dbPath, err)
	case info.Size() == 0 && !walHasChanges(dbPath):
		return "", nil
	}
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return "", fileError("creating the folder "+folder+" for the copy of the current database", err)
	}
	dest := safetyName(folder, now)
	keep := copyAside // a damaged file is only read, byte for byte
	if err := QuickCheck(ctx, dbPath); err == nil || errors.Is(err, ErrNewerSchema) {
		keep = safetyBackup
	}
	if err := keep(ctx, dbPath, dest); err != nil {
		return "", err
	}
	return dest, nil
}

// safetyName is needledesk-<time>-before-restore.db, numbered when taken.
// Rotation does not take it for one of its backups, so it stays until the
// clinic removes it.
func safetyName(folder string, now time.Time) string {
	stem := filepath.Join(folder, "needledesk-"+now.UTC().Format("2006-01-02T150405Z")+"-before-restore")
	name := stem + ".db"
	for n := 2; ; n++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = stem + "-" + strconv.Itoa(n) + ".db"
	}
}

// safetyBackup copies a healthy database to dest through SQLite's backup
// API on a connection of its own. A TRUNCATE checkpoint first folds the
// -wal into the file, and fails when another connection is reading or
// writing; and since the last connection to close removes the -wal, one
// still there afterwards means a program has the database open.
func safetyBackup(ctx context.Context, dbPath, dest string) error {
	uri, err := fileURI(dbPath)
	if err != nil {
		return err
	}
	tmp, err := tempFileIn(filepath.Dir(dest), dest)
	if err != nil {
		return fileError("keeping a copy of "+dbPath, err)
	}
	defer removeDatabaseFiles(tmp) // a no-op once renamed
	inUse := data.Explained(fmt.Errorf("%s is open in a program (is NeedleDesk still running?); close it and try again. Nothing was changed: %w", dbPath, ErrInUse))
	db, err := sql.Open("sqlite", uri+"?_pragma=busy_timeout(2000)")
	if err != nil {
		return fmt.Errorf("opening %s: %w", dbPath, err)
	}
	db.SetMaxOpenConns(1)
	err = checkpointAndCopy(ctx, db, tmp)
	err = errors.Join(err, db.Close())
	if errors.Is(err, ErrInUse) {
		return inUse
	}
	if err != nil {
		return fileError("keeping a copy of "+dbPath, err)
	}
	if _, err := os.Stat(dbPath + "-wal"); err == nil {
		return inUse
	}
	if err := syncFile(tmp); err != nil {
		return fileError("keeping a copy of "+dbPath, err)
	}
	if _, err := inspect(ctx, tmp, dest, immutableParams, false); err != nil && !errors.Is(err, ErrNewerSchema) {
		return fmt.Errorf("the copy of the current database did not check out, so nothing was changed: %w", err)
	}
	return publish(tmp, dest)
}

func checkpointAndCopy(ctx context.Context, db *sql.DB, tmp string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var busy, frames, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return ErrInUse
	}
	return copyPagesFrom(ctx, conn, tmp, func(int, int) {})
}

// copyAside copies a damaged database byte for byte, with the journals
// beside it, and checks each copy against the original: the damaged file
// itself is only read.
func copyAside(_ context.Context, dbPath, dest string) error {
	for _, suffix := range []string{"", "-wal", "-journal"} {
		src := dbPath + suffix
		if _, err := os.Stat(src); suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := copyFileChecked(src, dest+suffix); err != nil {
			return fileError("keeping a copy of "+src, err)
		}
	}
	return nil
}

func copyFileChecked(src, dest string) error {
	tmp, err := tempFileIn(filepath.Dir(dest), dest)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op once renamed
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if err = errors.Join(err, out.Close()); err != nil {
		return err
	}
	if got, err := fileSHA256(tmp); err != nil || !bytes.Equal(got, h.Sum(nil)) {
		return errors.Join(err, errors.New("the copy does not read back the same"))
	}
	return publish(tmp, dest)
}

func fileSHA256(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// replace puts the staged database at dbPath; see Restore for why the old
// journals go first.
func replace(staged, dbPath string) error {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fileError("removing the old database's "+suffix+" file", err)
		}
	}
	if err := os.Rename(staged, dbPath); err != nil {
		return fileError("putting the restored database in place", err)
	}
	return fileError("putting the restored database in place", syncDir(filepath.Dir(dbPath)))
}

// restartTrail gives the database a new trail ID and records the restore
// in its trail, naming the trails it replaces (the backup's, and the
// database's being replaced) so that check does not hold their witnesses
// against this one; the witness file then starts on the new trail.
func (s *Store) restartTrail(ctx context.Context, actor int64, from, replacing string) error {
	id, err := newTrailID()
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		old, err := readTrailID(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, trailIDKey, id); err != nil {
			return err
		}
		detail := from + "; trail " + id + " replaces " + old
		if replacing != "" && replacing != old {
			detail += " and " + replacing
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionRestore, entity: data.EntityDatabase, detail: detail})
	})
	if err != nil {
		return err
	}
	s.wit.update(ctx, true)
	return nil
}
