package book

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// TodayList is the front desk's day: who is still to come and when, who
// has arrived, who is in treatment, who is done, who did not come, and
// what was cancelled. Each row opens its appointment.
type TodayList struct {
	env  *areaEnv
	open func(id int64)

	list    []data.Appointment
	loaded  bool
	title   *widget.Label
	status  *widget.Label
	body    *fyne.Container
	Content fyne.CanvasObject
}

// todayGroups are the list's sections, in the order of a day.
var todayGroups = []struct {
	title  string
	states []data.AppointmentStatus
}{
	{"Coming", []data.AppointmentStatus{data.StatusBooked}},
	{"Arrived", []data.AppointmentStatus{data.StatusArrived}},
	{"In treatment", []data.AppointmentStatus{data.StatusInTreatment}},
	{"Done", []data.AppointmentStatus{data.StatusCompleted}},
	{"Did not come", []data.AppointmentStatus{data.StatusNoShow}},
	{"Cancelled", []data.AppointmentStatus{data.StatusCancelled}},
}

func newTodayList(env *areaEnv, open func(int64)) *TodayList {
	l := &TodayList{env: env, open: open, title: widgets.Title("Today"), status: widgets.Caption(""), body: container.NewVBox()}
	l.Content = container.NewBorder(container.NewVBox(l.title, l.status), nil, nil, nil, container.NewVScroll(l.body))
	return l
}

// Reload reads today's appointments.
func (l *TodayList) Reload() {
	if l.env.ActorID() == 0 || !l.env.started {
		return
	}
	day, appts, actor := l.env.today(), l.env.deps.Appointments, l.env.ActorID()
	l.title.SetText("Today, " + widgets.WeekdayDate(l.env.Settings, day))
	screen.Background(l.env.Env, func(ctx context.Context) ([]data.Appointment, error) {
		return appts.DayAppointments(ctx, actor, day)
	}, func(list []data.Appointment, err error) {
		if err != nil {
			l.status.SetText("Could not read today's appointments. " + data.UserMessage(err))
			return
		}
		l.list, l.loaded = list, true
		l.draw()
	})
}

// Loaded reports whether today has been read.
func (l *TodayList) Loaded() bool { return l.loaded }

func (l *TodayList) draw() {
	l.body.Objects = nil
	counts := map[data.AppointmentStatus]int{}
	for _, a := range l.list {
		counts[a.Status]++
	}
	for _, g := range todayGroups {
		var rows []fyne.CanvasObject
		for _, a := range l.list {
			for _, s := range g.states {
				if a.Status == s {
					rows = append(rows, l.row(a))
				}
			}
		}
		if len(rows) == 0 {
			continue
		}
		l.body.Add(widgets.Heading(g.title + " (" + widgets.Count(len(rows), "appointment") + ")"))
		l.body.Objects = append(l.body.Objects, rows...)
	}
	l.body.Refresh()
	switch n := len(l.list); {
	case n == 0:
		l.status.SetText("Nobody is booked today.")
	default:
		l.status.SetText(widgets.Count(counts[data.StatusBooked], "client") + " still to come, " +
			widgets.Count(counts[data.StatusArrived]+counts[data.StatusInTreatment], "client") + " here now")
	}
}

// row is one appointment: time, client, treatment, technician and room;
// pressing it opens the appointment.
func (l *TodayList) row(a data.Appointment) fyne.CanvasObject {
	start := a.Start.In(l.env.location())
	text := start.Format("15:04") + "–" + a.End().In(l.env.location()).Format("15:04") + "  " + a.ClientName +
		" · " + a.TreatmentName + " with " + a.TechnicianName
	if a.RoomName != "" {
		text += " in " + a.RoomName
	}
	if a.Status == data.StatusCancelled {
		text += " · " + a.Cancel.Reason.Label()
	}
	id := a.ID
	return &widget.Button{Text: text, Alignment: widget.ButtonAlignLeading, Importance: widget.LowImportance,
		OnTapped: func() { l.open(id) }}
}
