package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/widgets"
)

// prefServer is the app's setting that keeps the clinic's server chosen
// on this workstation: a postgres:// URL, never with a password.
const prefServer = "clinic_server"

// begin opens the clinic as the app starts: the one --db named; else the
// server saved in the settings; else, on a new workstation with no file
// yet, it asks where the clinic's records are.
func (l *launcher) begin() {
	if l.servers != nil && l.local != nil {
		if saved := l.app.Preferences().String(prefServer); saved != "" {
			l.clinic = l.serverClinic(saved)
		} else if l.clinic.Empty {
			l.showChoice()
			return
		}
	}
	l.start()
}

// serverClinic is the clinic on the server at url, with the password
// typed here, if any.
func (l *launcher) serverClinic(url string) Clinic {
	c := l.servers.Clinic(url, l.password)
	c.Server, c.Named, c.Servers = true, true, l.servers
	return c
}

// showChoice asks a new workstation where the clinic's records are.
func (l *launcher) showChoice() {
	l.window.SetTitle(appName)
	local := &widget.Button{Text: "Use this computer only", Icon: theme.ComputerIcon(), OnTapped: l.useLocal}
	server := &widget.Button{Text: "Connect to the clinic's server", Icon: theme.StorageIcon(), Importance: widget.HighImportance,
		OnTapped: func() { l.showConnect(l.showChoice) }}
	text := &widget.Label{Text: "This computer has no clinic records yet.\n\n" +
		"If NeedleDesk runs on this computer alone, keep the records here. If the clinic has several workstations " +
		"sharing one database server, connect to that server: everyone then works on the same records.", Wrapping: fyne.TextWrapWord}
	l.window.SetContent(centredCard(560, container.NewVBox(
		container.NewHBox(widget.NewIcon(headingIcon), widgets.Title("Where are the clinic's records?")),
		text, container.NewHBox(layout.NewSpacer(), local, server))))
}

// useLocal opens the file on this computer and forgets any saved server.
func (l *launcher) useLocal() {
	l.app.Preferences().RemoveValue(prefServer)
	l.password, l.savePassword = "", false
	l.clinic = *l.local
	l.start()
}

// connectButton offers the connect screen, coming back with back.
func (l *launcher) connectButton(back func()) []fyne.CanvasObject {
	if l.servers == nil {
		return nil
	}
	return []fyne.CanvasObject{&widget.Button{Text: "Connect to the clinic's server", OnTapped: func() { l.showConnect(back) }}}
}

// showConnect shows "Connect to the clinic's server"; back returns to
// the screen it came from.
func (l *launcher) showConnect(back func()) {
	saved := l.app.Preferences().String(prefServer)
	if l.clinic.Server {
		saved = l.clinic.Path
	}
	var local func()
	if l.local != nil {
		local = l.useLocal
	}
	c := newConnectScreen(l.ctx, saved, l.servers, l.background, l.connectTo, back, local)
	l.window.SetContent(c.content)
}

// connectTo saves the server's address in the settings and opens it.
func (l *launcher) connectTo(url, password string, save bool) {
	l.app.Preferences().SetString(prefServer, url)
	l.password, l.savePassword = password, save
	l.clinic = l.serverClinic(url)
	l.start()
}

// background runs work off the UI goroutine and apply back on it, unless
// the app is closing.
func (l *launcher) background(work func() error, apply func(error)) {
	l.working.Add(1)
	go func() {
		defer l.working.Done()
		err := work()
		l.do(func() {
			if l.ctx.Err() == nil {
				apply(err)
			}
		})
	}()
}

// showServerProblem says plainly why the server did not open, with
// Retry and Change server; for a password, a field to type it in.
func (l *launcher) showServerProblem(err error) {
	title, msg := serverProblemWords(err)
	again := func() { l.showServerProblem(err) }
	change := &widget.Button{Text: "Change server", OnTapped: func() { l.showConnect(again) }}
	retry := &widget.Button{Text: "Retry", Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance}
	if !errors.Is(err, data.ErrServerWantsPassword) && !errors.Is(err, data.ErrServerRefusedPassword) {
		retry.OnTapped = l.start
		l.window.SetContent(problemScreen(title, msg+"\n\nThe server: "+parseServerAddress(l.clinic.Path).words()+".", l.app.Quit, change, retry))
		return
	}
	password := widget.NewPasswordEntry()
	password.PlaceHolder = "The password for the clinic's server"
	keep := &widget.Check{Text: "Keep this password in ~/.pgpass on this computer (only you can read it)"}
	retry.OnTapped = func() {
		l.password, l.savePassword = password.Text, keep.Checked && password.Text != ""
		l.clinic = l.serverClinic(l.clinic.Path)
		l.start()
	}
	password.OnSubmitted = func(string) { retry.OnTapped() }
	if errors.Is(err, data.ErrServerWantsPassword) {
		retry.Text = "Connect"
	}
	field := widgets.NewField("password", "Password", password)
	text := &widget.Label{Text: msg + "\n\nThe server: " + parseServerAddress(l.clinic.Path).words() + ".", Wrapping: fyne.TextWrapWord}
	l.window.SetContent(centredCard(560, container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.WarningIcon()), widgets.Title(title)),
		text, field.Box, keep,
		container.NewHBox(layout.NewSpacer(), &widget.Button{Text: "Quit", OnTapped: l.app.Quit}, change, retry))))
	l.window.Canvas().Focus(password)
}

// keepPassword, once the clinic has opened with a password typed here,
// keeps it in ~/.pgpass when the person ticked that.
func (l *launcher) keepPassword() {
	if !l.savePassword || l.password == "" || l.servers == nil || l.servers.SavePassword == nil {
		return
	}
	url, password := l.clinic.Path, l.password
	l.savePassword = false
	l.background(func() error { return l.servers.SavePassword(url, password) }, func(err error) {
		if err != nil {
			dialogs.ShowPlainError(l.window, "The password could not be kept in ~/.pgpass", err)
		}
	})
}
