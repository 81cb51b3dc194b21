package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The window's own shortcuts (Cmd instead of Ctrl on macOS). They work
// wherever the focus is:
//
//   - Fyne gives a shortcut to the focused widget when that widget takes
//     shortcuts (a text field does), and to the window only otherwise. A
//     plain text field keeps every shortcut it does not know, so each of
//     NeedleDesk's fields (formEntry) hands these on to the window.
//   - With nothing focused, or a tick box, a drop-down or a button, the
//     window has them directly (mainWindow.addShortcuts).
//   - Focus never stays behind on a screen that has gone (the sign-in
//     screen once someone is in, a page left), where it would swallow them
//     unseen (pageStack.show, mainWindow.signedIn).
var (
	findShortcut      = ctrl(fyne.KeyF) // the client search
	newClientShortcut = ctrl(fyne.KeyN) // a new client
	lockShortcut      = ctrl(fyne.KeyL) // lock the screen
	saveShortcut      = ctrl(fyne.KeyS) // save the form in view
)

// windowShortcuts are those a text field hands on to the window.
var windowShortcuts = map[string]bool{
	findShortcut.ShortcutName():      true,
	newClientShortcut.ShortcutName(): true,
	lockShortcut.ShortcutName():      true,
	saveShortcut.ShortcutName():      true,
}

func ctrl(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func isSaveShortcut(s fyne.Shortcut) bool { return s.ShortcutName() == saveShortcut.ShortcutName() }

// passToWindow gives s to the window o is in when it is one of the
// window's shortcuts, and reports whether it did.
func passToWindow(o fyne.CanvasObject, s fyne.Shortcut) bool {
	if o == nil || !windowShortcuts[s.ShortcutName()] {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if w, ok := c.(fyne.Shortcutable); ok {
		w.TypedShortcut(s)
		return true
	}
	return false
}

// addShortcuts gives the window its shortcuts. While a dialog or a
// drop-down is open they wait, so nothing changes behind it; Lock works
// even then, and hides the dialog with the rest.
func (m *mainWindow) addShortcuts() {
	c := m.window.Canvas()
	add := func(s fyne.Shortcut, run func(), overDialogs bool) {
		c.AddShortcut(s, func(fyne.Shortcut) {
			if overDialogs || len(c.Overlays().List()) == 0 {
				run()
			}
		})
	}
	add(findShortcut, m.focusSearch, false)
	add(newClientShortcut, m.newClient, false)
	add(saveShortcut, m.saveInView, false)
	add(lockShortcut, m.lockNow, true)
}
