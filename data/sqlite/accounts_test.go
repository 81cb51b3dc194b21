package sqlite_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"needledesk/data"
)

// account adds an active staff member with a password.
func (e *env) account(name string, role data.Role, password string) data.Staff {
	e.t.Helper()
	s := e.staff(name, role)
	if err := e.st.SetPassword(e.ctx, data.SystemActor, s.ID, password); err != nil {
		e.t.Fatalf("SetPassword(%s): %v", name, err)
	}
	s.HasPassword = true
	return s
}

// storedHash reads a staff member's password hash as saved.
func (e *env) storedHash(id int64) string {
	e.t.Helper()
	var h string
	if err := e.st.WriterForTest().QueryRowContext(e.ctx, `SELECT password_hash FROM staff WHERE id = ?`, id).Scan(&h); err != nil {
		e.t.Fatal(err)
	}
	return h
}

func TestSignInChecksThePassword(t *testing.T) {
	e := newEnv(t)
	sam := e.account("Sam O'Neill", data.RoleReceptionist, "desk at nine")
	h := e.storedHash(sam.ID)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "desk at nine") {
		t.Fatalf("stored hash %q is not argon2id at the OWASP minimum", h)
	}
	got, err := e.st.SignIn(e.ctx, sam.ID, "desk at nine")
	if err != nil || got != sam {
		t.Fatalf("SignIn = %+v, %v; want %+v", got, err, sam)
	}
	e.wantAudit(sam.ID, data.ActionSignIn, data.EntityStaff, sam.ID)

	_, err = e.st.SignIn(e.ctx, sam.ID, "desk at ten")
	if !errors.Is(err, data.ErrWrongPassword) || !errors.Is(err, data.ErrSignIn) || errors.Is(err, data.ErrTooSoon) {
		t.Errorf("wrong password: %v", err)
	}
	if msg := data.UserMessage(err); !strings.HasPrefix(msg, "That password is not right") {
		t.Errorf("the screen would say %q", msg)
	}
	e.wantAudit(sam.ID, data.ActionSignInFailed, data.EntityStaff, sam.ID)

	off := e.account("Olga Former", data.RoleTechnician, "gone but not forgotten")
	off.Active = false
	if err := e.st.UpdateStaff(e.ctx, data.SystemActor, &off); err != nil {
		t.Fatal(err)
	}
	nopw := e.staff("Yuki Tanaka", data.RoleReceptionist)
	for _, c := range []struct {
		id   int64
		want error
	}{{off.ID, data.ErrAccountOff}, {nopw.ID, data.ErrNoPassword}, {4040, data.ErrUnknownStaff}} {
		audits := e.count("audit_event")
		if _, err := e.st.SignIn(e.ctx, c.id, "gone but not forgotten"); !errors.Is(err, c.want) {
			t.Errorf("signing in as %d: %v; want %v", c.id, err, c.want)
		}
		if n := e.count("audit_event"); n != audits+1 {
			t.Errorf("a refused sign-in wrote %d audit rows; want 1", n-audits)
		}
		e.wantAudit(c.id, data.ActionSignInFailed, data.EntityStaff, c.id)
	}
}

// TestSignInWaitsAfterFiveWrongPasswords drives the wait with the store's
// clock: five wrong passwords are free, then each wait doubles from 30
// seconds; a good password after the wait clears the count.
func TestSignInWaitsAfterFiveWrongPasswords(t *testing.T) {
	e := newEnv(t)
	tech := e.account("Priya Raman", data.RoleTechnician, "needles and lots")
	for i := 1; i < data.FreeSignInAttempts; i++ {
		if _, err := e.st.SignIn(e.ctx, tech.ID, fmt.Sprint("guess ", i)); !errors.Is(err, data.ErrWrongPassword) || errors.Is(err, data.ErrTooSoon) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
		e.clock.Advance(time.Second)
	}
	_, err := e.st.SignIn(e.ctx, tech.ID, "guess 5")
	var wait *data.SignInWaitError
	if !errors.As(err, &wait) || !errors.Is(err, data.ErrWrongPassword) || !errors.Is(err, data.ErrTooSoon) ||
		wait.Failures != 5 || wait.Wait != 30*time.Second || !wait.Until.Equal(e.clock.Now().Add(30*time.Second)) {
		t.Fatalf("fifth wrong password: %#v", err)
	}
	until := wait.Until

	// Too soon: even the right password is not checked, and not counted.
	e.clock.Advance(29 * time.Second)
	_, err = e.st.SignIn(e.ctx, tech.ID, "needles and lots")
	if !errors.As(err, &wait) || errors.Is(err, data.ErrWrongPassword) || !wait.Until.Equal(until) ||
		wait.Remaining(e.clock.Now()) != time.Second {
		t.Fatalf("29 seconds later: %v", err)
	}
	if msg := data.UserMessage(err); !strings.Contains(msg, "try again in 1 second") {
		t.Errorf("the screen would say %q", msg)
	}
	e.wantAudit(tech.ID, data.ActionSignInFailed, data.EntityStaff, tech.ID)

	// After the wait a sixth wrong password doubles it.
	e.clock.Advance(time.Second)
	_, err = e.st.SignIn(e.ctx, tech.ID, "guess 6")
	if !errors.As(err, &wait) || wait.Failures != 6 || wait.Wait != time.Minute {
		t.Fatalf("sixth wrong password: %v", err)
	}
	e.clock.Advance(time.Minute)
	if _, err := e.st.SignIn(e.ctx, tech.ID, "needles and lots"); err != nil {
		t.Fatalf("the right password after the wait: %v", err)
	}
	e.wantAudit(tech.ID, data.ActionSignIn, data.EntityStaff, tech.ID)
	if _, err := e.st.SignIn(e.ctx, tech.ID, "guess 7"); !errors.Is(err, data.ErrWrongPassword) || errors.Is(err, data.ErrTooSoon) {
		t.Errorf("a wrong password after a good sign-in: %v; want no wait", err)
	}
}

