package data

// AuditChainReport is what walking the audit trail's hash chain found:
// every event carries the hash of the one before it, so a changed,
// removed or moved event, or events cut off the end, break the chain at
// the first bad event.
type AuditChainReport struct {
	// Chained is false for a database from before the chain, which has
	// nothing to check yet; the store chains its events when it opens.
	Chained bool
	// Events is how many events were found intact, up to the first
	// problem.
	Events int64
	// BadEventID is the first event that is wrong or missing; 0 when the
	// trail is intact, or when the problem is not with one event.
	BadEventID int64
	// Problem says what is wrong in plain words, naming the event, such as
	// "audit event 1234 was changed"; "" when the trail is intact.
	Problem string
}

// OK reports a chained trail with nothing wrong.
func (r AuditChainReport) OK() bool { return r.Chained && r.Problem == "" }
