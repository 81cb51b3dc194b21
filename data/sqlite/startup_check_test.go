package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// demoFile is a closed demo clinic alone in a folder of its own, with an
// owner who can sign in.
func demoFile(t *testing.T, clients int) (path string, owner demo.Account) {
	t.Helper()
	e := newEnv(t)
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: clients, Seed: 3, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Accounts {
		if a.Staff.Role == data.RoleOwner {
			owner = a
		}
	}
	e.closeStore()
	b, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	return writeDamaged(t, b), owner // not damaged yet: the same bytes in a folder of their own
}

// signIns counts the sign-in rows, read without opening the file for writing.
func signIns(t *testing.T, path string) int {
	t.Helper()
	var n int
	if err := readOnlyDB(t, path).QueryRow(`SELECT count(*) FROM audit_event WHERE action = 'sign_in'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// slowCheck is a background check that ends when the test says how, and
// says when it started.
type slowCheck struct {
	outcome chan error
	started chan struct{}
}

func (c slowCheck) check(ctx context.Context) error {
	close(c.started)
	select {
	case err := <-c.outcome:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func openWithSlowCheck(t *testing.T, path string) (*sqlite.Store, slowCheck) {
	t.Helper()
	c := slowCheck{outcome: make(chan error, 1), started: make(chan struct{})}
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(func() time.Time { return testNow }),
		sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: filepath.Join(t.TempDir(), "none"), Check: c.check}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return st, c
}

// TestSignInDoesNotWaitForTheCheckButWritesDo: while the full check runs,
// staff can be read and the owner signs in; the first write waits, and
// once the check passes the sign-in is recorded first, dated when it
// happened.
func TestSignInDoesNotWaitForTheCheckButWritesDo(t *testing.T) {
	path, owner := demoFile(t, 20)
	before := signIns(t, path)
	st, check := openWithSlowCheck(t, path)
	defer st.Close()
	ctx := t.Context()
	if _, err := st.StaffList(ctx, data.SystemActor, false); err != nil {
		t.Fatalf("reading while the check runs: %v", err)
	}
	who, err := st.SignIn(ctx, owner.Staff.ID, owner.Password)
	if err != nil || who.ID != owner.Staff.ID {
		t.Fatalf("signing in while the check runs: %v %+v", err, who)
	}
	product := validProduct("Calming serum", data.CategoryHydrating)
	wrote := make(chan error, 1)
	go func() { wrote <- st.CreateProduct(ctx, owner.Staff.ID, &product) }()
	select {
	case err := <-wrote:
		t.Fatalf("a write went through before the check passed: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if n := signIns(t, path); n != before {
		t.Fatalf("the sign-in was written before the check passed (%d rows, %d before)", n, before)
	}
	check.outcome <- nil
	if err := <-wrote; err != nil {
		t.Fatalf("the write after the check passed: %v", err)
	}
	if err := st.Checked(ctx); err != nil {
		t.Fatalf("Checked: %v", err)
	}
	events, err := st.AuditEvents(ctx, owner.Staff.ID, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var signedIn, created int64
	for _, e := range events {
		switch {
		case e.Action == data.ActionSignIn && signedIn == 0:
			signedIn = e.ID
		case e.Action == data.ActionCreate && e.Entity == data.EntityProduct:
			created = e.ID
		}
	}
	if signedIn == 0 || created == 0 || signedIn > created {
		t.Errorf("the sign-in (event %d) should be recorded before the product (event %d)", signedIn, created)
	}
}

// TestAFailedBackgroundCheckWritesNothing: when the check fails, the
// sign-in that did not wait is never recorded, every write gets the damage,
// and the file is left as it was, with nothing beside it.
func TestAFailedBackgroundCheckWritesNothing(t *testing.T) {
	path, owner := demoFile(t, 20)
	hash := fileHash(t, path)
	st, check := openWithSlowCheck(t, path)
	ctx := t.Context()
	if _, err := st.SignIn(ctx, owner.Staff.ID, owner.Password); err != nil {
		t.Fatalf("signing in while the check runs: %v", err)
	}
	check.outcome <- fmtDamage()
	err := st.Checked(ctx)
	var d *sqlite.DamagedDatabaseError
	if !errors.As(err, &d) || !strings.Contains(err.Error(), "NeedleDesk did not open it and has not changed it") {
		t.Fatalf("Checked: %v; want the damage in words", err)
	}
	product := validProduct("Calming serum", data.CategoryHydrating)
	if err := st.CreateProduct(ctx, owner.Staff.ID, &product); !errors.Is(err, data.ErrDamaged) {
		t.Errorf("a write after the failed check: %v; want the damage", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	untouched(t, path, hash, "opening with a failed background check")
}

// fmtDamage is a damaged-file error such as the full check gives.
func fmtDamage() error { return fakeDamage{} }

type fakeDamage struct{}

func (fakeDamage) Error() string        { return "damage: page 7 is never used" }
func (fakeDamage) Is(target error) bool { return target == data.ErrDamaged }

// TestDamageOnlyTheFullCheckFindsIsRefusedUntouched: a file whose header,
// schema and staff read well but whose pages are damaged further in opens
// for reading; the real background check finds the damage, names the
// newest good backup, and nothing is ever written to the file or beside it.
func TestDamageOnlyTheFullCheckFindsIsRefusedUntouched(t *testing.T) {
	path, owner := demoFile(t, 200)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for p := len(b)/pageSize - 12; p < len(b)/pageSize-4; p++ { // leaves of the big tables, far from the schema
		for i := p * pageSize; i < (p+1)*pageSize; i++ {
			b[i] = byte(i * 7)
		}
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	hash := fileHash(t, path)
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(func() time.Time { return testNow }),
		sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: filepath.Join(t.TempDir(), "none")}))
	if err != nil {
		t.Fatalf("Open: %v; the damage should be one only the full check finds", err)
	}
	ctx := t.Context()
	_, _ = st.SignIn(ctx, owner.Staff.ID, owner.Password)
	err = st.Checked(ctx)
	var d *sqlite.DamagedDatabaseError
	if !errors.As(err, &d) || !errors.Is(err, data.ErrDamaged) ||
		!strings.Contains(err.Error(), "is not a NeedleDesk database or is damaged") ||
		!strings.Contains(err.Error(), "NeedleDesk did not open it and has not changed it") {
		t.Fatalf("Checked: %v; want the damage in words", err)
	}
	product := validProduct("Calming serum", data.CategoryHydrating)
	if err := st.CreateProduct(ctx, owner.Staff.ID, &product); !errors.Is(err, data.ErrDamaged) {
		t.Errorf("a write after the failed check: %v; want the damage", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	untouched(t, path, hash, "opening a damaged file")
}

// TestTheCheckWaitsForTheSignIn: the background check does not start at
// Open, where it would share the processor with the password check and
// the first screens, but once a password has been checked, or when
// something waits for it (Checked), or after CheckDelay.
func TestTheCheckWaitsForTheSignIn(t *testing.T) {
	path, owner := demoFile(t, 5)
	old := sqlite.CheckDelay
	sqlite.CheckDelay = time.Hour
	t.Cleanup(func() { sqlite.CheckDelay = old })
	started := make(chan struct{}, 1)
	open := func(day time.Time) *sqlite.Store {
		st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(func() time.Time { return day }),
			sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: filepath.Join(t.TempDir(), "none"),
				Check: func(context.Context) error { started <- struct{}{}; return nil }}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	startsWithin := func(what string, d time.Duration) {
		t.Helper()
		select {
		case <-started:
		case <-time.After(d):
			t.Fatalf("the check did not start %s", what)
		}
	}
	st := open(testNow)
	select {
	case <-started:
		t.Fatal("the check started at Open, beside the sign-in")
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := st.SignIn(t.Context(), owner.Staff.ID, owner.Password); err != nil {
		t.Fatal(err)
	}
	startsWithin("once the password was checked", 5*time.Second)
	if err := st.Checked(t.Context()); err != nil {
		t.Fatalf("Checked: %v", err)
	}
	events, err := st.AuditEvents(t.Context(), owner.Staff.ID, data.AuditFilter{Action: data.ActionSignIn})
	if err != nil || len(events) == 0 {
		t.Errorf("the sign-in was not recorded once the check passed: %d rows, %v", len(events), err)
	}

	st2 := open(testNow.Add(24 * time.Hour)) // the next day: checked again
	if err := st2.Checked(t.Context()); err != nil {
		t.Fatalf("Checked: %v", err)
	}
	startsWithin("when waited for", time.Second)

	sqlite.CheckDelay = 50 * time.Millisecond // and on its own, soon after Open
	open(testNow.Add(48 * time.Hour))
	startsWithin("on its own", 5*time.Second)
}

// TestWrongPasswordsDoNotWaitForTheCheck: while the full check runs, a
// wrong password is refused at once (on a large clinic waiting for the
// check took seconds), the wait after repeated wrong passwords still
// holds, and once the check passes every attempt is in the trail and in
// the count, in the order they were made.
func TestWrongPasswordsDoNotWaitForTheCheck(t *testing.T) {
	path, owner := demoFile(t, 20)
	st, check := openWithSlowCheck(t, path)
	ctx := t.Context()
	answered := make(chan error, 1)
	for i := 1; i <= data.FreeSignInAttempts; i++ {
		go func() {
			_, err := st.SignIn(ctx, owner.Staff.ID, "not the password")
			answered <- err
		}()
		select {
		case err := <-answered:
			if !errors.Is(err, data.ErrWrongPassword) {
				t.Fatalf("wrong password %d while the check runs: %v", i, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("wrong password %d waited for the check", i)
		}
	}
	_, err := st.SignIn(ctx, owner.Staff.ID, owner.Password)
	var wait *data.SignInWaitError
	if !errors.As(err, &wait) || wait.WrongPassword {
		t.Fatalf("the right password after %d wrong ones, while the check runs: %v; want the wait", data.FreeSignInAttempts, err)
	}
	check.outcome <- nil
	if err := st.Checked(ctx); err != nil {
		t.Fatalf("Checked: %v", err)
	}
	if rep, err := st.VerifyAuditChain(ctx); err != nil || rep.Problem != "" {
		t.Errorf("the audit chain after the attempts: %v %s", err, rep.Problem)
	}
	if err := st.Close(); err != nil { // the file, read below as it is, holds all
		t.Fatal(err)
	}
	failed := 0
	var notes []string
	err = readOnlyDB(t, path).QueryRow(`SELECT failed_attempts FROM staff WHERE id = ?`, owner.Staff.ID).Scan(&failed)
	if err != nil {
		t.Fatal(err)
	}
	if failed != data.FreeSignInAttempts {
		t.Errorf("the file counts %d wrong passwords; want %d", failed, data.FreeSignInAttempts)
	}
	rows, err := readOnlyDB(t, path).Query(`SELECT detail FROM audit_event WHERE action = 'sign_in_failed' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var note string
		if err := rows.Scan(&note); err != nil {
			t.Fatal(err)
		}
		notes = append(notes, note)
	}
	want := []string{"wrong password (1 in a row)", "wrong password (2 in a row)", "wrong password (3 in a row)",
		"wrong password (4 in a row)", "wrong password (5 in a row)"}
	if len(notes) != len(want)+1 || strings.Join(notes[:len(want)], "|") != strings.Join(want, "|") ||
		!strings.Contains(notes[len(want)], "before the wait") {
		t.Errorf("the trail's refusals: %q; want %q and then the refusal to wait", notes, want)
	}
}

