package sqlite_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Two workstations share one clinic: each has its own store handle on the
// same file. Both open Maria's record; the first saves; the second's save,
// made over the version it read, is refused with who changed it and when,
// and the first save stands.
func TestUpdateClientFromTwoHandlesSecondGetsConflict(t *testing.T) {
	e := newEnv(t)
	anna := e.staff("Anna Lee", data.RoleReceptionist)
	priya := e.technician()
	c := e.client(named("Maria", "Lopez"))
	other, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()

	first, err := e.st.Client(e.ctx, anna.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.Client(e.ctx, priya.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || second.Version != 1 {
		t.Fatalf("versions read: %d and %d, want 1", first.Version, second.Version)
	}
	first.Phone = "+44 20 7946 0001"
	if err := e.st.UpdateClient(e.ctx, anna.ID, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 || first.UpdatedBy != anna.ID {
		t.Errorf("after the first save: version %d by %d, want 2 by %d", first.Version, first.UpdatedBy, anna.ID)
	}
	before := e.counts("client", "audit_event")
	second.Notes = "Prefers afternoons."
	err = other.UpdateClient(e.ctx, priya.ID, &second)
	if !errors.Is(err, data.ErrConflict) {
		t.Fatalf("second save over a changed record: %v, want ErrConflict", err)
	}
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Anna Lee" || !ce.At.Equal(testNow) || ce.What != "Maria Lopez's record" {
		t.Fatalf("conflict %+v, want Anna Lee at %v on Maria Lopez's record", ce, testNow)
	}
	msg := data.UserMessage(err)
	clock := testNow.Local().Format("15:04")
	if !strings.Contains(msg, "Anna Lee changed Maria Lopez's record at "+clock) || !strings.Contains(msg, "since you opened it") {
		t.Errorf("message %q does not say who changed the record and when", msg)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
		}
	}
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phone != first.Phone || got.Notes == second.Notes || got.Version != 2 {
		t.Errorf("stored after the refused save: phone %q, notes %q, version %d", got.Phone, got.Notes, got.Version)
	}

	// Read again, the second workstation may save.
	again, err := other.Client(e.ctx, priya.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	again.Notes = second.Notes
	if err := other.UpdateClient(e.ctx, priya.ID, &again); err != nil {
		t.Fatalf("save after reading again: %v", err)
	}
	if again.Version != 3 || again.Phone != first.Phone {
		t.Errorf("after reading again: version %d, phone %q", again.Version, again.Phone)
	}
}

// Two owners at two workstations edit the same staff member; the second
// save over the version it read is refused with who changed the account
// and when, and nothing is written.
func TestUpdateStaffFromTwoHandlesSecondGetsConflict(t *testing.T) {
	e := newEnv(t)
	maya := e.owner()
	jo := e.staff("Jo Brandt", data.RoleOwner)
	sam := e.staff("Sam O'Neill", data.RoleReceptionist)
	if sam.Version != 1 {
		t.Fatalf("a new staff member's version is %d, want 1", sam.Version)
	}
	other, err := sqlite.Open(e.ctx, e.path, sqlite.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	first, err := e.st.StaffMember(e.ctx, data.SystemActor, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.StaffMember(e.ctx, data.SystemActor, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.Name = "Sam O'Neil"
	if err := e.st.UpdateStaff(e.ctx, maya.ID, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("after the first save: version %d, want 2", first.Version)
	}
	e.clock.Advance(time.Minute)
	before := e.counts("staff", "audit_event")
	second.Role = data.RoleTechnician
	err = other.UpdateStaff(e.ctx, jo.ID, &second)
	if !errors.Is(err, data.ErrConflict) {
		t.Fatalf("second save over a changed staff member: %v, want ErrConflict", err)
	}
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Maya Lindqvist" || !ce.At.Equal(testNow) || ce.What != "Sam O'Neil's account" {
		t.Fatalf("conflict %+v, want Maya Lindqvist at %v on Sam O'Neil's account", ce, testNow)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
		}
	}
	got, err := e.st.StaffMember(e.ctx, data.SystemActor, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != first.Name || got.Role != data.RoleReceptionist || got.Version != 2 {
		t.Errorf("stored after the refused save: %+v", got)
	}
	again, err := other.StaffMember(e.ctx, data.SystemActor, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	again.Role = data.RoleTechnician
	if err := other.UpdateStaff(e.ctx, jo.ID, &again); err != nil || again.Version != 3 || again.Name != first.Name {
		t.Fatalf("save after reading again: %v, %+v", err, again)
	}
}

// The clinic's settings are one document: two owners at two workstations
// read them; the first saves, and the second's save over the version it
// read is refused with who changed them and when, and nothing is written.
func TestSaveSettingsFromTwoHandlesSecondGetsConflict(t *testing.T) {
	e := newEnv(t)
	maya := e.owner()
	jo := e.staff("Jo Brandt", data.RoleOwner)
	other, err := sqlite.Open(e.ctx, e.path, sqlite.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	first, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 {
		t.Fatalf("the settings' first version is %d, want 1", first.Version)
	}
	first.ClinicName = "Lumen Skin Studio"
	if err := e.st.SaveSettings(e.ctx, maya.ID, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("after the first save: version %d, want 2", first.Version)
	}
	e.clock.Advance(time.Minute)
	before := e.counts("settings", "audit_event")
	second.ClinicName, second.FollowUpDays = "Lumen Skin", 35
	err = other.SaveSettings(e.ctx, jo.ID, &second)
	if !errors.Is(err, data.ErrConflict) {
		t.Fatalf("second save over changed settings: %v, want ErrConflict", err)
	}
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Maya Lindqvist" || !ce.At.Equal(testNow) || ce.What != "the clinic's settings" {
		t.Fatalf("conflict %+v, want Maya Lindqvist at %v on the clinic's settings", ce, testNow)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
		}
	}
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClinicName != first.ClinicName || got.FollowUpDays == 35 || got.Version != 2 {
		t.Errorf("stored after the refused save: %q, %d days, version %d", got.ClinicName, got.FollowUpDays, got.Version)
	}
}
