package sqlite

import "time"

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
