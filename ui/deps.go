package ui

import (
	"context"

	"needledesk/data"
	"needledesk/data/printing"
	"needledesk/ui/clients"
	"needledesk/ui/handover"
)

// Deps is everything the interface needs from the rest of NeedleDesk; the
// SQLite store provides all the stores. Each screen takes only the narrow
// interface it uses, so tests can hand a screen a small fake or a real store.
type Deps struct {
	Clients  clients.ClientStore
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
	// Backup writes a checked copy of the database to dest, encrypted
	// when a passphrase is given, reporting progress.
	Backup func(ctx context.Context, actor int64, dest string, passphrase []byte, progress func(done, total int)) error
	// DatabasePath is the open database file; its backups folder is beside it.
	DatabasePath string
	// WatchBackups, when set, asks for fn to be called (from any
	// goroutine) each time an automatic backup lands in the backups folder
	// or old ones are removed, so the Backups tab lists the folder again.
	WatchBackups func(fn func())

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

	// Checked, when set, waits for the full check of the file that opening
	// left running in the background: nil once it passed, a *Damage when
	// it found damage (nothing has been written then). The launcher shows
	// the damage screen.
	Checked func(ctx context.Context) error

	// restore replaces the database with a backup (set by the launcher,
	// which owns the database's life; nil in tests without one).
	restore func(req RestoreRequest, done func(safetyCopy string, err error))
}

// SettingsReader reads the clinic's settings.
type SettingsReader interface {
	Settings(ctx context.Context) (data.Settings, error)
}

// output is where sheets are printed and viewed.
func (d Deps) output() handover.Output {
	if d.Output != nil {
		return d.Output
	}
	return printing.System{}
}

// clientStores are the stores the clients area uses.
func (d Deps) clientStores() clients.Stores {
	return clients.Stores{Clients: d.Clients, Sessions: d.Sessions, Products: d.Products, Staff: d.Staff,
		Settings: d.Settings, Sheets: d.Sheets, Export: d.Export, Render: d.Render, Now: d.Now, Output: d.Output}
}
