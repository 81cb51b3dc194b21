package data

// Role decides what a staff member may do.
type Role string

// The three kinds of user.
const (
	RoleReceptionist Role = "receptionist"
	RoleTechnician   Role = "technician"
	RoleOwner        Role = "owner"
)

// Roles lists every role.
var Roles = []Role{RoleReceptionist, RoleTechnician, RoleOwner}

// Label is the role as a person reads it.
func (r Role) Label() string {
	switch r {
	case RoleReceptionist:
		return "Receptionist"
	case RoleTechnician:
		return "Technician"
	case RoleOwner:
		return "Owner"
	}
	return string(r)
}

// StaffName is a staff member as the sign-in screen lists them: no role,
// nothing of their account.
type StaffName struct {
	ID   int64
	Name string
}

// Staff is a person who works at the clinic and uses NeedleDesk.
type Staff struct {
	ID     int64
	Name   string
	Role   Role
	Active bool
	// HasPassword is true once a password is set, so the person can sign
	// in. The store fills it in; it is never saved from here.
	HasPassword bool
	// Version rises with every saved change to the name, role or account
	// (not a password); UpdateStaff saves only over the version that was
	// read, so a change made since is never overwritten unseen
	// (ErrConflict).
	Version int64
}
