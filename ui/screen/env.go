// Package screen is what the shell hands every area of the window: the
// person working, the clinic's settings, the clock, the window, typed
// change events, the page stack and the routes between areas. It holds no
// store: each area takes the stores it needs in its own constructor.
package screen

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
)

// Env is the working context every screen shares. Its fields are read and
// written only on the UI goroutine.
type Env struct {
	Ctx      context.Context
	Do       func(func()) // fyne.Do in the app; a queue the test drains in tests
	Events   *Events
	Window   fyne.Window
	Settings data.Settings
	Actor    data.Staff // the staff member working now; ID 0 before one is chosen
	Clock    data.Clock // nil means time.Now
	// Kept names the files no save may write over (the open database,
	// its companions and backups); nil when there are none.
	Kept func() data.KeptFiles
	// Router opens a page by its route; the shell sets it.
	Router func(Route)
}

// Now is the clinic's current time.
func (env *Env) Now() time.Time {
	if env.Clock != nil {
		return env.Clock()
	}
	return time.Now()
}

// Today is the clinic's current date.
func (env *Env) Today() data.Date { return data.DateOf(env.Now().Local()) }

// ActorID is who writes are recorded as.
func (env *Env) ActorID() int64 { return env.Actor.ID }

// Open shows the page route names, wherever it lives.
func (env *Env) Open(r Route) {
	if env.Router != nil {
		env.Router(r)
	}
}

// Background runs work off the UI goroutine and hands its result to apply
// on the UI goroutine. Results that arrive after the window closed are
// dropped.
func Background[T any](env *Env, work func(ctx context.Context) (T, error), apply func(T, error)) {
	go func() {
		v, err := work(env.Ctx)
		env.Do(func() {
			if env.Ctx.Err() != nil {
				return
			}
			apply(v, err)
		})
	}()
}

// ShowError explains a failure in plain words.
func (env *Env) ShowError(title string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	dialogs.ShowPlainError(env.Window, title, err)
}

// ShowMessage explains something in plain words the caller has written.
func (env *Env) ShowMessage(title, message string) {
	dialogs.ShowPlainMessage(env.Window, title, message)
}

// ProgressTask is long work that reports how far it has got, from 0 to 1.
type ProgressTask func(ctx context.Context, progress func(float64)) error

// CountProgress turns "done of total" reports into the fraction a
// progress bar shows.
func CountProgress(progress func(float64)) func(done, total int) {
	return func(done, total int) {
		if total > 0 {
			progress(float64(done) / float64(total))
		}
	}
}

// WithProgress runs task in the background behind a dialog with a Cancel
// button, then calls done on the UI goroutine, telling it whether the user
// cancelled. The bar moves without measure until the task first reports
// how far it has got.
//
// The dialog's close callback is set once and never cleared: Fyne 2.7
// appends close callbacks, so clearing one with nil panics later.
func (env *Env) WithProgress(title, message string, task ProgressTask, done func(err error, cancelled bool)) {
	ctx, cancel := context.WithCancel(env.Ctx)
	bar := widget.NewProgressBar()
	bar.Hide()
	spinner := widget.NewProgressBarInfinite()
	body := container.NewVBox(&widget.Label{Text: message, Wrapping: fyne.TextWrapWord}, spinner, bar)
	d := dialog.NewCustom(title, "Cancel", body, env.Window)
	d.SetOnClosed(cancel) // Cancel, Escape and the Hide below all end the context
	d.Resize(fyne.NewSize(420, 160))
	dialogs.ShowDialog(env.Window, d, nil)
	report := func(f float64) {
		env.Do(func() {
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
		env.Do(func() {
			cancelled := ctx.Err() != nil
			spinner.Stop()
			d.Hide()
			cancel()
			if env.Ctx.Err() == nil {
				done(err, cancelled)
			}
		})
	}()
}

// Confirm asks a yes/no question; onYes runs only on yes.
func (env *Env) Confirm(title, question, yes string, onYes func()) {
	msg := &widget.Label{Text: question, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(title, yes, "Cancel", msg, func(ok bool) {
		if ok {
			onYes()
		}
	}, env.Window)
	d.Resize(fyne.NewSize(440, 200))
	dialogs.ShowDialog(env.Window, d, nil)
}

// Focus puts the keyboard focus on o, which must be in the window's content
// or one of its dialogs.
func (env *Env) Focus(o fyne.Focusable) {
	if env.Window != nil {
		env.Window.Canvas().Focus(o)
	}
}

// KeptFiles are the files no save may write over (see Kept).
func (env *Env) KeptFiles() data.KeptFiles {
	if env.Kept == nil {
		return data.KeptFiles{}
	}
	return env.Kept()
}
