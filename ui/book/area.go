// Package book is the front desk's appointment book: the day with a
// column for each technician (or room), one technician's or room's week,
// the Today list, the booking dialog, an appointment's own page with what
// can be done to it, and the day's schedule on paper. The shell builds it
// with the working context (screen.Env) and the stores below; nothing
// here reaches the shell, and every read and write runs in
// screen.Background.
package book

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"needledesk/data"
	"needledesk/data/printing"
	"needledesk/ui/handover"
	"needledesk/ui/screen"
)

// Stores are what the book reads and writes, each a small interface.
type Stores struct {
	Appointments Appointments
	Setup        SetupReader
	Clients      ClientFinder
	Settings     SettingsReader
	Sessions     SessionReader
	Messages     MessageReader
	// Courses reads a client's treatment courses, offered in the booking
	// dialog and followed by Book next; nil offers none.
	Courses CourseReader
	// Output prints the schedule and opens it in the viewer; nil means
	// this computer's print service and viewer (printing.System).
	Output handover.Output
	// PokeOutbox, when set, has the outbox's sender look for due
	// messages at once; the book calls it after a booking, a move or a
	// new length, so the client's confirmation goes out without waiting
	// for the sender's next round. It never blocks.
	PokeOutbox func()
}

// Appointments is the part of the appointment store the book uses.
type Appointments interface {
	BookAppointment(ctx context.Context, actor int64, a *data.Appointment) error
	MoveAppointment(ctx context.Context, actor, id, version int64, to data.Slot) (data.Appointment, error)
	ChangeAppointmentLength(ctx context.Context, actor, id, version int64, minutes int) (data.Appointment, error)
	CancelAppointment(ctx context.Context, actor, id, version int64, c data.Cancellation) (data.Appointment, error)
	MarkAppointment(ctx context.Context, actor, id, version int64, to data.AppointmentStatus) (data.Appointment, error)
	Appointment(ctx context.Context, actor, id int64) (data.Appointment, error)
	DayAppointments(ctx context.Context, actor int64, day data.Date) ([]data.Appointment, error)
	WeekAppointments(ctx context.Context, actor int64, w data.Week) ([]data.Appointment, error)
	ClientAppointments(ctx context.Context, actor, clientID int64) ([]data.Appointment, error)
}

// SetupReader reads what the book is set up with, and who can be
// booked (technicians and owners, for every role that sees the book).
type SetupReader interface {
	BookableStaff(ctx context.Context, actor int64) ([]data.StaffName, error)
	Rooms(ctx context.Context, actor int64, includeRetired bool) ([]data.Room, error)
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error)
	WorkingHours(ctx context.Context, actor, technicianID int64) (data.WorkingHours, error)
}

// ClientFinder finds the client to book, and reads the one chosen.
type ClientFinder interface {
	FindClients(ctx context.Context, actor int64, f data.ClientFilter) ([]data.ClientSummary, error)
	Client(ctx context.Context, actor, id int64) (data.Client, error)
}

// SettingsReader reads the clinic's settings.
type SettingsReader interface {
	Settings(ctx context.Context, actor int64) (data.Settings, error)
}

// SessionReader reads a client's sessions, for "last session" and the
// interval between needling sessions.
type SessionReader interface {
	ClientSessions(ctx context.Context, actor int64, clientID int64) ([]data.Session, error)
}

// CourseReader reads a client's treatment courses with their progress.
type CourseReader interface {
	ClientCourses(ctx context.Context, actor, clientID int64) ([]data.Course, error)
}

// MessageReader reads an appointment's messages from the outbox.
type MessageReader interface {
	AppointmentMessages(ctx context.Context, actor, appointmentID int64) ([]data.OutboxMessage, error)
}

// areaEnv is the working context with the book's stores.
type areaEnv struct {
	*screen.Env
	deps Stores
	// booking is the booking dialog last opened.
	booking *bookingDialog
	// showBooked shows a new booking where it is (the day view sets it).
	showBooked func(a data.Appointment)
	// started: the book has been shown (Area.Start); until then its views
	// read nothing.
	started bool
}

