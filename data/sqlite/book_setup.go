package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
	"needledesk/data/internal/settingsdoc"
)

// What the appointment book is set up with (migration 14): rooms, the
// treatment menu and the technicians' working hours. Everyone reads them
// (PermBookView); only owners change them (PermBookSetup). Nothing here
// is ever deleted: a room or a treatment no longer offered is retired.

var _ data.BookSetupStore = (*Store)(nil)

// CreateRoom validates and adds a room, setting r.ID and r.Version.
func (s *Store) CreateRoom(ctx context.Context, actor int64, r *data.Room) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("adding room: %w", err)
	}
	var id int64
	err := s.change(ctx, actor, data.PermBookSetup, target{entity: data.EntityRoom}, func(tx *sql.Tx, now time.Time, _ data.Staff) (err error) {
		id, err = createRoomIn(ctx, tx, actor, *r, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("adding room: %w", err)
	}
	r.ID, r.Version = id, 1
	return nil
}

// createRoomIn adds a valid room, with its audit row, in tx, for an actor
// allowed to (PermBookSetup), and returns its ID.
func createRoomIn(ctx context.Context, tx *sql.Tx, actor int64, r data.Room, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO room (name, active, updated_at, updated_by) VALUES (?, ?, ?, ?) RETURNING id`,
		r.Name, boolInt(r.Active), timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityRoom, entityID: id})
}

// UpdateRoom saves a room (renamed, retired or brought back) over the
// version read; otherwise a *data.ConflictError and nothing is saved.
func (s *Store) UpdateRoom(ctx context.Context, actor int64, r *data.Room) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("saving room: %w", err)
	}
	var version int64
	t := target{entity: data.EntityRoom, id: r.ID}
	err := s.change(ctx, actor, data.PermBookSetup, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		err := tx.QueryRowContext(ctx, `UPDATE room SET name = ?, active = ?, updated_at = ?, updated_by = ?,
			version = version + 1 WHERE id = ? AND version = ? RETURNING version`,
			r.Name, boolInt(r.Active), timeText(now), actor, r.ID, r.Version).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return setupConflict(ctx, tx, "room", data.EntityRoom, r.ID, "the room ")
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityRoom, entityID: r.ID})
	})
	if err != nil {
		return fmt.Errorf("saving room: %w", err)
	}
	r.Version = version
	return nil
}

// Rooms lists the rooms by name, retired ones only when asked.
func (s *Store) Rooms(ctx context.Context, actor int64, includeRetired bool) ([]data.Room, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityRoom}); err != nil {
		return nil, fmt.Errorf("reading rooms: %w", err)
	}
	out, err := roomsIn(ctx, s.r, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("reading rooms: %w", err)
	}
	return out, nil
}

// roomsIn lists the rooms by name, retired ones only when asked.
func roomsIn(ctx context.Context, q queryer, includeRetired bool) ([]data.Room, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, active, version FROM room
		WHERE active = 1 OR ? ORDER BY name COLLATE NOCASE, id`, includeRetired)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Room
	for rows.Next() {
		var r data.Room
		if err := rows.Scan(&r.ID, &r.Name, &r.Active, &r.Version); err != nil {
			return nil, err
		}
		r.Name = data.Neutralised(r.Name)
		out = append(out, r)
	}
	return out, rows.Err()
}

// setupConflict is the refusal of a save over a room or a treatment that
// changed since it was read (who changed it last, and when), or
// data.ErrNotFound when there is none.
func setupConflict(ctx context.Context, q queryer, table string, entity data.Entity, id int64, what string) error {
	var name string
	var at sql.NullString
	var by int64
	err := q.QueryRowContext(ctx, `SELECT name, updated_at, updated_by FROM `+table+` WHERE id = ?`, id).Scan(&name, &at, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(entity, id)
	}
	if err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: what + name, By: changedBy(ctx, q, by), At: when}
}

