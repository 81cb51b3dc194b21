package book

import (
	"context"
	"fmt"
	"slices"
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

// DayView is one day of the book: a column for each technician (or each
// room), a row for each quarter hour of the clinic's opening hours on its
// clock, the appointments as blocks. Click or Enter on an empty slot
// books it; the arrows move between slots, Page Up and Page Down (or
// Ctrl+Left and Ctrl+Right) between days, Ctrl+T comes back to today.
type DayView struct {
	env  *areaEnv
	open func(id int64)

	day     data.Date
	byRoom  bool
	refs    *refs
	list    []data.Appointment
	working map[int64]data.WorkingHours // by technician
	loading bool
	reads   uint64 // bumped by every read: only the newest read's result is drawn
	// show is an appointment to put the cursor on once its day is drawn;
	// seekNow puts it on the time now instead, once today is drawn.
	show    *data.Appointment
	seekNow bool

	Grid   *bookGrid
	title  *widget.Label
	status *widget.Label
	cursor *widget.Label
	mode   *widget.RadioGroup
	// OffBtn lists the day's cancelled and missed appointments, which
	// take no room in the grid; hidden when there are none.
	OffBtn  *widget.Button
	Content fyne.CanvasObject
}

func newDayView(env *areaEnv, open func(int64)) *DayView {
	v := &DayView{env: env, open: open, day: env.today(), Grid: newBookGrid(), seekNow: true}
	v.Grid.onEmpty = v.bookSlot
	v.Grid.onOpen = open
	v.Grid.onKey = v.onKey
	v.Grid.onShortcut = v.onShortcut
	env.showBooked = v.Show
	v.title = widgets.Title("")
	v.status = widgets.Caption("")
	v.cursor = widgets.Caption("")
	v.mode = widget.NewRadioGroup([]string{"Technicians", "Rooms"}, v.onMode)
	v.mode.Horizontal = true
	v.mode.Required = true
	v.mode.SetSelected("Technicians")
	prev := &widget.Button{Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: func() { v.GoTo(v.day.AddDays(-1)) }}
	next := &widget.Button{Icon: theme.NavigateNextIcon(), Importance: widget.LowImportance, OnTapped: func() { v.GoTo(v.day.AddDays(1)) }}
	today := &widget.Button{Text: "Today", OnTapped: v.GoToday}
	bookBtn := &widget.Button{Text: "Book…", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.bookAtCursor}
	printBtn := &widget.Button{Text: "Schedule…", Icon: theme.DocumentPrintIcon(), OnTapped: func() { showScheduleDialog(v.env, v.day) }}
	bar := container.NewHBox(prev, today, next, v.mode, bookBtn, printBtn)
	v.OffBtn = &widget.Button{Icon: theme.ListIcon(), Importance: widget.LowImportance, OnTapped: v.showOff}
	v.OffBtn.Hide()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, bar, v.title), container.NewBorder(nil, nil, nil, v.OffBtn, v.status))
	v.Content = container.NewBorder(top, v.cursor, nil, nil, newGridScroll(v.Grid))
	return v
}

// Show goes to an appointment's day with the cursor on it, scrolled
// into sight: after a booking, the day shows where it went, even when
// the dialog's day or time was changed from the slot it was opened on.
// The book reads the day again after every booking.
func (v *DayView) Show(a data.Appointment) {
	v.day = data.LocalDay(a.Start, v.env.location())
	v.show = &a
}

// GoToday shows today with the cursor on the time now, in sight: the
// book opened at the top of the day, hours before a walk-in's slot.
func (v *DayView) GoToday() {
	v.seekNow = true
	v.GoTo(v.env.today())
}

// Day is the day in view.
func (v *DayView) Day() data.Date { return v.day }

// Focus gives the grid the keyboard, its cursor in sight.
func (v *DayView) Focus() {
	v.env.Focus(v.Grid)
	v.Grid.reveal()
}

// GoTo shows another day.
func (v *DayView) GoTo(d data.Date) {
	v.day = d
	v.Reload()
}

// Reload reads the day again: the book's names the first time, then the
// day's appointments in one read.
func (v *DayView) Reload() {
	if v.env.ActorID() == 0 || !v.env.started {
		return
	}
	day, have, d, actor := v.day, v.refs, v.env.deps, v.env.Actor
	v.title.SetText(widgets.WeekdayDate(v.env.Settings, day))
	v.loading = true
	v.reads++
	read := v.reads
	type result struct {
		refs    refs
		list    []data.Appointment
		working map[int64]data.WorkingHours
	}
	screen.Background(v.env.Env, func(ctx context.Context) (result, error) {
		var r result
		var err error
		if have != nil {
			r.refs = *have
		} else if r.refs, err = readRefs(ctx, d, actor); err != nil {
			return r, err
		}
		if r.list, err = d.Appointments.DayAppointments(ctx, actor.ID, day); err != nil {
			return r, err
		}
		r.working, err = readWorking(ctx, d, actor.ID, r.refs.technicians)
		return r, err
	}, func(r result, err error) {
		if read != v.reads {
			return // a later read was asked for (another day, or the same after a change)
		}
		v.loading = false
		if err != nil {
			v.status.SetText("Could not read the day. " + data.UserMessage(err))
			return
		}
		v.refs, v.list, v.working = &r.refs, r.list, r.working
		v.draw()
	})
}

