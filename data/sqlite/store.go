// Package sqlite is NeedleDesk's store on an embedded SQLite file. It
// implements every interface in package data and is the only place in
// NeedleDesk that writes SQL.
//
// Writes go through one connection (SQLite allows one writer at a time, and a
// single connection turns contention into queueing instead of SQLITE_BUSY);
// reads use a small pool of read-only connections, which WAL mode lets run
// alongside the writer. Every write happens in one transaction together with
// its audit row.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
	"needledesk/data/internal/clientlist"

	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// readConns is the size of the read pool: enough for the UI to load a list
// while a PDF is rendered, small enough not to matter on a laptop.
const readConns = 4

// Store is the SQLite implementation of the data store interfaces.
type Store struct {
	w     *sql.DB // one connection: every write
	r     *sql.DB // a few read-only connections
	clock data.Clock
	path  string
	// extraWriteParams are added to the write connection's DSN; only tests
	// set them (WithWriteParamsForTest), to make a disk seem full.
	extraWriteParams string
	// order is the client list in name order, kept in memory for search
	// (name_order.go).
	order clientlist.Cache
	// wit keeps the witness file beside the database (witness.go).
	wit *witness
	// bg and gate: the full check in the background (startup_check.go);
	// nil when Open checked nothing in the background.
	bg   *BackgroundCheck
	gate *checkGate
	// failuresLater: wrong passwords given while the check runs, whose
	// records wait for it (recordFailureLater).
	failuresLater failureTally
	// reads: the book's views' statements, prepared once (prepared.go).
	reads preparedReads
	// bookNames: the staff, room and treatment names the day view shows
	// (book_names.go).
	bookNames bookrow.NameCopy
}

// Compile-time proof that Store keeps the contract.
var (
	_ data.ClientStore   = (*Store)(nil)
	_ data.SessionStore  = (*Store)(nil)
	_ data.ProductStore  = (*Store)(nil)
	_ data.StaffStore    = (*Store)(nil)
	_ data.SettingsStore = (*Store)(nil)
	_ data.AuditStore    = (*Store)(nil)
	_ data.Store         = (*Store)(nil)
	// What only a store kept in a file has (data/store.go).
	_ data.FileStore    = (*Store)(nil)
	_ data.FullChecker  = (*Store)(nil)
	_ data.FileBackuper = (*Store)(nil)
	_ data.FileRestorer = (*Store)(nil)
	_ data.DamageReport = (*DamagedDatabaseError)(nil)
	_ data.FileRestorer = (*DamagedDatabaseError)(nil)
)

// Option changes how Open sets up the store.
type Option func(*Store)

// WithClock makes the store read the time from c instead of time.Now, so
// tests can fix "now" and "today".
func WithClock(c data.Clock) Option {
	return func(s *Store) {
		if c != nil {
			s.clock = c
		}
	}
}

// Open opens the database at path, creating it (and its folder) when missing,
// and brings its schema up to date. A database written by a newer NeedleDesk
// is refused with an error wrapping ErrNewerSchema.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{clock: time.Now, path: path}
	for _, o := range opts {
		o(s)
	}
	info, statErr := os.Stat(path)
	created := statErr != nil || info.Size() == 0 // a new database: a witness file there was another's
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	if err := checkHeader(path); err != nil {
		if s.bg != nil {
			return nil, s.damage(ctx, err)
		}
		return nil, err
	}
	uri, err := fileURI(path)
	if err != nil {
		return nil, err
	}
	if s.bg != nil && !created {
		reading, err := s.openReading(ctx, uri)
		if err != nil || reading {
			return s.orNil(reading), err
		}
	}
	if err := s.openPools(ctx, uri); err != nil {
		return nil, err
	}
	if err := s.guardTrail(ctx, created); err != nil {
		_ = s.Close()
		return nil, describeOpenError(path, err)
	}
	return s, nil
}

// orNil is s when it is open, nil when not.
func (s *Store) orNil(open bool) *Store {
	if !open {
		return nil
	}
	return s
}

// openPools opens the write connection first, because it is the one that
// turns a new file into a WAL database and migrates it; the read pool opens
// only once the schema is known to be good.
func (s *Store) openPools(ctx context.Context, uri string) error {
	w, err := openWritePool(ctx, uri+"?"+writeParams+s.extraWriteParams, s.path, s.now())
	if err != nil {
		return err
	}
	r, err := openReadPool(ctx, uri, s.path)
	if err != nil {
		_ = w.Close()
		return err
	}
	s.w, s.r = w, r
	return nil
}

// openWritePool opens the one write connection and migrates the schema.
func openWritePool(ctx context.Context, dsn, path string, now time.Time) (*sql.DB, error) {
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w, now); err != nil {
		_ = w.Close()
		return nil, describeOpenError(path, err)
	}
	return w, nil
}

