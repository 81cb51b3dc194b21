package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/admin"
	"needledesk/ui/dialogs"
	"needledesk/ui/handover"
	"needledesk/ui/widgets"
)

// Clinic is the clinic's database as the app reaches it: checked and
// opened at start, closed and replaced by a restore, then opened again.
type Clinic struct {
	// Path is the database file, named in messages.
	Path string
	// Check looks the file over without changing it. A damaged file is a
	// *Damage; other errors are shown as they are.
	Check func(ctx context.Context) error
	// Open opens the database for the screens. Its close function ends
	// everything that uses the database and closes it: with backUp, when
	// the app quits, after the automatic backup at quitting; without, before
	// a restore, which keeps its own copy of the database it replaces.
	Open func(ctx context.Context) (Deps, func(backUp bool), error)
	// Restore replaces the closed database with a backup, keeping a safety
	// copy of the one replaced, and reports where that copy went.
	Restore func(ctx context.Context, r admin.RestoreRequest) (safetyCopy string, err error)

	// Server says that Path is a database server's address (with no
	// password in it), not a file.
	Server bool
	// Named says the clinic was named on the command line (--db): the
	// server saved in the settings is not used instead.
	Named bool
	// Empty says nothing is kept at Path yet. On a new workstation (not
	// Named, no server saved) the person then chooses between this
	// computer only and the clinic's server.
	Empty bool
	// Servers reaches a clinic's records on a server; nil offers no
	// "Connect to the clinic's server".
	Servers *Servers
}

// Damage is a database that cannot be opened safely, with the newest
// backup that checks out (Backup is empty when there is none). The
// launcher also takes a data.DamageReport, as a file store gives it.
type Damage struct {
	Problem  string
	Backup   string
	BackupAt time.Time
}

func (d *Damage) Error() string { return "the clinic's database is damaged: " + d.Problem }

// launcher owns the window across the database's life: it shows progress
// while the file is checked and opened, the main screens once it is open,
// and the damage screen when it cannot be.
type launcher struct {
	ctx     context.Context
	cancel  context.CancelFunc
	working sync.WaitGroup // opening or restoring in the background
	app     fyne.App
	window  fyne.Window
	clinic  Clinic
	do      func(func())

	main  *mainWindow
	close func(backUp bool) // closes the open database; nil when none is open

	servers *Servers
	local   *Clinic // the file on this computer, when --db named none
	// password is the server's password typed here, kept in memory only;
	// savePassword: keep it in ~/.pgpass once it has opened the clinic.
	password     string
	savePassword bool
}

func newLauncher(ctx context.Context, a fyne.App, w fyne.Window, clinic Clinic, do func(func())) *launcher {
	ctx, cancel := context.WithCancel(ctx)
	l := &launcher{ctx: ctx, cancel: cancel, app: a, window: w, clinic: clinic, do: do, servers: clinic.Servers}
	if !clinic.Named && !clinic.Server {
		l.local = &clinic
	}
	return l
}

// start checks and opens the database in the background, showing
// progress meanwhile, so the window appears at once.
func (l *launcher) start() {
	l.window.SetTitle(startTitle(l.app.Preferences(), l.clinic.Path))
	detail := "Checking the file and reading it in."
	if l.clinic.Server {
		detail = "Connecting to the clinic's server."
	}
	l.window.SetContent(statusScreen("Opening the clinic's records…", detail))
	l.working.Add(1)
	go func() {
		defer l.working.Done()
		deps, closeDB, err := l.checkAndOpen()
		if l.ctx.Err() != nil { // the app is closing: nobody will use it
			if closeDB != nil {
				closeDB(true)
			}
			return
		}
		l.do(func() {
			if l.ctx.Err() != nil {
				if closeDB != nil {
					closeDB(true)
				}
				return
			}
			l.opened(deps, closeDB, err)
		})
	}()
}

func (l *launcher) checkAndOpen() (Deps, func(bool), error) {
	if l.clinic.Check != nil {
		if err := l.clinic.Check(l.ctx); err != nil {
			return Deps{}, nil, err
		}
	}
	return l.clinic.Open(l.ctx)
}

func (l *launcher) opened(deps Deps, closeDB func(bool), err error) {
	var damage *Damage
	var report data.DamageReport
	switch {
	case errors.As(err, &damage):
		l.showDamage(damage)
	case errors.As(err, &report):
		d := report.Damage()
		l.showDamage(&Damage{Problem: d.Problem, Backup: d.Backup, BackupAt: d.BackupAt})
	case err != nil && l.clinic.Server:
		l.showServerProblem(err)
	case err != nil:
		l.window.SetContent(problemScreen("NeedleDesk could not open the clinic's records",
			data.UserMessage(err)+"\n\nThe file is "+l.clinic.Path+".", l.app.Quit, l.connectButton(func() { l.opened(deps, closeDB, err) })...))
	default:
		l.keepPassword()
		l.close = closeDB
		deps.restore = l.restore
		if l.clinic.Server && l.servers != nil {
			deps.changeServer = l.changeServer
		}
		l.main = newMainWindowIn(l.app, l.window, deps, l.do)
		if w, ok := deps.Store.(data.ChangeWatcher); ok {
			stop := followOthers(l.ctx, w, l.main, l.do)
			l.close = func(backUp bool) { stop(); closeDB(backUp) }
		}
		if c, ok := deps.Store.(data.FullChecker); ok {
			l.watchCheck(l.main, c.Checked)
		}
	}
}

