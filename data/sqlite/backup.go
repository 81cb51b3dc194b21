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
	"slices"
	"time"

	"needledesk/data"
	"needledesk/data/backup"

	sqlitedriver "modernc.org/sqlite"
)

// BackupOptions change how Backup writes a copy.
type BackupOptions struct {
	// Passphrase, when not empty, encrypts the copy (for copies that leave
	// the clinic) as an age file, which the age tool opens too; see package
	// backup. The unencrypted copy is made beside the database, never
	// in the destination folder.
	Passphrase []byte
	// WorkFactor is scrypt's work factor for an encrypted copy; zero means
	// backup.WorkFactor. Tests use a cheap one.
	WorkFactor int
	// Progress, when set, is called as the copy is made: done of total
	// steps, pages of the database (twice as many when encrypting).
	Progress func(done, total int)
}

// pagesPerStep is how much of the database one backup step copies: 1024
// pages, 4 MB with SQLite's default page size, so progress moves steadily.
const pagesPerStep = 1024

// Backup writes a consistent copy of the database to dest, which must not
// exist yet, in a folder that must. The copy is made through SQLite's
// backup API from one read snapshot, so the app can keep working; it is
// written under a hidden temporary name in dest's folder, flushed to disk,
// checked with integrity_check, and only then renamed to dest, so dest
// never names half a backup. The backup is recorded in the audit trail
// (action backup, entity database, detail the file's name). Only roles
// allowed to make backups may (owners; NeedleDesk itself for automatic ones).
func (s *Store) Backup(ctx context.Context, actor int64, dest string, opts BackupOptions) error {
	if err := s.gate.wait(ctx); err != nil { // no backup of a file whose check has not passed
		return fmt.Errorf("making a backup: %w", notChecked(err))
	}
	if err := s.Authorize(ctx, actor, data.PermBackup); err != nil {
		return fmt.Errorf("making a backup: %w", err)
	}
	if err := s.writeBackup(ctx, dest, opts); err != nil {
		return err
	}
	err := s.recordEvent(ctx, data.AuditEvent{ActorID: actor, Action: data.ActionBackup,
		Entity: data.EntityDatabase, Detail: filepath.Base(dest)})
	if err != nil {
		return fmt.Errorf("the backup %s was written and checked, but recording it in the audit trail failed: %w", dest, err)
	}
	return nil
}

// Path is the database file the store has open.
func (s *Store) Path() string { return s.path }