// TestSendingMailDoesNotStartTheCheck: the mail worker's look for due
// messages, as the window opens, neither writes nor starts the full
// check when nothing is due; a due message waits for the check in its
// own time, and is claimed once it has passed. (Before, the first look
// set the check going at once, on a large clinic seconds of a processor
// beside the window opening and the password check.)
func TestSendingMailDoesNotStartTheCheck(t *testing.T) {
	old := sqlite.CheckDelay
	sqlite.CheckDelay = time.Hour
	t.Cleanup(func() { sqlite.CheckDelay = old })
	b := newBook(t)
	b.booked(b.desk.ID, b.appt()) // its confirmation is due now
	b.closeStore()
	st, check := openWithSlowCheck(t, b.path)
	defer st.Close()
	defer func() { // a failure below leaves the check waiting: let Close end it
		select {
		case check.outcome <- nil:
		default:
		}
	}()
	ctx := t.Context()

	early, cancel := context.WithTimeout(ctx, 5*time.Second) // a look that waited for the check would never end
	defer cancel()
	if items, err := st.ClaimOutbox(early, testNow.Add(-time.Hour), lease, 10); err != nil || len(items) != 0 {
		t.Fatalf("a look an hour early: %v, %d items", err, len(items))
	}
	claimed := make(chan []data.OutboxItem, 1)
	go func() {
		items, err := st.ClaimOutbox(ctx, testNow, lease, 10)
		if err != nil {
			t.Error(err)
		}
		claimed <- items
	}()
	select {
	case <-check.started:
		t.Fatal("looking for messages to send started the full check")
	case items := <-claimed:
		t.Fatalf("a message was claimed before the check passed: %d", len(items))
	case <-time.After(300 * time.Millisecond):
	}
	go func() { _ = st.Checked(ctx) }() // as a sign-in would: the check starts
	<-check.started
	check.outcome <- nil
	select {
	case items := <-claimed:
		if len(items) != 1 || items[0].Message.Kind != data.MessageConfirmation {
			t.Fatalf("claimed after the check: %+v; want the confirmation", items)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the due message was not claimed after the check passed")
	}
}
