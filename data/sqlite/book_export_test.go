package sqlite

import (
	"context"
	"time"

	"needledesk/data"
)

// BookQueriesForTest are the appointment book's and the outbox's hot
// statements, with arguments of the right kind, for TestBookQueryPlans.
func BookQueriesForTest() map[string]HotQuery {
	from := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	span := spanArgs(from, from.Add(24*time.Hour))
	week := spanArgs(from, from.Add(7*24*time.Hour))
	now := timeText(from)
	return map[string]HotQuery{
		"day":                   {appointmentSelect + `WHERE ` + spanWhere + ` ORDER BY a.start_at, a.id`, span},
		"technician's week":     {appointmentSelect + `WHERE a.technician_id = ? AND ` + spanWhere + ` ORDER BY a.start_at, a.id`, append([]any{1}, week...)},
		"room's week":           {appointmentSelect + `WHERE a.room_id = ? AND ` + spanWhere + ` ORDER BY a.start_at, a.id`, append([]any{1}, week...)},
		"client's appointments": {appointmentSelect + `WHERE a.client_id = ? ORDER BY a.start_at DESC, a.id DESC`, []any{1}},
		"next appointment": {appointmentSelect + `WHERE a.client_id = ? AND a.start_at > ? AND a.status IN ('booked', 'arrived')
		ORDER BY a.start_at, a.id LIMIT 1`, []any{1, now}},
		"course's appointments": {appointmentSelect + `WHERE a.course_id = ? ORDER BY a.start_at, a.id`, []any{1}},
		"clash by technician":   {clashSQL("technician_id"), append(append([]any{1}, span...), 0)},
		"clash by room":         {clashSQL("room_id"), append(append([]any{1}, span...), 0)},
		"outbox due":            {`SELECT ` + outboxColumns + ` FROM outbox WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`, []any{now, 10}},
		"appointment messages":  {`SELECT ` + outboxColumns + ` FROM outbox WHERE appointment_id = ? ORDER BY id`, []any{1}},
		"outbox by state":       {`SELECT ` + outboxColumns + ` FROM outbox WHERE state = ? ORDER BY id DESC LIMIT ? OFFSET ?`, []any{"failed", 100, 0}},
	}
}

// DayReadWithAChangeBetweenItsHalves reads the day as DayAppointments
// does, with change run after the first half's read and before the
// second's; twoMoments reports whether the halves saw the records at two
// moments (and so the day was read again, whole).
func (s *Store) DayReadWithAChangeBetweenItsHalves(ctx context.Context, day data.Date, change func()) (as []data.Appointment, twoMoments bool, err error) {
	firstRead := make(chan struct{})
	var tops [2]int64
	as, err = readDayInHalves(ctx, day, func(ctx context.Context, d data.Date, part int) dayHalf {
		switch part {
		case 0:
			defer close(firstRead)
		case 1:
			<-firstRead
			change()
		}
		h := s.readDayPart(ctx, d, part)
		if part != wholeDay {
			tops[part] = h.auditTop
		}
		return h
	})
	return as, tops[0] != tops[1], err
}
