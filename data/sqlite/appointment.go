package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
)

// The appointment book's reads (migrations 14 and 15). Every read names
// the client, technician, room and treatment, and an appointment of a
// course its place in it, in the one statement, so a day's view is one
// query.

var _ data.AppointmentStore = (*Store)(nil)

// holdingSQL lists the states that hold a technician and a room.
var holdingSQL = func() string {
	parts := make([]string, len(data.HoldingStatuses))
	for i, s := range data.HoldingStatuses {
		parts[i] = "'" + string(s) + "'"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}()

// appointmentSelect reads what scanAppointment expects; the WHERE and
// ORDER BY follow. An appointment's place in its course counts the
// course's appointments that hold their time and start before it.
//
// A busy clinic's day is a thousand rows, and the driver's cost is per
// column fetched (each takes its lock), not per byte: so the text read
// for every row comes in three columns rather than fourteen. The three
// instants are joined end to end (each is fixed-width timeLayout), and
// the free texts, empty for most appointments, come as one JSON array
// only when one of them is not. The client's name is the appointment's
// own copy (migration 20), so no row seeks into the client table. The
// technicians', rooms' and treatments' names are not joined row by row
// (three more seeks for each of a thousand rows): refNames reads each one
// named once.
var appointmentSelect = `SELECT concat_ws(' ', a.id, a.client_id, a.technician_id, coalesce(a.room_id, 0), a.treatment_id,
		a.minutes, coalesce(a.session_id, 0), coalesce(a.course_id, 0), a.sequence, a.version, a.created_by, a.updated_by,
		coalesce(co.sessions, 0), a.status, a.cancel_reason),
	a.start_at || a.created_at || a.updated_at,
	a.client_name,
	CASE WHEN a.note = '' AND a.cancel_note = '' AND a.warnings = '[]' AND a.override_reason = '' THEN NULL
		ELSE json_array(a.note, a.cancel_note, json(a.warnings), a.override_reason) END,
	CASE WHEN a.course_id IS NULL OR a.status NOT IN ` + holdingSQL + ` THEN 0 ELSE
		(SELECT count(*) FROM appointment b WHERE b.course_id = a.course_id AND b.status IN ` + holdingSQL + `
			AND (b.start_at < a.start_at OR (b.start_at = a.start_at AND b.id <= a.id))) END
	FROM appointment a
	LEFT JOIN course co ON co.id = a.course_id `

func scanAppointment(sc scanner) (data.Appointment, error) {
	var a data.Appointment
	// What Scan fills goes to the heap (Scan takes pointers through an
	// interface): one small struct rather than five values, or the whole
	// appointment, for each row of a thousand-row day.
	var c struct {
		numbers, stamps, names string
		texts                  sql.NullString
		courseNumber           int
	}
	if err := sc.Scan(&c.numbers, &c.stamps, &c.names, &c.texts, &c.courseNumber); err != nil {
		return a, err
	}
	a.CourseNumber = c.courseNumber
	// One check after another: errors.Join would put its four arguments
	// on the heap for every row.
	err := setNumbers(&a, c.numbers)
	if err == nil {
		err = bookrow.ClientName(&a, c.names)
	}
	if err == nil {
		err = bookrow.Stamps(&a, c.stamps)
	}
	if err == nil {
		err = bookrow.Texts(&a, c.texts.String, c.texts.Valid)
	}
	if err != nil {
		return a, fmt.Errorf("appointment %d: %w", a.ID, err)
	}
	return a, nil
}

// setNumbers reads the IDs, counts and state joined by spaces (the
// cancel reason, empty for most, last), without making a slice of them.
func setNumbers(a *data.Appointment, joined string) error {
	var n [13]int64
	rest := joined
	for i := range n {
		var field string
		field, rest, _ = strings.Cut(rest, " ")
		v, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return fmt.Errorf("its numbers %q do not read", joined)
		}
		n[i] = v
	}
	status, reason, _ := strings.Cut(rest, " ")
	if status == "" || strings.Contains(reason, " ") {
		return fmt.Errorf("its numbers %q do not read", joined)
	}
	a.ID, a.ClientID, a.TechnicianID, a.RoomID, a.TreatmentID = n[0], n[1], n[2], n[3], n[4]
	a.Minutes, a.SessionID, a.CourseID, a.Sequence = int(n[5]), n[6], n[7], int(n[8])
	a.Version, a.CreatedBy, a.UpdatedBy, a.CoursePlanned = n[9], n[10], n[11], int(n[12])
	a.Status = data.AppointmentStatus(status)
	a.Cancel.Reason = data.CancelReason(reason)
	return nil
}

