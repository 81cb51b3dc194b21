package ui

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

// The windows the receptionist can choose from.
const (
	dueOverdue = "Overdue"
	dueToday   = "Today"
	dueNext7   = "Next 7 days"
	dueNext14  = "Next 14 days"
	dueNext30  = "Next 30 days"
	dueCustom  = "Custom dates"
)

var dueWindowDays = map[string]int{dueToday: 0, dueNext7: 7, dueNext14: 14, dueNext30: 30}

// overdueLookback is how far back "overdue" reaches: a client whose
// session was due longer ago than this is no longer a follow-up call.
const overdueLookback = 180

// duePageSize is how many clients one query fetches; the list is read in
// pages and holds at most dueMaxRows (a window with more says so).
const duePageSize = 1000

var dueMaxRows = 5000 // a variable so tests can try a small clinic's limit

// dueBackScreen lists the clients whose next session is due in a chosen
// window, or overdue, with their phone numbers, for the receptionist's
// calls. It reloads when clients or sessions change.
type dueBackScreen struct {
	env *appEnv

	rows      []data.ClientSummary
	truncated bool      // more clients are due than the list holds
	today     data.Date // the day the rows were loaded for
	gen       uint64    // bumped by every load; older results are stale
	loading   bool

	window      *widget.Select
	overdue     *widget.Check
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
	content     fyne.CanvasObject
}

func newDueBackScreen(env *appEnv) *dueBackScreen {
	s := &dueBackScreen{env: env}
	s.window = &widget.Select{Options: []string{dueOverdue, dueToday, dueNext7, dueNext14, dueNext30, dueCustom}}
	s.window.Selected = dueNext14
	s.window.OnChanged = s.onWindowChanged
	s.overdue = &widget.Check{Text: "Include overdue (up to 6 months)", Checked: true, OnChanged: func(bool) { s.reload() }}
	s.from = newAdminEntry(1, s.reload, nil)
	s.to = newAdminEntry(1, s.reload, nil)
	s.from.PlaceHolder = widgets.DatePlaceholder(env.Settings.DateFormat)
	s.to.PlaceHolder = s.from.PlaceHolder
	s.fromField = widgets.NewField("due_from", "From", s.from)
	s.toField = widgets.NewField("due_to", "To", s.to)
	s.showBtn = &widget.Button{Text: "Show", OnTapped: s.reload}
	s.custom = container.NewHBox(widgets.FixedWidth(170, s.fromField.Box), widgets.FixedWidth(170, s.toField.Box),
		container.NewVBox(dueSpacer(), s.showBtn))
	s.custom.Hide()
	s.rangeText = widgets.Caption("")
	s.list = newDueList(s)
	s.status = &widget.Label{Text: "Loading…"}
	s.loadingIcon = widget.NewActivity()
	s.loadingIcon.Hide()
	s.refreshBtn = &widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.reload}
	s.content = s.layout()

	screen.On(env.Events, func(screen.ClientChanged) { s.reload() })
	screen.On(env.Events, func(screen.SessionChanged) { s.reload() })
	screen.On(env.Events, func(screen.SettingsChanged) { s.onSettingsChanged() })
	s.reload()
	return s
}

func (s *dueBackScreen) layout() fyne.CanvasObject {
	heading := adminHeading("Due back")
	intro := widgets.Caption("Clients whose next session is due, with their phone numbers for a call. " +
		"Tap a client, or move with the arrow keys and press Enter, to open their record.")
	chooser := container.NewHBox(&widget.Label{Text: "Show", TextStyle: fyne.TextStyle{Bold: true}},
		widgets.FixedWidth(170, s.window), s.overdue)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.refreshBtn, heading),
		intro,
		chooser,
		s.custom,
		s.rangeText,
		widget.NewSeparator(),
	)
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(s.loadingIcon, s.status))
	return container.NewPadded(adminColumn(top, s.list, bottom))
}

// dueSpacer lines a button up with entries that have a label above.
func dueSpacer() fyne.CanvasObject {
	return &widget.Label{Text: " ", SizeName: theme.SizeNameCaptionText}
}

func (s *dueBackScreen) onWindowChanged(choice string) {
	if choice == dueCustom {
		s.custom.Show()
		s.overdue.Disable()
		if s.from.Text == "" && s.to.Text == "" {
			t := s.env.Today()
			s.from.SetText(s.env.Settings.FormatDate(t))
			s.to.SetText(s.env.Settings.FormatDate(t.AddDays(14)))
		}
		adminFocus(s.env, s.from)
	} else {
		s.custom.Hide()
		if choice == dueOverdue {
			s.overdue.Disable()
		} else {
			s.overdue.Enable()
		}
	}
	s.reload()
}

func (s *dueBackScreen) onSettingsChanged() {
	s.from.PlaceHolder = widgets.DatePlaceholder(s.env.Settings.DateFormat)
	s.to.PlaceHolder = s.from.PlaceHolder
	s.from.Refresh()
	s.to.Refresh()
	s.reload()
}

