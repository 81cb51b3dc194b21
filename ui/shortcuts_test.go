package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// shortcutTakers is every widget in o that takes shortcuts when focused.
func shortcutTakers(o fyne.CanvasObject) []fyne.Shortcutable {
	var out []fyne.Shortcutable
	uitest.Walk(o, func(x fyne.CanvasObject) {
		if s, ok := x.(fyne.Shortcutable); ok {
			if _, isFocusable := x.(fyne.Focusable); isFocusable {
				out = append(out, s)
			}
		}
	})
	return out
}

// Every text field of every screen and form hands the window's shortcuts
// to the window: none may swallow them.
func TestEveryFieldHandsTheWindowShortcutsOn(t *testing.T) {
	e := newStoreEnv(t)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	e.c.AddProduct(t, "Calm gel", data.CategoryProtectiveGel, 0)
	m := newShellWindow(t, e)
	e.q.WaitFor(t, "the screens to load", func() bool { return m.settings.Ready && len(e.q) == 0 })

	screens := map[string]fyne.CanvasObject{"client list": m.clients.Content, "due back": m.dueBack.Content,
		"products": m.products.Content, "audit": m.audit.Content}
	for _, item := range m.settings.Tabs.Items {
		screens["settings, "+item.Text] = item.Content
	}
	m.openClient(zoe.ID)
	screens["client record"] = m.stack.Top().Content
	screens["client form"] = m.area.ClientForm(zoe, nil, nil).Content
	screens["session form"] = m.area.NewSession(m.stack, zoe).Content
	screens["product form"] = m.admin.ProductForm(data.Product{}, nil, nil).Content
	for _, s := range []fyne.Shortcut{widgets.FindShortcut, widgets.NewClientShortcut, widgets.LockShortcut, widgets.SaveShortcut} {
		got := 0
		m.window.Canvas().AddShortcut(s, func(fyne.Shortcut) { got++ })
		for name, content := range screens {
			m.window.SetContent(content) // on the canvas, as on screen
			takers := shortcutTakers(content)
			var kept []string
			for i, w := range takers {
				if onSave(w) && s == widgets.SaveShortcut {
					continue // saves its own form (TestCtrlSFromATickBoxSavesTheForm for the rest)
				}
				before := got
				w.TypedShortcut(s)
				if got != before+1 {
					kept = append(kept, fmt.Sprintf("%d (%T)", i+1, w))
				}
			}
			if len(kept) > 0 {
				t.Errorf("%s: %d of %d fields kept %s from the window: %s", name, len(kept), len(takers),
					s.ShortcutName(), strings.Join(kept, ", "))
			}
		}
	}
}

// onSave reports whether w is a field that saves its own form on Ctrl+S.
func onSave(w any) bool {
	switch f := w.(type) {
	case *widgets.Entry:
		return f.OnSave != nil
	}
	return false
}

// Right after signing in the keyboard is on the client search, not on the
// hidden password field, so the window's shortcuts and typing work at once.
func TestShortcutsWorkRightAfterSigningIn(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindowSignedOut(t, e)
	owner := e.c.StaffByRole(t, data.RoleOwner)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	c := m.window.Canvas()
	if c.Focused() != fyne.Focusable(m.clients.Search) {
		t.Fatalf("after signing in the keyboard is on %T; want the client search", c.Focused())
	}
	uitest.TypeShortcut(c, widgets.NewClientShortcut)
	if m.stack.Top().Title != "New client" {
		t.Fatalf("Ctrl+N right after signing in: the page in view is %q", m.stack.Top().Title)
	}
	m.stack.Pop()
	uitest.TypeShortcut(c, widgets.FindShortcut)
	uitest.TypeKeys(t, c, "zo")
	if m.clients.Search.Text != "zo" || m.signIn.password.Text != "" {
		t.Fatalf("typed after Ctrl+F: search %q, hidden password %q", m.clients.Search.Text, m.signIn.password.Text)
	}
}