// TestSignInRehashesAWeakHash: a hash made with weaker settings than
// today's is replaced at the next good sign-in.
func TestSignInRehashesAWeakHash(t *testing.T) {
	e := newEnv(t)
	s := e.staff("Maya Lindqvist", data.RoleOwner)
	salt := []byte("sixteen byte salt")[:16]
	key := argon2.IDKey([]byte("an old password"), salt, 1, 1024, 1, 32)
	b64 := base64.RawStdEncoding
	weak := fmt.Sprintf("$argon2id$v=19$m=1024,t=1,p=1$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE staff SET password_hash = ? WHERE id = ?`, weak, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.SignIn(e.ctx, s.ID, "an old password"); err != nil {
		t.Fatal(err)
	}
	h := e.storedHash(s.ID)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("after signing in the hash is still %q", h)
	}
	if _, err := e.st.SignIn(e.ctx, s.ID, "an old password"); err != nil {
		t.Fatalf("the new hash does not take the same password: %v", err)
	}
}

func TestSignOutAndLockAreRecorded(t *testing.T) {
	e := newEnv(t)
	s := e.account("Sam O'Neill", data.RoleReceptionist, "desk at nine")
	for _, why := range []data.LockReason{data.LockedByHand, data.LockedWhenIdle} {
		if err := e.st.RecordLock(e.ctx, s.ID, why); err != nil {
			t.Fatal(err)
		}
		e.wantAudit(s.ID, data.ActionLock, data.EntityStaff, s.ID)
	}
	evs, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ActorID: s.ID, Action: data.ActionLock})
	if err != nil || len(evs) != 2 || !strings.Contains(evs[0].Detail, "idle") || !strings.Contains(evs[1].Detail, "by hand") {
		t.Errorf("the trail does not tell an idle lock from one by hand: %+v, %v", evs, err)
	}
	if err := e.st.SignOut(e.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(s.ID, data.ActionSignOut, data.EntityStaff, s.ID)
	if err := e.st.SignOut(e.ctx, 4040); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("signing out someone unknown: %v", err)
	}
}

func TestSetPasswordRules(t *testing.T) {
	e := newEnv(t)
	boss := e.account("Maya Lindqvist", data.RoleOwner, "the owner's own")
	desk := e.account("Sam O'Neill", data.RoleReceptionist, "desk at nine")
	tech := e.account("Priya Raman", data.RoleTechnician, "needles and lots")

	// Anyone sets their own.
	if err := e.st.SetPassword(e.ctx, desk.ID, desk.ID, "desk at ten"); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(desk.ID, data.ActionPasswordSet, data.EntityStaff, desk.ID)
	if _, err := e.st.SignIn(e.ctx, desk.ID, "desk at ten"); err != nil {
		t.Fatalf("the new password: %v", err)
	}

	// Only an owner sets someone else's; a refusal changes no password.
	before := e.snapshot()
	e.wantRefused(e.st.SetPassword(e.ctx, desk.ID, tech.ID, "i know yours"), desk.ID, before)

	// An owner's reset clears the wait after wrong passwords.
	for i := range data.FreeSignInAttempts {
		_, _ = e.st.SignIn(e.ctx, tech.ID, fmt.Sprint("guess ", i))
	}
	if _, err := e.st.SignIn(e.ctx, tech.ID, "needles and lots"); !errors.Is(err, data.ErrTooSoon) {
		t.Fatalf("after five wrong passwords: %v; want a wait", err)
	}
	if err := e.st.SetPassword(e.ctx, boss.ID, tech.ID, "a fresh start"); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionPasswordSet, data.EntityStaff, tech.ID)
	if _, err := e.st.SignIn(e.ctx, tech.ID, "a fresh start"); err != nil {
		t.Fatalf("signing in right after the owner's reset: %v", err)
	}

	// Too short, said for the field; nobody unknown.
	audits := e.count("audit_event")
	err := e.st.SetPassword(e.ctx, tech.ID, tech.ID, "short")
	var ve *data.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.For("password"), "at least 8 characters") {
		t.Errorf("a short password: %v", err)
	}
	if err := e.st.SetPassword(e.ctx, boss.ID, 4040, "long enough"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a password for nobody: %v", err)
	}
	if n := e.count("audit_event"); n != audits {
		t.Errorf("refused passwords wrote %d audit rows", n-audits)
	}

	// A switched-off account cannot set even its own.
	tech.Active = false
	if err := e.st.UpdateStaff(e.ctx, boss.ID, &tech); err != nil {
		t.Fatal(err)
	}
	before = e.snapshot()
	e.wantRefused(e.st.SetPassword(e.ctx, tech.ID, tech.ID, "let me back in"), tech.ID, before)
}

