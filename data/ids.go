package data

// Typed record ids, for the places where ids of different records meet
// (the window's change events and its routes), so a session's id can never
// be taken for a client's. The records themselves keep int64 ids.
type (
	ClientID  int64
	SessionID int64
	ProductID int64
	StaffID   int64
)
