package book

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// appointmentPage is one appointment: when and with whom, its state, the
// warnings it was booked despite, the messages sent to the client about
// it, and what the front desk does with it: mark the client arrived, in
// treatment or not come, start the treatment (the session form, which
// completes the appointment when saved), move it, change its length or
// cancel it.
type appointmentPage struct {
	env   *areaEnv
	stack *screen.Stack
	id    int64
	page  *screen.Page

	a        data.Appointment
	messages []data.OutboxMessage
	loaded   bool
	body     *fyne.Container
	problem  *widget.Label
	// closed is set once the page has left the stack; rechecking while a
	// later read of the messages is planned.
	closed, rechecking bool
}

// messageRecheck is how soon an open appointment page reads its messages
// again while one is due to go, so that it shows "sent" (or why not)
// once the sender has been, without leaving the page and coming back.
var messageRecheck = 5 * time.Second

func newAppointmentPage(env *areaEnv, stack *screen.Stack, id int64) *screen.Page {
	p := &appointmentPage{env: env, stack: stack, id: id, body: container.NewVBox(), problem: widgets.Summary()}
	p.page = &screen.Page{Title: "Appointment", Content: container.NewBorder(p.problem, nil, nil, nil, container.NewVScroll(p.body)),
		Shown: p.reload}
	off := screen.On(env.Events, func(screen.SessionChanged) { p.reload() })
	offOthers := screen.On(env.Events, func(screen.AppointmentChanged) { p.reload() }) // changed here or on another workstation
	p.page.Closed = func() { p.closed = true; off(); offOthers() }
	p.reload()
	return p.page
}

type appointmentRead struct {
	a        data.Appointment
	messages []data.OutboxMessage
	msgErr   error
}

