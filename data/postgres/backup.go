package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/backup"
)

// A backup of the clinic's server database is a pg_dump archive in its
// custom format (the one pg_restore reads), made from this computer:
//
//  1. A read-only transaction on the server exports its snapshot and
//     reads the audit trail's head in it; pg_dump then dumps that same
//     snapshot (--snapshot), so the trail's head in the dump is known.
//  2. The dump is written under a hidden temporary name (in the
//     destination's folder, or, when it is to be encrypted, in a private
//     temporary folder of this computer's, so the unencrypted copy never
//     lands where the copy goes), and flushed to disk.
//  3. It is checked (checkDump): it starts as pg_dump's archives do,
//     pg_restore --list reads its table of contents and finds the
//     NeedleDesk tables in it, pg_restore reads every table's data out of
//     it (every compressed block, to nowhere), and the audit trail's head
//     in it is the one read in step 1.
//  4. With a passphrase it is encrypted as an age file (data/backup) and
//     read back through decryption to make sure it holds the same bytes.
//  5. Only then is it given its name (never replacing a file), and the
//     backup recorded in the audit trail.

var (
	_ data.FileBackuper   = (*Store)(nil)
	_ data.ServerStore    = (*Store)(nil)
	_ data.ServerRestorer = (*Store)(nil)
)

// dumpMagic is how every pg_dump custom-format archive starts.
const dumpMagic = "PGDMP"

// dumpTables are tables every NeedleDesk database has; an archive without
// their data is not a backup of one.
var dumpTables = []string{"schema_migrations", "staff", "client", "settings", "audit_event", "audit_head"}

// ServerName is the database's address without its password
// (data.ServerStore).
func (s *Store) ServerName() string { return withoutPassword(s.pool.Config().ConnString()) }

// Backup dumps the database into dest, which must not exist yet, in a
// folder that must (data.FileBackuper); see the steps above. Only roles
// allowed to make backups may (owners; NeedleDesk itself for automatic
// ones).
func (s *Store) Backup(ctx context.Context, actor int64, dest string, opts data.BackupOptions) error {
	if err := s.Authorize(ctx, actor, data.PermBackup); err != nil {
		return fmt.Errorf("making a backup: %w", err)
	}
	if err := checkDest(dest); err != nil {
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
	c, err := connFor(s.pool.Config().ConnString())
	if err != nil {
		return err
	}
	plainDir := filepath.Dir(dest)
	if encrypt {
		if plainDir, err = os.MkdirTemp("", "needledesk-dump-"); err != nil {
			return data.FileProblem("making a private folder for the backup", err)
		}
		defer os.RemoveAll(plainDir)
	}
	plain, err := tempIn(plainDir)
	if err != nil {
		return data.FileProblem("writing the backup into "+plainDir, err)
	}
	defer os.Remove(plain) // a no-op once named
	progress(0, 4)
	head, err := s.dumpInto(ctx, c, plain)
	if err != nil {
		return fmt.Errorf("the backup was not made: %w", err)
	}
	progress(1, 4)
	if err := checkDump(ctx, plain, &head); err != nil {
		return fmt.Errorf("the backup did not check out after writing, so it was not kept: %w", err)
	}
	progress(2, 4)
	final := plain
	if encrypt {
		if final, err = encryptChecked(ctx, plain, dest, opts.Passphrase, opts.WorkFactor); err != nil {
			return err
		}
		defer os.Remove(final)
	}
	progress(3, 4)
	man, err := writeManifest(final, dest, head, s.now())
	if err != nil {
		return data.FileProblem("writing the backup's manifest beside "+dest, err)
	}
	if err := publish(final, dest); err != nil {
		_ = os.Remove(man)
		return err
	}
	progress(4, 4)
	err = s.write(ctx, func(tx pgx.Tx, now time.Time) error {
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionBackup, entity: data.EntityDatabase,
			detail: filepath.Base(dest)})
	})
	if err != nil {
		return fmt.Errorf("the backup %s was written and checked, but recording it in the audit trail failed: %w", dest, err)
	}
	return nil
}

