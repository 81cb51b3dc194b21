package sqlite_test

import (
	"strings"
	"testing"
	"time"
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
