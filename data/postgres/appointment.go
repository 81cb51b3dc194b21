package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
)

// The appointment book's reads, as data/sqlite's appointment.go: every
// read names the client, technician, room and treatment, and an
// appointment of a course its place in it, in the one statement.

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
// A day is read from appointment_by_day alone (migration 8): the
// client's name is the appointment's own copy, and its free texts, which
// the index cannot hold, are fetched from the table only for the rows
// that have one (has_texts), as one JSON array. The course's length is
// looked up only for an appointment in a course (joined, it cost a third
// of the server's time on a day with none). The driver makes a Go
// value of each text it reads: the three instants come joined end to
// end, the state and the cancel reason joined by a space.
var appointmentColumns = `a.id, a.client_id, a.technician_id, coalesce(a.room_id, 0), a.treatment_id,
	a.minutes, coalesce(a.session_id, 0), coalesce(a.course_id, 0), a.sequence, a.version, a.created_by, a.updated_by,
	CASE WHEN a.course_id IS NULL THEN 0 ELSE coalesce((SELECT co.sessions FROM course co WHERE co.id = a.course_id), 0) END,
	a.status || ' ' || a.cancel_reason, a.start_at || a.created_at || a.updated_at, a.client_name,
	CASE WHEN a.has_texts THEN (SELECT json_build_array(x.note, x.cancel_note, x.warnings::json, x.override_reason)::text
		FROM appointment x WHERE x.id = a.id) END,
	CASE WHEN a.course_id IS NULL OR a.status NOT IN ` + holdingSQL + ` THEN 0 ELSE
		(SELECT count(*) FROM appointment b WHERE b.course_id = a.course_id AND b.status IN ` + holdingSQL + `
			AND (b.start_at < a.start_at OR (b.start_at = a.start_at AND b.id <= a.id))) END`

// appointmentSelect names the technician, room and treatment by joining
// them; appointmentSelectUnnamed leaves them to the day view, which names
// a thousand rows from the store's copy of the lists (book_names.go):
// joined, they were half of the server's time on the bench day.
var (
	appointmentSelect = `SELECT ` + appointmentColumns + `, st.name, coalesce(r.name, ''), t.name
	FROM appointment a
	JOIN staff st ON st.id = a.technician_id
	JOIN treatment_type t ON t.id = a.treatment_id
	LEFT JOIN room r ON r.id = a.room_id `
	appointmentSelectUnnamed = `SELECT ` + appointmentColumns + ` FROM appointment a `
)

// scanAppointment reads a row of appointmentSelect, or of
// appointmentSelectUnnamed when named is false.
func scanAppointment(sc pgx.Row, named bool) (data.Appointment, error) {
	// Scan takes pointers: what it fills goes to the heap, one struct
	// rather than each value or the whole appointment.
	var c struct {
		id, client, technician, room, treatment, session, course, version, createdBy, updatedBy int64
		minutes, sequence, planned                                                              int
		state, stamps, clientName, technicianName, roomName, treatmentName                      string
		texts                                                                                   *string
		number                                                                                  int64
		targets                                                                                 [21]any
	}
	c.targets = [21]any{&c.id, &c.client, &c.technician, &c.room, &c.treatment, &c.minutes, &c.session, &c.course,
		&c.sequence, &c.version, &c.createdBy, &c.updatedBy, &c.planned, &c.state, &c.stamps, &c.clientName,
		&c.texts, &c.number, &c.technicianName, &c.roomName, &c.treatmentName}
	n := 18
	if named {
		n = 21
	}
	var a data.Appointment
	if err := sc.Scan(c.targets[:n]...); err != nil {
		return a, err
	}
	a.ID, a.ClientID, a.TechnicianID, a.RoomID, a.TreatmentID = c.id, c.client, c.technician, c.room, c.treatment
	a.Minutes, a.SessionID, a.CourseID, a.Sequence, a.Version = c.minutes, c.session, c.course, c.sequence, c.version
	a.CreatedBy, a.UpdatedBy, a.CoursePlanned, a.CourseNumber = c.createdBy, c.updatedBy, c.planned, int(c.number)
	status, reason, _ := strings.Cut(c.state, " ")
	a.Status, a.Cancel.Reason = data.AppointmentStatus(status), data.CancelReason(reason)
	if named {
		a.TechnicianName, a.RoomName, a.TreatmentName = data.NeutralisedName(c.technicianName), data.Neutralised(c.roomName), data.Neutralised(c.treatmentName)
	}
	err := bookrow.ClientName(&a, c.clientName)
	if err == nil {
		err = bookrow.Stamps(&a, c.stamps)
	}
	if err == nil && c.texts != nil {
		err = bookrow.Texts(&a, *c.texts, true)
	}
	if err != nil {
		return a, fmt.Errorf("appointment %d: %w", a.ID, err)
	}
	return a, nil
}

// queryAppointments runs appointmentSelect with a WHERE clause and its
// order.
func queryAppointments(ctx context.Context, q queryer, where string, args ...any) ([]data.Appointment, error) {
	return queryAppointmentRows(ctx, q, true, where, args...)
}

