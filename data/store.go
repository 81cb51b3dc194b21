package data

import (
	"context"
	"time"
)

// The store is split into small interfaces so each screen or command asks for
// only what it uses. data/sqlite implements them all; a PostgreSQL store can
// follow later. Every write takes the acting staff member's ID, which goes
// into the audit trail in the same transaction as the change, and the store
// checks the actor's role (data.Permission) before anything else: an
// unknown actor, a switched-off account or a role without the permission
// gets an error matching ErrForbidden, changes nothing, and leaves one
// ActionDenied row in the audit trail. SystemActor (NeedleDesk itself: the
// command line, migrations, the demo clinic) may do everything.

// Store is one clinic's whole store, as storeopen.Open gives it: every
// interface the app and the commands use, and Close. What only some
// stores have, such as a file on this computer (its path, the full check,
// file backups, restoring one), is a capability further down that callers
// ask the store for, and do without when it is not there:
//
//	if fb, ok := st.(data.FileBackuper); ok { ... }
type Store interface {
	ClientStore
	ClientImporter
	SessionStore
	ProductStore
	StaffStore
	SettingsStore
	AuditStore
	AccountStore
	SheetStore
	ExportSource
	AppointmentStore
	BookSetupStore
	CourseStore
	OutboxStore
	// Close ends the store's work and lets go of what it holds.
	Close() error
}

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

// ClientImporter adds clients from a spreadsheet, one row at a time (see
// ImportOptions and ImportResult), in one transaction.
type ClientImporter interface {
	ImportClientRows(ctx context.Context, actor int64, rows ClientRows, opts ImportOptions) (ImportResult, error)
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
	// Product and Products are for any staff member whose account is on:
	// the catalogue is no one's health data, and every role's work names
	// its products.
	Product(ctx context.Context, actor, id int64) (Product, error)
	// Products lists the catalogue by category, then name; retired products
	// only when asked.
	Products(ctx context.Context, actor int64, includeRetired bool) ([]Product, error)
}

// StaffStore keeps the clinic's staff.
type StaffStore interface {
	CreateStaff(ctx context.Context, actor int64, s *Staff) error
	UpdateStaff(ctx context.Context, actor int64, s *Staff) error
	// StaffMember reads one account whole (its role, whether it is on);
	// owners only, who keep the accounts (PermStaffWrite).
	StaffMember(ctx context.Context, actor, id int64) (Staff, error)
	// StaffList lists staff by name, inactive ones only when asked, with
	// everyone's role and whether their account is on: for owners, and for
	// those who chart sessions (PermSessionWrite), who choose who gave one.
	StaffList(ctx context.Context, actor int64, includeInactive bool) ([]Staff, error)
	// SignInList is all the sign-in screen shows before anyone is signed
	// in: the names and IDs of the staff whose accounts are on, by name.
	SignInList(ctx context.Context) ([]StaffName, error)
}

// SettingsStore keeps the clinic's settings.
type SettingsStore interface {
	// Settings reads the whole settings, for any staff member whose
	// account is on: every role works under them (the sheet's words, the
	// depth ranges, the date format).
	Settings(ctx context.Context, actor int64) (Settings, error)
	// SignInSettings is what must reach the sign-in screen before anyone
	// signs in: the clinic's name, the idle-lock minutes, the date format.
	SignInSettings(ctx context.Context) (SignInSettings, error)
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
	Settings(ctx context.Context, actor int64) (Settings, error)
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
	Settings(ctx context.Context, actor int64) (Settings, error)
	SaveSettings(ctx context.Context, actor int64, s *Settings) error
	StaffList(ctx context.Context, actor int64, includeInactive bool) ([]Staff, error)
	CreateStaff(ctx context.Context, actor int64, s *Staff) error
	SetPassword(ctx context.Context, actor, staffID int64, password string) error
	Products(ctx context.Context, actor int64, includeRetired bool) ([]Product, error)
	CreateProduct(ctx context.Context, actor int64, p *Product) error
	ImportClients(ctx context.Context, actor int64, cs []Client) error
	ImportSessions(ctx context.Context, actor int64, ss []Session) error
}