// refNames gives the appointments their technicians', rooms' and
// treatments' names, reading each one named once. The day view names its
// thousand rows from the store's copy of the lists instead (book_names.go).
func refNames(ctx context.Context, q queryer, as []data.Appointment) error {
	if len(as) == 0 {
		return nil
	}
	ids := [3]map[int64]bool{{}, {}, {}} // technicians, rooms, treatments
	for _, a := range as {
		ids[0][a.TechnicianID] = true
		ids[2][a.TreatmentID] = true
		if a.RoomID != 0 {
			ids[1][a.RoomID] = true
		}
	}
	var lists [3]string
	for i, m := range ids {
		var err error
		if lists[i], err = idList(slices.Collect(maps.Keys(m))); err != nil {
			return err
		}
	}
	l, err := readNameLists(ctx, q, 0, `SELECT 0, id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))
		UNION ALL SELECT 1, id, name FROM room WHERE id IN (SELECT value FROM json_each(?))
		UNION ALL SELECT 2, id, name FROM treatment_type WHERE id IN (SELECT value FROM json_each(?))`, lists[0], lists[1], lists[2])
	if err != nil {
		return err
	}
	l.Name(as)
	return nil
}

// queryAppointments runs appointmentSelect with a WHERE clause and its
// order.
func queryAppointments(ctx context.Context, q queryer, where string, args ...any) ([]data.Appointment, error) {
	out, err := queryAppointmentRows(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	return out, refNames(ctx, q, out)
}

// queryAppointmentRows is queryAppointments without the technicians',
// rooms' and treatments' names.
func queryAppointmentRows(ctx context.Context, q queryer, where string, args ...any) ([]data.Appointment, error) {
	rows, err := q.QueryContext(ctx, appointmentSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// readAppointment reads one appointment; data.ErrNotFound when none.
func readAppointment(ctx context.Context, q queryer, id int64) (data.Appointment, error) {
	a, err := scanAppointment(q.QueryRowContext(ctx, appointmentSelect+`WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound(data.EntityAppointment, id)
	}
	if err != nil {
		return a, err
	}
	one := []data.Appointment{a}
	err = refNames(ctx, q, one)
	return one[0], err
}

// Appointment reads one appointment, in any state.
func (s *Store) Appointment(ctx context.Context, actor, id int64) (data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, id: id}); err != nil {
		return data.Appointment{}, fmt.Errorf("reading appointment: %w", err)
	}
	a, err := readAppointment(ctx, s.r, id)
	if err != nil {
		return a, fmt.Errorf("reading appointment: %w", err)
	}
	return a, nil
}

// maxAppointment is the longest appointment, as a bound for reads by
// start: an appointment that reaches into a span started at most this
// long before it.
const maxAppointment = data.MaxAppointmentMinutes * time.Minute

// spanWhere selects appointments that share any time with [from, to),
// reading the index by start no further back than the longest
// appointment.
const spanWhere = `a.start_at >= ? AND a.start_at < ? AND a.end_at > ?`

func spanArgs(from, to time.Time) []any {
	return []any{timeText(from.Add(-maxAppointment)), timeText(to), timeText(from)}
}

// DayAppointments lists every appointment that shares time with the
// clinic-local day (midnight to midnight on the clinic's clock, 23 or 25
// hours on the days the clocks change), in every state, by start and
// then technician. It reads the day in two halves at once (day_read.go).
func (s *Store) DayAppointments(ctx context.Context, actor int64, day data.Date) ([]data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment}); err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	if day.IsZero() {
		return nil, fmt.Errorf("reading the day's appointments: %w", data.Invalid("day", "choose a day"))
	}
	out, err := s.readDay(ctx, day)
	if err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	return out, nil
}

// WeekAppointments lists one technician's or one room's appointments in
// the seven clinic-local days from w.Start, by start.
func (s *Store) WeekAppointments(ctx context.Context, actor int64, w data.Week) ([]data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment}); err != nil {
		return nil, fmt.Errorf("reading the week's appointments: %w", err)
	}
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("reading the week's appointments: %w", err)
	}
	var out []data.Appointment
	err := s.read(ctx, func(tx *sql.Tx) error {
		loc, err := clinicZone(ctx, tx)
		if err != nil {
			return err
		}
		from, _ := data.DayBounds(w.Start, loc)
		to, _ := data.DayBounds(w.Start.AddDays(7), loc)
		who, id := `a.technician_id = ?`, w.TechnicianID
		if w.RoomID > 0 {
			who, id = `a.room_id = ?`, w.RoomID
		}
		out, err = queryAppointments(ctx, tx, `WHERE `+who+` AND `+spanWhere+` ORDER BY a.start_at, a.id`,
			append([]any{id}, spanArgs(from, to)...)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the week's appointments: %w", err)
	}
	return out, nil
}

// ClientAppointments lists a client's appointments, newest first, in
// every state: a cancelled or missed one stays in the client's history.
func (s *Store) ClientAppointments(ctx context.Context, actor, clientID int64) ([]data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, clientID: clientID}); err != nil {
		return nil, fmt.Errorf("reading the client's appointments: %w", err)
	}
	out, err := queryAppointments(ctx, s.r, `WHERE a.client_id = ? ORDER BY a.start_at DESC, a.id DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("reading the client's appointments: %w", err)
	}
	return out, nil
}

// NextAppointment is the client's first booked or arrived appointment
// that starts after the instant given (the aftercare sheet's next visit);
// data.ErrNotFound when there is none.
func (s *Store) NextAppointment(ctx context.Context, actor, clientID int64, after time.Time) (data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, clientID: clientID}); err != nil {
		return data.Appointment{}, fmt.Errorf("reading the next appointment: %w", err)
	}
	out, err := queryAppointments(ctx, s.r, `WHERE a.client_id = ? AND a.start_at > ? AND a.status IN ('booked', 'arrived')
		ORDER BY a.start_at, a.id LIMIT 1`, clientID, timeText(after))
	switch {
	case err != nil:
		return data.Appointment{}, fmt.Errorf("reading the next appointment: %w", err)
	case len(out) == 0:
		return data.Appointment{}, fmt.Errorf("the client's next appointment: %w", data.ErrNotFound)
	}
	return out[0], nil
}

// clinicZone reads the clinic's time zone from the settings document;
// the computer's when the document names none (one from before the
// appointment book), as data.Settings.Location does.
func clinicZone(ctx context.Context, q queryer) (*time.Location, error) {
	var name sql.NullString
	err := q.QueryRowContext(ctx, `SELECT json_extract(doc, '$.time_zone') FROM settings WHERE id = ?`, settingsID).Scan(&name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("reading the clinic's time zone: %w", err)
	}
	return zoneLocation(name), nil
}

// zoneLocation is the clinic's time zone as settings name it; the
// computer's when they name none.
func zoneLocation(name sql.NullString) *time.Location {
	zone := name.String
	if zone == "" {
		zone = data.SystemTimeZone()
	}
	return data.Settings{TimeZone: zone}.Location()
}
