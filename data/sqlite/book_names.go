package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"

	"needledesk/data"
)

// The day view names each of a thousand appointments' technician, room
// and treatment; reading the names from their tables every time was a
// sixth of its read. bookNames keeps the three lists in memory, and each
// read first reads book_names' version (migration 21: it goes up with
// every name added, changed or removed, in that change's transaction) in
// its own transaction: the copy is used only when it is the lists at that
// version, and read again whole otherwise. The lists are a clinic's
// staff, rooms and treatments: tens of rows.

// bookNameLists is the lists at one version; never changed once made.
type bookNameLists struct {
	version                int64
	staff, room, treatment map[int64]string
}

// bookNames keeps a Store's copy of the lists.
type bookNames struct {
	lists atomic.Pointer[bookNameLists]
}

const (
	bookNamesVersionSQL = `SELECT version FROM book_names WHERE id = 1`
	bookNamesSQL        = `SELECT 0, id, name FROM staff UNION ALL SELECT 1, id, name FROM room
		UNION ALL SELECT 2, id, name FROM treatment_type`
)

// name gives the appointments their technicians', rooms' and treatments'
// names as they stand in q's transaction.
func (b *bookNames) name(ctx context.Context, q queryer, as []data.Appointment) error {
	if len(as) == 0 {
		return nil
	}
	var version int64
	if err := q.QueryRowContext(ctx, bookNamesVersionSQL).Scan(&version); err != nil {
		return fmt.Errorf("reading the appointments' names: %w", err)
	}
	l := b.lists.Load()
	if l == nil || l.version != version {
		var err error
		if l, err = readBookNames(ctx, q, version); err != nil {
			return err
		}
		b.lists.Store(l)
	}
	l.name(as)
	return nil
}

// readBookNames reads the three lists whole.
func readBookNames(ctx context.Context, q queryer, version int64) (*bookNameLists, error) {
	l, err := readNameLists(ctx, q, bookNamesSQL)
	if err != nil {
		return nil, err
	}
	l.version = version
	return l, nil
}

// readNameLists reads names as query gives them: kind (0 staff, 1 room,
// 2 treatment), ID and name.
func readNameLists(ctx context.Context, q queryer, query string, args ...any) (*bookNameLists, error) {
	l := &bookNameLists{staff: map[int64]string{}, room: map[int64]string{}, treatment: map[int64]string{}}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the appointments' names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var id int64
		var name string
		if err := rows.Scan(&kind, &id, &name); err != nil {
			return nil, fmt.Errorf("reading the appointments' names: %w", err)
		}
		switch kind {
		case 0:
			l.staff[id] = data.NeutralisedName(name)
		case 1:
			l.room[id] = data.Neutralised(name)
		default:
			l.treatment[id] = data.Neutralised(name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the appointments' names: %w", err)
	}
	return l, nil
}

// name gives the appointments their technicians', rooms' and treatments'
// names from the lists.
func (l *bookNameLists) name(as []data.Appointment) {
	for i := range as {
		a := &as[i]
		a.TechnicianName, a.TreatmentName, a.RoomName = l.staff[a.TechnicianID], l.treatment[a.TreatmentID], l.room[a.RoomID]
	}
}
