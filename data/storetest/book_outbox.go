package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"needledesk/data"
)

const lease = 5 * time.Minute

// messages reads an appointment's messages as the receptionist.
func (b *book) messages(id int64) []data.OutboxMessage {
	b.t.Helper()
	ms, err := b.st.AppointmentMessages(b.ctx, b.desk.ID, id)
	if err != nil {
		b.t.Fatal(err)
	}
	return ms
}

// states gives each message's kind and state, "confirmation queued".
func states(ms []data.OutboxMessage) string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m.Kind)+" "+string(m.State))
	}
	return strings.Join(out, ", ")
}

// claim claims at the clock's time plus d.
func (b *book) claim(d time.Duration) []data.OutboxItem {
	b.t.Helper()
	items, err := b.st.ClaimOutbox(b.ctx, b.clock.Now().Add(d), lease, 10)
	if err != nil {
		b.t.Fatal(err)
	}
	return items
}

func (ct contract) bookingQueuesAConfirmationAndAReminder(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt()) // Tuesday 10:00, 46 hours from now
	ms := b.messages(a.ID)
	if states(ms) != "confirmation queued, reminder queued" {
		t.Fatalf("messages: %s", states(ms))
	}
	if !ms[0].SendAfter.Equal(TestNow) || !ms[1].SendAfter.Equal(a.Start.Add(-24*time.Hour)) ||
		ms[0].To != b.client.Email || ms[0].Channel != data.ChannelEmail || ms[1].ClientID != b.client.ID {
		t.Errorf("messages: %+v", ms)
	}
	// The owner's outbox names whom and which visit each message is about.
	box, err := b.st.Outbox(b.ctx, b.boss.ID, data.OutboxFilter{})
	if err != nil || len(box) != 2 {
		t.Fatalf("the outbox: %d messages, %v", len(box), err)
	}
	for _, m := range box {
		if m.ClientName != "Zoë O'Brien" || !m.AppointmentStart.Equal(a.Start) {
			t.Errorf("an outbox message names %q at %v; want Zoë O'Brien at %v", m.ClientName, m.AppointmentStart, a.Start)
		}
	}
	// Booked three hours ahead: the reminder's time has gone, so only the confirmation.
	soon := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(0, 15, 0) }))
	if got := states(b.messages(soon.ID)); got != "confirmation queued" {
		t.Errorf("a booking three hours ahead: %s", got)
	}
	// No consent, or no address: nothing. Consent without an address is
	// refused when the record is saved (data/sqlite's tests show that an
	// older record kept that way still gets nothing).
	quiet := b.newClient(named("Ana", "Silva"), func(c *data.Client) { c.Email = "ana@example.com" })
	consentOnly := bookClient(named("Bea", "Lund"), func(c *data.Client) { c.EmailReminders = true })
	if err := b.st.CreateClient(b.ctx, data.SystemActor, &consentOnly); !errors.Is(err, data.ErrInvalid) {
		b.t.Fatalf("consent to e-mail reminders without an address: %v; want ErrInvalid", err)
	}
	noAddress := b.newClient(named("Bea", "Lund"))
	for _, c := range []data.Client{quiet, noAddress} {
		x := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.ClientID, a.TechnicianID, a.RoomID = c.ID, b.tech2.ID, 0 }))
		if got := b.messages(x.ID); len(got) != 0 {
			t.Errorf("%s: %s", c.FullName(), states(got))
		}
		if _, err := b.st.CancelAppointment(b.ctx, b.desk.ID, x.ID, x.Version, data.Cancellation{Reason: data.CancelByClinic}); err != nil {
			t.Fatal(err)
		}
	}
}

