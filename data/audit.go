package data

import "time"

// Action is what an audit event records.
type Action string

// Actions written to the audit trail.
const (
	ActionCreate  Action = "create"
	ActionUpdate  Action = "update"
	ActionArchive Action = "archive"
)

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
)

// AuditEvent is one append-only line of the audit trail.
type AuditEvent struct {
	ID       int64
	At       time.Time
	ActorID  int64
	Action   Action
	Entity   Entity
	EntityID int64
}

// AuditFilter narrows the audit trail. Zero fields do not filter.
type AuditFilter struct {
	ActorID  int64
	Entity   Entity
	EntityID int64
	Limit    int
}
