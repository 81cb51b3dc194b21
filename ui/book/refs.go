package book

import (
	"context"
	"fmt"

	"needledesk/data"
)

// refs are the names the book shows and offers: who can be booked, the
// rooms and the treatment menu (retired lines too, since past
// appointments name them).
type refs struct {
	technicians []data.StaffName
	rooms       []data.Room // in use
	menu        []data.TreatmentType
}

// readRefs reads the book's names as actor. Owners and technicians read
// the staff list with its roles and get the technicians and owners; the
// front desk, which may not read staff accounts, gets everyone who can
// sign in but itself.
func readRefs(ctx context.Context, d Stores, actor data.Staff) (refs, error) {
	var r refs
	var err error
	if actor.Role.Can(data.PermSessionWrite) || actor.Role.Can(data.PermStaffWrite) {
		var staff []data.Staff
		if staff, err = d.Staff.StaffList(ctx, actor.ID, false); err != nil {
			return r, fmt.Errorf("reading the staff: %w", err)
		}
		for _, s := range staff {
			if s.Active && (s.Role == data.RoleTechnician || s.Role == data.RoleOwner) {
				r.technicians = append(r.technicians, data.StaffName{ID: s.ID, Name: s.Name})
			}
		}
	} else {
		var names []data.StaffName
		if names, err = d.Staff.SignInList(ctx); err != nil {
			return r, fmt.Errorf("reading the staff: %w", err)
		}
		for _, n := range names {
			if n.ID != actor.ID {
				r.technicians = append(r.technicians, n)
			}
		}
	}
	if r.rooms, err = d.Setup.Rooms(ctx, actor.ID, false); err != nil {
		return r, fmt.Errorf("reading the rooms: %w", err)
	}
	if r.menu, err = d.Setup.TreatmentTypes(ctx, actor.ID, true); err != nil {
		return r, fmt.Errorf("reading the treatment menu: %w", err)
	}
	return r, nil
}

// activeMenu is the menu's lines still offered.
func (r refs) activeMenu() []data.TreatmentType {
	var out []data.TreatmentType
	for _, t := range r.menu {
		if t.Active {
			out = append(out, t)
		}
	}
	return out
}

// treatment finds a line of the menu by its ID.
func (r refs) treatment(id int64) (data.TreatmentType, bool) {
	for _, t := range r.menu {
		if t.ID == id {
			return t, true
		}
	}
	return data.TreatmentType{}, false
}