// movedCancelledAndMissed: a move withdraws the messages not yet sent
// and queues new ones with the calendar sequence raised; a cancellation
// or a no-show withdraws them, and nothing is ever sent for them.
func (ct contract) movedCancelledAndMissed(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	// Another room at the same time changes nothing the client's calendar holds.
	a, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: a.Start, TechnicianID: b.tech.ID, RoomID: b.room2.ID})
	if err != nil || a.Sequence != 0 || states(b.messages(a.ID)) != "confirmation queued, reminder queued" {
		t.Fatalf("after a change of room: sequence %d, %s, %v", a.Sequence, states(b.messages(a.ID)), err)
	}
	moved, err := b.st.MoveAppointment(b.ctx, b.desk.ID, a.ID, a.Version, data.Slot{Start: b.at(4, 11, 0), TechnicianID: b.tech.ID})
	if err != nil {
		t.Fatal(err)
	}
	ms := b.messages(a.ID)
	if states(ms) != "confirmation withdrawn, reminder withdrawn, confirmation queued, reminder queued" ||
		!ms[3].SendAfter.Equal(moved.Start.Add(-24*time.Hour)) {
		t.Fatalf("after the move: %s", states(ms))
	}
	items := b.claim(0)
	if len(items) != 1 || items[0].Message.ID != ms[2].ID || items[0].Sequence != 1 || !items[0].Start.Equal(moved.Start) {
		t.Fatalf("claimed after the move: %+v", items)
	}
	if err := b.st.MarkSent(b.ctx, items[0].Message.ID, b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Cancelled: the reminder still waiting is withdrawn, the sent confirmation stays sent.
	c, err := b.st.CancelAppointment(b.ctx, b.desk.ID, a.ID, moved.Version, data.Cancellation{Reason: data.CancelByClient})
	if err != nil {
		t.Fatal(err)
	}
	if got := states(b.messages(c.ID)); got != "confirmation withdrawn, reminder withdrawn, confirmation sent, reminder withdrawn" {
		t.Errorf("after cancelling: %s", got)
	}
	if items := b.claim(10 * 24 * time.Hour); len(items) != 0 {
		t.Errorf("claimed for a cancelled booking: %+v", items)
	}
	// Missed: withdrawn too.
	late := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(0, 13, 0) }))
	b.clock.Advance(2 * time.Hour)
	if _, err := b.st.MarkAppointment(b.ctx, b.desk.ID, late.ID, late.Version, data.StatusNoShow); err != nil {
		t.Fatal(err)
	}
	if got := states(b.messages(late.ID)); got != "confirmation withdrawn" {
		t.Errorf("after a no-show: %s", got)
	}
}

// claimLeaseSentFailedRetried: a claimed message is not claimed again
// while its lease runs, is claimed again when it ran out, is never
// claimed once sent, is retried at the time given after a failure, and
// given up when no retry is given.
func (ct contract) claimLeaseSentFailedRetried(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	first := b.claim(0)
	if len(first) != 1 || first[0].Message.Kind != data.MessageConfirmation || first[0].Message.Attempts != 1 ||
		first[0].Message.State != data.OutboxSending {
		t.Fatalf("first claim: %+v", first)
	}
	if again := b.claim(lease - time.Second); len(again) != 0 {
		t.Fatalf("claimed again inside the lease: %+v", again)
	}
	again := b.claim(lease)
	if len(again) != 1 || again[0].Message.ID != first[0].Message.ID || again[0].Message.Attempts != 2 {
		t.Fatalf("after the lease ran out: %+v", again)
	}
	id := again[0].Message.ID
	if err := b.st.MarkFailed(b.ctx, id, b.clock.Now(), "451 4.3.0 Mail server\ttemporarily\nbusy", b.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ms := b.messages(a.ID)
	if ms[0].State != data.OutboxQueued || ms[0].LastError != "451 4.3.0 Mail server temporarily busy" ||
		!ms[0].NextAttempt.Equal(TestNow.Add(time.Hour)) {
		t.Fatalf("after a failure: %+v", ms[0])
	}
	if items := b.claim(59 * time.Minute); len(items) != 0 {
		t.Fatalf("claimed before its retry: %+v", items)
	}
	retried := b.claim(time.Hour)
	if len(retried) != 1 || retried[0].Message.ID != id || retried[0].Message.Attempts != 3 {
		t.Fatalf("the retry: %+v", retried)
	}
	if err := b.st.MarkSent(b.ctx, id, b.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := b.st.MarkSent(b.ctx, id, b.clock.Now().Add(2*time.Hour)); err != nil {
		t.Fatalf("marking sent twice: %v", err)
	}
	// Sent is never claimed again: at the reminder's time only the reminder comes.
	reminder := b.claim(24 * time.Hour)
	if len(reminder) != 1 || reminder[0].Message.Kind != data.MessageReminder {
		t.Fatalf("at the reminder's time: %+v", reminder)
	}
	if err := b.st.MarkFailed(b.ctx, reminder[0].Message.ID, b.clock.Now(), "535 5.7.8 Authentication credentials invalid", time.Time{}); err != nil {
		t.Fatal(err)
	}
	ms = b.messages(a.ID)
	if states(ms) != "confirmation sent, reminder failed" || !ms[0].SentAt.Equal(TestNow.Add(time.Hour)) ||
		!strings.Contains(ms[1].LastError, "credentials invalid") {
		t.Errorf("at the end: %s, %+v", states(ms), ms)
	}
	if items := b.claim(30 * 24 * time.Hour); len(items) != 0 {
		t.Errorf("a sent or failed message was claimed again: %+v", items)
	}
	if err := b.st.MarkSent(b.ctx, 999, b.clock.Now()); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("marking a message that does not exist: %v", err)
	}
}

// claimedItemSaysWhatTheBookSays: an item carries the appointment,
// the client and the clinic as they are at the claim, with the clinic's
// mail settings; a reminder of an appointment that has begun, and
// messages to a client who withdrew consent, are settled, not sent.
func (ct contract) claimedItemSaysWhatTheBookSays(t *testing.T) {
	b := ct.newBook(t)
	s, err := b.st.Settings(b.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.Mail.Host, s.Mail.Port, s.Mail.Security, s.Mail.From = "mail.lumen.example", 587, data.SecurityStartTLS, "hello@lumen.example"
	s.Mail.ReminderHours, s.Mail.ReminderSubject = 48, "See you soon"
	if err := b.st.SaveSettings(b.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	a := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(3, 10, 0) }))
	ms := b.messages(a.ID)
	if len(ms) != 2 || !ms[1].SendAfter.Equal(a.Start.Add(-48*time.Hour)) {
		t.Fatalf("with reminders 48 hours ahead: %+v", ms)
	}
	items := b.claim(0)
	if len(items) != 1 {
		t.Fatalf("claimed %d", len(items))
	}
	it := items[0]
	if it.ClientName != "Zoë O'Brien" || it.TechnicianName != "Priya Raman" || it.TreatmentName != "Microneedling, face" ||
		it.RoomName != "Room 1" || it.Minutes != 60 || !it.Start.Equal(a.Start) || it.ClinicName != "Lumen Skin Studio" ||
		it.TimeZone != "Europe/London" || it.DateFormat != "02/01/2006" || it.Email.Host != "mail.lumen.example" ||
		it.Email.ReminderHours != 48 || it.Email.ReminderSubject != "See you soon" || it.Message.To != b.client.Email {
		t.Errorf("the item: %+v", it)
	}
	if !strings.HasPrefix(it.UID, fmt.Sprintf("appointment-%d-", a.ID)) || !strings.HasSuffix(it.UID, "@needledesk") {
		t.Errorf("calendar identity %q", it.UID)
	}
	// The reminder's turn comes, but the appointment has begun: too late.
	if items := b.claim(3*24*time.Hour + time.Hour); len(items) != 0 {
		t.Fatalf("a reminder after the appointment began: %+v", items)
	}
	if ms := b.messages(a.ID); ms[1].State != data.OutboxFailed || !strings.Contains(ms[1].LastError, "too late") {
		t.Errorf("the late reminder: %+v", ms[1])
	}
	// Consent withdrawn after booking: withdrawn at the claim.
	next := b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start = b.at(6, 10, 0) }))
	c, _ := b.st.Client(b.ctx, data.SystemActor, b.client.ID)
	c.EmailReminders = false
	if err := b.st.UpdateClient(b.ctx, b.desk.ID, &c); err != nil {
		t.Fatal(err)
	}
	if items := b.claim(0); len(items) != 0 {
		t.Fatalf("claimed for a client who withdrew consent: %+v", items)
	}
	if ms := b.messages(next.ID); ms[0].State != data.OutboxWithdrawn || !strings.Contains(ms[0].LastError, "no longer agrees") {
		t.Errorf("after consent was withdrawn: %+v", ms)
	}
}