// dueRange is the window chosen, as a filter on the next due date.
func (s *dueBackScreen) dueRange(today data.Date) (from, to data.Date, ok bool) {
	s.fromField.SetProblem("")
	s.toField.SetProblem("")
	switch choice := s.window.Selected; choice {
	case dueOverdue:
		return today.AddDays(-overdueLookback), today.AddDays(-1), true
	case dueCustom:
		return s.customRange()
	default:
		days, known := dueWindowDays[choice]
		if !known {
			days = 14
		}
		from = today
		if s.overdue.Checked {
			from = today.AddDays(-overdueLookback)
		}
		return from, today.AddDays(days), true
	}
}

// customRange reads the From and To dates typed.
func (s *dueBackScreen) customRange() (from, to data.Date, ok bool) {
	format := s.env.Settings.DateFormat
	from, errFrom := widgets.ParseUserDate(s.from.Text, format)
	to, errTo := widgets.ParseUserDate(s.to.Text, format)
	ok = true
	if errFrom != nil {
		s.fromField.SetProblem(errFrom.Error())
		ok = false
	}
	if errTo != nil {
		s.toField.SetProblem(errTo.Error())
		ok = false
	}
	if ok && from.IsZero() && to.IsZero() {
		s.fromField.SetProblem("type at least one date")
		ok = false
	}
	if ok && !from.IsZero() && !to.IsZero() && to.Before(from) {
		s.toField.SetProblem("is before the From date")
		ok = false
	}
	return from, to, ok
}

// reload lists the clients due in the chosen window, in the background.
func (s *dueBackScreen) reload() {
	if s.env.deps.Clients == nil {
		return
	}
	today := s.env.Today()
	from, to, ok := s.dueRange(today)
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
	screen.Background(s.env.Env, func(ctx context.Context) (dueFound, error) {
		return findDue(ctx, finder, actor, from, to, today)
	}, func(found dueFound, err error) {
		if gen != s.gen {
			return
		}
		s.apply(today, found, err)
	})
}

// dueList is what one load found: the clients in date order, and whether
// some were left out because the window holds more than dueMaxRows.
type dueFound struct {
	rows      []data.ClientSummary
	truncated bool
}

// findDue reads the current clients due between from and to. When the
// window reaches back before today and holds more than dueMaxRows, the
// clients due from today on all stay, and of the overdue ones the most
// recently due are kept: they are the calls worth making first.
func findDue(ctx context.Context, finder ClientFinder, actor int64, from, to, today data.Date) (dueFound, error) {
	if from.IsZero() || !from.Before(today) || (!to.IsZero() && to.Before(from)) {
		return findDueRange(ctx, finder, actor, from, to, dueMaxRows)
	}
	var upcoming dueFound
	if to.IsZero() || !to.Before(today) {
		var err error
		if upcoming, err = findDueRange(ctx, finder, actor, today, to, dueMaxRows); err != nil {
			return dueFound{}, err
		}
	}
	overdueTo := today.AddDays(-1)
	if !to.IsZero() && to.Before(overdueTo) {
		overdueTo = to
	}
	overdue, err := findRecentlyDue(ctx, finder, actor, from, overdueTo, dueMaxRows-len(upcoming.rows))
	if err != nil {
		return dueFound{}, err
	}
	return dueFound{rows: append(overdue.rows, upcoming.rows...), truncated: overdue.truncated || upcoming.truncated}, nil
}

// findDueRange reads clients due between from and to in date order, a page
// at a time, up to limit.
func findDueRange(ctx context.Context, finder ClientFinder, actor int64, from, to data.Date, limit int) (dueFound, error) {
	var out []data.ClientSummary
	for len(out) <= limit {
		page, err := finder.FindClients(ctx, actor, data.ClientFilter{
			State: data.CurrentOnly, DueFrom: from, DueTo: to, Offset: len(out), Limit: duePageSize})
		if err != nil {
			return dueFound{}, err
		}
		out = append(out, page...)
		if len(page) < duePageSize {
			break
		}
	}
	if len(out) > limit {
		return dueFound{rows: out[:limit], truncated: true}, nil
	}
	return dueFound{rows: out}, nil
}

// dueChunkDays is how many days of overdue clients findRecentlyDue reads
// at a time, walking back from the most recent.
const dueChunkDays = 7