// bookChanged tells every screen that an appointment of client was
// booked or changed here, as a change on another workstation is told:
// the book's screens and an appointment's page read it again, and so
// does the client's record.
func (e *areaEnv) bookChanged(client int64) {
	e.Events.Publish(screen.AppointmentChanged{Client: data.ClientID(client)})
}

// messagesQueued has the outbox's sender look at once for the messages a
// booking or change has just queued.
func (e *areaEnv) messagesQueued() {
	if e.deps.PokeOutbox != nil {
		e.deps.PokeOutbox()
	}
}

// location is the clinic's time zone.
func (e *areaEnv) location() *time.Location { return e.Settings.Location() }

// today is the clinic's date now, on its clock.
func (e *areaEnv) today() data.Date { return data.LocalDay(e.Now(), e.location()) }

// output is where the schedule is printed and viewed.
func (d Stores) output() handover.Output {
	if d.Output != nil {
		return d.Output
	}
	return printing.System{}
}

// Area is the book's screens for the person working.
type Area struct {
	env   *areaEnv
	Stack *screen.Stack
	Tabs  *container.AppTabs
	Day   *DayView
	Week  *WeekView
	Today *TodayList
	// Content is what the shell's Book tab shows.
	Content fyne.CanvasObject
}

// New makes the book for the person working in env.
func New(env *screen.Env, stores Stores) *Area {
	a := &Area{env: &areaEnv{Env: env, deps: stores}}
	a.Day = newDayView(a.env, a.openAppointment)
	a.Week = newWeekView(a.env, a.openAppointment)
	a.Today = newTodayList(a.env, a.openAppointment)
	a.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Day", theme.GridIcon(), a.Day.Content),
		container.NewTabItemWithIcon("Week", theme.ViewRestoreIcon(), a.Week.Content),
		container.NewTabItemWithIcon("Today", theme.ListIcon(), a.Today.Content),
	)
	a.Tabs.OnSelected = a.onTab
	a.Stack = screen.NewStack(env, &screen.Page{Title: "Book", Content: a.Tabs, Shown: a.Reload})
	a.Content = a.Stack.Content
	screen.On(env.Events, func(screen.SessionChanged) { a.Reload() })
	screen.On(env.Events, func(screen.SettingsChanged) { a.Reload() })
	screen.On(env.Events, func(screen.AppointmentChanged) { a.Reload() }) // booked here or on another workstation
	return a
}

// Start has the book read its day, week and Today list, the first time
// its tab is shown. Until then it reads nothing: on a clinic of 195
// technicians the day alone is a thousand appointments, whose blocks held
// some 40 MB from the sign-in on for nobody to see.
func (a *Area) Start() {
	if a.env.started {
		return
	}
	a.env.started = true
	a.Day.Reload() // the week and the Today list read when their tabs are chosen
}

// Reload reads the book's screens again.
func (a *Area) Reload() {
	a.Day.Reload()
	a.Week.Reload()
	a.Today.Reload()
}

// Shown is called when the Book tab comes into view: the day is read
// again and takes the keyboard.
func (a *Area) Shown() {
	if a.env.started {
		a.Reload()
	} else {
		a.Start()
	}
	if a.Stack.Depth() == 1 && a.Tabs.SelectedIndex() == 0 {
		a.Day.Focus()
	}
}

func (a *Area) onTab(t *container.TabItem) {
	switch t.Content {
	case a.Day.Content:
		a.Day.Reload()
		a.Day.Focus()
	case a.Week.Content:
		a.Week.Reload()
	case a.Today.Content:
		a.Today.Reload()
	}
}

// openAppointment shows an appointment's page over the book.
func (a *Area) openAppointment(id int64) {
	a.Stack.PopToRoot(func() { a.Stack.Push(newAppointmentPage(a.env, a.Stack, id)) })
}

// OpenAppointment shows appointment id's page over the book (the
// screen.Appointment route, from a client's record).
func (a *Area) OpenAppointment(id int64) { a.openAppointment(id) }

// Book opens the booking dialog with what is given filled in (a client
// from the record, a slot from the day).
func (a *Area) Book(pre Booking) { showBookingDialog(a.env, pre) }
