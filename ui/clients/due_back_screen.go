package clients

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// The windows the receptionist can choose from, as the screen names them;
// data decides which dates each one covers.
const (
	dueOverdue = "Overdue"
	dueToday   = "Today"
	dueNext7   = "Next 7 days"
	dueNext14  = "Next 14 days"
	dueNext30  = "Next 30 days"
	dueCustom  = "Custom dates"
)

var dueWindows = map[string]data.DueWindow{dueOverdue: data.DueOverdue, dueToday: data.DueToday, dueNext7: data.DueNext7,
	dueNext14: data.DueNext14, dueNext30: data.DueNext30, dueCustom: data.DueCustom}

var dueMaxRows = data.DueBackMaxRows // a variable so tests can try a small clinic's limit

// dueBackScreen lists the clients whose next session is due in a chosen
// window, or overdue, with their phone numbers, for the receptionist's
// calls. It reloads when clients or sessions change.
type DueBackScreen struct {
	env *areaEnv

	rows        []data.ClientSummary
	truncated   bool      // more clients are due than the list holds
	overdueRows int       // how many rows were due before today
	today       data.Date // the day the rows were loaded for
	gen         uint64    // bumped by every load; older results are stale
	loading     bool
	started     bool // the list is shown (Start): it loads and follows changes from then on

	Window      *widget.Select
	Overdue     *widget.Check
	from, to    *widgets.Entry
	fromField   *widgets.Field
	toField     *widgets.Field
	custom      *fyne.Container
	showBtn     *widget.Button
	rangeText   *widget.Label
	list        *dueList
	status      *widget.Label
	refreshBtn  *widget.Button
	loadingIcon *widget.Activity
	Content     fyne.CanvasObject
}

func NewDueBackScreen(env *areaEnv) *DueBackScreen {
	s := &DueBackScreen{env: env}
	s.Window = &widget.Select{Options: []string{dueOverdue, dueToday, dueNext7, dueNext14, dueNext30, dueCustom}}
	s.Window.Selected = dueNext14
	s.Window.OnChanged = s.onWindowChanged
	s.Overdue = &widget.Check{Text: "Include overdue (up to 6 months)", Checked: true, OnChanged: func(bool) { s.reload() }}
	s.from = widgets.NewSubmitEntry(1, s.reload, nil)
	s.to = widgets.NewSubmitEntry(1, s.reload, nil)
	s.from.PlaceHolder = widgets.DatePlaceholder(env.Settings.DateFormat)
	s.to.PlaceHolder = s.from.PlaceHolder
	s.fromField = widgets.NewField("due_from", "From", s.from)
	s.toField = widgets.NewField("due_to", "To", s.to)
	s.showBtn = &widget.Button{Text: "Show", OnTapped: s.reload}
	s.custom = container.NewHBox(widgets.FixedWidth(170, s.fromField.Box), widgets.FixedWidth(170, s.toField.Box),
		container.NewVBox(widgets.Spacer(), s.showBtn))
	s.custom.Hide()
	s.rangeText = widgets.Caption("")
	s.list = newDueList(s)
	s.status = &widget.Label{}
	s.loadingIcon = widget.NewActivity()
	s.loadingIcon.Hide()
	s.refreshBtn = &widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.reload}
	s.Content = s.layout()

	screen.On(env.Events, func(screen.ClientChanged) { s.reload() })
	screen.On(env.Events, func(screen.SessionChanged) { s.reload() })
	screen.On(env.Events, func(screen.SettingsChanged) { s.onSettingsChanged() })
	return s
}

// Start loads the list, the first time it is shown. Until then nothing is
// read: on a clinic of 100,000 clients finding who is due reads a good part
// of the file (a third of a second of a processor), which at sign-in ran
// beside the password check and the client list and slowed both.
func (s *DueBackScreen) Start() {
	if s.started {
		return
	}
	s.started = true
	s.reload()
}

func (s *DueBackScreen) layout() fyne.CanvasObject {
	heading := widgets.Title("Due back")
	intro := widgets.Caption("Clients whose next session is due, with their phone numbers for a call. " +
		"Tap a client, or move with the arrow keys and press Enter, to open their record.")
	chooser := container.NewHBox(&widget.Label{Text: "Show", TextStyle: fyne.TextStyle{Bold: true}},
		widgets.FixedWidth(170, s.Window), s.Overdue)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.refreshBtn, heading),
		intro,
		chooser,
		s.custom,
		s.rangeText,
		widget.NewSeparator(),
	)
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(s.loadingIcon, s.status))
	return container.NewPadded(widgets.Column(top, s.list, bottom))
}

