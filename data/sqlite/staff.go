package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"needledesk/data"
)

// staffColumns are what scanStaff expects; the version (migration 12) is
// last, and none but the first four is in the row hash.
const staffColumns = `id, name, role, active, password_hash != '', version`

// CreateStaff validates and adds a staff member, setting st.ID; owners
// only. The new account has no password until SetPassword gives it one.
func (s *Store) CreateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("adding staff member: %w", err)
	}
	var id int64
	err := s.change(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
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

// createStaff adds a staff member with its audit row in tx and returns
// its ID; the caller has checked the actor and st.
func createStaff(ctx context.Context, tx *sql.Tx, st data.Staff, actor int64, now time.Time) (int64, error) {
	id, err := insertStaff(ctx, tx, st, actor, now)
	if err != nil {
		return 0, err
	}
	return id, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityStaff, entityID: id,
		detail: "role " + string(st.Role), hashRow: true})
}

func insertStaff(ctx context.Context, q queryer, st data.Staff, actor int64, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO staff (name, role, active, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		st.Name, string(st.Role), boolInt(st.Active), timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("adding staff member: %w", err)
	}
	return id, nil
}

// UpdateStaff validates and saves a staff member's name, role and whether
// their account is on; owners only. Switching someone off is an update
// with Active false: staff are never deleted, because sessions name the
// technician who gave them. The clinic's last active owner, or the last
// one who can sign in, cannot be switched off or given another role.
// st.HasPassword is ignored (SetPassword sets passwords). st.Version must
// be the version stored: a staff member changed since st was read is
// refused with a *data.ConflictError (data.ErrConflict) naming who
// changed them and when, and nothing is saved.
func (s *Store) UpdateStaff(ctx context.Context, actor int64, st *data.Staff) error {
	if err := st.Validate(); err != nil {
		return fmt.Errorf("saving staff member: %w", err)
	}
	var saved data.Staff
	err := s.change(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff, id: st.ID}, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		before, err := scanStaff(tx.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = ?`, st.ID))
		if errors.Is(err, sql.ErrNoRows) {
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
		row := tx.QueryRowContext(ctx, `UPDATE staff SET name = ?, role = ?, active = ?,
			updated_at = ?, updated_by = ?, version = version + 1
			WHERE id = ? AND version = ? RETURNING `+staffColumns,
			st.Name, string(st.Role), boolInt(st.Active), timeText(now), actor, st.ID, st.Version)
		if saved, err = scanStaff(row); errors.Is(err, sql.ErrNoRows) {
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

// staffConflict is the refusal of a save over a staff member changed
// since they were read: who changed them last, and when.
func staffConflict(ctx context.Context, q queryer, stored data.Staff) error {
	var at sql.NullString
	var by int64
	if err := q.QueryRowContext(ctx, `SELECT updated_at, updated_by FROM staff WHERE id = ?`, stored.ID).Scan(&at, &by); err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: stored.Name + "'s account", By: changedBy(ctx, q, by), At: when}
}

// staffChanges says what an update changed, for the audit trail.
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

// keepAnOwner refuses a change that would leave the clinic without an
// active owner, or without an active owner who can sign in: nobody could
// then manage staff, and NeedsOwner would offer the clinic to whoever
// sits down next.
func keepAnOwner(ctx context.Context, tx *sql.Tx, st data.Staff) error {
	if st.Role == data.RoleOwner && st.Active {
		return nil
	}
	var wasOwner, hadPassword bool
	var others, othersWithPassword int
	err := tx.QueryRowContext(ctx, `SELECT
		coalesce(max(id = ?1), 0),
		coalesce(max(id = ?1 AND password_hash != ''), 0),
		count(*) FILTER (WHERE id != ?1),
		count(*) FILTER (WHERE id != ?1 AND password_hash != '')
		FROM staff WHERE role = 'owner' AND active = 1`, st.ID).Scan(&wasOwner, &hadPassword, &others, &othersWithPassword)
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

// StaffMember reads one staff member, active or not, for owners: the
// whole account is theirs to keep (PermStaffWrite).
func (s *Store) StaffMember(ctx context.Context, actor, id int64) (data.Staff, error) {
	if _, err := s.allowRead(ctx, actor, data.PermStaffWrite, target{entity: data.EntityStaff, id: id}); err != nil {
		return data.Staff{}, fmt.Errorf("reading staff member %d: %w", id, err)
	}
	row := s.r.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = ?`, id)
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
// when asked, with their roles and whether their accounts are on: for
// owners, who keep the accounts, and for those who chart sessions, who
// choose who gave one. Receptionists need neither.
func (s *Store) StaffList(ctx context.Context, actor int64, includeInactive bool) ([]data.Staff, error) {
	if err := s.allowEither(ctx, actor, data.PermStaffWrite, data.PermSessionWrite,
		"see the staff accounts", target{entity: data.EntityStaff}); err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff
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

// SignInList lists the names and IDs of the staff whose accounts are on,
// by name: all the sign-in screen shows before anyone is signed in, so it
// takes no actor and says nothing of roles or accounts.
func (s *Store) SignInList(ctx context.Context) ([]data.StaffName, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name FROM staff WHERE active = 1 ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("listing who may sign in: %w", err)
	}
	defer rows.Close()
	var out []data.StaffName
	for rows.Next() {
		var n data.StaffName
		if err := rows.Scan(&n.ID, &n.Name); err != nil {
			return nil, fmt.Errorf("listing who may sign in: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing who may sign in: %w", err)
	}
	return out, nil
}

func scanStaff(sc scanner) (data.Staff, error) {
	var st data.Staff
	var role string
	err := sc.Scan(&st.ID, &st.Name, &role, &st.Active, &st.HasPassword, &st.Version)
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
