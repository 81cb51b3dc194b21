// Package clients is the front desk's and the treatment room's area of the
// window: the client list and its search, the client form, the client's
// record with its timeline, the session form, view and corrections, the
// aftercare sheet's page and how sheets are printed, opened and saved, and
// the Due back list. The shell builds its screens with the working context
// (screen.Env) and the stores below; nothing here reaches the shell.
package clients

import (
	"context"

	"needledesk/data"
	"needledesk/data/printing"
	"needledesk/ui/handover"
	"needledesk/ui/screen"
)

// Stores are what the area reads and writes, each a small interface.
type Stores struct {
	Clients  ClientStore
	Sessions data.SessionStore
	Products data.ProductStore
	Staff    data.StaffStore
	Settings SettingsReader
	Sheets   data.SheetStore
	Export   data.ExportSource
	// Render draws an aftercare plan as a PDF (pdf.RenderAftercare).
	Render data.SheetRenderer
	// Now is the clock; nil means time.Now.
	Now data.Clock
	// Output prints sheets and opens them in the viewer; nil means this
	// computer's print service and viewer (printing.System).
	Output handover.Output
	// Appointments links a session saved from an appointment to it and
	// lists the client's appointments on the record; nil (a clinic without
	// the book) leaves sessions unlinked, the record without appointments,
	// and offers no booking from the record or the Due back list.
	Appointments AppointmentLinker
	// Courses keeps the clients' treatment courses (course_panel.go); nil
	// leaves them off the record.
	Courses CourseKeeper
}

// canBook reports whether the person working can book from the clients'
// screens: the clinic keeps an appointment book and their role books.
func (e *areaEnv) canBook() bool {
	return e.deps.Appointments != nil && e.Actor.Role.Can(data.PermBookWrite)
}

// AppointmentLinker reads an appointment and records the session saved
// for it, and reads a client's appointments for their record.
type AppointmentLinker interface {
	Appointment(ctx context.Context, actor, id int64) (data.Appointment, error)
	// ClientAppointments lists a client's appointments, newest first, in
	// every state.
	ClientAppointments(ctx context.Context, actor, clientID int64) ([]data.Appointment, error)
	LinkSession(ctx context.Context, actor, id, version, sessionID int64) (data.Appointment, error)
	// TreatmentTypes is the treatment menu, for the areas the
	// appointment's treatment usually covers, ticked on the form.
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error)
}

// ClientStore is the client part of the store as the screens use it.
type ClientStore interface {
	ClientFinder
	Client(ctx context.Context, actor, id int64) (data.Client, error)
	OpenClientRecord(ctx context.Context, actor, id int64) (data.Client, error)
	CreateClient(ctx context.Context, actor int64, c *data.Client) error
	UpdateClient(ctx context.Context, actor int64, c *data.Client) error
	ArchiveClient(ctx context.Context, actor int64, id int64) error
}

// ClientFinder lists clients.
type ClientFinder interface {
	FindClients(ctx context.Context, actor int64, f data.ClientFilter) ([]data.ClientSummary, error)
}

// SettingsReader reads the clinic's settings.
type SettingsReader interface {
	Settings(ctx context.Context, actor int64) (data.Settings, error)
}

// areaEnv is the working context with the area's stores.
type areaEnv struct {
	*screen.Env
	deps Stores
}

// Area makes the area's screens on one working context and its stores.
type Area struct{ env *areaEnv }

// New makes the area for the person working in env.
func New(env *screen.Env, stores Stores) *Area {
	return &Area{env: &areaEnv{Env: env, deps: stores}}
}

// ClientList is the client list with its search; open and newClient are
// what choosing a client and "New client" do.
func (a *Area) ClientList(open func(id int64), newClient func()) *ClientsScreen {
	return NewClientsScreen(a.env, open, newClient)
}

// DueBack is the list of clients due back.
func (a *Area) DueBack() *DueBackScreen { return NewDueBackScreen(a.env) }

// ClientForm is the form for c (a new client when c.ID is 0).
func (a *Area) ClientForm(c data.Client, saved func(data.Client), cancel func()) *screen.Page {
	return NewClientFormPage(a.env, c, saved, cancel)
}

// Record is client id's record, on stack.
func (a *Area) Record(stack *screen.Stack, id int64) *screen.Page {
	return NewClientRecord(a.env, stack, id)
}

// NewSession is the session form for a new session of c, on stack.
func (a *Area) NewSession(stack *screen.Stack, c data.Client) *screen.Page {
	return NewSessionForm(a.env, stack, c)
}

// NewSessionFor is the session form for c's appointment, on stack: saving
// links the session to the appointment, which completes it.
func (a *Area) NewSessionFor(stack *screen.Stack, c data.Client, appointment int64) *screen.Page {
	return NewSessionFormFor(a.env, stack, c, appointment)
}

// output is where sheets are printed and viewed.
func (d Stores) output() handover.Output {
	if d.Output != nil {
		return d.Output
	}
	return printing.System{}
}

// sheetMaker is the one path from a session to a kept aftercare sheet.
func (d Stores) sheetMaker() data.SheetMaker {
	return data.SheetMaker{Sources: sheetSources{d}, Sheets: d.Sheets, Render: d.Render, Now: d.Now}
}

// sheetSources adapts Stores to data.SheetSources.
type sheetSources struct{ d Stores }

func (s sheetSources) SheetInput(ctx context.Context, actor, sessionID int64) (data.SheetInput, error) {
	return s.d.Sheets.SheetInput(ctx, actor, sessionID)
}
func (s sheetSources) Settings(ctx context.Context, actor int64) (data.Settings, error) {
	return s.d.Settings.Settings(ctx, actor)
}
