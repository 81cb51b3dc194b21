package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// The outbox's behaviour tests are the stores' contract
// (data/storetest/book_outbox.go); here is what needs the file itself.

const lease = 5 * time.Minute

// TestMessagesAreQueuedInTheBookingsTransaction: when the booking fails
// after its messages were queued (here its audit row is refused), neither
// the appointment nor its messages are kept.
func TestMessagesAreQueuedInTheBookingsTransaction(t *testing.T) {
	b := newBook(t)
	_, err := rawDB(t, b.path).ExecContext(b.ctx, `CREATE TRIGGER test_refuse BEFORE INSERT ON audit_event
		WHEN NEW.entity = 'appointment' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
	if err != nil {
		t.Fatal(err)
	}
	before := b.counts("appointment", "outbox")
	a := b.appt()
	if err := b.st.BookAppointment(b.ctx, b.desk.ID, &a); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("booking with its audit row refused: %v", err)
	}
	for table, n := range before {
		if got := b.count(table); got != n {
			t.Errorf("%s has %d rows after the failed booking; want %d", table, got, n)
		}
	}
}

// TestAnOldRecordWithConsentButNoAddressGetsNothing: consent without an
// e-mail address is refused when a record is saved, but a record kept
// before that rule (set here behind the store's back) may still hold it;
// its bookings queue nothing.
func TestAnOldRecordWithConsentButNoAddressGetsNothing(t *testing.T) {
	b := newBook(t)
	old := b.env.client(named("Bea", "Lund"))
	if _, err := rawDB(t, b.path).ExecContext(b.ctx, `UPDATE client SET email_reminders = 1 WHERE id = ?`, old.ID); err != nil {
		t.Fatal(err)
	}
	a := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.ClientID, a.TechnicianID, a.RoomID = old.ID, b.tech2.ID, 0 }))
	ms, err := b.st.AppointmentMessages(b.ctx, b.desk.ID, a.ID)
	if err != nil || len(ms) != 0 {
		t.Fatalf("messages for a client with consent but no address: %+v, %v", ms, err)
	}
}
