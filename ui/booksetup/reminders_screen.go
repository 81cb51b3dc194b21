package booksetup

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// securityChoices are the connection securities as the owner reads them,
// with the port each usually takes.
var securityChoices = []struct {
	sec   data.Security
	label string
	port  string
}{
	{data.SecurityStartTLS, "STARTTLS (usually port 587)", "587"},
	{data.SecurityTLS, "TLS from the start (usually port 465)", "465"},
	{data.SecurityNone, "No encryption (only for a mail server on this computer)", "25"},
}

// RemindersScreen sets up the e-mail the clinic sends clients: its own
// mail server (name, port, connection security, sign-in, the address
// messages come from), how long before an appointment the reminder goes,
// and the words of the confirmation and the reminder. "Send a test
// message" tries the server as the form is filled in, saved or not.
type RemindersScreen struct {
	env *areaEnv

	loaded data.Settings
	ready  bool
	base   string
	saving bool

	Host, Port, User, Password, From *widgets.Entry
	Security                         *widget.Select
	Hours                            *widgets.Entry
	ConfSubject, ConfBody            *widgets.Entry
	RemSubject, RemBody              *widgets.Entry
	Fields                           widgets.FieldSet
	Summary                          *widget.Label
	SaveBtn                          *widget.Button

	TestTo     *widgets.Entry
	TestFields widgets.FieldSet
	TestBtn    *widget.Button
	TestResult *widget.Label

	form *widgets.FormScroll
	body fyne.CanvasObject
}

func newRemindersScreen(env *areaEnv) *RemindersScreen {
	s := &RemindersScreen{env: env}
	entry := func(rows int) *widgets.Entry { return widgets.NewSubmitEntry(rows, s.save, nil) }
	s.Host, s.Port, s.User, s.Password, s.From = entry(1), entry(1), entry(1), entry(1), entry(1)
	s.Host.PlaceHolder, s.User.PlaceHolder, s.From.PlaceHolder = "smtp.example.com", "often the whole e-mail address", "desk@yourclinic.example"
	s.Password.Password = true
	labels := make([]string, len(securityChoices))
	for i, c := range securityChoices {
		labels[i] = c.label
	}
	s.Security = &widget.Select{Options: labels, OnChanged: s.onSecurity}
	s.Hours = entry(1)
	s.ConfSubject, s.ConfBody, s.RemSubject, s.RemBody = entry(1), entry(10), entry(1), entry(10)
	f := widgets.NewField
	s.Fields = widgets.FieldSet{
		f("mail_host", "Mail server", s.Host), f("mail_port", "Port", s.Port), f("mail_security", "Connection security", s.Security),
		f("mail_user", "User name", s.User), f("mail_password", "Password", s.Password), f("mail_from", "Messages come from", s.From),
		f("mail_reminder_hours", "Send the reminder", container.NewHBox(fixedWidth(90, s.Hours), widget.NewLabel("hours before the appointment"))),
		f("mail_confirmation_subject", "Subject", s.ConfSubject), f("mail_confirmation_body", "Message", s.ConfBody),
		f("mail_reminder_subject", "Subject", s.RemSubject), f("mail_reminder_body", "Message", s.RemBody),
	}
	s.Summary = widgets.Summary()
	s.SaveBtn = &widget.Button{Text: "Save e-mail settings", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save}
	s.SaveBtn.Disable()

	s.TestTo = widgets.NewSubmitEntry(1, s.sendTest, nil)
	s.TestTo.PlaceHolder = "your own address"
	s.TestFields = widgets.FieldSet{f("test_to", "Send it to", s.TestTo)}
	s.TestBtn = &widget.Button{Text: "Send a test message", Icon: theme.MailSendIcon(), OnTapped: s.sendTest}
	s.TestResult = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.TestResult.Hide()

	s.Fields.Watch(func() []data.FieldError { st, bad := s.read(); return mergeProblems(bad, st.Mail.Validate()) },
		func() { widgets.SetSummary(s.Summary, "", widget.MediumImportance) })
	s.body = s.layout()
	return s
}

