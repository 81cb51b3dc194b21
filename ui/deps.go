package ui

import (
	"context"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/printing"
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
	Clients  ClientStore
	Sessions data.SessionStore
	Products data.ProductStore
	Staff    data.StaffStore
	Settings data.SettingsStore
	Sheets   data.SheetStore
	// Accounts signs staff in and out.
	Accounts Accounts
	// Audit reads the audit trail (owners only; the store checks).
	Audit AuditTrail
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

	// Render draws an aftercare plan as a PDF (pdf.RenderAftercare).
	Render data.SheetRenderer
	// LoadSampleData fills the database with a sample clinic, reporting
	// progress; nil hides the offer on the welcome screen.
	LoadSampleData func(ctx context.Context, progress func(done, total int)) error
	// Now is the clock; nil means time.Now.
	Now data.Clock
	// Output prints sheets and opens them in the viewer; nil means this
	// computer's print service and viewer (printing.System).
	Output sheetOutput

	// restore replaces the database with a backup (set by the launcher,
	// which owns the database's life; nil in tests without one).
	restore func(req RestoreRequest, done func(safetyCopy string, err error))
}

// DepsOf hands the screens every part of one store.
func DepsOf(st data.Store) Deps {
	return Deps{Store: st, Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st,
		Accounts: st, Audit: st, Export: st}
}

// databasePath is the store's file, or "" for a store that is not kept
// in a file on this computer.
func (d Deps) databasePath() string {
	if f, ok := d.Store.(data.FileStore); ok {
		return f.Path()
	}
	return ""
}

// fileBackups is the store's file backups, nil when it has none (its
// backups are then the server's).
func (d Deps) fileBackups() data.FileBackuper {
	b, _ := d.Store.(data.FileBackuper)
	return b
}

// canRestore says whether the store's file can be replaced by a backup
// here.
func (d Deps) canRestore() bool {
	_, ok := d.Store.(data.FileRestorer)
	return ok && d.restore != nil
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

// output is where sheets are printed and viewed.
func (d Deps) output() sheetOutput {
	if d.Output != nil {
		return d.Output
	}
	return printing.System{}
}

// sheetMaker is the one path from a session to a kept aftercare sheet.
func (d Deps) sheetMaker() data.SheetMaker {
	return data.SheetMaker{Sources: sheetSources{d}, Sheets: d.Sheets, Render: d.Render, Now: d.Now}
}

// sheetSources adapts Deps to data.SheetSources.
type sheetSources struct{ d Deps }

func (s sheetSources) SheetInput(ctx context.Context, actor, sessionID int64) (data.SheetInput, error) {
	return s.d.Sheets.SheetInput(ctx, actor, sessionID)
}
func (s sheetSources) Settings(ctx context.Context, actor int64) (data.Settings, error) {
	return s.d.Settings.Settings(ctx, actor)
}

// settingsFor reads the whole settings as actor, in the background.
func settingsFor(store data.SettingsStore, actor int64) func(context.Context) (data.Settings, error) {
	return func(ctx context.Context) (data.Settings, error) { return store.Settings(ctx, actor) }
}