// dumpInto runs pg_dump into file, on a snapshot in which it reads the
// audit trail's head, and returns that head.
func (s *Store) dumpInto(ctx context.Context, c conn, file string) (data.ChainHead, error) {
	var head data.ChainHead
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return head, describeServerError(fmt.Errorf("starting the backup: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return head, describeServerError(fmt.Errorf("starting the backup: %w", err))
	}
	err = tx.QueryRow(ctx, `SELECT last_id, events, hash FROM audit_head WHERE id = 1`).Scan(&head.LastID, &head.Events, &head.Hash)
	if err != nil {
		return head, fmt.Errorf("reading the audit trail's head: %w", err)
	}
	if _, err := c.run(ctx, nil, "pg_dump", "--format=custom", "--file="+file, "--snapshot="+snapshot, "--dbname="+c.address); err != nil {
		return head, err
	}
	return head, syncFile(file)
}

// CheckBackup checks a backup file of this store's kind
// (data.FileBackuper): with full, the file against its manifest's size
// and SHA-256 and everything checkDump checks; without, its size against
// the manifest's, and that it starts as a pg_dump archive (or an
// encrypted file) does. An encrypted backup is checked only against its
// manifest and by its first bytes.
func (s *Store) CheckBackup(ctx context.Context, path string, full bool) error {
	head, err := readHead(path)
	if err != nil {
		return err
	}
	if err := checkManifest(ctx, path, full); err != nil {
		return err
	}
	if backup.IsEncrypted(head) {
		return nil
	}
	if !bytes.HasPrefix(head, []byte(dumpMagic)) {
		return fmt.Errorf("%s is not a backup of a clinic's server database: %w", path, data.ErrDamaged)
	}
	if !full {
		return nil
	}
	return checkDump(ctx, path, nil)
}

// readHead reads a file's first bytes, refusing an empty one.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, data.FileProblem("reading the backup "+path, err)
	}
	defer f.Close()
	head := make([]byte, max(backup.HeadLen, len(dumpMagic)))
	n, err := io.ReadFull(f, head)
	if n == 0 {
		return nil, fmt.Errorf("the backup %s is empty: %w", path, errors.Join(data.ErrDamaged, err))
	}
	return head[:n], nil
}

// checkDump checks an unencrypted dump: its first bytes, its table of
// contents (pg_restore --list) naming the data of every table a NeedleDesk
// database has, every table's data read out of it by pg_restore, and,
// when want is given, the audit trail's head in it.
func checkDump(ctx context.Context, path string, want *data.ChainHead) error {
	head, err := readHead(path)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(head, []byte(dumpMagic)) {
		return fmt.Errorf("%s is not a pg_dump archive: %w", path, data.ErrDamaged)
	}
	var c conn // the archive alone: no database
	list, err := c.run(ctx, nil, "pg_restore", "--list", path)
	if err != nil {
		return damagedDump(path, err)
	}
	for _, t := range dumpTables {
		if !bytes.Contains(list, []byte(" TABLE DATA public "+t+" ")) {
			return fmt.Errorf("%s holds no %s table: it is not a backup of a NeedleDesk database: %w", path, t, data.ErrDamaged)
		}
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devNull.Close()
	if _, err := c.run(ctx, devNull, "pg_restore", "--file=-", path); err != nil {
		return damagedDump(path, err)
	}
	got, err := dumpedHead(ctx, path)
	if err != nil {
		return damagedDump(path, err)
	}
	if want != nil && got != *want {
		return fmt.Errorf("%s does not hold the audit trail as it was when the backup began (event %d in the backup, %d on the server): %w",
			path, got.LastID, want.LastID, data.ErrDamaged)
	}
	return nil
}

func damagedDump(path string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNoTools) {
		return err
	}
	return fmt.Errorf("%s does not read back whole: %w (%w)", path, data.ErrDamaged, err)
}

// dumpedHead reads the audit trail's head out of a dump.
func dumpedHead(ctx context.Context, path string) (data.ChainHead, error) {
	var head data.ChainHead
	var c conn
	out, err := c.run(ctx, nil, "pg_restore", "--data-only", "--table=audit_head", "--file=-", path)
	if err != nil {
		return head, err
	}
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "COPY public.audit_head (id, last_id, events, hash) FROM stdin;") || i+1 >= len(lines) {
			continue
		}
		f := strings.Split(lines[i+1], "\t")
		if len(f) != 4 {
			break
		}
		last, err1 := strconv.ParseInt(f[1], 10, 64)
		events, err2 := strconv.ParseInt(f[2], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			break
		}
		return data.ChainHead{LastID: last, Events: events, Hash: f[3]}, nil
	}
	return head, errors.New("the audit trail's head is not in it")
}