func (s *Store) writeBackup(ctx context.Context, dest string, opts BackupOptions) error {
	if err := checkBackupDest(s.path, dest); err != nil {
		return err
	}
	encrypt := len(opts.Passphrase) > 0
	if encrypt {
		if err := backup.CheckPassphrase(opts.Passphrase); err != nil {
			return err
		}
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	plainDir := filepath.Dir(dest)
	if encrypt {
		progress = halfProgress(progress, 0)
		plainDir = filepath.Dir(s.path) // the unencrypted copy stays beside the database
	}
	plain, err := s.copyChecked(ctx, plainDir, dest, progress)
	if err != nil {
		return err
	}
	defer removeDatabaseFiles(plain) // a no-op once renamed
	manifest, err := writeManifest(ctx, plain, dest, s.now())
	if err != nil {
		return fileError("writing the backup's manifest beside "+dest, err)
	}
	published := false
	defer func() {
		if !published && manifest != "" {
			_ = os.Remove(manifest)
		}
	}()
	final := plain
	if encrypt {
		if final, err = encryptChecked(ctx, plain, dest, opts.Passphrase, opts.WorkFactor, halfProgress(opts.Progress, 1)); err != nil {
			return err
		}
		defer os.Remove(final)
	}
	if err := publish(final, dest); err != nil {
		return err
	}
	published = true
	return nil
}

// writeManifest writes, beside dest, the manifest of the backup whose
// checked copy is plain: the head of the audit trail it holds, which
// check compares with the database's trail later (witness.go). It returns
// the manifest's path, or "" for a database whose trail has no ID or a
// head that does not match its events, which no manifest could vouch for.
func writeManifest(ctx context.Context, plain, dest string, now time.Time) (string, error) {
	uri, err := fileURI(plain)
	if err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite", uri+"?"+immutableParams)
	if err != nil {
		return "", err
	}
	defer db.Close()
	trail, head, ok, err := witnessable(ctx, db)
	if err != nil || !ok {
		return "", err
	}
	path := ManifestPath(dest)
	return path, writeWitnessFile(path, witnessRecord{Format: manifestFormat, Version: witnessVersion, Trail: trail,
		LastID: head.lastID, Events: head.events, Hash: head.hash, At: now.Format(time.RFC3339), Backup: filepath.Base(dest)})
}

// checkBackupDest refuses a destination that exists (a backup never
// replaces a file, least of all the database itself) or whose folder does
// not.
func checkBackupDest(dbPath, dest string) error {
	if dest == "" {
		return fmt.Errorf("no file was given for the backup: %w", data.ErrInvalid)
	}
	if _, err := os.Lstat(dest); err == nil {
		return data.Explained(fmt.Errorf("%s already exists; a backup never replaces a file, so choose another name: %w", dest, fs.ErrExist))
	}
	absDB, err1 := filepath.Abs(dbPath)
	absDest, err2 := filepath.Abs(dest)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if filepath.Dir(absDest) == filepath.Dir(absDB) && filepath.Base(absDest) == filepath.Base(absDB)+"-wal" {
		return fmt.Errorf("%s is the database's own journal: %w", dest, data.ErrInvalid)
	}
	dir := filepath.Dir(absDest)
	info, err := os.Stat(dir)
	if err != nil {
		return fileError("the folder "+dir+" cannot be used for the backup", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder: %w", dir, data.ErrInvalid)
	}
	return nil
}

// copyChecked copies the database into a temporary file in dir, flushes it
// and checks it. It returns the temporary file's path.
func (s *Store) copyChecked(ctx context.Context, dir, dest string, progress func(done, total int)) (string, error) {
	tmp, err := tempFileIn(dir, dest)
	if err != nil {
		return "", fileError("writing the backup into "+dir, err)
	}
	if err := s.copyPages(ctx, tmp, progress); err != nil {
		removeDatabaseFiles(tmp)
		return "", fileError("writing the backup "+dest, err)
	}
	if err := syncFile(tmp); err != nil {
		removeDatabaseFiles(tmp)
		return "", fileError("writing the backup "+dest, err)
	}
	if _, err := inspect(ctx, tmp, dest, immutableParams, true); err != nil {
		removeDatabaseFiles(tmp)
		return "", fmt.Errorf("the backup did not check out after writing, so it was not kept: %w", err)
	}
	return tmp, nil
}

// backuper is what modernc.org/sqlite's connections offer for SQLite's
// online backup API.
type backuper interface {
	NewBackup(dstURI string) (*sqlitedriver.Backup, error)
}

// copyPages copies every page of the database into dest with SQLite's
// backup API, from one read snapshot: a read transaction is opened first
// and held across the steps, so the app's writes in the meantime neither
// restart the copy nor end up half in it.
func (s *Store) copyPages(ctx context.Context, dest string, progress func(done, total int)) error {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return copyPagesFrom(ctx, conn, dest, progress)
}

func copyPagesFrom(ctx context.Context, conn *sql.Conn, dest string, progress func(done, total int)) error {
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return err
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`) }()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
		return err // the read snapshot starts with this first read
	}
	uri, err := fileURI(dest)
	if err != nil {
		return err
	}
	// The copy is a temporary file that is thrown away on any failure and
	// flushed by the caller before it gets its name, so SQLite need not
	// journal it or flush it after every step.
	uri += "?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)"
	return conn.Raw(func(dc any) error {
		b, ok := dc.(backuper)
		if !ok {
			return errors.New("the SQLite driver offers no backup API")
		}
		bk, err := b.NewBackup(uri)
		if err != nil {
			return err
		}
		// After a failed step Finish reports the same failure again; the
		// step's error is the one to give.
		for more := true; more; {
			if err := ctx.Err(); err != nil {
				_ = bk.Finish()
				return err
			}
			if more, err = bk.Step(pagesPerStep); err != nil {
				_ = bk.Finish()
				return err
			}
			total := bk.PageCount()
			progress(total-bk.Remaining(), total)
		}
		return bk.Finish()
	})
}

// halfProgress maps one of two equal phases onto progress: phase 0 reports
// 0..total as 0..total of 2*total, phase 1 as total..2*total.
func halfProgress(progress func(done, total int), phase int) func(done, total int) {
	if progress == nil {
		return func(int, int) {}
	}
	return func(done, total int) { progress(phase*total+done, 2*total) }
}

// encryptChecked encrypts plain into a temporary file beside dest, flushes
// it, and reads it back through decryption to make sure the file holds
// exactly the database. It returns the temporary file's path.
func encryptChecked(ctx context.Context, plain, dest string, passphrase []byte, workFactor int, progress func(done, total int)) (string, error) {
	tmp, err := tempFileIn(filepath.Dir(dest), dest)
	if err != nil {
		return "", fileError("writing the backup into "+filepath.Dir(dest), err)
	}
	want, err := encryptFile(ctx, plain, tmp, passphrase, workFactor, progress)
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", fileError("writing the encrypted backup "+dest, err)
	}
	got, err := decryptedHash(tmp, passphrase)
	if err != nil || !bytes.Equal(got, want) {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("the encrypted backup did not read back the same, so it was not kept: %w", errors.Join(err, data.ErrDamaged))
	}
	return tmp, nil
}

// encryptFile encrypts src into dst and returns the SHA-256 of what it read.
func encryptFile(ctx context.Context, src, dst string, passphrase []byte, workFactor int, progress func(done, total int)) ([]byte, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return nil, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	r := &progressReader{ctx: ctx, r: in, size: info.Size(), progress: progress}
	err = backup.Encrypt(out, io.TeeReader(r, h), passphrase, workFactor)
	return h.Sum(nil), errors.Join(err, out.Close())
}

func decryptedHash(path string, passphrase []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if err := backup.Decrypt(h, f, passphrase); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// progressReader reports how far through a file of size bytes a read has
// got, in steps of 1/1000, and stops when ctx is cancelled.
type progressReader struct {
	ctx      context.Context
	r        io.Reader
	size     int64
	read     int64
	progress func(done, total int)
}

func (p *progressReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.size > 0 {
		p.progress(int(p.read*1000/p.size), 1000)
	}
	return n, err
}

// publish renames a finished, checked temporary file to its final name and
// flushes the folder, refusing to replace a file that appeared meanwhile.
func publish(tmp, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s appeared while the backup was being made; it was left as it is: %w", dest, fs.ErrExist)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fileError("naming the backup "+dest, err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return fileError("saving the backup "+dest, err)
	}
	return nil
}

// BackupOccasion says why AutoBackup runs.
type BackupOccasion int

const (
	// AtStartUp makes a backup only when the newest good one is a day old
	// or more (or there is none).
	AtStartUp BackupOccasion = iota
	// AtQuit always makes a backup.
	AtQuit
)

// AutoBackupResult says what AutoBackup did.
type AutoBackupResult struct {
	Folder     string
	Made       string   // the new backup; "" when none was due
	Removed    []string // old backups removed by the rotation
	Unverified []string // backups that did not check out: left as they are, and not counted
}

// AutoBackup makes the automatic backup of st into cfg's folder (created
// 0700 when missing) when one is due, then rotates: of the backups
// NeedleDesk made there (by their names), it keeps those backup.Keep picks and
// removes the rest. The newest good backup is never removed, and a file
// that does not check out is neither counted nor removed. Encrypted
// backups and other files in the folder are left alone. now names the
// backup and places it in its day, week and month.
//
// The newest backup is verified with quick_check (it is the one a
// start-up would offer); older ones by their header and size only, which
// finds files cut short without reading every backup at every start.
func AutoBackup(ctx context.Context, st *Store, cfg data.BackupSettings, now time.Time, when BackupOccasion) (AutoBackupResult, error) {
	res := AutoBackupResult{Folder: cfg.FolderFor(st.path)}
	if err := os.MkdirAll(res.Folder, 0o700); err != nil {
		return res, fileError("creating the backups folder "+res.Folder, err)
	}
	files, err := listBackups(res.Folder)
	if err != nil {
		return res, err
	}
	files = plainOnly(files)
	good, bad := newestGood(ctx, res.Folder, files, now)
	if when == AtQuit || good < 0 || now.Sub(files[good].At) >= 24*time.Hour {
		made, err := backupInto(ctx, st, res.Folder, now)
		if err != nil {
			return res, fmt.Errorf("the automatic backup was not made: %w", err)
		}
		res.Made = filepath.Join(res.Folder, made.Name)
		files = append(files, made)
		good = len(files) - 1
	}
	bad = append(bad, cutShort(res.Folder, files, good, bad)...)
	for _, i := range bad {
		res.Unverified = append(res.Unverified, filepath.Join(res.Folder, files[i].Name))
	}
	res.Removed, err = rotate(res.Folder, files, good, bad, cfg, now)
	return res, err
}

// cutShort returns the indexes of backups, other than good and those
// already found bad, that are empty, cut short or not databases at all.
func cutShort(folder string, files []backup.File, good int, bad []int) []int {
	var out []int
	for i, f := range files {
		if i == good || slices.Contains(bad, i) {
			continue
		}
		p := filepath.Join(folder, f.Name)
		if info, err := os.Stat(p); err != nil || info.Size() == 0 || checkHeader(p) != nil {
			out = append(out, i)
		}
	}
	return out
}

func plainOnly(files []backup.File) []backup.File {
	out := files[:0:0]
	for _, f := range files {
		if !f.Encrypted {
			out = append(out, f)
		}
	}
	return out
}

// newestGood returns the index of the newest backup not dated after now
// that passes quick_check, or -1, and the indexes of those newer than it
// that failed.
func newestGood(ctx context.Context, folder string, files []backup.File, now time.Time) (good int, bad []int) {
	for i := len(files) - 1; i >= 0; i-- {
		if files[i].At.After(now) {
			continue
		}
		if err := verifyBackupFile(ctx, filepath.Join(folder, files[i].Name)); err != nil {
			bad = append(bad, i)
			continue
		}
		return i, bad
	}
	return -1, bad
}

// backupInto makes a backup named for now in folder, never replacing one:
// a second backup in the same second gets the next number.
func backupInto(ctx context.Context, st *Store, folder string, now time.Time) (backup.File, error) {
	for seq := 1; ; seq++ {
		name := backup.FileName(now, seq, false)
		if _, err := os.Lstat(filepath.Join(folder, name)); err == nil {
			continue
		}
		err := st.Backup(ctx, data.SystemActor, filepath.Join(folder, name), BackupOptions{})
		f, _ := backup.ParseFileName(name)
		return f, err
	}
}

// rotate removes the backups cfg does not keep. The newest good one is
// always kept, and the bad ones are left out of the choice and never
// removed.
func rotate(folder string, files []backup.File, good int, bad []int, cfg data.BackupSettings, now time.Time) ([]string, error) {
	var candidates []int
	var times []time.Time
	for i, f := range files {
		if slices.Contains(bad, i) {
			continue
		}
		candidates = append(candidates, i)
		times = append(times, f.At)
	}
	keep := backup.Keep(cfg, times, now)
	var removed []string
	var errs []error
	for k, i := range candidates {
		if keep[k] || i == good {
			continue
		}
		p := filepath.Join(folder, files[i].Name)
		if err := os.Remove(p); err != nil {
			errs = append(errs, fileError("removing the old backup "+p, err))
			continue
		}
		_ = os.Remove(ManifestPath(p)) // its manifest goes with it
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}
