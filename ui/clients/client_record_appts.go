package clients

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// The client's appointments on the record, for those who see the book:
// the ones still to come at the top of the left column, so the front desk
// on the phone sees when the client is next booked, and the cancelled and
// missed ones in the timeline among the sessions, so they stay readable
// in the client's history. A completed appointment is its session, which
// the timeline already shows. Each appointment opens its page in the book.

// seesBook reports whether the person working sees the client's
// appointments: the clinic keeps a book and their role sees it.
func (e *areaEnv) seesBook() bool {
	return e.deps.Appointments != nil && e.Actor.Role.Can(data.PermBookView)
}

// historyItem is one row of the timeline: session (an index in the
// record's sessions), or, when session is -1, appt.
type historyItem struct {
	session int
	appt    data.Appointment
}

// splitAppointments parts a client's appointments (newest first) into
// those still to come (open ones from today on, soonest first) and those
// the history shows (cancelled and missed ones, and open ones of days gone
// by that nobody marked done), newest first. Completed ones are left out:
// each is its session.
func splitAppointments(as []data.Appointment, today data.Date, loc *time.Location) (upcoming, past []data.Appointment) {
	for _, a := range as {
		switch {
		case a.Status == data.StatusCompleted:
		case a.Status.Open() && !data.LocalDay(a.Start, loc).Before(today):
			upcoming = append(upcoming, a)
		default:
			past = append(past, a)
		}
	}
	slices.SortStableFunc(upcoming, func(a, b data.Appointment) int { return a.Start.Compare(b.Start) })
	slices.SortStableFunc(past, func(a, b data.Appointment) int { return b.Start.Compare(a.Start) })
	return upcoming, past
}

// mergeHistory puts the past appointments among the sessions (both newest
// first), by when each was; a session comes before an appointment at the
// same moment.
func mergeHistory(sessions []data.Session, past []data.Appointment) []historyItem {
	out := make([]historyItem, 0, len(sessions)+len(past))
	i, j := 0, 0
	for i < len(sessions) || j < len(past) {
		if j == len(past) || (i < len(sessions) && !past[j].Start.After(sessions[i].StartedAt)) {
			out = append(out, historyItem{session: i})
			i++
			continue
		}
		out = append(out, historyItem{session: -1, appt: past[j]})
		j++
	}
	return out
}

// openAppointment shows appointment id's page in the book.
func (r *clientRecord) openAppointment(id int64) { r.env.Open(screen.Appointment{ID: id}) }

// upcomingPanel is the record's "Upcoming appointments": one line for
// each appointment still to come, which opens it.
type upcomingPanel struct {
	env     *areaEnv
	open    func(id int64)
	list    *fyne.Container
	content fyne.CanvasObject
}

func newUpcomingPanel(env *areaEnv, open func(id int64)) *upcomingPanel {
	p := &upcomingPanel{env: env, open: open, list: container.NewVBox()}
	p.content = clientSection("Upcoming appointments", "", p.list)
	p.content.Hide()
	return p
}

// show lists as (soonest first), or says why they could not be read;
// canBook says whether Book next is at hand, which the empty list then
// names.
func (p *upcomingPanel) show(as []data.Appointment, readErr error, canBook bool) {
	if !p.env.seesBook() {
		p.content.Hide()
		return
	}
	p.list.Objects = nil
	switch {
	case readErr != nil:
		p.list.Add(widgets.WarningLine("Could not read the client's appointments. "+data.UserMessage(readErr), widget.WarningImportance))
	case len(as) == 0:
		none := "Nothing booked."
		if canBook {
			none += " Book next books the client's next visit."
		}
		p.list.Add(widgets.Caption(none))
	}
	st := p.env.Settings
	loc := st.Location()
	for _, a := range as {
		id := a.ID
		p.list.Add(newAppointmentLink(upcomingWhen(a, st, loc), upcomingWhat(a), func() { p.open(id) }))
	}
	p.list.Refresh()
	p.content.Show()
}

