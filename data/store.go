package data

import "context"

// The store is split into small interfaces so each screen or command asks for
// only what it uses. data/sqlite implements them all; a PostgreSQL store can
// follow later. Every write takes the acting staff member's ID, which goes
// into the audit trail in the same transaction as the change, and the store
// checks the actor's role (data.Permission) before anything else: an
// unknown actor, a switched-off account or a role without the permission
// gets an error matching ErrForbidden, changes nothing, and leaves one
// ActionDenied row in the audit trail. SystemActor (NeedleDesk itself: the
// command line, migrations, the demo clinic) may do everything.

// ClientStore keeps client records.
type ClientStore interface {
	CreateClient(ctx context.Context, actor int64, c *Client) error
	UpdateClient(ctx context.Context, actor int64, c *Client) error
	ArchiveClient(ctx context.Context, actor int64, id int64) error
	// Client reads one client for the actor's work (a form, a check);
	// OpenClientRecord does the same and records the view in the audit
	// trail, for when a person opens the record.
	Client(ctx context.Context, actor int64, id int64) (Client, error)
	OpenClientRecord(ctx context.Context, actor int64, id int64) (Client, error)
	FindClients(ctx context.Context, actor int64, f ClientFilter) ([]ClientSummary, error)
	// ImportClients saves all clients in one transaction, or none of them.
	ImportClients(ctx context.Context, actor int64, cs []Client) error
}

// SessionStore keeps treatment sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, actor int64, s *Session) error
	// UpdateSession saves a change; a change after the session's treatment
	// day keeps the earlier version as an amendment.
	UpdateSession(ctx context.Context, actor int64, s *Session) error
	// Session and ClientSessions give roles without PermSessionDetails a
	// summary (Session.Summary, SummaryOnly set).
	Session(ctx context.Context, actor int64, id int64) (Session, error)
	// ClientSessions lists a client's sessions, newest first.
	ClientSessions(ctx context.Context, actor int64, clientID int64) ([]Session, error)
	// SessionAmendments lists a session's earlier versions, newest first.
	SessionAmendments(ctx context.Context, actor int64, sessionID int64) ([]SessionAmendment, error)
	// ImportSessions saves all sessions in one transaction, or none of them.
	ImportSessions(ctx context.Context, actor int64, ss []Session) error
	// RecordDoNotTreat keeps a decision not to treat a client, with its
	// reason, in the audit trail (ActionDoNotTreat); it needs
	// PermSessionWrite, like charting.
	RecordDoNotTreat(ctx context.Context, actor int64, d DoNotTreat) error
}

// ProductStore keeps the clinic's product catalogue.
type ProductStore interface {
	CreateProduct(ctx context.Context, actor int64, p *Product) error
	UpdateProduct(ctx context.Context, actor int64, p *Product) error
	Product(ctx context.Context, id int64) (Product, error)
	// Products lists the catalogue by category, then name; retired products
	// only when asked.
	Products(ctx context.Context, includeRetired bool) ([]Product, error)
}

// StaffStore keeps the clinic's staff.
type StaffStore interface {
	CreateStaff(ctx context.Context, actor int64, s *Staff) error
	UpdateStaff(ctx context.Context, actor int64, s *Staff) error
	StaffMember(ctx context.Context, id int64) (Staff, error)
	// StaffList lists staff by name; inactive ones only when asked.
	StaffList(ctx context.Context, includeInactive bool) ([]Staff, error)
}

// SettingsStore keeps the clinic's settings.
type SettingsStore interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, actor int64, s *Settings) error
}

// AuditStore reads the audit trail; it is written only by the other stores.
// Only owners may read it.
type AuditStore interface {
	AuditEvents(ctx context.Context, actor int64, f AuditFilter) ([]AuditEvent, error)
}

// AccountStore signs staff in and out and keeps their passwords (argon2id,
// HashPassword). Every attempt, good or bad, is in the audit trail; no
// password ever is.
type AccountStore interface {
	// SignIn checks a staff member's password and returns them. A refusal
	// matches ErrSignIn: ErrWrongPassword, ErrAccountOff, ErrNoPassword,
	// ErrUnknownStaff, or a *SignInWaitError (ErrTooSoon) after
	// FreeSignInAttempts wrong passwords in a row. Success resets the count.
	SignIn(ctx context.Context, staffID int64, password string) (Staff, error)
	// SignOut and RecordLock record the person leaving and the screen
	// locking, by hand or after idle minutes as why says.
	SignOut(ctx context.Context, staffID int64) error
	RecordLock(ctx context.Context, staffID int64, why LockReason) error
	// SetPassword sets a new password: anyone their own, an owner anyone's.
	// It clears the count of wrong passwords.
	SetPassword(ctx context.Context, actor, staffID int64, password string) error
	// NeedsOwner reports that no active owner can sign in yet: a new
	// database, or one from before sign-in, waiting for CreateFirstOwner.
	NeedsOwner(ctx context.Context) (bool, error)
	// CreateFirstOwner makes the first owner account with a password; it
	// is refused (ErrConflict) once an active owner has a password.
	CreateFirstOwner(ctx context.Context, name, password string) (Staff, error)
	// SetUpClinic is the first start in one transaction: it names the
	// clinic, makes its first owner with a password (refused as
	// CreateFirstOwner is once an active owner can sign in) and, when
	// s.Sample is set, fills the sample clinic through a SampleStore that
	// writes into the same transaction, reporting its progress. A set-up
	// that fails or whose ctx is cancelled leaves nothing of itself.
	SetUpClinic(ctx context.Context, s ClinicSetup, progress func(done, total int)) (Staff, error)
}

