package clients

import (
	"context"
	"fmt"
	"slices"
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

// CourseKeeper is what the client record's course panel reads and
// writes: the client's treatment courses with their progress, their
// appointments (which of a course's sessions are done and which booked),
// and the treatment menu a new course is chosen from.
type CourseKeeper interface {
	ClientCourses(ctx context.Context, actor, clientID int64) ([]data.Course, error)
	CreateCourse(ctx context.Context, actor int64, c *data.Course) error
	ClientAppointments(ctx context.Context, actor, clientID int64) ([]data.Appointment, error)
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error)
}

// courseRead is what the panel shows, read in one go.
type courseRead struct {
	courses []data.Course // newest first
	appts   []data.Appointment
}

// coursePanel is the client record's "Treatment courses": each course
// with where it is ("session 3 of 6"), its interval, what is done and
// booked, the day the next session is due when none is booked, and
// "Start a course…" for those who book.
type coursePanel struct {
	env      *areaEnv
	clientID int64
	read     courseRead
	loaded   bool
	gen      int

	list     *fyne.Container
	startBtn *widget.Button
	content  fyne.CanvasObject
	starting *courseDialog // the dialog Start a course… opened last
}

func newCoursePanel(env *areaEnv, clientID int64) *coursePanel {
	p := &coursePanel{env: env, clientID: clientID, list: container.NewVBox()}
	p.startBtn = &widget.Button{Text: "Start a course…", Icon: theme.ContentAddIcon(), OnTapped: p.onStart}
	p.startBtn.Hide()
	p.content = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, p.startBtn, widgets.Heading("Treatment courses")), p.list)
	return p
}

// reload reads the client's courses and appointments in the background;
// canStart says whether the record offers a new course (the person books
// and the client is not archived).
func (p *coursePanel) reload(canStart bool) {
	if p.env.deps.Courses == nil {
		p.content.Hide()
		return
	}
	clientShowIf(canStart && p.env.Actor.Role.Can(data.PermBookWrite), p.startBtn)
	p.gen++
	gen, keep, actor, id := p.gen, p.env.deps.Courses, p.env.ActorID(), p.clientID
	screen.Background(p.env.Env, func(ctx context.Context) (courseRead, error) {
		var r courseRead
		var err error
		if r.courses, err = keep.ClientCourses(ctx, actor, id); err != nil {
			return r, fmt.Errorf("reading the client's courses: %w", err)
		}
		if len(r.courses) > 0 {
			r.appts, err = keep.ClientAppointments(ctx, actor, id)
		}
		return r, err
	}, func(r courseRead, err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.list.Objects = []fyne.CanvasObject{widgets.Caption("Could not read the courses. " + data.UserMessage(err))}
			p.list.Refresh()
			return
		}
		p.read, p.loaded = r, true
		p.draw()
	})
}

func (p *coursePanel) draw() {
	p.list.Objects = nil
	if len(p.read.courses) == 0 {
		p.list.Add(widgets.Caption("No course planned. A course is a series of sessions sold together, such as 6 sessions 4 weeks apart."))
	}
	for _, c := range p.read.courses {
		for _, line := range p.courseLines(c) {
			p.list.Add(line)
		}
	}
	p.list.Refresh()
}

// courseLines are one course: its name and place, its plan, and each of
// its appointments that holds its time, numbered.
func (p *coursePanel) courseLines(c data.Course) []fyne.CanvasObject {
	s, loc := p.env.Settings, p.env.Settings.Location()
	head := c.TreatmentName + ": " + c.Progress.Label()
	if c.Closed {
		head += " (closed)"
	}
	plan := fmt.Sprintf("%d sessions, every %d days · %s", c.Sessions, c.IntervalDays, c.Progress.Detail())
	if !c.Progress.NextDue.IsZero() {
		plan += " · next due " + s.FormatDate(c.Progress.NextDue)
	}
	out := []fyne.CanvasObject{&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		widgets.Caption(plan)}
	var mine []data.Appointment
	for _, a := range p.read.appts {
		if a.CourseID == c.ID && a.Status.Holds() {
			mine = append(mine, a)
		}
	}
	slices.SortFunc(mine, func(a, b data.Appointment) int { return a.Start.Compare(b.Start) })
	for i, a := range mine {
		state := "booked"
		if a.Status == data.StatusCompleted {
			state = "done"
		}
		start := a.Start.In(loc)
		out = append(out, widgets.Caption(fmt.Sprintf("Session %d: %s %s, %s", i+1,
			s.FormatDate(data.LocalDay(a.Start, loc)), start.Format("15:04"), state)))
	}
	if c.Note != "" {
		out = append(out, widgets.Caption("Note: "+c.Note))
	}
	return out
}

// openCourse is the client's course that plans sessions still to give
// after one more: the course whose interval the next session follows.
func openCourse(cs []data.Course) (data.Course, bool) {
	for _, c := range cs { // newest first
		if !c.Closed && c.Progress.Done+1 < c.Progress.Planned {
			return c, true
		}
	}
	return data.Course{}, false
}

func (p *coursePanel) onStart() {
	keep, actor := p.env.deps.Courses, p.env.ActorID()
	screen.Background(p.env.Env, func(ctx context.Context) ([]data.TreatmentType, error) {
		return keep.TreatmentTypes(ctx, actor, false)
	}, func(menu []data.TreatmentType, err error) {
		if err != nil {
			p.env.ShowError("Could not read the treatment menu", err)
			return
		}
		p.starting = showCourseDialog(p, menu)
	})
}