// upcomingWhen is "Thu 03/12/2026, 10:00–11:00" on the clinic's clock.
func upcomingWhen(a data.Appointment, st data.Settings, loc *time.Location) string {
	start, end := a.Start.In(loc), a.End().In(loc)
	return widgets.WeekdayDate(st, data.LocalDay(a.Start, loc)) + ", " + start.Format("15:04") + "–" + end.Format("15:04")
}

// upcomingWhat is "Priya Raman  ·  Face needling, session 3 of 6  ·
// Room 1  ·  Booked".
func upcomingWhat(a data.Appointment) string {
	parts := []string{a.TechnicianName, appointmentTreatment(a)}
	if a.RoomName != "" {
		parts = append(parts, a.RoomName)
	}
	parts = append(parts, a.Status.Label())
	return joinNonEmpty(parts)
}

// appointmentTreatment is "Face needling, session 3 of 6".
func appointmentTreatment(a data.Appointment) string {
	if a.CourseNumber > 0 && a.CoursePlanned > 0 {
		return fmt.Sprintf("%s, session %d of %d", a.TreatmentName, a.CourseNumber, a.CoursePlanned)
	}
	return a.TreatmentName
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "  ·  ")
}

// appointmentLink is one appointment on the record, two lines that open
// it with a click, or with Enter or Space once Tab has brought the
// keyboard to it.
type appointmentLink struct {
	widget.BaseWidget
	when, what       *widget.Label
	open             func()
	bg               *canvas.Rectangle
	focused, hovered bool
}

func newAppointmentLink(when, what string, open func()) *appointmentLink {
	l := &appointmentLink{
		when: &widget.Label{Text: when, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		what: &widget.Label{Text: what, Truncation: fyne.TextTruncateEllipsis},
		open: open,
		bg:   &canvas.Rectangle{CornerRadius: theme.InputRadiusSize()},
	}
	l.ExtendBaseWidget(l)
	return l
}

func (l *appointmentLink) CreateRenderer() fyne.WidgetRenderer {
	icon := widget.NewIcon(theme.CalendarIcon())
	text := container.New(&widgets.TightVBox{}, l.when, l.what)
	return widget.NewSimpleRenderer(container.NewStack(l.bg, container.NewBorder(nil, nil, container.NewCenter(icon), nil, text)))
}

// Refresh shades the line under the pointer or the keyboard.
func (l *appointmentLink) Refresh() {
	th, v := l.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	switch {
	case l.focused:
		l.bg.FillColor = th.Color(theme.ColorNameFocus, v)
	case l.hovered:
		l.bg.FillColor = th.Color(theme.ColorNameHover, v)
	default:
		l.bg.FillColor = nil
	}
	l.BaseWidget.Refresh()
}

func (l *appointmentLink) Tapped(*fyne.PointEvent) { l.open() }

func (l *appointmentLink) FocusGained()   { l.focused = true; l.Refresh() }
func (l *appointmentLink) FocusLost()     { l.focused = false; l.Refresh() }
func (l *appointmentLink) TypedRune(rune) {}

// TypedKey opens the appointment on Enter or Space.
func (l *appointmentLink) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		l.open()
	}
}

func (l *appointmentLink) Cursor() desktop.Cursor         { return desktop.PointerCursor }
func (l *appointmentLink) MouseIn(*desktop.MouseEvent)    { l.hovered = true; l.Refresh() }
func (l *appointmentLink) MouseMoved(*desktop.MouseEvent) {}
func (l *appointmentLink) MouseOut()                      { l.hovered = false; l.Refresh() }

// historyRow is one row of the timeline: a session's row or an
// appointment's, one shown. The list sizes an appointment's row to its
// own height (showLists).
type historyRow struct {
	widget.BaseWidget
	session *timelineRow
	appt    *apptHistoryRow
}

func (r *clientRecord) newHistoryRow() fyne.CanvasObject {
	row := &historyRow{session: r.newSessionRow().(*timelineRow), appt: newApptHistoryRow()}
	row.appt.Hide()
	row.ExtendBaseWidget(row)
	return row
}

