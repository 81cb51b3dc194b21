//go:build cgo

package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// Run opens NeedleDesk's window at once, checks and opens the clinic's
// database behind a progress screen, and returns when the user quits or
// ctx ends (Ctrl+C or SIGTERM from the command line quit as cleanly as
// closing the window), after closing the database. It must be called from
// the main goroutine.
func Run(ctx context.Context, clinic Clinic) error {
	if clinic.Open == nil || clinic.Restore == nil {
		return errors.New("ui: Clinic.Open and Clinic.Restore are required")
	}
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon)
	a.Settings().SetTheme(newClinicTheme())
	w := a.NewWindow(appName)
	w.SetIcon(appIcon)
	w.Resize(fyne.NewSize(1180, 760))
	l := newLauncher(ctx, a, w, clinic, fyne.Do)
	defer l.shutdown()
	l.start()
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.ShowAndRun()
	return nil
}
