package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// Servers is how this workstation reaches a clinic's records kept on a
// database server (ui/desktop wires it; the screens never learn which
// store they have).
type Servers struct {
	// Clinic is the clinic on the server at url, which holds no password;
	// password, when not empty, was typed here and is kept in memory only.
	Clinic func(url, password string) Clinic
	// Test connects to the server at url and lets go of it again.
	Test func(ctx context.Context, url, password string) error
	// SavePassword keeps the password for url in ~/.pgpass (or the file
	// PGPASSFILE names), readable only by this computer's user.
	SavePassword func(url, password string) error
}

// sslModes are the TLS modes the screen offers, with plain words for each.
var sslModes = []struct{ mode, words string }{
	{"verify-full", "Encrypted, and the server's certificate is checked (verify-full)"},
	{"require", "Encrypted, certificate not checked (require)"},
	{"disable", "Not encrypted: only on a trusted network (disable)"},
}

// defaultPort is PostgreSQL's usual port.
const defaultPort = "5432"

// serverAddress is what the connect screen asks for.
type serverAddress struct {
	host, port, database, user, sslMode string
}

// url is the address as a postgres:// URL, never with a password in it.
// A host starting with "/" is the folder of the server's socket on this
// computer.
func (a serverAddress) url() string {
	q := url.Values{}
	u := url.URL{Scheme: "postgres", User: url.User(a.user), Path: "/" + a.database}
	if strings.HasPrefix(a.host, "/") {
		q.Set("host", a.host)
		q.Set("port", a.port)
	} else if a.port == defaultPort {
		u.Host = a.host
	} else {
		u.Host = net.JoinHostPort(a.host, a.port)
	}
	q.Set("sslmode", a.sslMode)
	u.RawQuery = q.Encode()
	return u.String()
}

// words names the server for a person: where it is, which database, as whom.
func (a serverAddress) words() string {
	where := a.host
	if strings.HasPrefix(a.host, "/") {
		where = "this computer (socket folder " + a.host + ")"
	}
	if a.port != defaultPort {
		where += ", port " + a.port
	}
	return fmt.Sprintf("the database %q on %s, as the user %q", a.database, where, a.user)
}

// parseServerAddress reads a saved postgres:// URL back into the
// screen's fields; what it lacks keeps the usual values.
func parseServerAddress(raw string) serverAddress {
	a := serverAddress{port: defaultPort, database: "clinic", user: "needledesk", sslMode: "verify-full"}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return a
	}
	q := u.Query()
	a.host = u.Hostname()
	if h := q.Get("host"); h != "" {
		a.host = h
	}
	if p := u.Port(); p != "" {
		a.port = p
	} else if p := q.Get("port"); p != "" {
		a.port = p
	}
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		a.database = db
	}
	if u.User != nil && u.User.Username() != "" {
		a.user = u.User.Username()
	}
	if m := q.Get("sslmode"); m != "" {
		a.sslMode = m
	}
	return a
}

// connectScreen is "Connect to the clinic's server": the server's
// address, Test connection and Connect. The address chosen is saved in
// the app's settings by whoever onConnect calls; the password typed here
// never is, unless the person ticks keeping it in ~/.pgpass.
type connectScreen struct {
	ctx        context.Context // ends when the app closes
	test       func(ctx context.Context, url, password string) error
	background func(work func() error, apply func(error))
	onConnect  func(url, password string, savePassword bool)

	host, port, database, user *widget.Entry
	sslMode                    *widget.Select
	password                   *widget.Entry
	savePassword               *widget.Check
	fields                     widgets.FieldSet
	result                     *widget.Label
	testBtn, connectBtn        *widget.Button
	content                    fyne.CanvasObject
}

// newConnectScreen shows the address saved (or none); back and local,
// when not nil, are the ways out it offers besides connecting.
func newConnectScreen(ctx context.Context, saved string, s *Servers, background func(func() error, func(error)),
	onConnect func(url, password string, save bool), back, local func()) *connectScreen {
	c := &connectScreen{ctx: ctx, test: s.Test, background: background, onConnect: onConnect}
	a := parseServerAddress(saved)
	c.host = &widget.Entry{Text: a.host, PlaceHolder: "For example: clinic-server or 192.168.1.20"}
	c.port = &widget.Entry{Text: a.port}
	c.database = &widget.Entry{Text: a.database}
	c.user = &widget.Entry{Text: a.user}
	var words []string
	for _, m := range sslModes {
		words = append(words, m.words)
	}
	c.sslMode = widget.NewSelect(words, nil)
	c.sslMode.SetSelected(sslWords(a.sslMode))
	c.password = widget.NewPasswordEntry()
	c.password.PlaceHolder = "Only if the server asks and ~/.pgpass has none"
	c.savePassword = &widget.Check{Text: "Keep this password in ~/.pgpass on this computer (only you can read it)"}
	c.fields = widgets.FieldSet{widgets.NewField("host", "Server", c.host), widgets.NewField("port", "Port", c.port),
		widgets.NewField("database", "Database", c.database), widgets.NewField("user", "User name", c.user),
		widgets.NewField("sslmode", "Connection", c.sslMode), widgets.NewField("password", "Password (not saved)", c.password)}
	c.result = &widget.Label{Wrapping: fyne.TextWrapWord}
	c.result.Hide()
	c.testBtn = &widget.Button{Text: "Test connection", OnTapped: c.testConnection}
	c.connectBtn = &widget.Button{Text: "Connect", Importance: widget.HighImportance, OnTapped: c.connect}

	buttons := []fyne.CanvasObject{}
	if back != nil {
		buttons = append(buttons, &widget.Button{Text: "Back", OnTapped: back})
	}
	if local != nil {
		buttons = append(buttons, &widget.Button{Text: "Use this computer only", OnTapped: local})
	}
	buttons = append(buttons, layout.NewSpacer(), c.testBtn, c.connectBtn)
	intro := &widget.Label{Text: "Every workstation of the clinic works on the same records, kept on the clinic's database server. " +
		"Ask whoever set the server up for these. NeedleDesk keeps the address on this computer for the next start; " +
		"it never writes the password there.", Wrapping: fyne.TextWrapWord}
	c.content = centredCard(640, container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.StorageIcon()), widgets.Title("Connect to the clinic's server")),
		intro,
		c.fields[0].Box,
		container.NewGridWithColumns(3, c.fields[1].Box, c.fields[2].Box, c.fields[3].Box),
		c.fields[4].Box, c.fields[5].Box, c.savePassword, c.result, container.NewHBox(buttons...)))
	return c
}

