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
	PermClientView         Permission = "client.view"
	PermClientCreate       Permission = "client.create"
	PermClientEditContact  Permission = "client.edit_contact" // names, birth date, contact, consent, notes
	PermClientEditClinical Permission = "client.edit_clinical"
	PermClientArchive      Permission = "client.archive"
	PermSessionView        Permission = "session.view"
	PermSessionWrite       Permission = "session.write"
	PermSheetMake          Permission = "sheet.make" // make, print or save again an aftercare sheet
	PermProductWrite       Permission = "product.write"
	PermSettingsWrite      Permission = "settings.write"
	PermStaffWrite         Permission = "staff.write"
	PermAuditView          Permission = "audit.view"
	PermExport             Permission = "export"
	PermBackup             Permission = "backup"
	PermRestore            Permission = "restore"
)

// Permissions lists every permission in the order the README's table shows.
var Permissions = []Permission{
	PermClientView, PermClientCreate, PermClientEditContact, PermClientEditClinical, PermClientArchive,
	PermSessionView, PermSessionWrite, PermSheetMake, PermProductWrite, PermSettingsWrite,
	PermStaffWrite, PermAuditView, PermExport, PermBackup, PermRestore,
}

var receptionistCan = map[Permission]bool{
	PermClientView: true, PermClientCreate: true, PermClientEditContact: true,
	PermSessionView: true, PermSheetMake: true,
}

var technicianCan = map[Permission]bool{
	PermClientView: true, PermClientCreate: true, PermClientEditContact: true,
	PermClientEditClinical: true, PermSessionView: true, PermSessionWrite: true,
	PermSheetMake: true, PermProductWrite: true,
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

// Forbidden builds the error a store returns for an action a role may not
// take, in words the person understands.
func Forbidden(r Role, p Permission) error {
	return fmt.Errorf("%s staff cannot %s; ask the clinic owner: %w", r.Label(), permissionWords[p], ErrForbidden)
}

var permissionWords = map[Permission]string{
	PermClientView:         "open client records",
	PermClientCreate:       "add clients",
	PermClientEditContact:  "change clients' contact details",
	PermClientEditClinical: "change clients' clinical details",
	PermClientArchive:      "archive clients",
	PermSessionView:        "see treatment sessions",
	PermSessionWrite:       "chart treatment sessions",
	PermSheetMake:          "make or print aftercare sheets",
	PermProductWrite:       "change the product catalogue",
	PermSettingsWrite:      "change the clinic's settings",
	PermStaffWrite:         "change staff accounts",
	PermAuditView:          "read the audit trail",
	PermExport:             "export data",
	PermBackup:             "make backups",
	PermRestore:            "restore backups",
}

// Describe says what a permission allows, for screens and the README.
func (p Permission) Describe() string { return permissionWords[p] }
