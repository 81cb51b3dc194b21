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
	"time"

	"needledesk/data"
	"needledesk/data/backup"

	sqlitedriver "modernc.org/sqlite"
)

// BackupOptions change how Backup writes a copy (see
// data.BackupOptions); WorkFactor zero means backup.WorkFactor.
type BackupOptions = data.BackupOptions

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

// Path is the database file the store has open (data.FileStore).
func (s *Store) Path() string { return s.path }

// CheckBackup checks a backup file of this store's kind
// (data.FileBackuper): with full, its header and SQLite's quick_check of
// every page, opened immutable; without, its header and size only, which
// finds a file cut short without reading it all.
func (s *Store) CheckBackup(ctx context.Context, path string, full bool) error {
	if full {
		return verifyBackupFile(ctx, path)
	}
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return fileError("reading the backup "+path, err)
	case info.Size() == 0:
		return damaged(path, "it is empty", nil)
	}
	return checkHeader(path)
}

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
