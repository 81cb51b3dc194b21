package booksetup

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// outboxPage is how many messages the Outbox shows at a time.
const outboxPage = 200

// everyMessage is the filter that shows messages in every state.
const everyMessage = "Every message"

// OutboxScreen is the owner's view of the messages owed to clients: each
// one's kind, address, when it may go, and where it is (waiting, being
// sent, sent, not sent with the server's words, withdrawn), newest first,
// filtered by state.
type OutboxScreen struct {
	env *areaEnv

	msgs []data.OutboxMessage
	gen  uint64

	Filter    *widget.Select
	ReloadBtn *widget.Button
	MoreBtn   *widget.Button
	list      *fyne.Container
	Status    *widget.Label
	body      fyne.CanvasObject
}

func newOutboxScreen(env *areaEnv) *OutboxScreen {
	s := &OutboxScreen{env: env}
	opts := []string{everyMessage}
	for _, st := range data.OutboxStates {
		opts = append(opts, st.Label())
	}
	s.Filter = &widget.Select{Options: opts, Selected: everyMessage, OnChanged: func(string) { s.reload(false) }}
	s.ReloadBtn = &widget.Button{Text: "Look again", Icon: theme.ViewRefreshIcon(), OnTapped: func() { s.reload(false) }}
	s.MoreBtn = &widget.Button{Text: "Show older messages", OnTapped: func() { s.reload(true) }}
	s.MoreBtn.Hide()
	s.list = container.NewVBox()
	s.Status = &widget.Label{Text: "The outbox is read when you open this tab.", Wrapping: fyne.TextWrapWord}
	top := container.NewVBox(widgets.Title("Outbox"),
		widgets.Caption("The confirmations and reminders owed to clients, newest first. A message that could not be sent "+
			"is tried again on its own; one given up on says what the mail server answered."),
		container.NewBorder(nil, nil, widget.NewLabel("Show"), s.ReloadBtn, fixedWidth(240, s.Filter)), widget.NewSeparator())
	s.body = container.NewPadded(widgets.Column(top, container.NewVScroll(container.NewVBox(s.list, container.NewHBox(s.MoreBtn))),
		container.NewVBox(widget.NewSeparator(), s.Status)))
	return s
}

func (s *OutboxScreen) content() fyne.CanvasObject { return s.body }
func (s *OutboxScreen) dirty() bool                { return false }
func (s *OutboxScreen) save()                      {}
func (s *OutboxScreen) shown()                     { s.reload(false) }

// state is the state the filter asks for, "" for every one.
func (s *OutboxScreen) state() data.OutboxState {
	for _, st := range data.OutboxStates {
		if st.Label() == s.Filter.Selected {
			return st
		}
	}
	return ""
}

// reload reads the newest page of messages, or with more the next page
// after those shown.
func (s *OutboxScreen) reload(more bool) {
	if s.env.deps.Outbox == nil {
		return
	}
	s.gen++
	f := data.OutboxFilter{State: s.state(), Limit: outboxPage}
	if more {
		f.Offset = len(s.msgs)
	}
	gen, actor, store := s.gen, s.env.ActorID(), s.env.deps.Outbox
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.OutboxMessage, error) {
		return store.Outbox(ctx, actor, f)
	}, func(ms []data.OutboxMessage, err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			setStatus(s.Status, "Could not read the outbox. "+data.UserMessage(err), true)
			return
		}
		if more {
			ms = append(s.msgs, ms...)
		}
		s.msgs = ms
		s.render(len(ms)-f.Offset == outboxPage)
	})
}

func (s *OutboxScreen) render(full bool) {
	objs := make([]fyne.CanvasObject, len(s.msgs))
	for i, m := range s.msgs {
		objs[i] = s.row(m)
	}
	s.list.Objects = rows(objs)
	s.list.Refresh()
	if full {
		s.MoreBtn.Show()
	} else {
		s.MoreBtn.Hide()
	}
	switch {
	case len(s.msgs) == 0 && s.state() == "":
		setStatus(s.Status, "No messages yet. Bookings of clients who agreed to e-mail reminders queue them here.", false)
	case len(s.msgs) == 0:
		setStatus(s.Status, "No messages are "+strings.ToLower(s.Filter.Selected)+".", false)
	default:
		setStatus(s.Status, widgets.Count(len(s.msgs), "message")+" shown", false)
	}
}

// kindWords is a message's kind as the owner reads it.
func kindWords(k data.MessageKind) string {
	switch k {
	case data.MessageConfirmation:
		return "Confirmation"
	case data.MessageReminder:
		return "Reminder"
	case data.MessageTest:
		return "Test message"
	}
	return string(k)
}

// when is an instant on the clinic's clock in its date format.
func (s *OutboxScreen) when(t time.Time) string {
	st := s.env.Settings
	l := t.In(st.Location())
	return st.FormatDate(data.DateOf(l)) + " " + l.Format("15:04")
}

// about names whom and which visit a message is about, as the records
// say now: "Zoë O'Brien, appointment 24/11/2026 10:00".
func (s *OutboxScreen) about(m data.OutboxMessage) string {
	switch {
	case m.ClientName != "" && !m.AppointmentStart.IsZero():
		return m.ClientName + ", appointment " + s.when(m.AppointmentStart)
	case m.ClientName != "":
		return m.ClientName
	case !m.AppointmentStart.IsZero():
		return "Appointment " + s.when(m.AppointmentStart)
	}
	return ""
}

// row is one message: what and to whom, who and which visit it is
// about, then where it is.
func (s *OutboxScreen) row(m data.OutboxMessage) fyne.CanvasObject {
	title := &widget.Label{Text: kindWords(m.Kind) + " to " + m.To, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	state := &widget.Label{Text: m.State.Label(), TextStyle: fyne.TextStyle{Bold: true}}
	switch m.State {
	case data.OutboxSent:
		state.Importance = widget.SuccessImportance
	case data.OutboxFailed:
		state.Importance = widget.DangerImportance
	case data.OutboxWithdrawn:
		state.Importance = widget.LowImportance
	}
	var detail string
	switch {
	case m.State == data.OutboxSent:
		detail = "Sent " + s.when(m.SentAt)
	case m.State == data.OutboxWithdrawn:
		detail = "Not needed any more: its appointment was moved, cancelled or is over"
	case m.State == data.OutboxQueued && !m.NextAttempt.IsZero() && m.Attempts > 0:
		detail = "Tried " + tries(m.Attempts) + "; tried again at " + s.when(m.NextAttempt)
	default:
		detail = "Goes from " + s.when(m.SendAfter)
		if m.Attempts > 0 {
			detail += "; tried " + tries(m.Attempts)
		}
	}
	lines := []fyne.CanvasObject{title}
	if about := s.about(m); about != "" {
		lines = append(lines, &widget.Label{Text: about, SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis})
	}
	lines = append(lines, &widget.Label{Text: detail, SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord})
	if m.LastError != "" && m.State != data.OutboxSent {
		lines = append(lines, &widget.Label{Text: m.LastError, Importance: widget.DangerImportance,
			SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord})
	}
	return container.NewBorder(nil, nil, nil, fixedWidth(170, state), container.New(&widgets.TightVBox{}, lines...))
}

func tries(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}