// readWorking reads each technician's working hours.
func readWorking(ctx context.Context, d Stores, actor int64, techs []data.StaffName) (map[int64]data.WorkingHours, error) {
	out := make(map[int64]data.WorkingHours, len(techs))
	for _, t := range techs {
		w, err := d.Setup.WorkingHours(ctx, actor, t.ID)
		if err != nil {
			return nil, fmt.Errorf("reading %s's working hours: %w", t.Name, err)
		}
		out[t.ID] = w
	}
	return out, nil
}

// workingDay is when a technician can be booked on a day the clinic has
// the given hours: the clinic's hours, narrowed to the technician's own
// when they are set; the rest of the column is shaded as closed.
func workingDay(clinic data.DayHours, w data.WorkingHours, wd time.Weekday) data.DayHours {
	if !w.Set {
		return clinic
	}
	own := w.Days[wd]
	if !clinic.IsOpen() || !own.IsOpen() {
		return data.DayHours{}
	}
	h := data.DayHours{Open: max(clinic.Open, own.Open), Close: min(clinic.Close, own.Close)}
	if !h.IsOpen() {
		return data.DayHours{}
	}
	return h
}

// ForgetNames makes the next read take the staff, rooms and menu again.
func (v *DayView) ForgetNames() { v.refs = nil }

// Loaded reports whether the day in view has been read.
func (v *DayView) Loaded() bool { return !v.loading && v.refs != nil }

// Appointments are the day's appointments as read.
func (v *DayView) Appointments() []data.Appointment { return v.list }

// draw lays the day out in the grid.
func (v *DayView) draw() {
	loc := v.env.location()
	hours := v.env.Settings.OpeningHours[v.day.Time(time.UTC).Weekday()]
	var cols []gridColumn
	if v.byRoom {
		for _, r := range v.refs.rooms {
			cols = append(cols, gridColumn{title: r.Name, day: v.day, room: r.ID, hours: hours})
		}
	} else {
		wd := v.day.Time(time.UTC).Weekday()
		for _, t := range v.refs.technicians {
			cols = append(cols, gridColumn{title: t.Name, day: v.day, tech: t.ID, hours: workingDay(hours, v.working[t.ID], wd)})
		}
	}
	cols = v.addMissingColumns(cols, hours)
	appts := make([][]data.Appointment, len(cols))
	var off []data.Appointment
	for _, a := range v.list {
		if !a.Status.Holds() {
			off = append(off, a)
			continue
		}
		for i, c := range cols {
			if (v.byRoom && c.room == a.RoomID) || (!v.byRoom && c.tech == a.TechnicianID) {
				appts[i] = append(appts[i], a)
			}
		}
	}
	from, to := gridHours([]data.DayHours{hours}, v.list, loc)
	v.Grid.set(loc, cols, from, to, appts, v.env.Now())
	v.status.SetText(dayStatus(hours, len(v.list)-len(off), len(cols), v.byRoom))
	if len(off) > 0 {
		v.OffBtn.SetText(widgets.Count(len(off), "cancelled or missed appointment") + "…")
		v.OffBtn.Show()
	} else {
		v.OffBtn.Hide()
	}
	if a := v.show; a != nil {
		v.show = nil
		v.putCursorOn(*a)
	} else if v.seekNow && v.day == v.env.today() {
		v.seekNow = false
		g := v.Grid
		if clock := data.LocalClock(v.env.Now(), loc); clock >= g.from && clock < g.to {
			g.cur.row = int(clock-g.from) / slotMinutes
			g.Refresh()
			g.reveal()
		}
	}
	v.onKey("")
}

// putCursorOn moves the cursor to an appointment's slot in its column.
func (v *DayView) putCursorOn(a data.Appointment) {
	g := v.Grid
	for i, c := range g.cols {
		if (v.byRoom && c.room == a.RoomID && a.RoomID != 0) || (!v.byRoom && c.tech == a.TechnicianID) {
			g.cur = slot{col: i, row: min(max(int(data.LocalClock(a.Start, g.loc)-g.from)/slotMinutes, 0), max(g.rows()-1, 0))}
			g.Refresh()
			g.reveal()
			return
		}
	}
}

