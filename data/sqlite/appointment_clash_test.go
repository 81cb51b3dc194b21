package sqlite_test

import (
	"strings"
	"testing"
)

// TestTheFileRefusesADoubleBooking: a clash written behind the store (a
// database tool, an older copy of NeedleDesk) is refused by the file
// itself. (An import that holds one, and every other clash, are the
// stores' contract: data/storetest/book_clash.go.)
func TestTheFileRefusesADoubleBooking(t *testing.T) {
	b := newBook(t)
	held := b.booked(b.desk.ID, b.appt())
	db := rawDB(t, b.path)
	_, err := db.ExecContext(b.ctx, `INSERT INTO appointment (client_id, technician_id, treatment_id, start_at, end_at,
		minutes, status, created_at, created_by, updated_at, updated_by)
		SELECT client_id, technician_id, treatment_id, '2026-11-24T10:59:00.000000000Z', '2026-11-24T11:30:00.000000000Z',
			31, 'booked', created_at, 0, updated_at, 0 FROM appointment WHERE id = ?`, held.ID)
	if err == nil || !strings.Contains(err.Error(), "appointment clash") {
		t.Fatalf("a clash written behind the store: %v", err)
	}
	_, err = db.ExecContext(b.ctx, `UPDATE appointment SET room_id = NULL, technician_id = ? WHERE id = ?`, b.tech2.ID, held.ID)
	if err != nil {
		t.Fatalf("a change that clashes with nothing: %v", err)
	}
}