// twoSendersNeverTakeTheSameMessage: two store handles on one clinic,
// as two workstations, claim at once; no message is claimed by
// both.
func (ct contract) twoSendersNeverTakeTheSameMessage(t *testing.T) {
	b := ct.newBook(t)
	for i := range 30 {
		b.booked(b.desk.ID, b.appt(func(a *data.Appointment) { a.Start, a.RoomID = b.at(2+i/8, 9+i%8, 0), 0 }))
	}
	other := b.again()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	start := make(chan struct{}) // both senders start together
	for _, st := range []data.Store{b.st, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				items, err := st.ClaimOutbox(b.ctx, b.clock.Now(), time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(items) == 0 {
					return
				}
				mu.Lock()
				for _, it := range items {
					seen[it.Message.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(seen) != 30 {
		t.Errorf("%d confirmations claimed; want 30", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d was claimed %d times", id, n)
		}
	}
}

func (ct contract) theOutboxIsTheOwners(t *testing.T) {
	b := ct.newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	before := b.snapshot()
	_, err := b.st.Outbox(b.ctx, b.desk.ID, data.OutboxFilter{})
	b.wantRefused(err, b.desk.ID, before)
	all, err := b.st.Outbox(b.ctx, b.boss.ID, data.OutboxFilter{})
	if err != nil || len(all) != 2 || all[0].Kind != data.MessageReminder {
		t.Fatalf("the outbox: %+v, %v", all, err)
	}
	b.claim(0)
	sending, err := b.st.Outbox(b.ctx, b.boss.ID, data.OutboxFilter{State: data.OutboxSending})
	if err != nil || len(sending) != 1 || sending[0].AppointmentID != a.ID {
		t.Errorf("being sent: %+v, %v", sending, err)
	}
}