// CreateTreatmentType validates and adds a line to the treatment menu,
// setting t.ID and t.Version.
func (s *Store) CreateTreatmentType(ctx context.Context, actor int64, t *data.TreatmentType) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("adding treatment: %w", err)
	}
	areas, err := jsonList(t.Areas)
	if err != nil {
		return err
	}
	var id int64
	err = s.change(ctx, actor, data.PermBookSetup, target{entity: data.EntityTreatment}, func(tx *sql.Tx, now time.Time, _ data.Staff) (err error) {
		id, err = createTreatmentIn(ctx, tx, actor, *t, areas, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("adding treatment: %w", err)
	}
	t.ID, t.Version = id, 1
	return nil
}

// createTreatmentIn adds a valid line to the menu (its areas as jsonList
// writes them), with its audit row, in tx, for an actor allowed to
// (PermBookSetup), and returns its ID.
func createTreatmentIn(ctx context.Context, tx *sql.Tx, actor int64, t data.TreatmentType, areas string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO treatment_type (name, default_minutes, areas, needling, active, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.Name, t.DefaultMinutes, areas, boolInt(t.Needling), boolInt(t.Active), timeText(now), actor).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionCreate, entity: data.EntityTreatment, entityID: id})
}

// UpdateTreatmentType saves a line of the menu over the version read.
// Appointments already booked keep their own length.
func (s *Store) UpdateTreatmentType(ctx context.Context, actor int64, t *data.TreatmentType) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("saving treatment: %w", err)
	}
	areas, err := jsonList(t.Areas)
	if err != nil {
		return err
	}
	var version int64
	tg := target{entity: data.EntityTreatment, id: t.ID}
	err = s.change(ctx, actor, data.PermBookSetup, tg, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		err := tx.QueryRowContext(ctx, `UPDATE treatment_type SET name = ?, default_minutes = ?, areas = ?, needling = ?,
			active = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING version`,
			t.Name, t.DefaultMinutes, areas, boolInt(t.Needling), boolInt(t.Active), timeText(now), actor, t.ID, t.Version).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return setupConflict(ctx, tx, "treatment_type", data.EntityTreatment, t.ID, "the treatment ")
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate, entity: data.EntityTreatment, entityID: t.ID})
	})
	if err != nil {
		return fmt.Errorf("saving treatment: %w", err)
	}
	t.Version = version
	return nil
}

// TreatmentTypes lists the treatment menu by name, retired lines only
// when asked.
func (s *Store) TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityTreatment}); err != nil {
		return nil, fmt.Errorf("reading the treatment menu: %w", err)
	}
	out, err := treatmentTypesIn(ctx, s.r, includeRetired)
	if err != nil {
		return nil, fmt.Errorf("reading the treatment menu: %w", err)
	}
	return out, nil
}

// treatmentTypesIn lists the treatment menu by name, retired lines only
// when asked.
func treatmentTypesIn(ctx context.Context, q queryer, includeRetired bool) ([]data.TreatmentType, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+treatmentColumns+` FROM treatment_type
		WHERE active = 1 OR ? ORDER BY name COLLATE NOCASE, id`, includeRetired)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.TreatmentType
	for rows.Next() {
		t, err := scanTreatment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

const treatmentColumns = `id, name, default_minutes, areas, needling, active, version`

func scanTreatment(sc scanner) (data.TreatmentType, error) {
	var t data.TreatmentType
	var areas string
	if err := sc.Scan(&t.ID, &t.Name, &t.DefaultMinutes, &areas, &t.Needling, &t.Active, &t.Version); err != nil {
		return t, err
	}
	t.Name = data.Neutralised(t.Name)
	var err error
	if t.Areas, err = parseList[data.Area](areas); err != nil {
		return t, fmt.Errorf("treatment %d: %w", t.ID, err)
	}
	return t, nil
}

// readTreatment reads one line of the menu; data.ErrNotFound when none.
func readTreatment(ctx context.Context, q queryer, id int64) (data.TreatmentType, error) {
	t, err := scanTreatment(q.QueryRowContext(ctx, `SELECT `+treatmentColumns+` FROM treatment_type WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound(data.EntityTreatment, id)
	}
	return t, err
}

// SaveWorkingHours saves a technician's hours over the version read
// (0 when none were saved yet); owners only.
func (s *Store) SaveWorkingHours(ctx context.Context, actor int64, w *data.WorkingHours) error {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("saving working hours: %w", err)
	}
	days, err := json.Marshal(settingsdoc.Hours(w.Days))
	if err != nil {
		return err
	}
	var version int64
	t := target{entity: data.EntityWorkingHours, id: w.TechnicianID}
	err = s.change(ctx, actor, data.PermBookSetup, t, func(tx *sql.Tx, now time.Time, _ data.Staff) error {
		if _, err := treater(ctx, tx, w.TechnicianID); err != nil {
			return err
		}
		stored, err := workingHours(ctx, tx, w.TechnicianID, data.WeekHours{})
		if err != nil {
			return err
		}
		if stored.Version != w.Version {
			return workingHoursConflict(ctx, tx, w.TechnicianID)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO working_hours (technician_id, days, updated_at, updated_by)
			VALUES (?, ?, ?, ?) ON CONFLICT (technician_id) DO UPDATE SET days = excluded.days,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = version + 1
			RETURNING version`, w.TechnicianID, string(days), timeText(now), actor).Scan(&version)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, auditRow{at: now, actor: actor, action: data.ActionUpdate,
			entity: data.EntityWorkingHours, entityID: w.TechnicianID})
	})
	if err != nil {
		return fmt.Errorf("saving working hours: %w", err)
	}
	w.Version, w.Set = version, true
	return nil
}

