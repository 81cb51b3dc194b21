package widgets

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
	FindShortcut      = Ctrl(fyne.KeyF) // the client search
	NewClientShortcut = Ctrl(fyne.KeyN) // a new client
	LockShortcut      = Ctrl(fyne.KeyL) // lock the screen
	SaveShortcut      = Ctrl(fyne.KeyS) // save the form in view
)

// windowShortcuts are those a text field hands on to the window.
var windowShortcuts = map[string]bool{
	FindShortcut.ShortcutName():      true,
	NewClientShortcut.ShortcutName(): true,
	LockShortcut.ShortcutName():      true,
	SaveShortcut.ShortcutName():      true,
}

func Ctrl(k fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func IsSaveShortcut(s fyne.Shortcut) bool { return s.ShortcutName() == SaveShortcut.ShortcutName() }

// PassToWindow gives s to the window o is in when it is one of the
// window's shortcuts, and reports whether it did.
func PassToWindow(o fyne.CanvasObject, s fyne.Shortcut) bool {
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