// What only a store kept in a file on this computer has. A store on a
// server has none of these: its backups, restores and checks are the
// server's. Callers ask the store (or, for DamageReport, the error) and
// say plainly what is not there rather than fail.

// FilePath is the file st is kept in, or "" for a store that is not kept
// in a file on this computer (or no store at all).
func FilePath(st Store) string {
	if f, ok := st.(FileStore); ok {
		return f.Path()
	}
	return ""
}

// FileStore is a store kept in one file on this computer.
type FileStore interface {
	// Path is the database file.
	Path() string
}

// FullChecker is a store whose file is checked in full (every page)
// after it was opened, in the background.
type FullChecker interface {
	// Checked waits for that check and returns its outcome: nil once it
	// passed (or when opening checked nothing in the background), an
	// error that is a DamageReport when it found damage. Nothing is
	// written to a file whose check has not passed.
	Checked(ctx context.Context) error
}

// ChangeWatcher is a store shared by several workstations that tells
// each of them what the others changed, so that lists and open records
// follow (data/postgres, with LISTEN/NOTIFY). A store on one computer has
// no others to hear from, and does not have it.
type ChangeWatcher interface {
	// WatchChanges reports each change that another workstation (or
	// another program on this one) commits, from now until ctx ends,
	// when the channel closes. A lost connection is opened again by
	// itself; what changed meanwhile is reported as one Change with
	// Entity "" (read everything again).
	WatchChanges(ctx context.Context) (<-chan Change, error)
}

// Change is one committed change somebody else made, as its audit row
// names it.
type Change struct {
	Action   Action
	Entity   Entity // "" when changes may have been missed: reload all
	EntityID int64
	ClientID int64 // the client the change concerns, 0 for none
	ActorID  int64
}

// FileBackuper is a store whose backups are files: a copy of its file
// (data/sqlite), or a dump of its server database made with the
// server's own tools (data/postgres, which is also a ServerStore).
type FileBackuper interface {
	// Backup writes a consistent copy to dest, which must not exist yet,
	// checks it in full, and only then gives it its name; with a
	// passphrase the copy is encrypted. It is recorded in the audit
	// trail and allowed to roles with PermBackup.
	Backup(ctx context.Context, actor int64, dest string, opts BackupOptions) error
	// CheckBackup checks a backup file of this store's kind: with full,
	// every page of it; without, only what its first bytes and size show
	// (a file cut short, empty or not a backup at all). nil means it
	// checks out.
	CheckBackup(ctx context.Context, path string, full bool) error
}

// BackupOptions change how FileBackuper.Backup writes a copy.
type BackupOptions struct {
	// Passphrase, when not empty, encrypts the copy (for copies that
	// leave the clinic) as an age file. The unencrypted copy is made
	// beside the database, never in the destination folder.
	Passphrase []byte
	// WorkFactor is scrypt's work factor for an encrypted copy; zero
	// means the default. Tests use a cheap one.
	WorkFactor int
	// Progress, when set, is called as the copy is made: done of total
	// steps.
	Progress func(done, total int)
}

// FileRestorer is a store whose file can be replaced by a backup.
type FileRestorer interface {
	// RestoreFile replaces the store's file with the backup from, after
	// checking the backup and keeping a copy of the file it replaces. It
	// works on the files, so the store must be closed first. Only an
	// owner of the records being replaced may (opts.Actor).
	RestoreFile(ctx context.Context, from string, opts RestoreOptions) (RestoreResult, error)
}

// ServerStore is a store kept in a database on a server rather than in a
// file on this computer.
type ServerStore interface {
	// ServerName names the database for people and as this computer's key
	// for its backups folder: the address without any password, such as
	// postgres://needledesk@clinic-server/clinic.
	ServerName() string
}

