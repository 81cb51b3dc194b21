package data

import "slices"

// MaxAuditDetail is the longest note an audit event may carry, in
// characters.
const MaxAuditDetail = 500

// Validate checks an event recorded from outside the store's own changes:
// a known action, an entity, and a detail short enough to read in a list,
// on one line, with no hidden control characters.
func (e AuditEvent) Validate() error {
	var p problems
	if !slices.Contains(Actions, e.Action) {
		p.add("action", "is not one of the actions the audit trail knows")
	}
	if e.Entity == "" {
		p.add("entity", "is required: say what kind of record the event is about")
	} else {
		p.text("entity", string(e.Entity), textRule{max: maxNameLen})
	}
	p.text("detail", e.Detail, textRule{max: MaxAuditDetail})
	return p.err()
}
