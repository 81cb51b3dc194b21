package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"needledesk/data"
)

// A start that does not grow with the records. Checking every page of the
// file (quick_check) takes seconds on a large clinic, so the app does not
// wait for it before showing the sign-in screen:
//
//   - Open, given WithBackgroundCheck, opens only the read pool (read-only
//     connections: query_only) and returns at once; the full check runs in
//     the background;
//   - reads work meanwhile, so staff can sign in;
//   - the first write waits for the check: the write connection, which
//     migrates and writes, opens only once the check has passed. A good
//     password's sign-in is recorded then, first of all (the person is in
//     at once; the audit row follows as soon as the file is known good);
//   - a failed check leaves the write connection unopened, so nothing is
//     ever written to the file: every write gets the damage error, and
//     closing the read pool removes the -wal and -shm files SQLite made
//     beside it (the last connection of a database in WAL mode removes
//     them when it closes), so the file is left as it was found;
//   - the check starts once someone has signed in (their password
//     checked), or a few seconds after Open (CheckDelay), or at once when
//     something waits for it (a write, a backup, Checked, Close):
//     on a large clinic it keeps a processor busy for seconds, and run
//     while the person types the password and the client list is drawn it
//     slowed both (argon2id took 0.39 s beside it, 0.20 s alone);
//   - the check runs at most once a day: once it has passed, the day is
//     kept in store_meta and later starts that day skip it. A file damaged
//     since is then protected only by SQLite's own checks as pages are
//     read and written; every backup is still checked in full before it
//     is kept (copyChecked).

// checkedOnKey is the store_meta key of the day the full check last passed.
const checkedOnKey = "full_check_passed_on"

// BackgroundCheck is how Open checks the file in the background.
type BackgroundCheck struct {
	// BackupsFolder is where the newest good backup is looked for when
	// the file turns out damaged.
	BackupsFolder string
	// Check replaces the full check; nil means SQLite's quick_check over
	// every page and the NeedleDesk schema checks. Tests make it slow or
	// failing.
	Check func(ctx context.Context) error
}

// WithBackgroundCheck makes Open return once the file can be read, and
// check it fully in the background; writes wait for the check (see the
// comment at the top of startup_check.go). Checked reports the outcome.
func WithBackgroundCheck(bc BackgroundCheck) Option {
	return func(s *Store) { s.bg = &bc }
}

// CheckDelay is how long after Open the background check starts when
// nothing has asked for it sooner.
var CheckDelay = 3 * time.Second

// checkGate holds writes back until the background check is over.
type checkGate struct {
	done   chan struct{} // closed when the check is over
	err    error         // why nothing may be written; set before done closes
	mu     sync.Mutex
	over   bool
	queued []func(ctx context.Context) error
	asked  chan struct{} // closed when something waits for the check
	ask    sync.Once
}

func newCheckGate() *checkGate {
	return &checkGate{done: make(chan struct{}), asked: make(chan struct{})}
}

// hurry starts the check now if it has not started yet.
func (g *checkGate) hurry() {
	if g != nil {
		g.ask.Do(func() { close(g.asked) })
	}
}

