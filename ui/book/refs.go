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

// readRefs reads the book's names as actor: who can be booked (the
// technicians and owners whose accounts are on, for every role that sees
// the book), the rooms in use and the whole menu.
func readRefs(ctx context.Context, d Stores, actor data.Staff) (refs, error) {
	var r refs
	var err error
	if r.technicians, err = d.Setup.BookableStaff(ctx, actor.ID); err != nil {
		return r, fmt.Errorf("reading who can be booked: %w", err)
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
