package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// appEnv is what every screen shares: the stores, the window, the change
// events, the clinic's settings and who is working. Its fields are read and
// written only on the UI goroutine.
type appEnv struct {
	ctx      context.Context
	do       func(func()) // fyne.Do in the app; a queue the test drains in tests
	deps     Deps
	events   *events
	window   fyne.Window
	settings data.Settings
	actor    data.Staff // the staff member working now; ID 0 before one is chosen

	welcomeShown bool
}

// now is the clinic's current time.
func (env *appEnv) now() time.Time {
	if env.deps.Now != nil {
		return env.deps.Now()
	}
	return time.Now()
}

// today is the clinic's current date.
func (env *appEnv) today() data.Date { return data.DateOf(env.now().Local()) }

// background runs work off the UI goroutine and hands its result to apply
// on the UI goroutine. Results that arrive after the window closed are
// dropped.
func background[T any](env *appEnv, work func(ctx context.Context) (T, error), apply func(T, error)) {
	go func() {
		v, err := work(env.ctx)
		env.do(func() {
			if env.ctx.Err() != nil {
				return
			}
			apply(v, err)
		})
	}()
}

// showError explains a failure in plain words.
func (env *appEnv) showError(title string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	showPlainError(env.window, title, err)
}

// showPlainError explains a failure in a window that has no screens yet.
func showPlainError(w fyne.Window, title string, err error) {
	showPlainMessage(w, title, data.UserMessage(err))
}

// showPlainMessage tells something in a window that may have no screens.
func showPlainMessage(w fyne.Window, title, message string) {
	msg := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(title, "OK", msg, w)
	d.Resize(fyne.NewSize(460, 200))
	showDialog(w, d, d.Hide)
}

// showMessage explains something in plain words the caller has written.
func (env *appEnv) showMessage(title, message string) {
	showPlainMessage(env.window, title, message)
}

// progressTask is long work that reports how far it has got, from 0 to 1.
type progressTask func(ctx context.Context, progress func(float64)) error

// countProgress turns "done of total" reports into the fraction a
// progress bar shows.
func countProgress(progress func(float64)) func(done, total int) {
	return func(done, total int) {
		if total > 0 {
			progress(float64(done) / float64(total))
		}
	}
}

// withProgress runs task in the background behind a dialog with a Cancel
// button, then calls done on the UI goroutine, telling it whether the user
// cancelled. The bar moves without measure until the task first reports
// how far it has got.
//
// The dialog's close callback is set once and never cleared: Fyne 2.7
// appends close callbacks, so clearing one with nil panics later.
func (env *appEnv) withProgress(title, message string, task progressTask, done func(err error, cancelled bool)) {
	ctx, cancel := context.WithCancel(env.ctx)
	bar := widget.NewProgressBar()
	bar.Hide()
	spinner := widget.NewProgressBarInfinite()
	body := container.NewVBox(&widget.Label{Text: message, Wrapping: fyne.TextWrapWord}, spinner, bar)
	d := dialog.NewCustom(title, "Cancel", body, env.window)
	d.SetOnClosed(cancel) // Cancel, Escape and the Hide below all end the context
	d.Resize(fyne.NewSize(420, 160))
	showDialog(env.window, d, nil)
	report := func(f float64) {
		env.do(func() {
			if !bar.Visible() {
				spinner.Stop()
				spinner.Hide()
				bar.Show()
			}
			bar.SetValue(f)
		})
	}
	go func() {
		err := task(ctx, report)
		env.do(func() {
			cancelled := ctx.Err() != nil
			spinner.Stop()
			d.Hide()
			cancel()
			if env.ctx.Err() == nil {
				done(err, cancelled)
			}
		})
	}()
}

// confirm asks a yes/no question; onYes runs only on yes.
func (env *appEnv) confirm(title, question, yes string, onYes func()) {
	msg := &widget.Label{Text: question, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(title, yes, "Cancel", msg, func(ok bool) {
		if ok {
			onYes()
		}
	}, env.window)
	d.Resize(fyne.NewSize(440, 200))
	showDialog(env.window, d, nil)
}

// actorID is who writes are recorded as.
func (env *appEnv) actorID() int64 { return env.actor.ID }
