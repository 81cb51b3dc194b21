package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
)

// CreateStaff validates and adds a staff member, setting st.ID.
func (s *Store) CreateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("adding staff member: %w", err)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		id, err = insertStaff(ctx, tx, *st)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityStaff, entityID: id})
	})
	if err != nil {
		return err
	}
	st.ID = id
	return nil
}

func insertStaff(ctx context.Context, q queryer, st data.Staff) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO staff (name, role, active) VALUES (?, ?, ?) RETURNING id`,
		st.Name, string(st.Role), boolInt(st.Active)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding staff member: %w", err)
	}
	return id, nil
}

// UpdateStaff validates and saves a staff member. Making someone inactive is
// an update with Active false: staff are never deleted, because sessions
// name the technician who gave them.
func (s *Store) UpdateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving staff member: %w", err)
	}
	return s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET name = ?, role = ?, active = ? WHERE id = ?`,
			st.Name, string(st.Role), boolInt(st.Active), st.ID)
		if err := mustChange(res, err, data.EntityStaff, st.ID); err != nil {
			return fmt.Errorf("saving staff member: %w", err)
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityStaff, entityID: st.ID})
	})
}

// StaffMember reads one staff member, active or not.
func (s *Store) StaffMember(ctx context.Context, id int64) (data.Staff, error) {
	row := s.r.QueryRowContext(ctx, `SELECT id, name, role, active FROM staff WHERE id = ?`, id)
	st, err := scanStaff(row)
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFound(data.EntityStaff, id)
	}
	if err != nil {
		return st, fmt.Errorf("reading staff member %d: %w", id, err)
	}
	return st, nil
}

// StaffList lists staff by name (case-insensitively), inactive ones only
// when asked.
func (s *Store) StaffList(ctx context.Context, includeInactive bool) ([]data.Staff, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role, active FROM staff
		WHERE active = 1 OR ? ORDER BY name COLLATE NOCASE, id`, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	defer rows.Close()
	var out []data.Staff
	for rows.Next() {
		st, err := scanStaff(rows)
		if err != nil {
			return nil, fmt.Errorf("listing staff: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	return out, nil
}

func scanStaff(sc scanner) (data.Staff, error) {
	var st data.Staff
	var role string
	err := sc.Scan(&st.ID, &st.Name, &role, &st.Active)
	st.Role = data.Role(role)
	return st, err
}

// mustChange turns "the UPDATE matched no row" into data.ErrNotFound.
func mustChange(res sql.Result, err error, entity data.Entity, id int64) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(entity, id)
	}
	return nil
}
