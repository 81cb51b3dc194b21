package data

import "context"

// The store is split into small interfaces so each screen or command asks for
// only what it uses. data/sqlite implements them all; a PostgreSQL store can
// follow later. Every write takes the acting staff member's ID, which goes
// into the audit trail in the same transaction as the change.

// ClientStore keeps client records.
type ClientStore interface {
	CreateClient(ctx context.Context, actor int64, c *Client) error
	UpdateClient(ctx context.Context, actor int64, c *Client) error
	ArchiveClient(ctx context.Context, actor int64, id int64) error
	Client(ctx context.Context, id int64) (Client, error)
	FindClients(ctx context.Context, f ClientFilter) ([]ClientSummary, error)
	// ImportClients saves all clients in one transaction, or none of them.
	ImportClients(ctx context.Context, actor int64, cs []Client) error
}

// SessionStore keeps treatment sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, actor int64, s *Session) error
	UpdateSession(ctx context.Context, actor int64, s *Session) error
	Session(ctx context.Context, id int64) (Session, error)
	// ClientSessions lists a client's sessions, newest first.
	ClientSessions(ctx context.Context, clientID int64) ([]Session, error)
	// ImportSessions saves all sessions in one transaction, or none of them.
	ImportSessions(ctx context.Context, actor int64, ss []Session) error
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
	SaveSettings(ctx context.Context, actor int64, s Settings) error
}

// AuditStore reads the audit trail; it is written only by the other stores.
type AuditStore interface {
	AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
}

// SystemActor is the actor recorded for changes NeedleDesk makes by itself
// (creating a database, command-line imports before sign-in exists).
const SystemActor int64 = 0
