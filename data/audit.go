package data

import "time"

// Action is what an audit event records.
type Action string

// Actions written to the audit trail.
const (
	ActionCreate  Action = "create"
	ActionUpdate  Action = "update"
	ActionArchive Action = "archive"
	// ActionAmend is an update to a session after its treatment day; the
	// earlier version stays readable.
	ActionAmend Action = "amend"
	// ActionView is someone opening a client record.
	ActionView Action = "view"
	// ActionReprint is a kept aftercare sheet opened, saved or printed again.
	ActionReprint Action = "reprint"
	// ActionDoNotTreat is a decision, at the check before treating, not to
	// treat a client; the detail is the reason.
	ActionDoNotTreat   Action = "do_not_treat"
	ActionSignIn       Action = "sign_in"
	ActionSignInFailed Action = "sign_in_failed"
	ActionSignOut      Action = "sign_out"
	// ActionLock is the screen locking, by hand or after idle minutes (the
	// event's detail says which).
	ActionLock        Action = "lock"
	ActionPasswordSet Action = "password_set"
	// ActionDenied is an attempt the person's role does not allow; nothing
	// else changes.
	ActionDenied  Action = "denied"
	ActionExport  Action = "export"
	ActionBackup  Action = "backup"
	ActionRestore Action = "restore"
)

// Actions lists every action, in the order filters offer them.
var Actions = []Action{
	ActionCreate, ActionUpdate, ActionAmend, ActionArchive, ActionView, ActionReprint, ActionDoNotTreat,
	ActionSignIn, ActionSignInFailed, ActionSignOut, ActionLock, ActionPasswordSet,
	ActionDenied, ActionExport, ActionBackup, ActionRestore,
}

// Entity names the kind of record an audit event is about.
type Entity string

// Entities that appear in the audit trail.
const (
	EntityClient   Entity = "client"
	EntitySession  Entity = "session"
	EntityProduct  Entity = "product"
	EntityStaff    Entity = "staff"
	EntitySettings Entity = "settings"
	EntitySheet    Entity = "sheet"
	// EntityDatabase is the clinic's database as a whole: backups,
	// restores, exports of every client.
	EntityDatabase Entity = "database"
	// EntityAudit is the audit trail itself, for its CSV export.
	EntityAudit Entity = "audit"
	// The appointment book's records.
	EntityAppointment  Entity = "appointment"
	EntityRoom         Entity = "room"
	EntityTreatment    Entity = "treatment" // a line of the treatment menu
	EntityCourse       Entity = "course"
	EntityWorkingHours Entity = "working_hours" // a technician's; EntityID is the technician
)

// AuditEvent is one append-only line of the audit trail.
type AuditEvent struct {
	ID       int64
	At       time.Time
	ActorID  int64
	Action   Action
	Entity   Entity
	EntityID int64
	// ClientID is the client the event concerns (the client itself, or the
	// client of a session or sheet); 0 when it concerns none.
	ClientID int64
	// Detail is a short plain-words note, such as why an action was
	// denied or which file a backup went to. Never a password.
	Detail string

	// The names behind the IDs, filled in when the trail is read (only
	// owners may read it) and never written: who acted, the client the
	// event concerns (their full name), and the staff member or product
	// the event is about. Empty for none, and for NeedleDesk itself.
	ActorName  string
	ClientName string
	RecordName string
}

// AuditFilter narrows the audit trail. Zero fields do not filter; From and
// To are calendar days in the clinic's local time, both included.
type AuditFilter struct {
	ActorID  int64
	ClientID int64
	Action   Action
	Entity   Entity
	EntityID int64
	From, To Date
	Limit    int
	// Offset skips that many matching events, newest first: the next page
	// starts at Offset = the events already shown.
	Offset int
}