// ServerRestorer is a store on a server whose backups are restored into
// a new, empty database on a server (never over the one in use): the
// workstations are then pointed at it.
type ServerRestorer interface {
	// RestoreToServer restores the backup from into the empty database
	// target (a postgres:// address), refusing one that holds anything,
	// and checks the audit trail there. opts.Actor must have PermRestore
	// in this store; SafetyFolder is not used (nothing is replaced).
	RestoreToServer(ctx context.Context, from, target string, opts RestoreOptions) (RestoreResult, error)
}

// RestoreOptions change how a restore works.
type RestoreOptions struct {
	Passphrase []byte // for an encrypted backup
	// Actor asks for the restore: a staff ID of the records being
	// replaced, where PermRestore is checked (a refusal is recorded
	// there); it is named in the restored records' audit trail.
	Actor int64
	// Clock names the safety copy and times the audit row; nil means
	// time.Now.
	Clock Clock
	// SafetyFolder takes the copy of the records being replaced; empty
	// means the backups folder beside the database.
	SafetyFolder string
	// Progress, when set, is told of the restore's steps.
	Progress func(done, total int)
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	// SafetyCopy is where the records that were replaced now are; ""
	// when there were none.
	SafetyCopy string
	// SchemaVersion is the backup's, before it was brought up to date.
	SchemaVersion int
}

// DamageReport is the error a file store gives for a file it will not
// open or write to because it is damaged, with the newest backup that
// checks out. errors.As(err, &report) finds it.
type DamageReport interface {
	error
	Damage() Damage
}

// Damage is what a DamageReport says.
type Damage struct {
	Path     string    // the damaged file
	Problem  string    // what is wrong, in words
	Backup   string    // the newest backup that checks out; "" when none
	BackupAt time.Time // when Backup was made
	Folder   string    // where backups were looked for
}

// AppointmentStore keeps the appointment book. Receptionists and
// technicians book and change appointments (PermBookWrite); everyone
// reads the book (PermBookView). Every change is checked inside its
// write transaction: the client, technician, room and treatment must
// exist and be current, and the time must be free for the technician and
// the room (touching ends allowed); a clash is refused with a
// *BookingClash (ErrConflict) naming the appointment already there. A
// change saves only over the version read: otherwise a *ConflictError.
// A time in the past may be booked only by an owner, which the audit
// trail notes. Each change writes its audit row, and the messages it
// owes the client (confirmation, reminder) go into the outbox, in the
// same transaction.
type AppointmentStore interface {
	// BookAppointment books a, setting its ID, Status (booked), Version
	// and the names the store fills in.
	BookAppointment(ctx context.Context, actor int64, a *Appointment) error
	// MoveAppointment moves an open appointment to another time,
	// technician or room.
	MoveAppointment(ctx context.Context, actor, id, version int64, to Slot) (Appointment, error)
	// ChangeAppointmentLength gives an open appointment a new length.
	ChangeAppointmentLength(ctx context.Context, actor, id, version int64, minutes int) (Appointment, error)
	// CancelAppointment calls an open appointment off, with who did and why.
	CancelAppointment(ctx context.Context, actor, id, version int64, c Cancellation) (Appointment, error)
	// MarkAppointment records the client arriving (StatusArrived), going
	// in (StatusInTreatment) or not coming (StatusNoShow).
	MarkAppointment(ctx context.Context, actor, id, version int64, to AppointmentStatus) (Appointment, error)
	// LinkSession records the session saved for an appointment, which
	// completes it; the session must be the same client's.
	LinkSession(ctx context.Context, actor, id, version, sessionID int64) (Appointment, error)
	Appointment(ctx context.Context, actor, id int64) (Appointment, error)
	// DayAppointments lists every appointment of a clinic-local day, of
	// every technician and room and in every state, by start.
	DayAppointments(ctx context.Context, actor int64, day Date) ([]Appointment, error)
	// WeekAppointments lists one technician's or one room's appointments
	// in the seven clinic-local days from w.Start, by start.
	WeekAppointments(ctx context.Context, actor int64, w Week) ([]Appointment, error)
	// ClientAppointments lists a client's appointments, newest first;
	// cancelled and missed ones stay in the list.
	ClientAppointments(ctx context.Context, actor, clientID int64) ([]Appointment, error)
	// NextAppointment is the client's first booked (or arrived)
	// appointment starting after the instant given; ErrNotFound when none.
	NextAppointment(ctx context.Context, actor, clientID int64, after time.Time) (Appointment, error)
	// ImportAppointments saves a clinic's history (past and booked
	// appointments in any state) in one transaction, or none of them;
	// owners only. It queues no messages.
	ImportAppointments(ctx context.Context, actor int64, as []Appointment) error
}