func (s *RemindersScreen) layout() fyne.CanvasObject {
	box := func(name string) fyne.CanvasObject { return s.Fields.Find(name).Box }
	server := widgets.CardSection("The clinic's mail server", "Confirmations and reminders go out through the clinic's own "+
		"e-mail account: your mail provider gives these details (look for SMTP). Leave the server empty to send no e-mail.",
		container.NewVBox(container.NewGridWithColumns(2, box("mail_host"), container.NewGridWithColumns(2, box("mail_port"), widget.NewLabel(""))),
			box("mail_security"), container.NewGridWithColumns(2, box("mail_user"), box("mail_password")), box("mail_from")))
	test := widgets.CardSection("Send a test message", "Tries the server as filled in above, before or after saving, and "+
		"says what the server answered.", container.NewVBox(fixedWidth(360, s.TestFields[0].Box), container.NewHBox(s.TestBtn), s.TestResult))
	var ph []string
	for _, p := range data.MailPlaceholders {
		ph = append(ph, "{"+p.Name+"}  "+p.Says)
	}
	words := widgets.CardSection("The messages", "A confirmation goes when an appointment is booked or moved, a reminder "+
		"some hours before it, each with a calendar file the client's phone can take. Only clients who agreed to e-mail "+
		"reminders get them. These words in braces are filled in for each client:\n"+strings.Join(ph, "\n"),
		container.NewVBox(box("mail_reminder_hours"), widgets.Heading("Confirmation"), box("mail_confirmation_subject"),
			box("mail_confirmation_body"), widgets.Heading("Reminder"), box("mail_reminder_subject"), box("mail_reminder_body")))
	bar := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, s.SaveBtn, s.Summary))
	s.form = widgets.NewFormScroll(container.NewPadded(container.NewVBox(container.NewGridWithColumns(2, container.NewVBox(server, test), words))))
	return container.NewPadded(widgets.Column(widgets.Title("E-mail reminders"), s.form, bar))
}

func (s *RemindersScreen) content() fyne.CanvasObject { return s.body }
func (s *RemindersScreen) dirty() bool                { return s.ready && s.snapshot() != s.base }

