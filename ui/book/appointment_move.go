package book

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// move asks for the appointment's new day, time, technician and room,
// checks them as a booking is checked (the client's safety needs a
// written reason, the hours a yes), then moves it.
func (p *appointmentPage) move() {
	d, actor := p.env.deps, p.env.Actor
	screen.Background(p.env.Env, func(ctx context.Context) (refs, error) { return readRefs(ctx, d, actor) },
		func(r refs, err error) {
			if err != nil {
				p.env.ShowError("Could not open the move", err)
				return
			}
			p.showMove(r)
		})
}

func (p *appointmentPage) showMove(r refs) {
	a, loc := p.a, p.env.location()
	var submit func()
	onEnter := func() { submit() }
	date := widgets.NewSubmitEntry(1, onEnter, nil)
	date.SetText(p.env.Settings.FormatDate(data.LocalDay(a.Start, loc)))
	start := widgets.NewSubmitEntry(1, onEnter, nil)
	start.SetText(data.LocalClock(a.Start, loc).String())
	tech := &widget.Select{}
	for _, t := range r.technicians {
		tech.Options = append(tech.Options, t.Name)
	}
	room := &widget.Select{Options: []string{"No room"}}
	for _, rm := range r.rooms {
		room.Options = append(room.Options, rm.Name)
	}
	tech.SetSelected(a.TechnicianName)
	room.SetSelectedIndex(0)
	if a.RoomName != "" {
		room.SetSelected(a.RoomName)
	}
	reason := widgets.NewEntry(2, nil)
	reason.PlaceHolder = "Why the appointment goes ahead despite the warnings above"
	fs := widgets.FieldSet{widgets.NewField("date", "Day", date), widgets.NewField("start", "Starts", start),
		widgets.NewField("technician", "Technician", tech), widgets.NewField("room", "Room", room),
		widgets.NewField("override_reason", "Reason to go ahead", reason)}
	warnBox := container.NewVBox()
	reasonBox := container.NewVBox(warnBox, fs[4].Box)
	reasonBox.Hide()
	var shown []string
	content := container.NewVBox(container.NewGridWithColumns(2, fs[0].Box, fs[1].Box), widgets.Pair(fs[2].Box, fs[3].Box), reasonBox)
	submit = p.formDialog("Move the appointment", "Move", content, date, func(hide func()) {
		to, moved, ok := readSlot(p.env, r, a, date, start, tech, room, fs)
		if !ok {
			return
		}
		treatment, _ := r.treatment(a.TreatmentID)
		st, settings, techName := p.env.deps, p.env.Settings, tech.Selected
		screen.Background(p.env.Env, func(ctx context.Context) (checks, error) {
			return readChecks(ctx, st, actor(p.env), moved, treatment, r.menu, settings, techName)
		}, func(c checks, err error) {
			if err != nil {
				fs[1].SetProblem("Could not check the new time. " + data.UserMessage(err))
				return
			}
			fresh := unanswered(c.warnings, append(append([]string{}, a.Warnings...), shown...))
			if len(fresh) > 0 && strings.TrimSpace(reason.Text) == "" {
				shown = c.warnings
				warnBox.Objects = nil
				for _, w := range fresh {
					warnBox.Add(widgets.WarningLine(w, widget.WarningImportance))
				}
				reasonBox.Show()
				fs[4].SetProblem("Write why the appointment goes ahead despite the warnings, then press Move again")
				p.env.Focus(reason)
				return
			}
			if len(fresh) > 0 {
				to.Warnings, to.OverrideReason = fresh, strings.TrimSpace(reason.Text)
			}
			do := func() { p.saveMove(to, fs[1], hide) }
			if len(c.hours) > 0 {
				p.env.Confirm("Outside the hours", data.HoursWarningMessages(c.hours)+".\n\nMove it there anyway?", "Move anyway", do)
				return
			}
			do()
		})
	})
}

func actor(env *areaEnv) int64 { return env.ActorID() }

// readSlot reads the move's form, with field problems for what does not
// read or check out.
func readSlot(env *areaEnv, r refs, a data.Appointment, date, start *widgets.Entry, tech, room *widget.Select,
	fs widgets.FieldSet) (data.Slot, data.Appointment, bool) {
	fs.Clear()
	day, err := widgets.ParseUserDate(date.Text, env.Settings.DateFormat)
	if err != nil || day.IsZero() {
		fs[0].SetProblem("type the new day, as " + widgets.DatePlaceholder(env.Settings.DateFormat))
		return data.Slot{}, a, false
	}
	clock, err := data.ParseTimeOfDay(start.Text)
	if err != nil {
		fs[1].SetProblem("type the new time, like 14:30")
		return data.Slot{}, a, false
	}
	to := data.Slot{Start: data.At(day, clock, env.location()), TechnicianID: a.TechnicianID, RoomID: 0}
	if i := tech.SelectedIndex(); i >= 0 && i < len(r.technicians) {
		to.TechnicianID = r.technicians[i].ID
	}
	if i := room.SelectedIndex(); i > 0 && i <= len(r.rooms) {
		to.RoomID = r.rooms[i-1].ID
	}
	if err := data.CheckBookingTime(to.Start, env.Now(), env.Actor.Role); err != nil {
		fs.Show(err)
		return data.Slot{}, a, false
	}
	moved := a
	moved.Start, moved.TechnicianID, moved.RoomID = to.Start, to.TechnicianID, to.RoomID
	return to, moved, true
}

// saveMove moves the appointment; a clash or a refused value is shown
// under the time.
func (p *appointmentPage) saveMove(to data.Slot, field *widgets.Field, hide func()) {
	p.change(func(ctx context.Context, st Appointments, actor int64, a data.Appointment) (data.Appointment, error) {
		return st.MoveAppointment(ctx, actor, a.ID, a.Version, to)
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
}
