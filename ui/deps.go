package ui

import (
	"context"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/ui/admin"
	"needledesk/ui/book"
	"needledesk/ui/booksetup"
	"needledesk/ui/clients"
	"needledesk/ui/handover"
)

// Deps is everything the interface needs from the rest of NeedleDesk; one
// store provides all the stores (DepsOf). Each screen takes only the narrow
// interface it uses, so tests can hand a screen a small fake or a real store.
type Deps struct {
	// Store is the one store the others come from. What only a store kept
	// in a file on this computer has (its path, file backups, the full
	// check, restoring a backup) is asked of it (data/store.go); nil, as
	// in tests built from fakes, has none of it.
	Store    data.Store
	Clients  clients.ClientStore
	Sessions data.SessionStore
	Products data.ProductStore
	Staff    data.StaffStore
	Settings data.SettingsStore
	Sheets   data.SheetStore
	// Book is the appointment book, its set-up and its messages.
	Book BookStore
	// Accounts signs staff in and out.
	Accounts Accounts
	// Audit reads the audit trail (owners only; the store checks).
	Audit admin.AuditTrail
	// Export reads what a client's export, or the whole clinic's, holds.
	Export data.ExportSource
	// BackupFolders is this computer's choice of backups folder for each
	// database (backup.ComputerFolders); the zero value keeps none, and
	// backups go to the folder beside the database.
	BackupFolders backup.Folders
	// WatchBackups, when set, asks for fn to be called (from any
	// goroutine) each time an automatic backup lands in the backups folder
	// or old ones are removed, so the Backups tab lists the folder again.
	WatchBackups func(fn func())
	// PokeOutbox, when set, has the sender of the outbox's messages look
	// for due ones at once, as after a booking (it also looks every 30
	// seconds); callable from any goroutine, it never blocks.
	PokeOutbox func()

	// Render draws an aftercare plan as a PDF (pdf.RenderAftercare).
	Render data.SheetRenderer
	// LoadSampleData fills the clinic being set up with a sample clinic
	// (demo.Sample), as part of the set-up; nil hides the offer on the
	// welcome screen.
	LoadSampleData data.SampleFiller
	// Now is the clock; nil means time.Now.
	Now data.Clock
	// Output prints sheets and opens them in the viewer; nil means this
	// computer's print service and viewer (printing.System).
	Output handover.Output

	// restore replaces the database with a backup (set by the launcher,
	// which owns the database's life; nil in tests without one).
	restore func(req admin.RestoreRequest, done func(safetyCopy string, err error))
	// changeServer closes the clinic's records on the server this window
	// is on and asks for another (set by the launcher for a clinic on a
	// server; nil for a file, and in tests without one).
	changeServer func()
}

// DepsOf hands the screens every part of one store.
func DepsOf(st data.Store) Deps {
	return Deps{Store: st, Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st,
		Book: st, Accounts: st, Audit: st, Export: st}
}

// databasePath is the store's file, or "" for a store that is not kept
// in a file on this computer.
func (d Deps) databasePath() string { return data.FilePath(d.Store) }

// SettingsReader reads the clinic's settings.
type SettingsReader interface {
	Settings(ctx context.Context, actor int64) (data.Settings, error)
}

// clientStores are the stores the clients area uses.
func (d Deps) clientStores() clients.Stores {
	return clients.Stores{Clients: d.Clients, Sessions: d.Sessions, Products: d.Products, Staff: d.Staff,
		Settings: d.Settings, Sheets: d.Sheets, Export: d.Export, Render: d.Render, Now: d.Now, Output: d.Output,
		Appointments: d.Book, Courses: d.Book}
}

// BookStore is what the appointment book reads and writes.
type BookStore interface {
	data.AppointmentStore
	data.BookSetupStore
	data.CourseStore
	AppointmentMessages(ctx context.Context, actor, appointmentID int64) ([]data.OutboxMessage, error)
	Outbox(ctx context.Context, actor int64, f data.OutboxFilter) ([]data.OutboxMessage, error)
}

// bookStores are the stores the appointment book uses.
func (d Deps) bookStores() book.Stores {
	return book.Stores{Appointments: d.Book, Setup: d.Book, Clients: d.Clients, Settings: d.Settings,
		Sessions: d.Sessions, Messages: d.Book, Courses: d.Book, Output: d.Output, PokeOutbox: d.PokeOutbox}
}

// settingsFor reads the whole settings as actor, in the background.
func settingsFor(store data.SettingsStore, actor int64) func(context.Context) (data.Settings, error) {
	return func(ctx context.Context) (data.Settings, error) { return store.Settings(ctx, actor) }
}

// adminStores are the stores the owner's area uses.
func (d Deps) adminStores() admin.Stores {
	return admin.Stores{Store: d.Store, Clients: d.Clients, Products: d.Products, Staff: d.Staff, Settings: d.Settings,
		Accounts: d.Accounts, Audit: d.Audit, Export: d.Export, BackupFolders: d.BackupFolders,
		WatchBackups: d.WatchBackups, Now: d.Now, Output: d.Output, Restore: d.restore}
}

// bookSetupStores are the stores the book's set-up area uses.
func (d Deps) bookSetupStores() booksetup.Stores {
	return booksetup.Stores{Menu: d.Book, Rooms: d.Book, Hours: d.Book, Staff: d.Staff,
		Settings: d.Settings, Outbox: d.Book}
}
