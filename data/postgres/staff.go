package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
)

const staffColumns = `id, name, role, active, password_hash <> '', version`

// CreateStaff adds a staff member; owners only.
func (s *Store) CreateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("adding staff member: %w", err)
	}
	var id int64
	err := s.change(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		var err error
		id, err = createStaff(ctx, tx, *st, actor, now)
		return err
	})
	if err != nil {
		return err
	}
	st.ID, st.HasPassword, st.Version = id, false, 1
	return nil
}

// createStaff adds a staff member with its audit row in q.
func createStaff(ctx context.Context, q queryer, st data.Staff, actor int64, now time.Time) (int64, error) {
	id, err := insertStaff(ctx, q, st, actor, now)
	if err != nil {
		return 0, err
	}
	return id, writeAudit(ctx, q, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityStaff, entityID: id,
		detail: "role " + string(st.Role), hashRow: true})
}

func insertStaff(ctx context.Context, q queryer, st data.Staff, actor int64, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO staff (name, role, active, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		st.Name, string(st.Role), st.Active, timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding staff member: %w", err)
	}
	return id, nil
}

// UpdateStaff saves a change over the version read; owners only. The
// clinic always keeps an active owner who can sign in.
func (s *Store) UpdateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving staff member: %w", err)
	}
	var saved data.Staff
	err := s.change(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff, id: st.ID}, func(tx pgx.Tx, now time.Time, _ data.Staff) error {
		// Owners are locked in one order, so two owners switching each
		// other off at once cannot both succeed.
		if _, err := tx.Exec(ctx, `SELECT id FROM staff WHERE role = 'owner' OR id = $1 ORDER BY id FOR UPDATE`, st.ID); err != nil {
			return err
		}
		before, err := scanStaff(tx.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, st.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(data.EntityStaff, st.ID)
		} else if err != nil {
			return err
		}
		if before.Version != st.Version {
			return staffConflict(ctx, tx, before)
		}
		if err := keepAnOwner(ctx, tx, *st); err != nil {
			return err
		}
		row := tx.QueryRow(ctx, `UPDATE staff SET name = $1, role = $2, active = $3,
			updated_at = $4, updated_by = $5, version = version + 1
			WHERE id = $6 AND version = $7 RETURNING `+staffColumns,
			st.Name, string(st.Role), st.Active, timeText(now), actor, st.ID, st.Version)
		if saved, err = scanStaff(row); errors.Is(err, pgx.ErrNoRows) {
			return staffConflict(ctx, tx, before)
		} else if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityStaff,
			entityID: st.ID, detail: staffChanges(before, saved), hashRow: true})
	})
	if err != nil {
		return fmt.Errorf("saving staff member: %w", err)
	}
	*st = saved
	return nil
}

func staffConflict(ctx context.Context, q queryer, stored data.Staff) error {
	var at sql.NullString
	var by int64
	if err := q.QueryRow(ctx, `SELECT updated_at, updated_by FROM staff WHERE id = $1`, stored.ID).Scan(&at, &by); err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: stored.Name + "'s account", By: changedBy(ctx, q, by), At: when}
}

func staffChanges(before, after data.Staff) string {
	var parts []string
	if before.Name != after.Name {
		parts = append(parts, fmt.Sprintf("name %q → %q", before.Name, after.Name))
	}
	if before.Role != after.Role {
		parts = append(parts, fmt.Sprintf("role %s → %s", before.Role, after.Role))
	}
	switch {
	case before.Active && !after.Active:
		parts = append(parts, "switched off")
	case !before.Active && after.Active:
		parts = append(parts, "switched on")
	}
	return strings.Join(parts, "; ")
}

func keepAnOwner(ctx context.Context, tx pgx.Tx, st data.Staff) error {
	if st.Role == data.RoleOwner && st.Active {
		return nil
	}
	var wasOwner, hadPassword bool
	var others, othersWithPassword int
	err := tx.QueryRow(ctx, `SELECT
		coalesce(bool_or(id = $1), false),
		coalesce(bool_or(id = $1 AND password_hash <> ''), false),
		count(*) FILTER (WHERE id <> $1),
		count(*) FILTER (WHERE id <> $1 AND password_hash <> '')
		FROM staff WHERE role = 'owner' AND active`, st.ID).Scan(&wasOwner, &hadPassword, &others, &othersWithPassword)
	switch {
	case err != nil:
		return err
	case wasOwner && others == 0:
		return lastOwner(st, "the clinic's only active owner")
	case hadPassword && othersWithPassword == 0:
		return lastOwner(st, "the only owner who can sign in")
	}
	return nil
}

func lastOwner(st data.Staff, who string) error {
	field := "role"
	if !st.Active {
		field = "active"
	}
	return data.Invalid(field, fmt.Sprintf("%s is %s; make someone else an owner (with a password) first", st.Name, who))
}

// StaffMember reads one account whole; owners only.
func (s *Store) StaffMember(ctx context.Context, actor, id int64) (data.Staff, error) {
	if _, err := s.allowRead(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff, id: id}); err != nil {
		return data.Staff{}, fmt.Errorf("reading staff member %d: %w", id, err)
	}
	st, err := scanStaff(s.pool.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return st, notFound(data.EntityStaff, id)
	}
	if err != nil {
		return st, fmt.Errorf("reading staff member %d: %w", id, err)
	}
	return st, nil
}

// staffOrder is SQLite's name COLLATE NOCASE, then ID.
const staffOrder = ` ORDER BY lower(name) COLLATE "C", id`

// StaffList lists staff by name, for owners and for those who chart.
func (s *Store) StaffList(ctx context.Context, actor int64, includeInactive bool) ([]data.Staff, error) {
	if err := s.allowEither(ctx, actor, data.PermStaffWrite, data.PermSessionWrite,
		"see the staff accounts", target{entity: data.EntityStaff}); err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+staffColumns+` FROM staff WHERE active OR $1`+staffOrder, includeInactive)
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.Staff, error) { return scanStaff(r) })
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	return out, nil
}

// SignInList is the names and IDs of staff whose accounts are on.
func (s *Store) SignInList(ctx context.Context) ([]data.StaffName, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM staff WHERE active`+staffOrder)
	if err != nil {
		return nil, fmt.Errorf("listing who may sign in: %w", describeServerError(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.StaffName, error) {
		var n data.StaffName
		return n, r.Scan(&n.ID, &n.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("listing who may sign in: %w", err)
	}
	return out, nil
}

func scanStaff(sc pgx.Row) (data.Staff, error) {
	var st data.Staff
	var role string
	err := sc.Scan(&st.ID, &st.Name, &role, &st.Active, &st.HasPassword, &st.Version)
	st.Role = data.Role(role)
	return st, err
}

// mustChange turns a change that touched no row into ErrNotFound.
func mustChange(tag pgconn.CommandTag, err error, entity data.Entity, id int64) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound(entity, id)
	}
	return nil
}