// openReadPool opens the read-only connections.
func openReadPool(ctx context.Context, uri, path string) (*sql.DB, error) {
	r, err := sql.Open("sqlite", uri+"?"+readParams)
	if err != nil {
		return nil, fmt.Errorf("opening %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	if err := r.PingContext(ctx); err != nil {
		_ = r.Close()
		return nil, describeReadError("opening "+path, describeOpenError(path, fmt.Errorf("opening %s for reading: %w", path, err)))
	}
	return r, nil
}

// Pragmas travel in the DSN so that every connection the pool opens gets
// them; db.Exec("PRAGMA ...") would set them on one connection only.
//
// The writer also gets a 32 MB page cache and in-memory statement journals:
// a large import otherwise spills dirty pages to the WAL mid-transaction
// and writes a temporary file for every multi-row INSERT, which together
// took a third of its time.
const (
	writeParams = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(5000)&_pragma=cache_size(-32000)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	// Readers never change the file: query_only turns a stray write into an
	// error. journal_mode is a property of the file, already WAL. An 8 MB
	// page cache holds what a client search reads again and again (the
	// client_key index, 4 MB on 100,000 clients, and the search index's
	// busy pages); with SQLite's default 2 MB each search went back to the
	// file for most of its pages, which took half its time. Sorts stay in
	// memory rather than in temporary files. The cache fills only as a
	// connection is used, so four readers cost 32 MB at the very most.
	readParams = "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=query_only(1)" +
		"&_pragma=cache_size(-8000)&_pragma=temp_store(MEMORY)"
)

// Close closes both pools. The last connection to close checkpoints the WAL
// back into the main file.
// A check still running in the background is waited for first, so that
// the sign-ins it keeps are recorded.
func (s *Store) Close() error {
	_ = s.gate.wait(context.Background())
	s.order.Close()
	s.wit.close()
	s.reads.close()
	var werr error
	if s.w != nil { // nil when the background check did not pass
		werr = s.w.Close()
	}
	return errors.Join(s.r.Close(), werr)
}

// now is the store's clock in UTC, the zone every stored instant uses.
func (s *Store) now() time.Time { return s.clock().UTC() }

// today is the clinic's calendar date, which validation compares dates of
// birth and consent against.
func (s *Store) today() data.Date { return data.DateOf(s.clock().Local()) }

// createPrivate makes the folder (0700) and an empty database file (0600)
// when they are missing, because SQLite would create the file world-readable
// and the file holds medical records. Existing folders and files keep their
// modes: the clinic may have chosen them.
func createPrivate(path string) error {
	if path == "" {
		return fmt.Errorf("no database file was given: %w", data.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fileError("creating the folder for "+path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil
	case err != nil:
		return fileError("creating "+path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	return nil
}

// fileURI turns a path into a SQLite URI. Escaping matters: a folder named
// "Clinic #2" or "50% off" would otherwise be cut at the # or misread, and
// the driver splits its own parameters at the first "?".
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", path, err)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // C:/Users/... on Windows
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), nil
}

// describeOpenError turns SQLite's "file is not a database" into words a
// clinic owner can act on, keeping the original error for logs.
func describeOpenError(path string, err error) error {
	var found foundDamage
	var se *sqlitedriver.Error
	switch {
	case errors.Is(err, errNotNeedleDesk):
		return damaged(path, err.Error(), err)
	case errors.As(err, &found):
		return damaged(path, found.summary, nil)
	case errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_NOTADB || se.Code()&0xff == sqlite3.SQLITE_CORRUPT):
		return damaged(path, "its contents are damaged (SQLite says: "+se.Error()+")", err)
	case isDiskFull(err):
		return describeReadError("opening "+path, err)
	}
	return fileError("opening "+path, err)
}

// queryer is what read helpers need; both *sql.Tx and *sql.DB have it, so a
// helper can run inside a write transaction or on the read pool.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a transaction on the write connection and commits it only
// when fn succeeds, so a refused write leaves nothing behind. It waits for
// the file's check when one runs in the background (startup_check.go), and
// its turn while another process writes (beginWrite).
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	if err := s.gate.wait(ctx); err != nil {
		return notChecked(err)
	}
	return s.writeNow(ctx, fn)
}

// writeNow is write without waiting for the check.
func (s *Store) writeNow(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	tx, err := beginWrite(ctx, s.w)
	if err != nil {
		return describeStorageError(fmt.Errorf("starting a change: %w", err))
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if err := fn(tx, s.now()); err != nil {
		return describeStorageError(err)
	}
	if err := tx.Commit(); err != nil {
		return describeStorageError(fmt.Errorf("saving the change: %w", err))
	}
	s.wit.touch()
	return nil
}

// read runs fn in a read transaction, so reads that take several queries
// (a session and its areas) see one consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return describeReadError("reading the records", fmt.Errorf("starting a read: %w", err))
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return describeReadError("reading the records", err)
	}
	return describeReadError("reading the records", tx.Commit())
}

// notFound wraps data.ErrNotFound with the record it is about.
func notFound(entity data.Entity, id int64) error {
	return fmt.Errorf("%s %d: %w", entity, id, data.ErrNotFound)
}
