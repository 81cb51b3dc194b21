package admin

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Another owner, at another workstation, changes a staff member while this
// one has the edit dialog open: Save says who changed the account and
// when, keeps what was typed and offers Reload; Reload shows the account
// as saved and names the fields whose typing it replaced; saved again,
// the change goes through.
func TestStaffDialogConflictSaysWhoAndReloads(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	openStaffTab(t, e, s)
	sam := e.c.StaffNamed(t, "Sam O'Neill")
	s.staff.onEdit(sam)
	d := s.staff.editing
	if d == nil || d.reload.Visible() {
		t.Fatal("no edit dialog, or Reload on show before any conflict")
	}

	other, err := sqlite.Open(e.Ctx, e.st.Path(), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	jo := data.Staff{Name: "Jo Brandt", Role: data.RoleOwner, Active: true}
	if err := other.CreateStaff(e.Ctx, data.SystemActor, &jo); err != nil {
		t.Fatal(err)
	}
	theirs, err := other.StaffMember(e.Ctx, data.SystemActor, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs.Role = data.RoleTechnician
	if err := other.UpdateStaff(e.Ctx, jo.ID, &theirs); err != nil {
		t.Fatal(err)
	}

	d.name.SetText("")
	test.Type(d.name, "Sam O'Neil")
	test.Tap(d.active)
	test.Tap(d.saveBtn)
	e.q.WaitFor(t, "the save to be answered", func() bool { return !d.saving })
	msg := d.summary.Text
	clock := testClock().Local().Format("15:04")
	for _, want := range []string{"Jo Brandt changed Sam O'Neill's account at " + clock, "since you opened it",
		"not saved", "What you typed is still in the form", "Reload"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q does not say %q", msg, want)
		}
	}
	if !d.summary.Visible() || !d.reload.Visible() || s.staff.editing != d {
		t.Fatal("the dialog closed, or its message or Reload is not on show")
	}
	if d.name.Text != "Sam O'Neil" || d.active.Checked {
		t.Errorf("what was typed is gone: name %q, active %v", d.name.Text, d.active.Checked)
	}
	if got := e.c.StaffNamed(t, "Sam O'Neill"); got.Role != data.RoleTechnician || !got.Active {
		t.Fatalf("the other workstation's change was overwritten: %+v", got)
	}

	test.Tap(d.reload)
	e.q.WaitFor(t, "the account read again", func() bool { return !d.saving && !d.reload.Visible() })
	if d.name.Text != "Sam O'Neill" || d.role.Selected != data.RoleTechnician.Label() || !d.active.Checked {
		t.Errorf("after Reload: name %q, role %q, active %v", d.name.Text, d.role.Selected, d.active.Checked)
	}
	if got := d.summary.Text; !strings.Contains(got, "as it is saved now") ||
		!strings.Contains(got, "What you typed in Name and Status was replaced") {
		t.Errorf("after Reload the dialog says %q", got)
	}

	test.Tap(d.active)
	test.Tap(d.saveBtn)
	e.q.WaitFor(t, "the change to be saved", func() bool { return !e.c.StaffNamed(t, "Sam O'Neill").Active })
	if got := e.c.StaffNamed(t, "Sam O'Neill"); got.Role != data.RoleTechnician || got.Version != 3 {
		t.Errorf("after saving again: %+v", got)
	}
}