// wait waits for the check (starting it now if it has not started) and
// returns its outcome; a nil gate has none.
func (g *checkGate) wait(ctx context.Context) error {
	if g == nil {
		return nil
	}
	g.hurry()
	select {
	case <-g.done:
		return g.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitQuietly waits for the check without starting it sooner: for work
// that can wait for the check's own time (sending e-mail), so that it
// does not set the check going while the window opens and the password
// is typed.
func (g *checkGate) waitQuietly(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case <-g.done:
		return g.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// later keeps fn to run first of all writes once the check has passed
// (never when it fails). It returns false when the check is already over
// and the caller should write now.
func (g *checkGate) later(fn func(ctx context.Context) error) bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.over {
		return false
	}
	g.queued = append(g.queued, fn)
	return true
}

// Checked waits for the full check that Open left running in the
// background and returns its outcome: nil once it passed (or when Open
// checked nothing in the background), a *DamagedDatabaseError when it
// found damage. Nothing has been written to a file whose check failed.
func (s *Store) Checked(ctx context.Context) error {
	return s.gate.wait(ctx)
}

// openReading opens the read pool only, when the file is ready to be read
// as it is (its schema current) and has not passed the check today, and
// starts the check in the background. It reports whether it did; when not,
// Open goes the ordinary way (after checking the file here first, when it
// needs migrating, since migrating writes).
func (s *Store) openReading(ctx context.Context, uri string) (bool, error) {
	r, err := openReadPool(ctx, uri, s.path)
	if err != nil {
		return false, s.damage(ctx, err)
	}
	current, checkedToday, err := s.readyToRead(ctx, r)
	switch {
	case err == nil && current && !checkedToday:
		s.r = r
		s.gate = newCheckGate()
		go s.checkInBackground(uri)
		return true, nil
	case err == nil && checkedToday:
		return false, r.Close()
	}
	_ = r.Close()
	if err := s.runCheck(ctx); err != nil { // migrating writes: check first
		return false, s.damage(ctx, err)
	}
	return false, nil
}

// readyToRead says whether the schema is the one this build reads (no
// migration, search columns derived as this build does) and whether the
// full check passed today.
func (s *Store) readyToRead(ctx context.Context, r *sql.DB) (current, checkedToday bool, err error) {
	version, err := schemaVersion(ctx, r)
	if err != nil || version != KnownVersion() {
		return false, false, err
	}
	var fold, day sql.NullString
	err = r.QueryRowContext(ctx, `SELECT
		(SELECT value FROM store_meta WHERE key = 'search_fold'),
		(SELECT value FROM store_meta WHERE key = ?)`, checkedOnKey).Scan(&fold, &day)
	if err != nil {
		return false, false, err
	}
	return fold.String == foldFingerprint(), day.String == s.checkDay(), nil
}

// checkDay is today's date in the clinic, as kept under checkedOnKey.
func (s *Store) checkDay() string { return s.clock().Local().Format("2006-01-02") }

// runCheck runs the full check: the caller's, or quick_check.
func (s *Store) runCheck(ctx context.Context) error {
	if s.bg.Check != nil {
		return s.bg.Check(ctx)
	}
	_, err := inspect(ctx, s.path, s.path, checkParams(s.path), false)
	return err
}

// checkInBackground checks the file, and only when it passed opens the
// write connection, records the day, and lets the writes through, those
// kept by later first.
func (s *Store) checkInBackground(uri string) {
	ctx := context.Background() // Close waits for it rather than stopping it
	delay := time.NewTimer(CheckDelay)
	select {
	case <-s.gate.asked:
	case <-delay.C:
	}
	delay.Stop()
	err := s.runCheck(ctx)
	if err == nil {
		err = s.openWriter(ctx, uri)
	}
	g := s.gate
	g.mu.Lock()
	g.over = true
	queued := g.queued
	g.queued = nil
	g.mu.Unlock()
	for _, fn := range queued {
		if err != nil {
			break
		}
		err = fn(ctx)
	}
	if err != nil {
		err = s.damage(ctx, err)
	}
	g.err = err
	close(g.done)
}

// openWriter opens the write connection of a file that passed the check,
// guards its trail, and keeps the day the check passed.
func (s *Store) openWriter(ctx context.Context, uri string) error {
	w, err := openWritePool(ctx, uri+"?"+writeParams+s.extraWriteParams, s.path, s.now())
	if err != nil {
		return err
	}
	s.w = w
	if err := s.guardTrail(ctx, false); err != nil {
		return describeOpenError(s.path, err)
	}
	return s.writeNow(ctx, func(tx *sql.Tx, _ time.Time) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, checkedOnKey, s.checkDay())
		return err
	})
}

