package booksetup_test

import (
	"testing"

	"needledesk/ui/uitest"

	"needledesk/data"
)

// After a booking for a client who agreed to e-mail, the owner's outbox
// lists its confirmation and reminder as waiting, each naming the client
// and the appointment; the filter narrows the list by state.
func TestOutboxListsQueuedMessagesAfterBooking(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Outbox")
	w.waitShows(t, "No messages yet")
	a := w.bookForClient(t)
	w.open("Outbox")
	w.waitShows(t, "Confirmation to ada@example.com")
	if !shows(w.W, "Reminder to ada@example.com") || !shows(w.W, data.OutboxQueued.Label()) || !shows(w.W, "2 messages shown") {
		t.Fatalf("the outbox shows %q", shownAll(w))
	}
	st := w.Settings
	start := a.Start.In(st.Location())
	about := "Ada Lovelace, appointment " + st.FormatDate(data.DateOf(start)) + " " + start.Format("15:04")
	if n := countShown(w, about); n != 2 {
		t.Fatalf("%d messages say %q; the outbox shows %q", n, about, shownAll(w))
	}
	w.Area.Outbox.Filter.SetSelected(data.OutboxSent.Label())
	w.waitShows(t, "No messages are sent.")
	if shows(w.W, "Confirmation to ada@example.com") {
		t.Error("the filter for sent messages lists a queued one")
	}
	w.Area.Outbox.Filter.SetSelected(data.OutboxQueued.Label())
	w.waitShows(t, "2 messages shown")
}

// countShown counts the texts shown that are exactly text.
func countShown(w *setupWorld, text string) int {
	n := 0
	for _, s := range uitest.ShownTexts(w.W.Content()) {
		if s == text {
			n++
		}
	}
	return n
}