func (p *appointmentPage) reload() {
	d, actor, id := p.env.deps, p.env.ActorID(), p.id
	screen.Background(p.env.Env, func(ctx context.Context) (appointmentRead, error) {
		var r appointmentRead
		var err error
		if r.a, err = d.Appointments.Appointment(ctx, actor, id); err != nil {
			return r, err
		}
		if d.Messages != nil {
			r.messages, r.msgErr = d.Messages.AppointmentMessages(ctx, actor, id)
		}
		return r, nil
	}, func(r appointmentRead, err error) {
		if err != nil {
			widgets.SetSummary(p.problem, "Could not read the appointment. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		p.a, p.messages, p.loaded = r.a, r.messages, true
		p.draw(r.msgErr)
	})
}

func (p *appointmentPage) draw(msgErr error) {
	a, loc, s := p.a, p.env.location(), p.env.Settings
	start, end := a.Start.In(loc), a.End().In(loc)
	p.page.Title = a.ClientName + " · " + a.TreatmentName
	if p.stack.Top() == p.page {
		p.stack.Refresh()
	}
	lines := []fyne.CanvasObject{
		widgets.Title(a.ClientName + ": " + a.TreatmentName),
		widgets.Text(fmt.Sprintf("%s, %s to %s (%d minutes)", widgets.WeekdayDate(s, data.LocalDay(a.Start, loc)),
			start.Format("15:04"), end.Format("15:04"), a.Minutes)),
		widgets.Text("With " + a.TechnicianName + roomWords(a.RoomName)),
		widgets.Heading("State: " + a.Status.Label()),
	}
	if a.CourseNumber > 0 {
		lines = append(lines, widgets.Text(fmt.Sprintf("Session %d of %d in the client's course", a.CourseNumber, a.CoursePlanned)))
	}
	if a.Status == data.StatusCancelled {
		lines = append(lines, widgets.Text(a.Cancel.Reason.Label()+wordsAfter(": ", a.Cancel.Note)))
	}
	if a.Note != "" {
		lines = append(lines, widgets.Text("Note: "+a.Note))
	}
	for _, w := range a.Warnings {
		lines = append(lines, widgets.WarningLine(w, widget.WarningImportance))
	}
	if a.OverrideReason != "" {
		lines = append(lines, widgets.Text("Booked despite the warnings because: "+a.OverrideReason))
	}
	lines = append(lines, p.actions(), widgets.Heading("Messages to the client"))
	lines = append(lines, p.messageLines(msgErr)...)
	p.body.Objects = lines
	p.body.Refresh()
	if p.messageDue() {
		p.recheckLater()
	}
}

// messageDue reports whether a message is waiting for the sender now.
func (p *appointmentPage) messageDue() bool {
	now := p.env.Now()
	for _, m := range p.messages {
		if (m.State == data.OutboxQueued || m.State == data.OutboxSending) && !m.SendAfter.After(now) {
			return true
		}
	}
	return false
}

// recheckLater reads the appointment and its messages again a little
// later, while the page is open.
func (p *appointmentPage) recheckLater() {
	if p.rechecking || p.closed {
		return
	}
	p.rechecking = true
	time.AfterFunc(messageRecheck, func() {
		p.env.Do(func() {
			p.rechecking = false
			if !p.closed && p.env.Ctx.Err() == nil {
				p.reload()
			}
		})
	})
}

func roomWords(room string) string {
	if room == "" {
		return ", no room"
	}
	return " in " + room
}

func wordsAfter(sep, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return sep + s
}

// actions are the buttons for what can be done now.
func (p *appointmentPage) actions() fyne.CanvasObject {
	a := p.a
	box := container.NewHBox()
	add := func(text string, icon fyne.Resource, imp widget.Importance, fn func()) {
		box.Add(&widget.Button{Text: text, Icon: icon, Importance: imp, OnTapped: fn})
	}
	can := func(to data.AppointmentStatus) bool { return data.CheckMark(a, to, p.env.Now()) == nil }
	// Only those who record sessions start the treatment (the session
	// form); the front desk marks the client gone in instead.
	treats := p.env.Actor.Role.Can(data.PermSessionWrite)
	if treats && (a.Status == data.StatusArrived || a.Status == data.StatusInTreatment) {
		add("Start treatment", theme.MediaPlayIcon(), widget.HighImportance, p.startTreatment)
	}
	if can(data.StatusArrived) {
		add("Mark arrived", theme.ConfirmIcon(), widget.HighImportance, func() { p.mark(data.StatusArrived) })
	}
	if !treats && a.Status == data.StatusArrived && can(data.StatusInTreatment) {
		add("Mark in treatment", theme.MediaPlayIcon(), widget.HighImportance, func() { p.mark(data.StatusInTreatment) })
	}
	if can(data.StatusNoShow) {
		add("Mark did not come", theme.CancelIcon(), widget.MediumImportance, func() { p.mark(data.StatusNoShow) })
	}
	if a.Status.Open() {
		add("Move…", theme.ViewRefreshIcon(), widget.MediumImportance, p.move)
		add("Change length…", theme.ContentCutIcon(), widget.MediumImportance, p.changeLength)
		add("Cancel appointment…", theme.DeleteIcon(), widget.DangerImportance, p.cancel)
	}
	add("Client's record", theme.AccountIcon(), widget.LowImportance, func() {
		p.env.Open(screen.ClientRecord{Client: data.ClientID(a.ClientID)})
	})
	return box
}

// messageLines list the appointment's messages and where each is.
func (p *appointmentPage) messageLines(msgErr error) []fyne.CanvasObject {
	if msgErr != nil {
		return []fyne.CanvasObject{widgets.Caption("Could not read the messages. " + data.UserMessage(msgErr))}
	}
	if len(p.messages) == 0 {
		return []fyne.CanvasObject{widgets.Caption("None: the client has no e-mail address or did not agree to e-mail reminders.")}
	}
	loc := p.env.location()
	var out []fyne.CanvasObject
	for _, m := range p.messages {
		kind := map[data.MessageKind]string{data.MessageConfirmation: "Confirmation", data.MessageReminder: "Reminder"}[m.Kind]
		if kind == "" {
			kind = string(m.Kind)
		}
		var state string
		switch m.State {
		case data.OutboxQueued, data.OutboxSending:
			state = "waiting to go, from " + m.SendAfter.In(loc).Format("Mon 2 Jan 15:04")
			if m.LastError != "" {
				state += " (last try failed: " + m.LastError + ")"
			}
		case data.OutboxSent:
			state = "sent " + m.SentAt.In(loc).Format("Mon 2 Jan 15:04")
		case data.OutboxFailed:
			state = "not sent: " + m.LastError
		case data.OutboxWithdrawn:
			state = "not sent, no longer needed"
		default:
			state = string(m.State)
		}
		out = append(out, widgets.Text(kind+" to "+m.To+": "+state))
	}
	return out
}

// mark records the client arriving, going in or not coming.
func (p *appointmentPage) mark(to data.AppointmentStatus) {
	p.change(func(ctx context.Context, st Appointments, actor int64, a data.Appointment) (data.Appointment, error) {
		return st.MarkAppointment(ctx, actor, a.ID, a.Version, to)
	}, nil)
}

// change saves a change in the background, then shows the appointment as
// saved and tells the book; then, when given, runs after.
func (p *appointmentPage) change(fn func(context.Context, Appointments, int64, data.Appointment) (data.Appointment, error),
	after func(data.Appointment, error) bool) {
	st, actor, a := p.env.deps.Appointments, p.env.ActorID(), p.a
	screen.Background(p.env.Env, func(ctx context.Context) (data.Appointment, error) { return fn(ctx, st, actor, a) },
		func(got data.Appointment, err error) {
			if after != nil && after(got, err) {
				return
			}
			if err != nil {
				p.showChangeError(err)
				return
			}
			p.saved(got)
		})
}

func (p *appointmentPage) saved(got data.Appointment) {
	widgets.SetSummary(p.problem, "", widget.MediumImportance)
	p.a = got
	p.env.bookChanged(got.ClientID) // the page reads it again, with its messages
}

func (p *appointmentPage) showChangeError(err error) {
	if errors.Is(err, data.ErrConflict) {
		var clash *data.BookingClash
		if !errors.As(err, &clash) {
			p.reload()
			widgets.SetSummary(p.problem, "Someone else changed this appointment a moment ago; it is shown as it is now. "+
				"Try again if it is still needed.", widget.WarningImportance)
			return
		}
	}
	widgets.SetSummary(p.problem, data.UserMessage(err), widget.DangerImportance)
}

// startTreatment marks the client in treatment (when only arrived) and
// opens the session form for them, which links the session to this
// appointment when it is saved.
func (p *appointmentPage) startTreatment() {
	open := func(a data.Appointment) {
		p.env.Open(screen.NewSession{Client: data.ClientID(a.ClientID), Appointment: a.ID})
	}
	if p.a.Status == data.StatusInTreatment {
		open(p.a)
		return
	}
	p.change(func(ctx context.Context, st Appointments, actor int64, a data.Appointment) (data.Appointment, error) {
		return st.MarkAppointment(ctx, actor, a.ID, a.Version, data.StatusInTreatment)
	}, func(got data.Appointment, err error) bool {
		if err == nil {
			p.saved(got)
			open(got)
			return true
		}
		return false
	})
}

// formDialog shows a small form whose OK button leaves it open until ok
// hides it (with the hide it is given) once the form went through. It
// returns what pressing OK does, for Enter in the form's fields.
func (p *appointmentPage) formDialog(title, okText string, content fyne.CanvasObject, first fyne.Focusable, ok func(hide func())) func() {
	var d dialog.Dialog
	btn := &widget.Button{Text: okText, Importance: widget.HighImportance}
	btn.OnTapped = func() { ok(func() { d.Hide() }) }
	cancel := &widget.Button{Text: "Back", OnTapped: func() { d.Hide() }}
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewHBox(widgets.Spacer(), cancel, btn), nil, nil, content), p.env.Window)
	d.Resize(fyne.NewSize(540, 380))
	dialogs.ShowDialog(p.env.Window, d, nil)
	if first != nil {
		p.env.Focus(first)
	}
	return btn.OnTapped
}

