package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// pickOnSignIn chooses a name from the sign-in drop-down as a person does.
func pickOnSignIn(t *testing.T, m *mainWindow, name string) {
	t.Helper()
	test.Tap(m.signIn.who)
	top := m.window.Canvas().Overlays().Top()
	var item fyne.Tappable
	uitest.Walk(top, func(o fyne.CanvasObject) {
		if !strings.HasSuffix(fmt.Sprintf("%T", o), "menuItem") || item != nil {
			return
		}
		uitest.Walk(o, func(x fyne.CanvasObject) {
			if text, ok := x.(*canvas.Text); ok && strings.HasPrefix(text.Text, name) {
				item = o.(fyne.Tappable)
			}
		})
	})
	if item == nil {
		t.Fatalf("%s is not in the drop-down", name)
	}
	test.Tap(item)
}

// A name chosen on the sign-in screen keeps the cursor in the password,
// even when the staff list is read again afterwards (as after Switch user
// or a change to the staff).
func TestChoosingANameLeavesTheCursorInThePassword(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	e.q.WaitFor(t, "the staff list", func() bool { return len(m.signIn.staff) == 3 })
	desk := e.c.StaffByRole(t, data.RoleReceptionist)
	pickOnSignIn(t, m, desk.Name)
	m.signIn.staff = nil
	m.signIn.reload()
	e.q.WaitFor(t, "the staff list again", func() bool { return len(m.signIn.staff) == 3 })
	c := m.window.Canvas()
	if c.Focused() != fyne.Focusable(m.signIn.password) {
		t.Fatalf("after choosing a name the keyboard is on %T; want the password", c.Focused())
	}
	if got := m.signIn.who.Selected; !strings.HasPrefix(got, desk.Name) {
		t.Fatalf("the name chosen became %q", got)
	}
	uitest.TypeKeys(t, c, "receptionist-pass-1")
	m.signIn.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.q.WaitFor(t, "the receptionist signed in", func() bool { return m.work.Visible() && m.env.Actor.ID == desk.ID })
}