// shown reads the settings, unless the form holds changes.
func (s *RemindersScreen) shown() {
	if s.saving || s.dirty() || s.env.deps.Settings == nil {
		return
	}
	actor, store := s.env.ActorID(), s.env.deps.Settings
	screen.Background(s.env.Env, func(ctx context.Context) (data.Settings, error) {
		return store.Settings(ctx, actor)
	}, func(st data.Settings, err error) {
		if err != nil {
			widgets.SetSummary(s.Summary, "Could not read the e-mail settings. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		if !s.dirty() {
			s.fill(st)
		}
	})
}

func (s *RemindersScreen) fill(st data.Settings) {
	s.loaded = st
	m := st.Mail
	s.Host.SetText(m.Host)
	s.Port.SetText(strconv.Itoa(m.Port))
	s.Security.Selected = ""
	for _, c := range securityChoices {
		if c.sec == m.Security {
			s.Security.Selected = c.label
		}
	}
	s.Security.Refresh()
	s.User.SetText(m.User)
	s.Password.SetText(m.Password)
	s.From.SetText(m.From)
	s.Hours.SetText(strconv.Itoa(m.ReminderHours))
	s.ConfSubject.SetText(m.ConfirmationSubject)
	s.ConfBody.SetText(m.ConfirmationBody)
	s.RemSubject.SetText(m.ReminderSubject)
	s.RemBody.SetText(m.ReminderBody)
	if s.TestTo.Text == "" {
		s.TestTo.SetText(st.Email)
	}
	s.Fields.Clear()
	s.base, s.ready = s.snapshot(), true
	s.SaveBtn.Enable()
}

func (s *RemindersScreen) snapshot() string {
	var parts []string
	for _, e := range []*widgets.Entry{s.Host, s.Port, s.User, s.Password, s.From, s.Hours, s.ConfSubject, s.ConfBody, s.RemSubject, s.RemBody} {
		parts = append(parts, e.Text)
	}
	return strings.Join(append(parts, s.Security.Selected), "\x00")
}

// onSecurity offers the usual port of the security chosen, when the port
// is still another choice's usual one.
func (s *RemindersScreen) onSecurity(label string) {
	var port string
	usual := trimmed(s.Port) == ""
	for _, c := range securityChoices {
		if c.label == label {
			port = c.port
		}
		usual = usual || trimmed(s.Port) == c.port
	}
	if usual && port != "" {
		s.Port.SetText(port)
	}
}

// read is the settings with the e-mail set-up from the form.
func (s *RemindersScreen) read() (data.Settings, []data.FieldError) {
	st := s.loaded
	m := &st.Mail
	m.Host, m.User, m.From = trimmed(s.Host), trimmed(s.User), trimmed(s.From)
	m.Password = s.Password.Text
	m.Security = ""
	for _, c := range securityChoices {
		if c.label == s.Security.Selected {
			m.Security = c.sec
		}
	}
	m.ConfirmationSubject, m.ConfirmationBody = trimmed(s.ConfSubject), strings.TrimSpace(s.ConfBody.Text)
	m.ReminderSubject, m.ReminderBody = trimmed(s.RemSubject), strings.TrimSpace(s.RemBody.Text)
	var bad []data.FieldError
	if n, err := strconv.Atoi(trimmed(s.Port)); err != nil {
		bad = append(bad, data.FieldError{Field: "mail_port", Message: "type the port as a number, usually 587 for STARTTLS or 465 for TLS"})
	} else {
		m.Port = n
	}
	if n, err := strconv.Atoi(trimmed(s.Hours)); err != nil {
		bad = append(bad, data.FieldError{Field: "mail_reminder_hours", Message: fmt.Sprintf("type a whole number of hours, such as %d", data.DefaultReminderHours)})
	} else {
		m.ReminderHours = n
	}
	return st, bad
}

func (s *RemindersScreen) save() {
	if s.saving || !s.ready {
		return
	}
	st, bad := s.read()
	if !showProblems(s.Fields, s.Summary, mergeProblems(bad, st.Mail.Validate())) {
		return
	}
	s.saving = true
	s.SaveBtn.Disable()
	actor, store, loaded := s.env.ActorID(), s.env.deps.Settings, s.loaded
	screen.Background(s.env.Env, func(ctx context.Context) (data.Settings, error) {
		return saveSettingsPart(ctx, store, actor, loaded, "the e-mail settings",
			func(a, b data.Settings) bool { return a.Mail == b.Mail }, func(to *data.Settings) { to.Mail = st.Mail })
	}, func(saved data.Settings, err error) {
		s.saving = false
		s.SaveBtn.Enable()
		if err != nil {
			saveFailed(s.Fields, s.Summary, err, "the e-mail settings")
			return
		}
		s.fill(saved)
		s.env.Settings = saved
		msg := "The e-mail settings are saved."
		if !saved.Mail.Configured() {
			msg += " No mail server is set, so no e-mail goes to clients."
		}
		widgets.SetSummary(s.Summary, msg, widget.SuccessImportance)
		s.env.Events.Publish(screen.SettingsChanged{})
	})
}

// sendTest sends a test message through the server as the form says, in
// the background, and shows what came of it.
func (s *RemindersScreen) sendTest() {
	if !s.ready {
		return
	}
	st, bad := s.read()
	ps := mergeProblems(bad, st.Mail.Validate())
	if len(ps) == 0 && !st.Mail.Configured() {
		ps = []data.FieldError{{Field: "mail_host", Message: "give the clinic's mail server to send a test message through"}}
	}
	to := trimmed(s.TestTo)
	testProblem := ""
	if msg := data.CheckEmail(to); to == "" || msg != "" {
		testProblem = "type the address the test message should go to"
		if msg != "" {
			testProblem = msg
		}
	}
	s.TestFields[0].SetProblem(testProblem)
	if !showProblems(s.Fields, s.Summary, ps) || testProblem != "" {
		s.showTest("", widget.MediumImportance)
		return
	}
	s.TestBtn.Disable()
	s.showTest("", widget.MediumImportance)
	sender := s.env.mail()
	where := fmt.Sprintf("%s, port %d", st.Mail.Host, st.Mail.Port)
	s.env.WithProgress("Sending a test message", "Connecting to the mail server "+where+"…",
		func(ctx context.Context, _ func(float64)) error { return sender.SendTest(ctx, st, to) },
		func(err error, cancelled bool) {
			s.TestBtn.Enable()
			switch {
			case cancelled:
				s.showTest("The test was stopped before the server answered.", widget.WarningImportance)
			case err == nil:
				s.showTest("The mail server "+where+" took the test message for "+to+". Look for it in that inbox "+
					"(and its spam folder); if it arrives, clients' messages will too.", widget.SuccessImportance)
			case data.FieldProblems(err) != nil:
				if rest := s.TestFields.Show(err); len(rest) > 0 {
					showProblems(s.Fields, s.Summary, rest)
				}
			default:
				s.showTest("The test message was not sent. "+data.UserMessage(err), widget.DangerImportance)
			}
		})
}

func (s *RemindersScreen) showTest(msg string, imp widget.Importance) {
	widgets.SetSummary(s.TestResult, msg, imp)
	if msg != "" {
		s.revealTestResult()
	}
}

// revealTestResult scrolls the form so the test's outcome, under the
// button at the foot of the left column, is in sight: in a window of the
// usual size it came below the fold, and the button seemed to do nothing.
func (s *RemindersScreen) revealTestResult() {
	d, sc := fyne.CurrentApp().Driver(), s.form.Scroll
	if d.CanvasForObject(s.TestResult) == nil {
		return
	}
	sc.Content.Refresh() // lay the outcome's lines out before measuring them
	top := d.AbsolutePositionForObject(s.TestResult).Y - d.AbsolutePositionForObject(sc.Content).Y
	bottom := top + max(s.TestResult.Size().Height, s.TestResult.MinSize().Height)
	const below = 16
	if off, view := sc.Offset.Y, sc.Size().Height; bottom+below > off+view {
		sc.ScrollToOffset(fyne.NewPos(0, max(bottom+below-view, 0)))
	}
}
