package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
)

// Switch user, or someone else signing in after a lock, leaves nothing of
// the last person's searches, filters or open records; the same person
// after a lock finds them as they were.
func TestAnotherPersonStartsWithClearScreens(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindowSignedOut(t, e)
	owner, desk := e.c.StaffByRole(t, data.RoleOwner), e.c.StaffByRole(t, data.RoleReceptionist)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner's screens", func() bool { return m.work.Visible() && m.settings.Ready })
	leaveTraces := func() {
		test.Type(m.clients.Search, "zo")
		m.dueBack.Window.SetSelected("Next 30 days")
		m.dueBack.Overdue.SetChecked(false)
		m.products.ShowRetired.SetChecked(true)
		m.audit.Action.SetSelectedIndex(2)
		m.openClient(zoe.ID)
	}
	clear := func(who string) {
		t.Helper()
		if m.clients.Search.Text != "" || m.stack.Depth() != 1 || m.dueBack.Window.Selected != "Next 14 days" ||
			!m.dueBack.Overdue.Checked || m.products.ShowRetired.Checked || m.audit.Action.SelectedIndex() != 0 {
			t.Fatalf("%s finds search %q, %d pages, due back %q overdue %v, retired %v, audit action %d", who,
				m.clients.Search.Text, m.stack.Depth(), m.dueBack.Window.Selected, m.dueBack.Overdue.Checked,
				m.products.ShowRetired.Checked, m.audit.Action.SelectedIndex())
		}
	}
	leaveTraces()
	test.Tap(m.staffBar.switchU)
	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the receptionist's screens", func() bool { return m.work.Visible() && m.env.Actor.ID == desk.ID })
	clear("after Switch user, the receptionist")

	test.Type(m.clients.Search, "zo")
	m.lockNow()
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner's screens", func() bool { return m.work.Visible() && m.env.Actor.ID == owner.ID })
	clear("after the receptionist's lock, the owner")

	leaveTraces()
	m.lockNow()
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner back", func() bool { return m.work.Visible() })
	if m.clients.Search.Text != "zo" || m.stack.Depth() != 2 || !m.products.ShowRetired.Checked {
		t.Fatal("after a lock the same person should find their search, record and filters as they left them")
	}
}