// TestTheLastOwnerStays: the clinic always keeps an active owner who can
// sign in.
func TestTheLastOwnerStays(t *testing.T) {
	e := newEnv(t)
	boss := e.account("Maya Lindqvist", data.RoleOwner, "the owner's own")
	demoted := boss
	demoted.Role = data.RoleTechnician
	off := boss
	off.Active = false
	for field, change := range map[string]data.Staff{"role": demoted, "active": off} {
		before := e.counts("staff", "audit_event")
		err := e.st.UpdateStaff(e.ctx, boss.ID, &change)
		e.refused(err, field, before)
		if !strings.Contains(data.UserMessage(err), "only active owner") {
			t.Errorf("the refusal reads %q", data.UserMessage(err))
		}
	}

	// A second owner without a password cannot sign in: still refused.
	second := e.staff("Tomás Herrera", data.RoleOwner)
	off = boss
	off.Active = false
	err := e.st.UpdateStaff(e.ctx, boss.ID, &off)
	if !errors.Is(err, data.ErrInvalid) || !strings.Contains(data.UserMessage(err), "only owner who can sign in") {
		t.Errorf("switching off the only owner with a password: %v", err)
	}
	if err := e.st.SetPassword(e.ctx, boss.ID, second.ID, "second in command"); err != nil {
		t.Fatal(err)
	}
	if err := e.st.UpdateStaff(e.ctx, boss.ID, &off); err != nil {
		t.Errorf("switching off one of two owners: %v", err)
	}
	if _, err := e.st.SignIn(e.ctx, boss.ID, "the owner's own"); !errors.Is(err, data.ErrAccountOff) {
		t.Errorf("signing in after being switched off: %v", err)
	}
}

func TestFirstOwner(t *testing.T) {
	e := newEnv(t)
	if need, err := e.st.NeedsOwner(e.ctx); err != nil || !need {
		t.Fatalf("a new database: NeedsOwner = %v, %v", need, err)
	}
	if _, err := e.st.CreateFirstOwner(e.ctx, "Maya Lindqvist", "short"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a short first password: %v", err)
	}
	boss, err := e.st.CreateFirstOwner(e.ctx, " Maya Lindqvist ", "the owner's own")
	if err != nil || boss.Name != "Maya Lindqvist" || boss.Role != data.RoleOwner || !boss.Active || !boss.HasPassword {
		t.Fatalf("CreateFirstOwner = %+v, %v", boss, err)
	}
	e.wantAudit(boss.ID, data.ActionPasswordSet, data.EntityStaff, boss.ID)
	if got, err := e.st.SignIn(e.ctx, boss.ID, "the owner's own"); err != nil || got.ID != boss.ID {
		t.Fatalf("the first owner signs in: %+v, %v", got, err)
	}
	if need, _ := e.st.NeedsOwner(e.ctx); need {
		t.Error("NeedsOwner after the first owner was made")
	}
	staff := e.count("staff")
	if _, err := e.st.CreateFirstOwner(e.ctx, "Someone Else", "i am the owner now"); !errors.Is(err, data.ErrConflict) {
		t.Errorf("a second first owner: %v; want ErrConflict", err)
	}
	if n := e.count("staff"); n != staff {
		t.Errorf("a refused first owner added %d staff", n-staff)
	}
}

// TestFirstOwnerOfAnOlderDatabase: an owner made before sign-in existed
// gets the password instead of a second account of the same name.
func TestFirstOwnerOfAnOlderDatabase(t *testing.T) {
	e := newEnv(t)
	old := e.owner()
	e.staff("Priya Raman", data.RoleTechnician)
	if need, _ := e.st.NeedsOwner(e.ctx); !need {
		t.Fatal("an owner without a password can sign in?")
	}
	got, err := e.st.CreateFirstOwner(e.ctx, "maya lindqvist", "the owner's own")
	if err != nil || got.ID != old.ID {
		t.Fatalf("CreateFirstOwner = %+v, %v; want the existing owner %d", got, err, old.ID)
	}
	if n := e.count("staff"); n != 2 {
		t.Errorf("%d staff; want the same 2", n)
	}
	if _, err := e.st.SignIn(e.ctx, old.ID, "the owner's own"); err != nil {
		t.Error(err)
	}
}
