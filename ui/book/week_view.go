package book

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// WeekView is one technician's or one room's week, Monday to Sunday, a
// column a day. The keys are the day view's: arrows between slots, Page
// Up and Page Down (or Ctrl+Left and Ctrl+Right) between weeks, Ctrl+T
// back to this week.
type WeekView struct {
	env  *areaEnv
	open func(id int64)

	start   data.Date // a Monday
	who     *widget.Select
	refs    *refs
	list    []data.Appointment
	working data.WorkingHours // the chosen technician's
	loading bool

	Grid    *bookGrid
	title   *widget.Label
	status  *widget.Label
	Content fyne.CanvasObject
}

func newWeekView(env *areaEnv, open func(int64)) *WeekView {
	v := &WeekView{env: env, open: open, start: monday(env.today()), Grid: newBookGrid()}
	v.Grid.onOpen = open
	v.Grid.onEmpty = func(c gridColumn, start time.Time) {
		tech, room := v.chosen()
		showBookingDialog(v.env, Booking{Start: start, TechnicianID: tech, RoomID: room})
	}
	v.Grid.onKey = v.onKey
	v.Grid.onShortcut = v.onShortcut
	v.who = &widget.Select{PlaceHolder: "Choose a technician or room", OnChanged: func(string) { v.Reload() }}
	v.title = widgets.Title("")
	v.status = widgets.Caption("")
	prev := &widget.Button{Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: func() { v.GoTo(v.start.AddDays(-7)) }}
	next := &widget.Button{Icon: theme.NavigateNextIcon(), Importance: widget.LowImportance, OnTapped: func() { v.GoTo(v.start.AddDays(7)) }}
	this := &widget.Button{Text: "This week", OnTapped: func() { v.GoTo(v.env.today()) }}
	bar := container.NewHBox(widgets.FixedWidth(240, v.who), prev, this, next)
	v.Content = container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, bar, v.title), v.status),
		nil, nil, nil, newGridScroll(v.Grid))
	return v
}

// monday is the Monday of d's week.
func monday(d data.Date) data.Date {
	wd := int(d.Time(time.UTC).Weekday())
	return d.AddDays(-((wd + 6) % 7))
}

// GoTo shows the week holding d.
func (v *WeekView) GoTo(d data.Date) {
	v.start = monday(d)
	v.Reload()
}

// chosen is the technician or room whose week is shown.
func (v *WeekView) chosen() (tech, room int64) {
	if v.refs == nil {
		return 0, 0
	}
	i := v.who.SelectedIndex()
	switch {
	case i < 0:
		return 0, 0
	case i < len(v.refs.technicians):
		return v.refs.technicians[i].ID, 0
	case i-len(v.refs.technicians) < len(v.refs.rooms):
		return 0, v.refs.rooms[i-len(v.refs.technicians)].ID
	}
	return 0, 0
}

// Choose shows the week of the technician or room named so in the list.
func (v *WeekView) Choose(name string) { v.who.SetSelected(name) }

// Reload reads the names the first time, then the week in one read.
func (v *WeekView) Reload() {
	if v.env.ActorID() == 0 || !v.env.started {
		return
	}
	start, have, d, actor := v.start, v.refs, v.env.deps, v.env.Actor
	tech, room := v.chosen()
	v.title.SetText("Week of " + widgets.WeekdayDate(v.env.Settings, start))
	v.loading = true
	type result struct {
		refs    refs
		list    []data.Appointment
		working data.WorkingHours
	}
	screen.Background(v.env.Env, func(ctx context.Context) (result, error) {
		var r result
		var err error
		if have != nil {
			r.refs = *have
		} else if r.refs, err = readRefs(ctx, d, actor); err != nil {
			return r, err
		}
		if tech == 0 && room == 0 {
			return r, nil
		}
		if r.list, err = d.Appointments.WeekAppointments(ctx, actor.ID, data.Week{Start: start, TechnicianID: tech, RoomID: room}); err != nil {
			return r, err
		}
		if tech != 0 {
			r.working, err = d.Setup.WorkingHours(ctx, actor.ID, tech)
		}
		return r, err
	}, func(r result, err error) {
		if start != v.start {
			return
		}
		v.loading = false
		if err != nil {
			v.status.SetText("Could not read the week. " + data.UserMessage(err))
			return
		}
		if v.refs == nil {
			v.refs = &r.refs
			v.offer()
			return // offer chose someone, which reads the week
		}
		v.list, v.working = r.list, r.working
		v.draw(tech != 0 || room != 0)
	})
}

// offer lists the technicians, then the rooms, and chooses the person
// working when they can be booked, or else the first.
func (v *WeekView) offer() {
	var names []string
	for _, t := range v.refs.technicians {
		names = append(names, t.Name)
	}
	for _, r := range v.refs.rooms {
		names = append(names, "Room: "+r.Name)
	}
	v.who.SetOptions(names)
	if len(names) > 0 {
		first := 0
		for i, t := range v.refs.technicians {
			if t.ID == v.env.ActorID() {
				first = i // a technician's own week first
			}
		}
		v.who.SetSelectedIndex(first)
	} else {
		v.status.SetText("No technicians or rooms yet: the owner adds them in Settings and the book's set-up")
	}
}

// Loaded reports whether the week in view has been read.
func (v *WeekView) Loaded() bool { return !v.loading && v.refs != nil }

func (v *WeekView) draw(chosen bool) {
	loc := v.env.location()
	cols := make([]gridColumn, 7)
	appts := make([][]data.Appointment, 7)
	hours := make([]data.DayHours, 7)
	booked := 0
	for i := range cols {
		day := v.start.AddDays(i)
		wd := day.Time(time.UTC).Weekday()
		hours[i] = v.env.Settings.OpeningHours[wd]
		cols[i] = gridColumn{title: widgets.WeekdayDate(v.env.Settings, day), day: day, hours: workingDay(hours[i], v.working, wd)}
	}
	for _, a := range v.list {
		if !a.Status.Holds() {
			continue
		}
		if i := v.start.DaysUntil(data.LocalDay(a.Start, loc)); i >= 0 && i < 7 {
			appts[i] = append(appts[i], a)
			booked++
		}
	}
	if !chosen {
		cols = nil
	}
	from, to := gridHours(hours, v.list, loc)
	v.Grid.set(loc, cols, from, to, appts, v.env.Now())
	if chosen {
		v.status.SetText(v.who.Selected + " · " + widgets.Count(booked, "appointment"))
	}
}

func (v *WeekView) onKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyPageUp:
		v.GoTo(v.start.AddDays(-7))
	case fyne.KeyPageDown:
		v.GoTo(v.start.AddDays(7))
	default:
		return false
	}
	return true
}

func (v *WeekView) onShortcut(s fyne.Shortcut) bool {
	switch {
	case ctrlKey(s, fyne.KeyLeft):
		v.GoTo(v.start.AddDays(-7))
	case ctrlKey(s, fyne.KeyRight):
		v.GoTo(v.start.AddDays(7))
	case ctrlKey(s, fyne.KeyT):
		v.GoTo(v.env.today())
	default:
		return false
	}
	return true
}