// watchCheck waits for the full check of the file that opening left
// running in the background (the sign-in screen works meanwhile; writes
// wait for it). Should it fail, the screens stop, the records close
// without a backup, and the damage screen says what was found; nothing
// has been written to the file.
func (l *launcher) watchCheck(m *mainWindow, checked func(ctx context.Context) error) {
	if checked == nil {
		return
	}
	l.working.Add(1)
	go func() {
		defer l.working.Done()
		err := checked(l.ctx)
		if err == nil || l.ctx.Err() != nil {
			return
		}
		l.do(func() {
			if l.ctx.Err() != nil || l.main != m { // closing, or restored meanwhile
				return
			}
			l.main.stopAll()
			l.main = nil
			closeDB := l.close
			l.close = nil
			l.working.Add(1)
			go func() { defer l.working.Done(); closeDB(false) }()
			l.opened(Deps{}, nil, err)
		})
	}()
}

// shutdown closes the database when the app ends, after any opening or
// restoring still under way has stopped, and removes the sheets handed to
// the viewer or the print service (viewerSheets).
func (l *launcher) shutdown() {
	defer handover.RemoveTemp()
	l.cancel()
	done := make(chan struct{})
	go func() { l.working.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute): // a restore cannot be stopped halfway; it has a minute
	}
	if l.close != nil {
		l.close(true)
		l.close = nil
	}
}

// restore replaces the open database with a backup: the screens stop,
// the database closes, the backup goes in, and the app opens it afresh at
// the sign-in screen. done hears how it went, on the UI goroutine.
func (l *launcher) restore(req admin.RestoreRequest, done func(safetyCopy string, err error)) {
	closeDB := l.leaveRecords("Restoring the backup…", "Keeping a copy of the records as they were, then putting the backup in their place.")
	l.working.Add(1)
	go func() {
		defer l.working.Done()
		if closeDB != nil {
			closeDB(false) // the restore keeps a copy of what it replaces
		}
		safety, err := l.clinic.Restore(l.ctx, req)
		if l.ctx.Err() != nil {
			return // the app is closing
		}
		l.do(func() {
			if l.ctx.Err() != nil {
				return
			}
			l.start()
			done(safety, err)
		})
	}()
}

// leaveRecords stops the screens, shows what happens next, and hands
// over the function that closes the records (nil when none are open),
// which the caller runs off the UI goroutine.
func (l *launcher) leaveRecords(title, detail string) (closeDB func(backUp bool)) {
	if l.main != nil {
		l.main.stopAll()
		l.main = nil
	}
	l.window.SetContent(statusScreen(title, detail))
	closeDB, l.close = l.close, nil
	return closeDB
}

// changeServer closes the records on the server the window is on, as a
// restore does (the screens stop first), and shows "Connect to the
// clinic's server"; its Back opens the same server again.
func (l *launcher) changeServer() {
	closeDB := l.leaveRecords("Closing the clinic's records…", "Then choose the server to connect to.")
	l.background(func() error {
		if closeDB != nil {
			closeDB(false) // the server keeps its own backups
		}
		return nil
	}, func(error) { l.showConnect(l.start) })
}

// showDamage explains that the file is damaged and offers the newest good
// backup. The damaged file itself is never touched: a restore keeps it
// aside, byte for byte.
func (l *launcher) showDamage(d *Damage) {
	msg := "NeedleDesk found a problem inside the database file and will not open it, so nothing more can go wrong with it. " +
		"The file has not been changed.\n\nWhat was found: " + d.Problem + "\n\nThe file is " + l.clinic.Path + "."
	var actions []fyne.CanvasObject
	if d.Backup != "" {
		msg += fmt.Sprintf("\n\nThe newest backup that checks out was made on %s:\n%s\n\n"+
			"Restoring it brings back the records as they were then; anything added since is not in it. "+
			"The damaged file is kept beside the backups, so nothing is lost for good.",
			d.BackupAt.Local().Format("Monday 2 January 2006 at 15:04"), d.Backup)
		restore := &widget.Button{Text: "Restore this backup", Icon: theme.HistoryIcon(), Importance: widget.HighImportance}
		restore.OnTapped = func() {
			restore.Disable()
			l.restore(admin.RestoreRequest{From: d.Backup, Actor: data.SystemActor}, func(_ string, err error) {
				if err != nil {
					l.showDamage(d)
					dialogs.ShowPlainError(l.window, "The backup could not be restored", err)
				}
			})
		}
		actions = append(actions, restore)
	} else {
		msg += "\n\nNo backup that checks out was found in the backups folder beside it. " +
			"Ask whoever looks after the computer to find a copy, then use `needledesk restore`."
	}
	l.window.SetContent(problemScreen("The clinic's records are damaged", msg, l.app.Quit, actions...))
}

// statusScreen is a calm, centred message with a moving bar.
func statusScreen(title, detail string) fyne.CanvasObject {
	bar := widget.NewProgressBarInfinite()
	return centredCard(560, container.NewVBox(
		container.NewHBox(widget.NewIcon(headingIcon), widgets.Title(title)),
		widgets.Caption(detail), bar))
}

// problemScreen explains something that stops NeedleDesk from opening,
// with a way out.
func problemScreen(title, message string, quit func(), actions ...fyne.CanvasObject) fyne.CanvasObject {
	text := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	buttons := append([]fyne.CanvasObject{layout.NewSpacer(), &widget.Button{Text: "Quit", OnTapped: quit}}, actions...)
	return centredCard(560, container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.WarningIcon()), widgets.Title(title)),
		text, container.NewHBox(buttons...)))
}

// centredCard shows content on a card of the given width in the middle of
// the window; its height follows the content.
func centredCard(w float32, content fyne.CanvasObject) fyne.CanvasObject {
	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(w, 0))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	return container.NewCenter(container.NewStack(width, bg, container.NewPadded(container.NewPadded(content))))
}