// formError shows a change's refusal under the form's field when it is
// about the form (a clash, a bad value) and reports whether it did.
func formError(field *widgets.Field, err error) bool {
	if err == nil || (errors.Is(err, data.ErrConflict) && !isClash(err)) {
		return false
	}
	problems := data.FieldProblems(err)
	if !isClash(err) && len(problems) == 0 {
		return false
	}
	if len(problems) == 0 {
		field.SetProblem(data.UserMessage(err))
		return true
	}
	// Under the field, as every form says it: "is in the past; …", not
	// the store's "start: is in the past; …".
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	field.SetProblem(strings.Join(msgs, "; "))
	return true
}

// changeLength asks for the new length in minutes.
func (p *appointmentPage) changeLength() {
	var submit func()
	entry := widgets.NewSubmitEntry(1, func() { submit() }, nil)
	entry.SetText(strconv.Itoa(p.a.Minutes))
	field := widgets.NewField("minutes", "New length (minutes)", entry)
	submit = p.formDialog("Change the length", "Save length", field.Box, entry, func(hide func()) {
		n, err := strconv.Atoi(strings.TrimSpace(entry.Text))
		if err != nil {
			field.SetProblem("type the length in minutes, like 45")
			return
		}
		next := p.a
		next.Minutes = n
		if ps := data.FieldProblems(next.Validate()); len(ps) > 0 {
			field.SetProblem("The appointment " + strings.TrimPrefix(ps[0].Message, "the appointment "))
			return
		}
		p.change(func(ctx context.Context, st Appointments, actor int64, a data.Appointment) (data.Appointment, error) {
			return st.ChangeAppointmentLength(ctx, actor, a.ID, a.Version, n)
		}, func(_ data.Appointment, err error) bool {
			if formError(field, err) {
				return true
			}
			hide()
			if err == nil {
				p.env.messagesQueued() // a new confirmation and reminder
			}
			return false
		})
	})
}