// Authorizer checks a permission for work done outside the store's own
// changes (exports, backups). A refusal is recorded as ActionDenied.
type Authorizer interface {
	Authorize(ctx context.Context, actor int64, p Permission) error
}

// ClientRows gives the rows of an import one at a time, io.EOF after the
// last; *transfer.ClientCSV is one.
type ClientRows interface {
	Next() (ImportRow, error)
}

// ExportSource is what the exports read, each call from one consistent
// snapshot of the store, and where they are recorded.
type ExportSource interface {
	// ClientRecord is everything kept about one client; a client that does
	// not exist is ErrNotFound.
	ClientRecord(ctx context.Context, clientID int64) (ClientRecord, error)
	// WalkClinic streams every client and every session, so a clinic of
	// any size is exported without holding it in memory.
	WalkClinic(ctx context.Context, w ClinicWalker) error
	// RecordExport records an export that has been written, checking
	// that actor may export (and, for the audit trail, read it).
	RecordExport(ctx context.Context, actor int64, entity Entity, clientID int64, detail string) error
	// Authorize refuses, and records, an export by someone whose role
	// does not allow it.
	Authorize(ctx context.Context, actor int64, p Permission) error
}

// SheetStore keeps the aftercare sheets handed over.
type SheetStore interface {
	// KeepSheet stores the bytes and the basis and fills in ID, Version,
	// MadeAt and SHA256.
	KeepSheet(ctx context.Context, actor int64, s *Sheet) error
	// LatestSheet is the newest sheet of a session; ErrNotFound if none.
	// It and Sheet return the PDF handed over, health data: they, like
	// ClientSheets, are for anyone allowed PermSheetMake, and refuse (and
	// record) anyone else as ErrForbidden.
	LatestSheet(ctx context.Context, actor, sessionID int64) (Sheet, error)
	Sheet(ctx context.Context, actor, id int64) (Sheet, error)
	// ReprintSheet reads a kept sheet to hand over again (open, save or
	// print) and records ActionReprint.
	ReprintSheet(ctx context.Context, actor, id int64) (Sheet, error)
	// SheetInput reads what the session's aftercare sheet is made from
	// (see SheetInput), for anyone allowed PermSheetMake; a receptionist
	// gets the same as a technician, and no clinical detail of the session.
	SheetInput(ctx context.Context, actor, sessionID int64) (SheetInput, error)
	// ClientSheets lists every sheet made for a client's sessions, newest first.
	ClientSheets(ctx context.Context, actor, clientID int64) ([]SheetInfo, error)
}

// SheetSources is what making a sheet reads. SheetInput gives everyone
// allowed to make sheets the same input, so the sheet a receptionist
// prints is the one a technician would print; it holds only what the
// sheet is made from (see SheetInput), so a receptionist learns no
// clinical detail of the session through it.
type SheetSources interface {
	SheetInput(ctx context.Context, actor, sessionID int64) (SheetInput, error)
	Settings(ctx context.Context) (Settings, error)
}

// SystemActor is the actor recorded for changes NeedleDesk makes by itself
// (creating a database, command-line imports before sign-in exists).
const SystemActor int64 = 0

// ClientFinder lists clients by a filter; every ClientStore is one, and
// FindDueBack reads through it.
type ClientFinder interface {
	FindClients(ctx context.Context, actor int64, f ClientFilter) ([]ClientSummary, error)
}

// SampleStore is what filling a clinic with made-up records (data/demo)
// reads and writes; every store is one, and SetUpClinic hands the sample
// one that writes into the set-up's transaction.
type SampleStore interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, actor int64, s *Settings) error
	StaffList(ctx context.Context, includeInactive bool) ([]Staff, error)
	CreateStaff(ctx context.Context, actor int64, s *Staff) error
	SetPassword(ctx context.Context, actor, staffID int64, password string) error
	Products(ctx context.Context, includeRetired bool) ([]Product, error)
	CreateProduct(ctx context.Context, actor int64, p *Product) error
	ImportClients(ctx context.Context, actor int64, cs []Client) error
	ImportSessions(ctx context.Context, actor int64, ss []Session) error
}