// findRecentlyDue reads clients due between from and to, up to limit of
// the most recently due, in date order.
func findRecentlyDue(ctx context.Context, finder ClientFinder, actor int64, from, to data.Date, limit int) (dueFound, error) {
	var chunks [][]data.ClientSummary // newest first
	n := 0
	for end := to; !end.Before(from); end = end.AddDays(-dueChunkDays) {
		start := end.AddDays(1 - dueChunkDays)
		if start.Before(from) {
			start = from
		}
		if n >= limit {
			more, err := finder.FindClients(ctx, actor, data.ClientFilter{State: data.CurrentOnly, DueFrom: from, DueTo: end, Limit: 1})
			return dueFound{rows: joinDueChunks(chunks), truncated: len(more) > 0}, err
		}
		chunk, err := findDueRange(ctx, finder, actor, start, end, dueMaxRows)
		if err != nil {
			return dueFound{}, err
		}
		if n+len(chunk.rows) > limit || chunk.truncated {
			keep := max(limit-n, 0)
			chunks = append(chunks, chunk.rows[len(chunk.rows)-min(keep, len(chunk.rows)):])
			return dueFound{rows: joinDueChunks(chunks), truncated: true}, nil
		}
		chunks = append(chunks, chunk.rows)
		n += len(chunk.rows)
	}
	return dueFound{rows: joinDueChunks(chunks)}, nil
}

// joinDueChunks puts newest-first chunks back in date order.
func joinDueChunks(chunks [][]data.ClientSummary) []data.ClientSummary {
	var out []data.ClientSummary
	for i := len(chunks) - 1; i >= 0; i-- {
		out = append(out, chunks[i]...)
	}
	return out
}

func (s *dueBackScreen) apply(today data.Date, found dueFound, err error) {
	s.setLoading(false)
	if err != nil {
		s.setStatus("Could not load the list. "+problemText(err), widget.DangerImportance)
		return
	}
	s.rows = found.rows
	s.truncated = found.truncated
	s.today = today
	s.list.UnselectAll()
	s.list.Refresh()
	s.list.ScrollToTop()
	s.setStatus(s.countText(), widget.MediumImportance)
}

func (s *dueBackScreen) setLoading(on bool) {
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

func (s *dueBackScreen) setStatus(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
}

// rangeDescription says in words which due dates are listed.
func (s *dueBackScreen) rangeDescription(from, to, today data.Date) string {
	f := s.env.Settings.FormatDate
	switch {
	case from.IsZero():
		return "Due on or before " + f(to)
	case to.IsZero():
		return "Due on or after " + f(from)
	case s.window.Selected == dueOverdue:
		return fmt.Sprintf("Overdue: due between %s and %s", f(from), f(to))
	case from.Before(today) && s.window.Selected != dueCustom:
		return fmt.Sprintf("Due from today to %s, and overdue since %s", f(to), f(from))
	case from == to:
		return "Due on " + f(from)
	}
	return fmt.Sprintf("Due between %s and %s", f(from), f(to))
}

// countText is the line under the list.
func (s *dueBackScreen) countText() string {
	n := len(s.rows)
	if n == 0 {
		return "Nobody is due in this window."
	}
	overdue := 0
	for _, c := range s.rows {
		if c.NextDue.Before(s.today) {
			overdue++
		}
	}
	text := adminCount(n, "client") + " to call"
	if overdue > 0 {
		text += fmt.Sprintf(" (%d overdue)", overdue)
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
		return date, "Overdue by " + adminCount(-days, "day"), true
	case days == 0:
		return date, "Due today", false
	case days == 1:
		return date, "Tomorrow", false
	default:
		return date, "In " + adminCount(days, "day"), false
	}
}

// onSelected opens the client chosen in the list.
func (s *dueBackScreen) onSelected(id widget.ListItemID) {
	s.list.UnselectAll()
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.env.Open(screen.ClientRecord{Client: data.ClientID(s.rows[id].ID)})
}

func (s *dueBackScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
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
	o.(*dueRow).show(c.FullName(), strings.Join(details, "  ·  "), phone, c.Phone != "", date, relative, overdue)
}

// dueList is the list of clients due; Enter opens the client under the
// keyboard focus, as Space does.
type dueList struct {
	widget.List
}

func newDueList(s *dueBackScreen) *dueList {
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
// far off it is on the right (in the warning colour when overdue).
type dueRow struct {
	widget.BaseWidget
	name, details, phone, date, relative *widget.Label
}

func newDueRow() fyne.CanvasObject {
	r := &dueRow{
		name:     &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		details:  &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		phone:    &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis},
		date:     &widget.Label{Alignment: fyne.TextAlignTrailing},
		relative: &widget.Label{Alignment: fyne.TextAlignTrailing, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *dueRow) CreateRenderer() fyne.WidgetRenderer {
	who := container.New(&tightVBox{}, r.name, r.details)
	phone := container.NewGridWrap(fyne.NewSize(230, r.phone.MinSize().Height), r.phone)
	due := container.NewGridWrap(fyne.NewSize(190, 2*r.date.MinSize().Height-theme.InnerPadding()),
		container.New(&tightVBox{}, r.date, r.relative))
	right := container.NewHBox(container.NewCenter(phone), container.NewCenter(due))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, right, who))
}

func (r *dueRow) show(name, details, phone string, hasPhone bool, date, relative string, overdue bool) {
	r.name.SetText(name)
	r.details.SetText(details)
	r.phone.Importance = widget.HighImportance
	r.phone.TextStyle.Italic = !hasPhone
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
