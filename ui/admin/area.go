// Package admin is the owner's area of the window: the product catalogue,
// the clinic's settings (with the aftercare texts, printing, staff and
// backups), and the audit trail. The shell builds its screens with the
// working context (screen.Env) and the stores below; nothing here reaches
// the shell.
package admin

import (
	"context"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/printing"
	"needledesk/data/transfer"
	"needledesk/ui/handover"
	"needledesk/ui/screen"
)

// Stores are what the area reads and writes, each a small interface.
type Stores struct {
	// Store is the one store the others come from; what only a store kept
	// in a file has (its path, file backups, restoring) is asked of it.
	Store    data.Store
	Clients  ClientFinder
	Products data.ProductStore
	Staff    data.StaffStore
	Settings data.SettingsStore
	Accounts data.AccountStore
	Audit    AuditTrail
	Export   data.ExportSource
	// BackupFolders keeps which folder this computer backs the records up to.
	BackupFolders backup.Folders
	// WatchBackups, when set, asks for fn to be called (from any
	// goroutine) each time an automatic backup lands in the backups folder
	// or old ones are removed, so the Backups tab lists the folder again.
	WatchBackups func(fn func())
	// Now is the clock; nil means time.Now.
	Now data.Clock
	// Output prints and opens PDFs; nil means this computer's.
	Output handover.Output
	// Restore replaces the records with a backup (the shell's launcher
	// owns the records' life); nil where there is none.
	Restore func(req RestoreRequest, done func(safetyCopy string, err error))
}

// ClientFinder lists clients, for the audit trail's client filter.
type ClientFinder interface {
	FindClients(ctx context.Context, actor int64, f data.ClientFilter) ([]data.ClientSummary, error)
}

// AuditTrail reads the audit trail (owners only; the store checks).
type AuditTrail = transfer.AuditSource

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

// Products is the product catalogue.
func (a *Area) Products() *ProductsScreen { return NewProductsScreen(a.env) }

// Settings is the clinic's settings.
func (a *Area) Settings() *SettingsScreen { return NewSettingsScreen(a.env) }

// Audit is the audit trail.
func (a *Area) Audit() *AuditScreen { return NewAuditScreen(a.env) }

// fileBackups is the store's file backups, nil when it has none (its
// backups are then the server's).
func (d Stores) fileBackups() data.FileBackuper {
	b, _ := d.Store.(data.FileBackuper)
	return b
}

// backupKey is what this computer keeps the records' backups folder
// under: the database file, or the server database's address; "" for
// neither.
func (d Stores) backupKey() string {
	if path := data.FilePath(d.Store); path != "" {
		return path
	}
	if s, ok := d.Store.(data.ServerStore); ok {
		return s.ServerName()
	}
	return ""
}

// serverRestore is the store's restore into a new, empty database on a
// server, nil for a store kept in a file.
func (d Stores) serverRestore() data.ServerRestorer {
	r, _ := d.Store.(data.ServerRestorer)
	return r
}

// canRestore says whether the store's file can be replaced by a backup
// here.
func (d Stores) canRestore() bool {
	_, ok := d.Store.(data.FileRestorer)
	return ok && d.Restore != nil
}

// output is where PDFs are printed and viewed.
func (d Stores) output() handover.Output {
	if d.Output != nil {
		return d.Output
	}
	return printing.System{}
}

// RestoreRequest is a backup to restore and who asked.
type RestoreRequest struct {
	From       string
	Passphrase []byte
	Actor      int64
	Progress   func(done, total int)
}

// ProductForm is the form for product p (a new one when p.ID is 0).
func (a *Area) ProductForm(p data.Product, saved func(data.Product), cancel func()) *screen.Page {
	return newProductForm(a.env, p, saved, cancel).page
}