// BookSetupStore keeps what the book is set up with. Everyone reads it;
// only owners change it (PermBookSetup).
type BookSetupStore interface {
	// Rooms lists the rooms by name; retired ones only when asked.
	Rooms(ctx context.Context, actor int64, includeRetired bool) ([]Room, error)
	CreateRoom(ctx context.Context, actor int64, r *Room) error
	UpdateRoom(ctx context.Context, actor int64, r *Room) error
	// TreatmentTypes lists the treatment menu by name; retired lines only
	// when asked.
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]TreatmentType, error)
	CreateTreatmentType(ctx context.Context, actor int64, t *TreatmentType) error
	UpdateTreatmentType(ctx context.Context, actor int64, t *TreatmentType) error
	// BookableStaff lists who appointments can be booked with: the
	// technicians and owners whose accounts are on, by name, with nothing
	// of their accounts. Anyone who sees the book may read it
	// (PermBookView), the front desk included, which may not read the
	// staff accounts (StaffList).
	BookableStaff(ctx context.Context, actor int64) ([]StaffName, error)
	// WorkingHours are a technician's hours; the clinic's opening hours
	// (Set false) when none were saved.
	WorkingHours(ctx context.Context, actor, technicianID int64) (WorkingHours, error)
	SaveWorkingHours(ctx context.Context, actor int64, w *WorkingHours) error
}

// CourseStore keeps clients' treatment courses, read with their progress
// counted from their appointments. Those who book keep them
// (PermBookWrite).
type CourseStore interface {
	CreateCourse(ctx context.Context, actor int64, c *Course) error
	// UpdateCourse saves the plan (sessions, interval, note, closed) over
	// the version read.
	UpdateCourse(ctx context.Context, actor int64, c *Course) error
	Course(ctx context.Context, actor, id int64) (Course, error)
	// ClientCourses lists a client's courses, newest first.
	ClientCourses(ctx context.Context, actor, clientID int64) ([]Course, error)
}

// OutboxStore keeps the messages owed to clients. The appointment book
// queues them in the booking's own transaction (a confirmation, and a
// reminder some hours before, when the client agreed to e-mail and has
// an address) and withdraws them when the appointment moves to another
// time or changes length (queuing new ones, with the calendar sequence
// raised), is cancelled, missed or done. The sender (data/mail's worker, NeedleDesk itself) claims and
// marks them; people only read them.
type OutboxStore interface {
	// ClaimOutbox takes up to limit messages due at now for sending: each
	// is marked sending for lease, after which, unless marked sent or
	// failed, it may be claimed again. A sent message is never claimed
	// again. Each item is read in the claim's transaction, so it says
	// what the book says now; a message whose appointment was called off,
	// whose client withdrew consent, or a reminder whose appointment has
	// begun, is settled instead of claimed.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// MarkSent records that the server accepted the message at at.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed records a failed attempt in the server's words: the
	// message is tried again at retryAt, or given up when retryAt is zero.
	MarkFailed(ctx context.Context, id int64, at time.Time, problem string, retryAt time.Time) error
	// Outbox lists the messages for the owner's Outbox screen, newest
	// first; owners only (PermOutboxView).
	Outbox(ctx context.Context, actor int64, f OutboxFilter) ([]OutboxMessage, error)
	// AppointmentMessages lists one appointment's messages, oldest first,
	// for whoever may see the book.
	AppointmentMessages(ctx context.Context, actor, appointmentID int64) ([]OutboxMessage, error)
}