func (row *historyRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(row.session, row.appt))
}

func (r *clientRecord) updateHistoryRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(r.history) {
		return
	}
	row := o.(*historyRow)
	if r.history[i].session >= 0 {
		row.appt.Hide()
		row.session.Show()
		r.updateSessionRow(i, row.session)
		return
	}
	row.session.Hide()
	row.appt.Show()
	r.updateApptRow(i, row.appt)
}

// apptHistoryRow is a cancelled or missed appointment in the timeline:
// a hollow dot on the rail, when and with whom, what happened, and what
// was booked.
type apptHistoryRow struct {
	widget.BaseWidget
	railAbove, railBelow *canvas.Rectangle
	dot                  *canvas.Circle
	when, state, what    *widget.Label
}

func newApptHistoryRow() *apptHistoryRow {
	row := &apptHistoryRow{
		railAbove: &canvas.Rectangle{},
		railBelow: &canvas.Rectangle{},
		dot:       &canvas.Circle{StrokeWidth: 2},
		when:      &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		state:     &widget.Label{Truncation: fyne.TextTruncateEllipsis, Importance: widget.WarningImportance},
		what:      &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	row.ExtendBaseWidget(row)
	return row
}

func (row *apptHistoryRow) CreateRenderer() fyne.WidgetRenderer {
	rail := container.New(&timelineRail{}, row.railAbove, row.railBelow, row.dot)
	text := container.New(&widgets.TightVBox{}, row.when, row.state, row.what)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, rail, nil, text))
}

func (r *clientRecord) updateApptRow(i int, row *apptHistoryRow) {
	a, st := r.history[i].appt, r.env.Settings
	loc := st.Location()
	start := a.Start.In(loc)
	row.when.SetText(joinNonEmpty([]string{st.FormatDate(data.LocalDay(a.Start, loc)) + ", " + start.Format("15:04"), a.TechnicianName}))
	row.state.SetText(appointmentOutcome(a))
	row.what.SetText("Appointment for " + joinNonEmpty([]string{appointmentTreatment(a), a.RoomName}))
	th, v := row.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	line := fadeColor(th.Color(theme.ColorNamePrimary, v), 0x60)
	row.railAbove.FillColor, row.railBelow.FillColor = line, line
	clientShowIf(i > 0, row.railAbove)
	clientShowIf(i < len(r.history)-1, row.railBelow)
	row.dot.StrokeColor = th.Color(theme.ColorNameWarning, v)
	row.dot.FillColor = th.Color(theme.ColorNameBackground, v)
	row.railAbove.Refresh()
	row.railBelow.Refresh()
	row.dot.Refresh()
}

// appointmentOutcome says what became of an appointment that gave no
// session: "Cancelled by the client: Has a cold.", "Did not come", or,
// for one nobody marked, what it was last marked.
func appointmentOutcome(a data.Appointment) string {
	switch a.Status {
	case data.StatusCancelled:
		out := "Cancelled"
		switch a.Cancel.Reason {
		case data.CancelByClient:
			out += " by the client"
		case data.CancelByClinic:
			out += " by the clinic"
		}
		if note := timelineOneLine(a.Cancel.Note); note != "" {
			out += ": " + note
		}
		return out
	case data.StatusNoShow:
		return "Did not come (no-show)"
	case data.StatusBooked:
		return "Booked, but never marked arrived, missed or done"
	}
	return "Marked " + strings.ToLower(a.Status.Label()) + ", but no session was saved for it"
}

// historyHeights gives each appointment row of the timeline its own,
// shorter, height and each session row the session row's.
func (r *clientRecord) historyHeights() {
	if r.sessionRowHeight == 0 {
		r.sessionRowHeight = r.newHistoryRow().MinSize().Height
		r.apptRowHeight = newApptHistoryRow().MinSize().Height
	}
	for i, it := range r.history {
		h := r.sessionRowHeight
		if it.session < 0 {
			h = r.apptRowHeight
		}
		r.timeline.SetItemHeight(i, h)
	}
}
