package postgres

import (
	"context"
	"fmt"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
)

// The day view names its appointments from the store's copy of the staff,
// room and treatment lists, kept while book_names' version (migration 10)
// says they are current (bookrow.NameCopy).

const (
	bookNamesVersionSQL = `SELECT version FROM book_names WHERE id = 1`
	bookNamesSQL        = `SELECT 0, id, name FROM staff UNION ALL SELECT 1, id, name FROM room
		UNION ALL SELECT 2, id, name FROM treatment_type`
)

// nameFromCopy gives the appointments their technicians', rooms' and
// treatments' names as they stand in q's transaction.
func nameFromCopy(ctx context.Context, c *bookrow.NameCopy, q queryer, as []data.Appointment) error {
	if len(as) == 0 {
		return nil
	}
	var version int64
	if err := q.QueryRow(ctx, bookNamesVersionSQL).Scan(&version); err != nil {
		return fmt.Errorf("reading the appointments' names: %w", describeServerError(err))
	}
	l, err := c.At(version, func() (*bookrow.NameLists, error) { return readNameLists(ctx, q, version) })
	if err != nil {
		return err
	}
	l.Name(as)
	return nil
}

// readNameLists reads the three lists whole.
func readNameLists(ctx context.Context, q queryer, version int64) (*bookrow.NameLists, error) {
	l := bookrow.NewNameLists(version)
	rows, err := q.Query(ctx, bookNamesSQL)
	if err != nil {
		return nil, fmt.Errorf("reading the appointments' names: %w", describeServerError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var id int64
		var name string
		if err := rows.Scan(&kind, &id, &name); err != nil {
			return nil, fmt.Errorf("reading the appointments' names: %w", err)
		}
		l.Add(kind, id, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the appointments' names: %w", describeServerError(err))
	}
	return l, nil
}
