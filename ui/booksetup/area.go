// Package booksetup is the owner's side of the appointment book: the
// treatment menu, the rooms, the clinic's opening hours and each
// technician's working hours, the clinic's time zone and the shortest
// interval between needling sessions, the e-mail reminders (the clinic's
// mail server, the messages' words, a test message) and the outbox of
// messages owed to clients. The shell builds it with the working context
// (screen.Env) and the stores below; nothing here reaches the shell.
package booksetup

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"needledesk/data"
	"needledesk/data/mail"
	"needledesk/ui/screen"
)

// Stores are what the area reads and writes, each a small interface.
type Stores struct {
	Menu     MenuStore
	Rooms    RoomStore
	Hours    HoursStore
	Staff    StaffLister
	Settings SettingsStore
	Outbox   OutboxReader
	// Mail sends the owner's test message; nil means through the
	// clinic's server from this computer (data/mail's Sender).
	Mail MailTester
}

// MenuStore keeps the treatment menu.
type MenuStore interface {
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error)
	CreateTreatmentType(ctx context.Context, actor int64, t *data.TreatmentType) error
	UpdateTreatmentType(ctx context.Context, actor int64, t *data.TreatmentType) error
}

// RoomStore keeps the rooms.
type RoomStore interface {
	Rooms(ctx context.Context, actor int64, includeRetired bool) ([]data.Room, error)
	CreateRoom(ctx context.Context, actor int64, r *data.Room) error
	UpdateRoom(ctx context.Context, actor int64, r *data.Room) error
}

// HoursStore keeps the technicians' working hours.
type HoursStore interface {
	WorkingHours(ctx context.Context, actor, technicianID int64) (data.WorkingHours, error)
	SaveWorkingHours(ctx context.Context, actor int64, w *data.WorkingHours) error
}

// StaffLister lists the staff, to choose whose hours to set.
type StaffLister interface {
	StaffList(ctx context.Context, actor int64, includeInactive bool) ([]data.Staff, error)
}

// SettingsStore reads and saves the clinic's settings, which hold the
// opening hours, the time zone and the e-mail set-up.
type SettingsStore interface {
	Settings(ctx context.Context, actor int64) (data.Settings, error)
	SaveSettings(ctx context.Context, actor int64, s *data.Settings) error
}

// OutboxReader lists the messages owed to clients.
type OutboxReader interface {
	Outbox(ctx context.Context, actor int64, f data.OutboxFilter) ([]data.OutboxMessage, error)
}

// MailTester sends a test message through the mail server in the
// settings given (saved or not); *mail.Sender is one.
type MailTester interface {
	SendTest(ctx context.Context, settings data.Settings, to string) error
}

// areaEnv is the working context with the area's stores.
type areaEnv struct {
	*screen.Env
	deps Stores
}

func (e *areaEnv) mail() MailTester {
	if e.deps.Mail != nil {
		return e.deps.Mail
	}
	return &mail.Sender{}
}

// part is one tab of the area.
type part interface {
	shown()      // the tab came into view: read what it shows
	dirty() bool // it holds changes not saved
	save()       // Ctrl+S
	content() fyne.CanvasObject
}

// Area is the "Book set-up" section: a tab for each of its screens.
type Area struct {
	env *areaEnv

	Menu      *MenuScreen
	Rooms     *RoomsScreen
	Hours     *HoursScreen
	Reminders *RemindersScreen
	Outbox    *OutboxScreen

	parts []part
	Tabs  *container.AppTabs
	// Content is what the shell shows in its tab.
	Content fyne.CanvasObject
}

// New makes the area for the person working in env. Nothing is read
// until it is shown (Shown).
func New(env *screen.Env, stores Stores) *Area {
	e := &areaEnv{Env: env, deps: stores}
	a := &Area{env: e}
	a.Menu = newMenuScreen(e)
	a.Rooms = newRoomsScreen(e)
	a.Hours = newHoursScreen(e)
	a.Reminders = newRemindersScreen(e)
	a.Outbox = newOutboxScreen(e)
	a.parts = []part{a.Menu, a.Rooms, a.Hours, a.Reminders, a.Outbox}
	a.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Treatment menu", theme.ListIcon(), a.Menu.content()),
		container.NewTabItemWithIcon("Rooms", theme.HomeIcon(), a.Rooms.content()),
		container.NewTabItemWithIcon("Hours", theme.HistoryIcon(), a.Hours.content()),
		container.NewTabItemWithIcon("Reminders", theme.MailComposeIcon(), a.Reminders.content()),
		container.NewTabItemWithIcon("Outbox", theme.MailSendIcon(), a.Outbox.content()),
	)
	a.Tabs.OnSelected = func(*container.TabItem) {
		env.Window.Canvas().Unfocus()
		a.Shown()
	}
	a.Content = a.Tabs
	return a
}

// Shown reads what the tab in view shows; the shell calls it when the
// section comes into view.
func (a *Area) Shown() {
	if a.env.ActorID() == 0 {
		return
	}
	a.parts[a.Tabs.SelectedIndex()].shown()
}

// HasUnsaved reports changes typed in any of the area's forms and not
// saved.
func (a *Area) HasUnsaved() bool {
	for _, p := range a.parts {
		if p.dirty() {
			return true
		}
	}
	return false
}

// Save saves the form in view (Ctrl+S).
func (a *Area) Save() { a.parts[a.Tabs.SelectedIndex()].save() }

// Discard closes the area's forms without asking, as when the person
// signs out.
func (a *Area) Discard() {
	a.Menu.stack.DiscardToRoot()
	a.Rooms.stack.DiscardToRoot()
}

// ShowTab brings the tab called name into view.
func (a *Area) ShowTab(name string) {
	for i, it := range a.Tabs.Items {
		if it.Text == name {
			a.Tabs.SelectIndex(i)
			return
		}
	}
}