func isClash(err error) bool {
	var clash *data.BookingClash
	return errors.As(err, &clash)
}

// cancel asks who cancelled and why, then cancels.
func (p *appointmentPage) cancel() {
	who := widget.NewRadioGroup([]string{data.CancelByClient.Label(), data.CancelByClinic.Label()}, nil)
	var submit func()
	note := widgets.NewSubmitEntry(1, func() { submit() }, nil) // Enter cancels
	note.PlaceHolder = "Anything to keep with it (optional)"
	whoField := widgets.NewField("cancel_reason", "Who cancelled", who)
	noteField := widgets.NewField("cancel_note", "Note", note)
	defer p.env.Window.Canvas().FocusNext() // the first choice, for Space, Tab and Enter
	submit = p.formDialog("Cancel the appointment", "Cancel appointment", container.NewVBox(
		widgets.Text("The appointment stays in "+p.a.ClientName+"'s history as cancelled; no reminder goes out."),
		whoField.Box, noteField.Box), nil, func(hide func()) {
		c := data.Cancellation{Note: strings.TrimSpace(note.Text)}
		switch who.Selected {
		case data.CancelByClient.Label():
			c.Reason = data.CancelByClient
		case data.CancelByClinic.Label():
			c.Reason = data.CancelByClinic
		}
		if err := c.Validate(); err != nil {
			(widgets.FieldSet{whoField, noteField}).Show(err)
			return
		}
		p.change(func(ctx context.Context, st Appointments, actor int64, a data.Appointment) (data.Appointment, error) {
			return st.CancelAppointment(ctx, actor, a.ID, a.Version, c)
		}, func(data.Appointment, error) bool {
			hide()
			return false
		})
	})
}
