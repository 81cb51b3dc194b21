//go:build cgo

package ui

import (
	"errors"

	"fyne.io/fyne/v2/app"
)

// Run opens NeedleDesk's main window and returns when the user quits.
// It must be called from the main goroutine.
func Run(deps Deps) error {
	if deps.Clients == nil {
		return errors.New("ui: Deps.Clients is required")
	}
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon)
	a.Settings().SetTheme(newClinicTheme())
	NewMainWindow(a, deps).ShowAndRun()
	return nil
}
