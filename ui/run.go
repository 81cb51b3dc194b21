//go:build cgo

package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// Run opens NeedleDesk's main window and returns when the user quits or ctx
// ends (Ctrl+C or SIGTERM from the command line quit as cleanly as closing
// the window). It must be called from the main goroutine.
func Run(ctx context.Context, deps Deps) error {
	if deps.Clients == nil {
		return errors.New("ui: Deps.Clients is required")
	}
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon)
	a.Settings().SetTheme(newClinicTheme())
	w := NewMainWindow(a, deps)
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.ShowAndRun()
	return nil
}
