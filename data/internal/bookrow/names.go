package bookrow

import (
	"sync/atomic"

	"needledesk/data"
)

// The day view names each of a thousand appointments' technician, room
// and treatment; reading the names from their tables, or joining them to
// every row, was a sixth of SQLite's read and half of PostgreSQL's. Both
// stores keep the three lists in memory (NameCopy), and each read first
// reads the book_names version (SQLite's migration 21, PostgreSQL's 10:
// it goes up with every name added, changed or removed, in that change's
// transaction) in its own transaction: the copy is used only when it is
// the lists at that version, and read again whole otherwise. The lists
// are a clinic's staff, rooms and treatments: tens of rows.

// NameLists are the staff, room and treatment names at one version of
// book_names; never changed once made.
type NameLists struct {
	Version                int64
	Staff, Room, Treatment map[int64]string
}

// NewNameLists makes empty lists for version.
func NewNameLists(version int64) *NameLists {
	return &NameLists{Version: version, Staff: map[int64]string{}, Room: map[int64]string{}, Treatment: map[int64]string{}}
}

// Add keeps one name as a store read it: kind 0 a member of staff, 1 a
// room, 2 a treatment. Names are neutralised here, once per list.
func (l *NameLists) Add(kind int, id int64, name string) {
	switch kind {
	case 0:
		l.Staff[id] = data.NeutralisedName(name)
	case 1:
		l.Room[id] = data.Neutralised(name)
	default:
		l.Treatment[id] = data.Neutralised(name)
	}
}

// Name gives the appointments their technicians', rooms' and treatments'
// names from the lists.
func (l *NameLists) Name(as []data.Appointment) {
	for i := range as {
		a := &as[i]
		a.TechnicianName, a.TreatmentName, a.RoomName = l.Staff[a.TechnicianID], l.Treatment[a.TreatmentID], l.Room[a.RoomID]
	}
}

// NameCopy keeps a store's copy of the lists.
type NameCopy struct {
	lists atomic.Pointer[NameLists]
}

// At gives the copy when it is the lists at version, else reads them with
// read and keeps what it reads.
func (c *NameCopy) At(version int64, read func() (*NameLists, error)) (*NameLists, error) {
	if l := c.lists.Load(); l != nil && l.Version == version {
		return l, nil
	}
	l, err := read()
	if err != nil {
		return nil, err
	}
	c.lists.Store(l)
	return l, nil
}