func workingHoursConflict(ctx context.Context, q queryer, technicianID int64) error {
	var name string
	var at sql.NullString
	var by int64
	err := q.QueryRowContext(ctx, `SELECT s.name, w.updated_at, w.updated_by FROM working_hours w
		JOIN staff s ON s.id = w.technician_id WHERE w.technician_id = ?`, technicianID).Scan(&name, &at, &by)
	if err != nil {
		return err
	}
	when, err := parseTime(at)
	if err != nil {
		return err
	}
	return &data.ConflictError{What: name + "'s working hours", By: changedBy(ctx, q, by), At: when}
}

// WorkingHours reads a technician's hours; the clinic's opening hours,
// with Set false and Version 0, when none were saved.
func (s *Store) WorkingHours(ctx context.Context, actor, technicianID int64) (data.WorkingHours, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityWorkingHours, id: technicianID}); err != nil {
		return data.WorkingHours{}, fmt.Errorf("reading working hours: %w", err)
	}
	st, err := settingsIn(ctx, s.r)
	if err != nil {
		return data.WorkingHours{}, fmt.Errorf("reading working hours: %w", err)
	}
	w, err := workingHours(ctx, s.r, technicianID, st.OpeningHours)
	if err != nil {
		return w, fmt.Errorf("reading working hours: %w", err)
	}
	return w, nil
}

func workingHours(ctx context.Context, q queryer, technicianID int64, opening data.WeekHours) (data.WorkingHours, error) {
	w := data.WorkingHours{TechnicianID: technicianID, Days: opening}
	var days string
	err := q.QueryRowContext(ctx, `SELECT days, version FROM working_hours WHERE technician_id = ?`, technicianID).Scan(&days, &w.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return w, nil
	}
	if err != nil {
		return w, err
	}
	var d [7][2]int
	if err := json.Unmarshal([]byte(days), &d); err != nil {
		return w, fmt.Errorf("the working hours of staff member %d are damaged: %w", technicianID, err)
	}
	w.Days, w.Set = settingsdoc.WeekHours(d), true
	return w, nil
}

// BookableStaff lists the technicians and owners whose accounts are on,
// by name (case-insensitively): the book's columns and whom a booking
// can name. It is for anyone who sees the book (PermBookView), and says
// nothing of roles or accounts.
func (s *Store) BookableStaff(ctx context.Context, actor int64) ([]data.StaffName, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityStaff}); err != nil {
		return nil, fmt.Errorf("listing who can be booked: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, name FROM staff
		WHERE active = 1 AND role IN (?, ?) ORDER BY name COLLATE NOCASE, id`, data.RoleTechnician, data.RoleOwner)
	if err != nil {
		return nil, fmt.Errorf("listing who can be booked: %w", err)
	}
	defer rows.Close()
	var out []data.StaffName
	for rows.Next() {
		var n data.StaffName
		if err := rows.Scan(&n.ID, &n.Name); err != nil {
			return nil, fmt.Errorf("listing who can be booked: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing who can be booked: %w", err)
	}
	return out, nil
}