// sslWords is the screen's words for a TLS mode.
func sslWords(mode string) string {
	for _, m := range sslModes {
		if m.mode == mode {
			return m.words
		}
	}
	return sslModes[0].words
}

// address reads the fields, or says under each what is missing.
func (c *connectScreen) address() (serverAddress, bool) {
	a := serverAddress{host: strings.TrimSpace(c.host.Text), port: strings.TrimSpace(c.port.Text),
		database: strings.TrimSpace(c.database.Text), user: strings.TrimSpace(c.user.Text), sslMode: sslModes[0].mode}
	for _, m := range sslModes {
		if m.words == c.sslMode.Selected {
			a.sslMode = m.mode
		}
	}
	var problems []data.FieldError
	need := func(field, value, msg string) {
		if value == "" {
			problems = append(problems, data.FieldError{Field: field, Message: msg})
		}
	}
	need("host", a.host, "Enter the server's name or address")
	need("database", a.database, "Enter the database's name")
	need("user", a.user, "Enter the user name NeedleDesk signs in to the server with")
	if p, err := strconv.Atoi(a.port); err != nil || p < 1 || p > 65535 {
		problems = append(problems, data.FieldError{Field: "port", Message: "A port is a number from 1 to 65535 (usually 5432)"})
	}
	c.fields.Clear()
	if len(problems) > 0 {
		c.fields.Show(errors.Join(data.ErrInvalid, &data.ValidationError{Problems: problems}))
		return a, false
	}
	return a, true
}

// testConnection tries the address in the background and says how it went.
func (c *connectScreen) testConnection() {
	a, ok := c.address()
	if !ok {
		return
	}
	c.testBtn.Disable()
	c.showResult("Trying "+a.host+"…", widget.MediumImportance)
	url, password := a.url(), c.password.Text
	var err error
	c.background(func() error {
		err = c.test(c.ctx, url, password)
		return err
	}, func(error) {
		c.testBtn.Enable()
		if err != nil {
			_, msg := serverProblemWords(err)
			c.showResult(msg, widget.DangerImportance)
			return
		}
		c.showResult("Connected: the clinic's records on this server open from here.", widget.SuccessImportance)
	})
}

func (c *connectScreen) showResult(msg string, imp widget.Importance) {
	c.result.Importance = imp
	c.result.SetText(msg)
	c.result.Show()
}

// connect hands the address on to be saved and opened.
func (c *connectScreen) connect() {
	a, ok := c.address()
	if !ok {
		return
	}
	c.onConnect(a.url(), c.password.Text, c.savePassword.Checked && c.password.Text != "")
}

// serverProblemWords is a title and a plain message for why the
// clinic's server could not be opened.
func serverProblemWords(err error) (title, msg string) {
	switch {
	case errors.Is(err, data.ErrServerUnreachable):
		return "The clinic's server cannot be reached",
			"NeedleDesk could not reach the clinic's database server. Check that the server is switched on and that " +
				"this computer is on the clinic's network, then try again."
	case errors.Is(err, data.ErrServerWantsPassword):
		return "The clinic's server asks for a password",
			"The server asks for a password, and none was found for it in ~/.pgpass (or the file PGPASSFILE names). " +
				"Type it below: NeedleDesk keeps it only while it runs, unless you tick keeping it."
	case errors.Is(err, data.ErrServerRefusedPassword):
		return "The clinic's server refused the password",
			"The server refused the user name or password. Check them with whoever set the server up, then try again. " +
				"(A password kept in ~/.pgpass is used until you type another.)"
	case errors.Is(err, data.ErrNewerSchema):
		return "These records are from a newer NeedleDesk",
			"The clinic's records on the server were written by a newer version of NeedleDesk than this one. " +
				"Update NeedleDesk on this computer to open them; nothing has been changed on the server.\n\nIn detail: " + data.UserMessage(err)
	}
	return "NeedleDesk could not open the clinic's records on the server", fmt.Sprint(data.UserMessage(err))
}
