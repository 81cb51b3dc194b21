package sqlite_test

import (
	"errors"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// TestRestoreChecksPermRestore: a receptionist or technician of the
// current database may not replace it with a backup. The refusal changes
// nothing and is recorded in the current database's audit trail; an
// owner's restore goes ahead.
func TestRestoreChecksPermRestore(t *testing.T) {
	cb := makeClinicBackup(t, 20, sqlite.BackupOptions{})
	e := newEnv(t)
	desk := e.staff("Sam O'Neill", data.RoleReceptionist)
	owner := e.staff("Maya Lindqvist", data.RoleOwner)
	e.client(named("Only", "Current"))
	e.closeStore()
	before := dump(t, e.path)
	_, err := sqlite.Restore(e.ctx, e.path, cb.backup, sqlite.RestoreOptions{Actor: desk.ID, Clock: e.clock.Now})
	var fe *data.ForbiddenError
	if !errors.As(err, &fe) || fe.Permission != data.PermRestore {
		t.Fatalf("a receptionist's restore: %v; want refused for PermRestore", err)
	}
	after := dump(t, e.path)
	sameTables(t, after, before, "audit_event", "audit_head")
	if n, m := len(after["audit_event"]), len(before["audit_event"]); n != m+1 {
		t.Fatalf("the trail has %d events, before %d; want the refusal added", n, m)
	}
	if ev := lastEvent(t, e.path); ev.Action != data.ActionDenied || ev.ActorID != desk.ID || ev.Entity != data.EntityDatabase {
		t.Errorf("newest event %+v; want the refused restore", ev)
	}
	if _, err := sqlite.Restore(e.ctx, e.path, cb.backup, sqlite.RestoreOptions{Actor: owner.ID, Clock: e.clock.Now}); err != nil {
		t.Fatalf("the owner's restore: %v", err)
	}
	restoredAsWanted(t, e.path, cb, owner.ID)
}
