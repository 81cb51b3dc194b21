package data

import (
	"errors"
	"fmt"
)

// Permission is one kind of action a role may be allowed.
type Permission string

// What staff can do. The store checks these on every call, so hiding a
// button is never the only guard.
const (
	PermClientView   Permission = "client.view"
	PermClientCreate Permission = "client.create"
	// PermClientEditContact covers a client's names, date of birth, phone,
	// e-mail, address, consent and general notes.
	PermClientEditContact Permission = "client.edit_contact"
	// PermClientEditClinical covers the fields ClinicalFields lists: skin
	// type, concerns, allergies, medications, medical notes and the
	// screening (contraindication) answers.
	PermClientEditClinical Permission = "client.edit_clinical"
	PermClientArchive      Permission = "client.archive"
	// PermSessionView shows a session's summary: when, by whom, which
	// areas, the products recommended, the personal aftercare words and
	// when the client is due back.
	PermSessionView Permission = "session.view"
	// PermSessionDetails shows the rest: depths, device, needle lot,
	// numbing, reaction, clinical notes, warnings and earlier versions.
	PermSessionDetails Permission = "session.details"
	PermSessionWrite   Permission = "session.write"
	PermSheetMake      Permission = "sheet.make" // make, print or save again an aftercare sheet
	PermProductWrite   Permission = "product.write"
	PermSettingsWrite  Permission = "settings.write"
	PermStaffWrite     Permission = "staff.write" // add staff, change roles, switch accounts off, reset passwords
	PermAuditView      Permission = "audit.view"
	PermExport         Permission = "export"
	PermBackup         Permission = "backup"
	PermRestore        Permission = "restore"
	// PermBookView shows the appointment book: the day, the week, a
	// client's appointments and their messages' states.
	PermBookView Permission = "book.view"
	// PermBookWrite books, moves, resizes and cancels appointments, marks
	// arrivals and no-shows, and keeps treatment courses.
	PermBookWrite Permission = "book.write"
	// PermBookSetup changes the treatment menu, the rooms and the
	// technicians' working hours.
	PermBookSetup Permission = "book.setup"
	// PermOutboxView shows every message in the outbox.
	PermOutboxView Permission = "outbox.view"
)

// Permissions lists every permission in the order the README's table shows.
var Permissions = []Permission{
	PermClientView, PermClientCreate, PermClientEditContact, PermClientEditClinical, PermClientArchive,
	PermSessionView, PermSessionDetails, PermSessionWrite, PermSheetMake, PermProductWrite,
	PermSettingsWrite, PermStaffWrite, PermAuditView, PermExport, PermBackup, PermRestore,
	PermBookView, PermBookWrite, PermBookSetup, PermOutboxView,
}

// receptionistCan: clients (add; contact details, consent, notes), session
// summaries, the due-back list, and new and kept aftercare sheets.
var receptionistCan = map[Permission]bool{
	PermClientView: true, PermClientCreate: true, PermClientEditContact: true,
	PermSessionView: true, PermSheetMake: true,
	PermBookView: true, PermBookWrite: true,
}

// technicianCan: the receptionist's rights plus sessions, clinical fields,
// screening answers and the product catalogue.
var technicianCan = map[Permission]bool{
	PermClientView: true, PermClientCreate: true, PermClientEditContact: true,
	PermClientEditClinical: true, PermSessionView: true, PermSessionDetails: true,
	PermSessionWrite: true, PermSheetMake: true, PermProductWrite: true,
	PermBookView: true, PermBookWrite: true,
}

// Can reports whether the role allows p. Owners may do everything.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleOwner:
		return true
	case RoleTechnician:
		return technicianCan[p]
	case RoleReceptionist:
		return receptionistCan[p]
	}
	return false
}

// ErrForbidden means the signed-in person's role does not allow the action.
var ErrForbidden = errors.New("not allowed for your role")

// ForbiddenError is a refusal in words the person understands; it matches
// ErrForbidden with errors.Is.
type ForbiddenError struct {
	Permission Permission // what was refused; "" when the person may do nothing at all
	Message    string
}

func (e *ForbiddenError) Error() string { return e.Message }

// Unwrap lets errors.Is(err, ErrForbidden) match every refusal.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// Forbidden builds the error a store returns for an action a role may not
// take, in words the person understands.
func Forbidden(r Role, p Permission) error {
	return &ForbiddenError{Permission: p,
		Message: fmt.Sprintf("%s staff cannot %s; ask the clinic owner", r.Label(), permissionWords[p])}
}

// ForbiddenUnknownStaff is the refusal for an actor who is not in the
// clinic's staff list.
func ForbiddenUnknownStaff(id int64) error {
	return &ForbiddenError{Message: fmt.Sprintf("staff member %d is not in this clinic's staff list, so nothing can be done under that name", id)}
}

// May says whether the staff member may take an action: nil when allowed,
// a *ForbiddenError when their account is switched off or their role does
// not allow it.
func (s Staff) May(p Permission) error {
	if !s.Active {
		return &ForbiddenError{Permission: p,
			Message: fmt.Sprintf("%s's account is switched off; the clinic owner can switch it on again", s.Name)}
	}
	if !s.Role.Can(p) {
		return Forbidden(s.Role, p)
	}
	return nil
}

var permissionWords = map[Permission]string{
	PermClientView:         "open client records",
	PermClientCreate:       "add clients",
	PermClientEditContact:  "change clients' contact details, consent or notes",
	PermClientEditClinical: "change clients' clinical details (skin type, concerns, allergies, medications, medical notes, screening answers)",
	PermClientArchive:      "archive clients",
	PermSessionView:        "see treatment session summaries",
	PermSessionDetails:     "see the clinical details of treatment sessions",
	PermSessionWrite:       "chart or change treatment sessions",
	PermSheetMake:          "make or print aftercare sheets",
	PermProductWrite:       "change the product catalogue",
	PermSettingsWrite:      "change the clinic's settings",
	PermStaffWrite:         "change staff accounts",
	PermAuditView:          "read the audit trail",
	PermExport:             "export data",
	PermBackup:             "make backups",
	PermRestore:            "restore backups",
	PermBookView:           "see the appointment book",
	PermBookWrite:          "book, move and cancel appointments and keep treatment courses",
	PermBookSetup:          "change the treatment menu, rooms and working hours",
	PermOutboxView:         "see the e-mail outbox",
}

// Describe says what a permission allows, for screens and the README.
func (p Permission) Describe() string { return permissionWords[p] }