// queryAppointmentRows is queryAppointments, leaving the technicians',
// rooms' and treatments' names out unless named.
func queryAppointmentRows(ctx context.Context, q queryer, named bool, where string, args ...any) ([]data.Appointment, error) {
	query := appointmentSelectUnnamed
	if named {
		query = appointmentSelect
	}
	rows, err := q.Query(ctx, query+where, args...)
	if err != nil {
		return nil, describeServerError(err)
	}
	defer rows.Close()
	var out []data.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows, named)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// readAppointment reads one appointment; data.ErrNotFound when none.
func readAppointment(ctx context.Context, q queryer, id int64) (data.Appointment, error) {
	a, err := scanAppointment(q.QueryRow(ctx, appointmentSelect+`WHERE a.id = $1`, id), true)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, notFound(data.EntityAppointment, id)
	}
	return a, err
}

// Appointment reads one appointment, in any state.
func (s *Store) Appointment(ctx context.Context, actor, id int64) (data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, id: id}); err != nil {
		return data.Appointment{}, fmt.Errorf("reading appointment: %w", err)
	}
	a, err := readAppointment(ctx, s.pool, id)
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
// appointment; its three arguments start at $n.
func spanWhere(n int) string {
	return fmt.Sprintf(`a.start_at >= $%d AND a.start_at < $%d AND a.end_at > $%d`, n, n+1, n+2)
}

func spanArgs(from, to time.Time) []any {
	return []any{timeText(from.Add(-maxAppointment)), timeText(to), timeText(from)}
}

// DayAppointments lists every appointment that shares time with the
// clinic-local day, in every state, by start and then technician.
func (s *Store) DayAppointments(ctx context.Context, actor int64, day data.Date) ([]data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment}); err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	if day.IsZero() {
		return nil, fmt.Errorf("reading the day's appointments: %w", data.Invalid("day", "choose a day"))
	}
	var out []data.Appointment
	err := s.read(ctx, func(tx pgx.Tx) (err error) {
		out, err = readDayIn(ctx, tx, day, &s.bookNames)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the day's appointments: %w", err)
	}
	return out, nil
}

// readDayIn reads the day's appointments in q's transaction, by start
// and then technician: DayAppointments' read, and the first start's
// set-up's, inside its own transaction. With names, the technicians',
// rooms' and treatments' names come from that copy of the lists; without
// (the set-up, whose names a rollback could take back), they are joined.
func readDayIn(ctx context.Context, q queryer, day data.Date, names *bookrow.NameCopy) ([]data.Appointment, error) {
	loc, err := clinicZone(ctx, q)
	if err != nil {
		return nil, err
	}
	from, to := data.DayBounds(day, loc)
	out, err := queryAppointmentRows(ctx, q, names == nil, `WHERE `+spanWhere(1)+` ORDER BY a.start_at, a.id`, spanArgs(from, to)...)
	if err == nil && names != nil {
		err = nameFromCopy(ctx, names, q, out)
	}
	if err != nil {
		return nil, err
	}
	bookrow.OrderByTechnicianWithinStarts(out)
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
	err := s.read(ctx, func(tx pgx.Tx) error {
		loc, err := clinicZone(ctx, tx)
		if err != nil {
			return err
		}
		from, _ := data.DayBounds(w.Start, loc)
		to, _ := data.DayBounds(w.Start.AddDays(7), loc)
		who, id := `a.technician_id = $1`, w.TechnicianID
		if w.RoomID > 0 {
			who, id = `a.room_id = $1`, w.RoomID
		}
		out, err = queryAppointments(ctx, tx, `WHERE `+who+` AND `+spanWhere(2)+` ORDER BY a.start_at, a.id`,
			append([]any{id}, spanArgs(from, to)...)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the week's appointments: %w", err)
	}
	return out, nil
}

// ClientAppointments lists a client's appointments, newest first, in
// every state.
func (s *Store) ClientAppointments(ctx context.Context, actor, clientID int64) ([]data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, clientID: clientID}); err != nil {
		return nil, fmt.Errorf("reading the client's appointments: %w", err)
	}
	out, err := queryAppointments(ctx, s.pool, `WHERE a.client_id = $1 ORDER BY a.start_at DESC, a.id DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("reading the client's appointments: %w", err)
	}
	return out, nil
}

// NextAppointment is the client's first booked or arrived appointment
// that starts after the instant given; data.ErrNotFound when none.
func (s *Store) NextAppointment(ctx context.Context, actor, clientID int64, after time.Time) (data.Appointment, error) {
	if _, err := s.allowRead(ctx, actor, data.PermBookView, target{entity: data.EntityAppointment, clientID: clientID}); err != nil {
		return data.Appointment{}, fmt.Errorf("reading the next appointment: %w", err)
	}
	out, err := queryAppointments(ctx, s.pool, `WHERE a.client_id = $1 AND a.start_at > $2 AND a.status IN ('booked', 'arrived')
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
// the computer's when the document names none, as data.Settings.Location
// does.
func clinicZone(ctx context.Context, q queryer) (*time.Location, error) {
	var name sql.NullString
	err := q.QueryRow(ctx, `SELECT doc::jsonb ->> 'time_zone' FROM settings WHERE id = $1`, settingsID).Scan(&name)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("reading the clinic's time zone: %w", err)
	}
	zone := name.String
	if zone == "" {
		zone = data.SystemTimeZone()
	}
	return data.Settings{TimeZone: zone}.Location(), nil
}