// Ctrl+S saves the form in view when the focus is on a tick box or a
// drop-down, not only from its text fields.
func TestCtrlSFromATickBoxSavesTheForm(t *testing.T) {
	e := newStoreEnv(t)
	m := newShellWindow(t, e)
	c := m.window.Canvas()
	uitest.TypeShortcut(c, widgets.NewClientShortcut)
	e.q.WaitFor(t, "the form to settle", func() bool { return len(e.q) == 0 })
	uitest.TypeKeys(t, c, "Ann") // the cursor starts in the given name
	var boxes []*widgets.Check
	var entries []*widgets.Entry
	uitest.Walk(m.stack.Top().Content, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widgets.Check:
			if x.Text == data.Concerns[0].Label() { // a concern: the e-mail reminders tick would need an address
				boxes = append(boxes, x)
			}
		case *widgets.Entry:
			entries = append(entries, x)
		}
	})
	if entries[0].Text != "Ann" {
		t.Fatalf("the name typed did not reach the new client form: %q", entries[0].Text)
	}
	entries[1].SetText("Lee")
	entries[2].SetText("1990-03-14")
	entries[3].SetText("+44 20 7946 0958")
	c.Focus(boxes[0])
	test.Tap(boxes[0]) // a concern ticked; the focus is on the tick box
	if _, ok := c.Focused().(fyne.Shortcutable); ok {
		t.Fatal("the tick box should not take shortcuts itself")
	}
	uitest.TypeShortcut(c, widgets.SaveShortcut)
	e.q.WaitFor(t, "the client saved", func() bool {
		list, _ := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{})
		return len(list) == 1 && list[0].GivenName == "Ann"
	})
}

// Locking or switching user puts the keyboard on the sign-in screen at
// once: nothing typed goes to the hidden screens.
func TestLockTakesTheKeyboardToTheSignInScreen(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	signInAs(t, e, m, e.c.StaffByRole(t, data.RoleOwner), "owner-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	c := m.window.Canvas()
	uitest.TypeKeys(t, c, "zo")
	uitest.TypeShortcut(c, widgets.LockShortcut)
	if m.work.Visible() {
		t.Fatal("Ctrl+L in the search did not lock")
	}
	uitest.TypeKeys(t, c, "owner-pass-1") // before the staff list is read again
	if m.clients.Search.Text != "zo" || m.signIn.password.Text != "owner-pass-1" {
		t.Fatalf("typed on the lock screen: hidden search %q, password %q", m.clients.Search.Text, m.signIn.password.Text)
	}
	m.signIn.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.q.WaitFor(t, "the owner back", func() bool { return m.work.Visible() })
	if c.Focused() != fyne.Focusable(m.clients.Search) || m.clients.Search.Text != "zo" {
		t.Fatalf("the same person should carry on in the search: focus %T, text %q", c.Focused(), m.clients.Search.Text)
	}
}

// Locked with a question open, the same person finds the question again;
// once it is answered the shortcuts work, as the keyboard is not left on
// the hidden sign-in screen.
func TestShortcutsWorkAfterALockOverADialog(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	owner := e.c.StaffByRole(t, data.RoleOwner)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	c := m.window.Canvas()
	uitest.TypeShortcut(c, widgets.NewClientShortcut)
	e.q.WaitFor(t, "the form to settle", func() bool { return len(e.q) == 0 })
	uitest.TypeKeys(t, c, "Ann")
	uitest.TypeShortcut(c, widgets.FindShortcut) // asks first: the form has changes
	if !strings.Contains(overlayText(m.window), "Leave and lose them?") {
		t.Fatal("Ctrl+F over a changed form should ask first")
	}
	uitest.TypeShortcut(c, widgets.LockShortcut)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner back", func() bool { return m.work.Visible() })
	test.Tap(uitest.Button(t, m.window, "Cancel"))
	uitest.TypeShortcut(c, widgets.FindShortcut)
	if !strings.Contains(overlayText(m.window), "Leave and lose them?") {
		t.Fatalf("after the question was answered Ctrl+F went to %T, not the window", c.Focused())
	}
}