// checkDest refuses a destination that exists (a backup never replaces
// a file) or whose folder does not.
func checkDest(dest string) error {
	if dest == "" {
		return fmt.Errorf("no file was given for the backup: %w", data.ErrInvalid)
	}
	if _, err := os.Lstat(dest); err == nil {
		return data.Explained(fmt.Errorf("%s already exists; a backup never replaces a file, so choose another name: %w", dest, fs.ErrExist))
	}
	dir := filepath.Dir(dest)
	info, err := os.Stat(dir)
	if err != nil {
		return data.FileProblem("the folder "+dir+" cannot be used for the backup", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder: %w", dir, data.ErrInvalid)
	}
	return nil
}

// tempIn makes an empty hidden file in dir, only for this user.
func tempIn(dir string) (string, error) {
	f, err := os.CreateTemp(dir, ".needledesk-backup-*.partial")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// encryptChecked encrypts plain into a temporary file beside dest,
// flushes it, and reads it back through decryption to make sure it holds
// exactly the dump. It returns the temporary file's path.
func encryptChecked(ctx context.Context, plain, dest string, passphrase []byte, workFactor int) (string, error) {
	tmp, err := tempIn(filepath.Dir(dest))
	if err != nil {
		return "", data.FileProblem("writing the backup into "+filepath.Dir(dest), err)
	}
	want, err := encryptFile(ctx, plain, tmp, passphrase, workFactor)
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", data.FileProblem("writing the encrypted backup "+dest, err)
	}
	got, err := decryptedHash(tmp, passphrase)
	if err != nil || !bytes.Equal(got, want) {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("the encrypted backup did not read back the same, so it was not kept: %w", errors.Join(err, data.ErrDamaged))
	}
	return tmp, nil
}

// encryptFile encrypts src into dst and returns the SHA-256 of what it read.
func encryptFile(ctx context.Context, src, dst string, passphrase []byte, workFactor int) ([]byte, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	err = backup.Encrypt(out, io.TeeReader(ctxReader{ctx, in}, h), passphrase, workFactor)
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

// ctxReader stops a read when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// publish gives a finished, checked temporary file its name, never
// replacing a file (a hard link fails on one that appeared meanwhile),
// and flushes the folder.
func publish(tmp, dest string) error {
	if err := os.Link(tmp, dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared while the backup was being made; it was left as it is: %w", dest, fs.ErrExist)
		}
		return data.FileProblem("naming the backup "+dest, err)
	}
	_ = os.Remove(tmp)
	d, err := os.Open(filepath.Dir(dest))
	if err != nil {
		return data.FileProblem("saving the backup "+dest, err)
	}
	if err := errors.Join(d.Sync(), d.Close()); err != nil {
		return data.FileProblem("saving the backup "+dest, err)
	}
	return nil
}

// A manifest beside each backup (backup.ManifestPath) holds the file's
// size and SHA-256 and the audit trail's head in it: pg_restore reads
// a dump with a changed byte in some places without a word, so the
// checks compare the file with its manifest whenever it is there (a
// backup copied elsewhere without it is checked by what it holds alone).
type manifest struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Backup  string `json:"backup"`
	At      string `json:"at"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	LastID  int64  `json:"audit_last_id"`
	Events  int64  `json:"audit_events"`
	Hash    string `json:"audit_hash"`
}

const manifestFormat = "needledesk-server-backup-manifest"

// writeManifest writes the manifest of file, the backup to be named dest,
// beside dest, and returns its path.
func writeManifest(file, dest string, head data.ChainHead, now time.Time) (string, error) {
	size, sum, err := fileHash(context.Background(), file)
	if err != nil {
		return "", err
	}
	m := manifest{Format: manifestFormat, Version: 1, Backup: filepath.Base(dest), At: now.Format(time.RFC3339),
		Size: size, SHA256: sum, LastID: head.LastID, Events: head.Events, Hash: head.Hash}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	path := backup.ManifestPath(dest)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = f.Write(append(b, '\n'))
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		_ = os.Remove(path)
		return "", err
	}
	return path, nil
}

// checkManifest compares the backup at path with its manifest, when it
// has one: its size, and with full its SHA-256 too.
func checkManifest(ctx context.Context, path string, full bool) error {
	b, err := os.ReadFile(backup.ManifestPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return data.FileProblem("reading the backup's manifest", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Format != manifestFormat {
		return nil // not ours: the backup is checked by what it holds
	}
	info, err := os.Stat(path)
	if err != nil {
		return data.FileProblem("reading the backup "+path, err)
	}
	if info.Size() != m.Size {
		return fmt.Errorf("%s is %d bytes long, not %d as when it was made: %w", path, info.Size(), m.Size, data.ErrDamaged)
	}
	if !full {
		return nil
	}
	_, sum, err := fileHash(ctx, path)
	if err != nil {
		return data.FileProblem("reading the backup "+path, err)
	}
	if sum != m.SHA256 {
		return fmt.Errorf("%s has changed since it was made (its SHA-256 is not its manifest's): %w", path, data.ErrDamaged)
	}
	return nil
}

func fileHash(ctx context.Context, path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	return n, hex.EncodeToString(h.Sum(nil)), err
}
