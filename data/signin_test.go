package data

import (
	"testing"
	"time"
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