// courseDialog asks for a new course's treatment, sessions, interval
// and note.
type courseDialog struct {
	p         *coursePanel
	menu      []data.TreatmentType
	d         dialog.Dialog
	treatment *widget.Select
	sessions  *widgets.Entry
	interval  *widgets.Entry
	note      *widgets.Entry
	fields    widgets.FieldSet
	saveBtn   *widget.Button
	saved     *data.Course
}

func showCourseDialog(p *coursePanel, menu []data.TreatmentType) *courseDialog {
	cd := &courseDialog{p: p, menu: menu}
	var names []string
	for _, t := range menu {
		names = append(names, t.Name)
	}
	cd.treatment = &widget.Select{Options: names, PlaceHolder: "Choose from the treatment menu"}
	if i := slices.IndexFunc(menu, func(t data.TreatmentType) bool { return t.Needling }); i >= 0 {
		cd.treatment.SetSelectedIndex(i)
	}
	cd.sessions = widgets.NewSubmitEntry(1, cd.save, nil)
	cd.sessions.SetText("6")
	days := p.env.Settings.FollowUpDays
	if days < data.MinCourseInterval {
		days = 28
	}
	cd.interval = widgets.NewSubmitEntry(1, cd.save, nil)
	cd.interval.SetText(strconv.Itoa(days))
	cd.note = widgets.NewEntry(2, cd.save)
	cd.note.PlaceHolder = "What was agreed with the client (optional)"
	cd.fields = widgets.FieldSet{widgets.NewField("treatment", "Treatment", cd.treatment),
		widgets.NewField("sessions", "Sessions", cd.sessions), widgets.NewField("interval_days", "Days between sessions", cd.interval),
		widgets.NewField("note", "Note", cd.note)}
	cd.saveBtn = &widget.Button{Text: "Start course", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: cd.save}
	back := &widget.Button{Text: "Back", OnTapped: func() { cd.d.Hide() }}
	body := container.NewVBox(cd.fields[0].Box, widgets.Pair(cd.fields[1].Box, cd.fields[2].Box), cd.fields[3].Box)
	cd.d = dialog.NewCustomWithoutButtons("Start a treatment course", container.NewBorder(nil,
		container.NewHBox(widgets.Spacer(), back, cd.saveBtn), nil, nil, body), p.env.Window)
	cd.d.Resize(fyne.NewSize(520, 360))
	dialogs.ShowDialog(p.env.Window, cd.d, nil)
	p.env.Focus(cd.sessions)
	return cd
}

// read builds the course from the form; what cannot be read is a field
// problem.
func (cd *courseDialog) read() (data.Course, error) {
	c := data.Course{ClientID: cd.p.clientID, Note: strings.TrimSpace(cd.note.Text)}
	if i := cd.treatment.SelectedIndex(); i >= 0 && i < len(cd.menu) {
		c.TreatmentID = cd.menu[i].ID
	}
	var err error
	if c.Sessions, err = strconv.Atoi(strings.TrimSpace(cd.sessions.Text)); err != nil {
		return c, data.Invalid("sessions", "type how many sessions, like 6")
	}
	if c.IntervalDays, err = strconv.Atoi(strings.TrimSpace(cd.interval.Text)); err != nil {
		return c, data.Invalid("interval_days", "type the days between sessions, like 28")
	}
	return c, c.Validate()
}

func (cd *courseDialog) save() {
	c, err := cd.read()
	if err != nil {
		cd.fields.Show(err)
		return
	}
	cd.fields.Clear()
	cd.saveBtn.Disable()
	keep, actor, p := cd.p.env.deps.Courses, cd.p.env.ActorID(), cd.p
	screen.Background(p.env.Env, func(ctx context.Context) (data.Course, error) {
		err := keep.CreateCourse(ctx, actor, &c)
		return c, err
	}, func(saved data.Course, err error) {
		cd.saveBtn.Enable()
		if err != nil {
			if rest := cd.fields.Show(err); len(rest) > 0 || len(data.FieldProblems(err)) == 0 {
				p.env.ShowError("Could not start the course", err)
			}
			return
		}
		cd.saved = &saved
		cd.d.Hide()
		p.reload(true)
	})
}

// loadCourse reads the client's courses for a new session: while a
// course has sessions to give after this one, the next session is due
// after the course's interval rather than the clinic's follow-up, so the
// Due back list follows the course. A date typed by hand stays.
func (f *sessionForm) loadCourse() {
	keep, actor, id := f.env.deps.Courses, f.env.ActorID(), f.client.ID
	if keep == nil {
		return
	}
	screen.Background(f.env.Env, func(ctx context.Context) ([]data.Course, error) {
		return keep.ClientCourses(ctx, actor, id)
	}, func(cs []data.Course, err error) {
		c, ok := openCourse(cs)
		if err != nil || !ok || f.saved {
			return // the clinic's follow-up stays
		}
		f.courseDays = c.IntervalDays
		day, perr := widgets.ParseUserDate(f.startDate.Text, f.env.Settings.DateFormat)
		if f.nextDueEdited || perr != nil || day.IsZero() {
			return
		}
		filling := f.filling
		f.filling = true
		f.nextDue.SetText(f.env.Settings.FormatDate(f.dueAfter(day.Time(time.Local))))
		f.filling = filling
	})
}

// dueAfter is the next session's default day after a session started at t.
func (f *sessionForm) dueAfter(t time.Time) data.Date {
	if f.courseDays > 0 {
		return data.DateOf(t).AddDays(f.courseDays)
	}
	return data.DefaultNextDue(t, f.env.Settings)
}