func (s *DueBackScreen) onWindowChanged(choice string) {
	if choice == dueCustom {
		s.custom.Show()
		s.Overdue.Disable()
		if s.from.Text == "" && s.to.Text == "" {
			t := s.env.Today()
			s.from.SetText(s.env.Settings.FormatDate(t))
			s.to.SetText(s.env.Settings.FormatDate(t.AddDays(14)))
		}
		s.env.Focus(s.from)
	} else {
		s.custom.Hide()
		if choice == dueOverdue {
			s.Overdue.Disable()
		} else {
			s.Overdue.Enable()
		}
	}
	s.reload()
}

func (s *DueBackScreen) onSettingsChanged() {
	s.from.PlaceHolder = widgets.DatePlaceholder(s.env.Settings.DateFormat)
	s.to.PlaceHolder = s.from.PlaceHolder
	s.from.Refresh()
	s.to.Refresh()
	s.reload()
}

// query is the window chosen and the dates it covers; ok is false when a
// typed date cannot be read or the dates make no span (the fields say
// why).
func (s *DueBackScreen) query(today data.Date) (q data.DueBackQuery, from, to data.Date, ok bool) {
	s.fromField.SetProblem("")
	s.toField.SetProblem("")
	q = data.DueBackQuery{Window: dueWindows[s.Window.Selected], IncludeOverdue: s.Overdue.Checked, Today: today, Limit: dueMaxRows}
	if q.Window == data.DueCustom {
		format := s.env.Settings.DateFormat
		var errFrom, errTo error
		q.From, errFrom = widgets.ParseUserDate(s.from.Text, format)
		q.To, errTo = widgets.ParseUserDate(s.to.Text, format)
		if errFrom != nil {
			s.fromField.SetProblem(errFrom.Error())
		}
		if errTo != nil {
			s.toField.SetProblem(errTo.Error())
		}
		if errFrom != nil || errTo != nil {
			return q, from, to, false
		}
	}
	from, to, err := q.Range()
	if err != nil {
		for _, p := range data.FieldProblems(err) {
			if f := (widgets.FieldSet{s.fromField, s.toField}).Find(p.Field); f != nil {
				f.SetProblem(p.Message)
			}
		}
		return q, from, to, false
	}
	return q, from, to, true
}

// reload lists the clients due in the chosen window, in the background.
func (s *DueBackScreen) reload() {
	if s.env.deps.Clients == nil || !s.started {
		return
	}
	today := s.env.Today()
	q, from, to, ok := s.query(today)
	s.gen++
	if !ok {
		s.rows = nil
		s.list.Refresh()
		s.setStatus("Check the dates above.", widget.DangerImportance)
		s.rangeText.SetText("")
		return
	}
	gen := s.gen
	s.rangeText.SetText(s.rangeDescription(from, to, today))
	s.setLoading(true)
	finder, actor := s.env.deps.Clients, s.env.ActorID()
	screen.Background(s.env.Env, func(ctx context.Context) (data.DueBackList, error) {
		return data.FindDueBack(ctx, finder, actor, q)
	}, func(found data.DueBackList, err error) {
		if gen != s.gen {
			return
		}
		s.apply(today, found, err)
	})
}

func (s *DueBackScreen) apply(today data.Date, found data.DueBackList, err error) {
	s.setLoading(false)
	if err != nil {
		s.setStatus("Could not load the list. "+problemText(err), widget.DangerImportance)
		return
	}
	s.rows = found.Clients
	s.truncated = found.Truncated
	s.overdueRows = found.Overdue
	s.today = today
	s.list.UnselectAll()
	s.list.Refresh()
	s.list.ScrollToTop()
	s.setStatus(s.countText(), widget.MediumImportance)
}

func (s *DueBackScreen) setLoading(on bool) {
	s.loading = on
	if on {
		s.loadingIcon.Show()
		s.loadingIcon.Start()
		s.setStatus("Looking for clients who are due…", widget.MediumImportance)
		s.refreshBtn.Disable()
		return
	}
	s.loadingIcon.Stop()
	s.loadingIcon.Hide()
	s.refreshBtn.Enable()
}

func (s *DueBackScreen) setStatus(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
}

// rangeDescription says in words which due dates are listed.
func (s *DueBackScreen) rangeDescription(from, to, today data.Date) string {
	f := s.env.Settings.FormatDate
	switch {
	case from.IsZero():
		return "Due on or before " + f(to)
	case to.IsZero():
		return "Due on or after " + f(from)
	case s.Window.Selected == dueOverdue:
		return fmt.Sprintf("Overdue: due between %s and %s", f(from), f(to))
	case from.Before(today) && s.Window.Selected != dueCustom:
		return fmt.Sprintf("Due from today to %s, and overdue since %s", f(to), f(from))
	case from == to:
		return "Due on " + f(from)
	}
	return fmt.Sprintf("Due between %s and %s", f(from), f(to))
}