// damage turns a damaged file's error into a *DamagedDatabaseError naming
// the newest good backup; other errors come back as they are.
func (s *Store) damage(ctx context.Context, err error) error {
	var d *DamagedDatabaseError
	if err == nil || errors.As(err, &d) || !errors.Is(err, data.ErrDamaged) {
		return err
	}
	backup, at, _ := NewestGoodBackup(ctx, s.bg.BackupsFolder) // none found: "" and offer nothing
	return &DamagedDatabaseError{Path: s.path, Problem: err, Backup: backup, BackupAt: at, Folder: s.bg.BackupsFolder}
}

// failureTally counts, per staff member, the wrong passwords whose records
// wait for the background check, so that the wait after repeated wrong
// passwords (data.SignInDelay) holds before they are written. A good
// password clears the member's count, as its record will in the file.
type failureTally struct {
	mu      sync.Mutex
	next    uint64
	pending map[int64]map[uint64]time.Time // staff id -> attempt -> when
}

// add counts one more wrong password of staffID at at, and returns the
// attempt's mark for written.
func (t *failureTally) add(staffID int64, at time.Time) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[int64]map[uint64]time.Time{}
	}
	if t.pending[staffID] == nil {
		t.pending[staffID] = map[uint64]time.Time{}
	}
	t.next++
	t.pending[staffID][t.next] = at
	return t.next
}

// written forgets a wrong password: it is in the file now (or never
// will be).
func (t *failureTally) written(staffID int64, mark uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pending[staffID], mark)
	if len(t.pending[staffID]) == 0 {
		delete(t.pending, staffID)
	}
}

// clear forgets staffID's wrong passwords: a good password followed them.
func (t *failureTally) clear(staffID int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.pending, staffID)
}

// counted is acc with its wrong passwords not yet written counted in.
func (t *failureTally) counted(acc account) account {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, at := range t.pending[acc.staff.ID] {
		acc.failures++
		if at.After(acc.lastFailed) {
			acc.lastFailed = at
		}
	}
	return acc
}

// recordFailureLater keeps the record of a wrong password for when the
// background check has passed, as recordSignInLater does for a good one:
// a mistyped password on a large clinic is answered at once, not after
// the seconds the check takes. Meanwhile the tally counts it towards the
// wait. It returns false when no check is running (the caller records it
// now). It does not hurry the check: nobody is signed in yet.
func (s *Store) recordFailureLater(acc account) bool {
	at := s.now()
	id := acc.staff.ID
	mark := s.failuresLater.add(id, at)
	queued := s.gate.later(func(ctx context.Context) error {
		defer s.failuresLater.written(id, mark)
		return s.writeNow(ctx, func(tx *sql.Tx, _ time.Time) error {
			_, err := recordSignIn(ctx, tx, acc, false, "", at)
			return err
		})
	})
	if !queued {
		s.failuresLater.written(id, mark)
	}
	return queued
}

// errNotChecked is what a write gets when the file's check did not pass.
func notChecked(err error) error {
	return fmt.Errorf("nothing was saved, because the check of the file did not pass: %w", err)
}

// recordSignInLater keeps the record of a good password's sign-in for
// when the background check has passed, so that signing in does not wait
// for it: the person is in at once, and the row, dated when the password
// was checked, is the first thing written to the file. It returns false
// when no check is running (the caller records it now). Should the
// record then fail, the check's outcome is that error and nothing more
// is written (Checked reports it).
func (s *Store) recordSignInLater(acc account, fresh string) bool {
	at := s.now()
	defer s.gate.hurry() // the password is checked: the file's check may have the processor now
	s.failuresLater.clear(acc.staff.ID)
	return s.gate.later(func(ctx context.Context) error {
		return s.writeNow(ctx, func(tx *sql.Tx, _ time.Time) error {
			refused, err := recordSignIn(ctx, tx, acc, true, fresh, at)
			if err == nil && refused != nil {
				err = refused
			}
			if err != nil {
				return fmt.Errorf("the sign-in of %s could not be recorded in the audit trail: %w", acc.staff.Name, err)
			}
			return nil
		})
	})
}
