package ui

import (
	"needledesk/ui/widgets"

	"fyne.io/fyne/v2"
)

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
	add(widgets.FindShortcut, m.focusSearch, false)
	add(widgets.NewClientShortcut, m.newClient, false)
	add(widgets.SaveShortcut, m.saveInView, false)
	add(widgets.LockShortcut, m.lockNow, true)
}