// countText is the line under the list.
func (s *DueBackScreen) countText() string {
	n := len(s.rows)
	if n == 0 {
		return "Nobody is due in this window."
	}
	text := widgets.Count(n, "client") + " to call"
	if s.overdueRows > 0 {
		text += fmt.Sprintf(" (%d overdue)", s.overdueRows)
	}
	if s.truncated {
		text += fmt.Sprintf(". More are due than the %d listed; choose a shorter window to see them all", dueMaxRows)
	}
	return text
}

// dueBackText is the due date and how far off it is, and whether it has passed.
func dueBackText(due, today data.Date, st data.Settings) (date, relative string, overdue bool) {
	date = "Due " + st.FormatDate(due)
	switch days := today.DaysUntil(due); {
	case days < 0:
		return date, "Overdue by " + widgets.Count(-days, "day"), true
	case days == 0:
		return date, "Due today", false
	case days == 1:
		return date, "Tomorrow", false
	default:
		return date, "In " + widgets.Count(days, "day"), false
	}
}

// onSelected opens the client chosen in the list.
func (s *DueBackScreen) onSelected(id widget.ListItemID) {
	s.list.UnselectAll()
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.env.Open(screen.ClientRecord{Client: data.ClientID(s.rows[id].ID)})
}

func (s *DueBackScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	c := s.rows[id]
	var details []string
	if c.Email != "" {
		details = append(details, c.Email)
	}
	if c.LastSession.IsZero() {
		details = append(details, "No sessions yet")
	} else {
		details = append(details, "Last session "+s.env.Settings.FormatDate(data.DateOf(c.LastSession.Local())))
	}
	phone := c.Phone
	if phone == "" {
		phone = "No phone number"
	}
	date, relative, overdue := dueBackText(c.NextDue, s.today, s.env.Settings)
	row := o.(*dueRow)
	row.show(c.FullName(), strings.Join(details, "  ·  "), phone, c.Phone != "", date, relative, overdue)
	row.offerBooking(s.env.canBook(), func() { s.env.Open(screen.Book{Client: data.ClientID(c.ID)}) })
}

// dueList is the list of clients due; Enter opens the client under the
// keyboard focus, as Space does.
type dueList struct {
	widget.List
}

func newDueList(s *DueBackScreen) *dueList {
	l := &dueList{}
	l.Length = func() int { return len(s.rows) }
	l.CreateItem = newDueRow
	l.UpdateItem = s.updateRow
	l.OnSelected = s.onSelected
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey opens the focused row on Enter and leaves other keys to List.
func (l *dueList) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
		return
	}
	l.List.TypedKey(e)
}

// dueRow is one client to call: name and e-mail with the last session on
// the left, the phone number large in the middle, the due date and how
// far off it is on the right (in the warning colour when overdue), and
// Book, which books the client's next visit.
type dueRow struct {
	widget.BaseWidget
	name, details, phone, date, relative *widget.Label
	book                                 *widget.Button
}

func newDueRow() fyne.CanvasObject {
	r := &dueRow{
		name:     &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		details:  &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		phone:    &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis},
		date:     &widget.Label{Alignment: fyne.TextAlignTrailing},
		relative: &widget.Label{Alignment: fyne.TextAlignTrailing, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText},
		book:     &widget.Button{Text: "Book", Icon: theme.CalendarIcon()},
	}
	r.book.Hide()
	r.ExtendBaseWidget(r)
	return r
}

func (r *dueRow) CreateRenderer() fyne.WidgetRenderer {
	who := container.New(&widgets.TightVBox{}, r.name, r.details)
	phone := container.NewGridWrap(fyne.NewSize(230, r.phone.MinSize().Height), r.phone)
	due := container.NewGridWrap(fyne.NewSize(190, 2*r.date.MinSize().Height-theme.InnerPadding()),
		container.New(&widgets.TightVBox{}, r.date, r.relative))
	right := container.NewHBox(container.NewCenter(phone), container.NewCenter(due), container.NewCenter(r.book))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, right, who))
}

func (r *dueRow) show(name, details, phone string, hasPhone bool, date, relative string, overdue bool) {
	r.name.SetText(name)
	r.details.SetText(details)
	r.phone.Importance = widget.HighImportance
	if !hasPhone {
		r.phone.Importance = widget.LowImportance
	}
	r.phone.SetText(phone)
	r.date.SetText(date)
	r.relative.Importance = widget.MediumImportance
	if overdue {
		r.relative.Importance = widget.WarningImportance
	}
	r.relative.SetText(relative)
}

// offerBooking shows Book, which runs book, when the person working can
// book.
func (r *dueRow) offerBooking(can bool, book func()) {
	r.book.OnTapped = book
	if can {
		r.book.Show()
	} else {
		r.book.Hide()
	}
}