// showOff lists the day's cancelled and missed appointments; choosing
// one opens it. The status line sent people to the Today list, which
// holds only today's.
func (v *DayView) showOff() {
	loc := v.env.location()
	box := container.NewVBox()
	var d dialog.Dialog
	for _, a := range v.list {
		if a.Status.Holds() {
			continue
		}
		state := a.Status.Label()
		if a.Status == data.StatusCancelled {
			state = a.Cancel.Reason.Label() // who called it off
		}
		text := fmt.Sprintf("%s  %s · %s with %s · %s", a.Start.In(loc).Format("15:04"), a.ClientName, a.TreatmentName,
			a.TechnicianName, state)
		id := a.ID
		box.Add(&widget.Button{Text: text, Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance,
			OnTapped: func() { d.Hide(); v.open(id) }})
	}
	d = dialog.NewCustom("Cancelled and missed on "+widgets.WeekdayDate(v.env.Settings, v.day), "Close",
		container.NewVScroll(box), v.env.Window)
	d.Resize(fyne.NewSize(620, 320))
	dialogs.ShowDialog(v.env.Window, d, nil)
}

// addMissingColumns adds a column for a technician or room that holds an
// appointment on the day but is not offered any more.
func (v *DayView) addMissingColumns(cols []gridColumn, hours data.DayHours) []gridColumn {
	for _, a := range v.list {
		if !a.Status.Holds() {
			continue
		}
		if v.byRoom && a.RoomID != 0 && !slices.ContainsFunc(cols, func(c gridColumn) bool { return c.room == a.RoomID }) {
			cols = append(cols, gridColumn{title: a.RoomName, day: v.day, room: a.RoomID, hours: hours})
		}
		if !v.byRoom && !slices.ContainsFunc(cols, func(c gridColumn) bool { return c.tech == a.TechnicianID }) {
			cols = append(cols, gridColumn{title: a.TechnicianName, day: v.day, tech: a.TechnicianID, hours: hours})
		}
	}
	return cols
}

// dayStatus is the line under the date.
func dayStatus(h data.DayHours, booked, cols int, byRoom bool) string {
	var s string
	if h.IsOpen() {
		s = "Open " + h.String()
	} else {
		s = "The clinic is closed on this day"
	}
	s += " · " + widgets.Count(booked, "appointment")
	if cols == 0 {
		if byRoom {
			s += " · No rooms yet: the owner adds them in the book's set-up"
		} else {
			s += " · No technicians yet: the owner adds them in Settings"
		}
	}
	return s
}

// gridHours are the rows to show: the widest opening hours of the days,
// stretched to any appointment outside them, in whole hours; 09:00 to
// 18:00 on days the clinic is closed and nothing is booked.
func gridHours(days []data.DayHours, list []data.Appointment, loc *time.Location) (from, to data.TimeOfDay) {
	from, to = data.EndOfDay, 0
	for _, h := range days {
		if h.IsOpen() {
			from, to = min(from, h.Open), max(to, h.Close)
		}
	}
	for _, a := range list {
		if !a.Status.Holds() {
			continue
		}
		s := data.LocalClock(a.Start, loc)
		e := data.LocalClock(a.End(), loc)
		if data.LocalDay(a.End(), loc) != data.LocalDay(a.Start, loc) {
			e = data.EndOfDay
		}
		from, to = min(from, s), max(to, e)
	}
	if to <= from {
		return data.TimeOf(9, 0), data.TimeOf(18, 0)
	}
	from = from / 60 * 60
	to = min((to+59)/60*60, data.EndOfDay)
	return from, to
}

func (v *DayView) onMode(choice string) {
	v.byRoom = choice == "Rooms"
	if v.refs != nil {
		v.draw()
	}
}

// onKey takes the keys the grid does not use: Page Up and Page Down move
// a day. An empty name says the cursor moved.
func (v *DayView) onKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyPageUp:
		v.GoTo(v.day.AddDays(-1))
	case fyne.KeyPageDown:
		v.GoTo(v.day.AddDays(1))
	case "":
		v.cursor.SetText(v.Grid.current())
	default:
		return false
	}
	return true
}

// onShortcut: Ctrl+Left and Ctrl+Right move a day, Ctrl+T comes back to
// today.
func (v *DayView) onShortcut(s fyne.Shortcut) bool {
	switch {
	case ctrlKey(s, fyne.KeyLeft):
		v.GoTo(v.day.AddDays(-1))
	case ctrlKey(s, fyne.KeyRight):
		v.GoTo(v.day.AddDays(1))
	case ctrlKey(s, fyne.KeyT):
		v.GoToday()
	default:
		return false
	}
	return true
}

// bookSlot opens the booking dialog for an empty slot.
func (v *DayView) bookSlot(c gridColumn, start time.Time) {
	pre := Booking{Start: start, TechnicianID: c.tech, RoomID: c.room}
	showBookingDialog(v.env, pre)
}

// bookAtCursor books the slot under the cursor, or the day's first slot.
func (v *DayView) bookAtCursor() {
	if len(v.Grid.cols) == 0 {
		showBookingDialog(v.env, Booking{Start: data.At(v.day, data.TimeOf(9, 0), v.env.location())})
		return
	}
	c := v.Grid.cols[v.Grid.cur.col]
	v.bookSlot(c, v.Grid.slotStart(v.Grid.cur))
}
