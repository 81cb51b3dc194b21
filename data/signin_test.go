package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestSignInDelayGrowsAfterFiveFailures(t *testing.T) {
	want := map[int]time.Duration{0: 0, 4: 0, 5: 30 * time.Second, 6: time.Minute, 7: 2 * time.Minute,
		9: 8 * time.Minute, 10: 15 * time.Minute, 50: 15 * time.Minute}
	for n, w := range want {
		if got := SignInDelay(n); got != w {
			t.Errorf("after %d failures: %v, want %v", n, got, w)
		}
	}
}

func TestNextSignInAtIsAtMost15MinutesAway(t *testing.T) {
	now := time.Date(2026, 8, 30, 12, 0, 0, 0, time.UTC)
	ahead := now.Add(84 * 24 * time.Hour) // the clock ran 84 days ahead at the last failure
	if got := NextSignInAt(FreeSignInAttempts, ahead, now); !got.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("after a clock jump back: %v; want %v", got, now.Add(15*time.Minute))
	}
	if got := NextSignInAt(FreeSignInAttempts, now, now); !got.Equal(now.Add(30 * time.Second)) {
		t.Errorf("ordinary wait: %v; want 30 s from now", got)
	}
}

func TestIdleLockWithInjectedClock(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	l := NewIdleLock(func() time.Time { return now }, 5)
	now = now.Add(4*time.Minute + 59*time.Second)
	if l.Locked() {
		t.Fatal("locked before 5 minutes")
	}
	l.Touch()
	now = now.Add(4 * time.Minute)
	if l.Locked() {
		t.Fatal("input did not restart the idle time")
	}
	now = now.Add(time.Minute)
	if !l.Locked() {
		t.Fatal("not locked after 5 idle minutes")
	}
	if NewIdleLock(func() time.Time { return now }, 0).Locked() {
		t.Fatal("0 minutes should never lock")
	}
	never := NewIdleLock(func() time.Time { return now }, -5)
	now = now.Add(24 * time.Hour)
	if never.Locked() {
		t.Fatal("negative minutes should never lock")
	}
}

func TestRolesFollowTheTable(t *testing.T) {
	for _, p := range Permissions {
		if !RoleOwner.Can(p) {
			t.Errorf("owner cannot %s", p)
		}
		if RoleReceptionist.Can(p) && !RoleTechnician.Can(p) {
			t.Errorf("a receptionist may %s but a technician may not", p)
		}
		if p.Describe() == "" {
			t.Errorf("%s has no description", p)
		}
	}
	for _, p := range []Permission{PermClientEditClinical, PermSessionWrite, PermSettingsWrite, PermStaffWrite, PermAuditView} {
		if RoleReceptionist.Can(p) {
			t.Errorf("a receptionist may %s", p)
		}
	}
	for _, p := range []Permission{PermSettingsWrite, PermStaffWrite, PermAuditView, PermBackup, PermRestore, PermExport} {
		if RoleTechnician.Can(p) {
			t.Errorf("a technician may %s", p)
		}
	}
	if Role("intern").Can(PermClientView) {
		t.Error("an unknown role may do something")
	}
}

func TestReceptionistsSeeSummariesAndNoClinicalFields(t *testing.T) {
	for _, p := range []Permission{PermSessionDetails, PermClientEditClinical, PermClientArchive, PermProductWrite} {
		if RoleReceptionist.Can(p) {
			t.Errorf("a receptionist may %s", p.Describe())
		}
		if !RoleTechnician.Can(p) && p != PermClientArchive {
			t.Errorf("a technician may not %s", p.Describe())
		}
	}
	for _, p := range []Permission{PermClientView, PermClientCreate, PermClientEditContact, PermSessionView, PermSheetMake} {
		if !RoleReceptionist.Can(p) {
			t.Errorf("a receptionist may not %s", p.Describe())
		}
	}
}

func TestSignInRefusalsMatchAndRead(t *testing.T) {
	for _, err := range []error{ErrWrongPassword, ErrAccountOff, ErrNoPassword, ErrUnknownStaff, ErrTooSoon} {
		wrapped := fmt.Errorf("signing in: %w", err)
		if !errors.Is(wrapped, ErrSignIn) || !errors.Is(wrapped, err) {
			t.Errorf("%v does not match itself and ErrSignIn", err)
		}
		if msg := UserMessage(wrapped); msg == "" || strings.Contains(msg, "inside NeedleDesk") || !unicode.IsUpper([]rune(msg)[0]) {
			t.Errorf("UserMessage(%v) = %q", err, msg)
		}
	}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	wait := &SignInWaitError{Failures: 6, Until: now.Add(time.Minute), Wait: time.Minute}
	if !errors.Is(wait, ErrTooSoon) || errors.Is(wait, ErrWrongPassword) || wait.Remaining(now.Add(45*time.Second)) != 15*time.Second ||
		wait.Remaining(now.Add(time.Hour)) != 0 {
		t.Errorf("wait error: %v", wait)
	}
	if got := UserMessage(wait); got != "6 wrong passwords in a row; try again in 60 seconds." {
		t.Errorf("UserMessage = %q", got)
	}
	wait.WrongPassword, wait.Wait = true, 4*time.Minute
	if !errors.Is(wait, ErrWrongPassword) || UserMessage(wait) != "That password is not right. 6 wrong passwords in a row; try again in 4 minutes." {
		t.Errorf("a wrong password that starts a wait: %q", UserMessage(wait))
	}
	last := now
	if got := NextSignInAt(4, last, last); !got.Equal(last) {
		t.Errorf("after 4 failures the next attempt waits until %v", got)
	}
	if got := NextSignInAt(5, last, last); !got.Equal(last.Add(30 * time.Second)) {
		t.Errorf("after 5 failures the next attempt waits until %v", got)
	}
}
