package mail

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"needledesk/data"
)

// testWorker is a worker on a fake outbox with a hand-moved clock.
func testWorker(ts *testServer, box *fakeOutbox, c *clock) *Worker {
	w := NewWorker(box, ts.sender())
	w.Now = c.Now
	return w
}

// itemsFor are n reminders due at queued, to distinct clients.
func itemsFor(n int, email data.EmailSettings) []data.OutboxItem {
	items := make([]data.OutboxItem, n)
	for i := range items {
		items[i] = testItem(int64(i+1), email)
		items[i].Message.To = "client" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.org"
	}
	return items
}

// messageIDs counts the Message-IDs the server received.
func messageIDs(t *testing.T, ts *testServer) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for _, r := range ts.messages() {
		h, _ := parseHeaderAndText(t, r.Data)
		ids[h.Get("Message-Id")]++
	}
	return ids
}

func TestWorkerSendsAndMarksSent(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	box := newFakeOutbox(itemsFor(3, ts.settings(data.SecurityNone))...)
	c := &clock{t: queued}
	w := testWorker(ts, box, c)
	if n, err := w.Once(context.Background()); n != 3 || err != nil {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	for id := int64(1); id <= 3; id++ {
		if m := box.message(id); m.State != data.OutboxSent || !m.SentAt.Equal(queued) || m.Attempts != 0 {
			t.Errorf("message %d: %+v", id, m)
		}
	}
	if ids := messageIDs(t, ts); len(ids) != 3 {
		t.Errorf("received %v", ids)
	}
	ts.mu.Lock()
	sessions := ts.sessions
	ts.mu.Unlock()
	if sessions != 1 {
		t.Errorf("%d connections for one batch", sessions)
	}
	if n, _ := w.Once(context.Background()); n != 0 || len(ts.messages()) != 3 {
		t.Errorf("a second pass claimed %d, the server has %d", n, len(ts.messages()))
	}
}

// While the server cannot be reached the message stays queued with the
// reason, and goes once it can.
func TestWorkerRetriesAfterRefusedConnection(t *testing.T) {
	port := freePort(t)
	email := data.DefaultEmailSettings()
	email.Host, email.Port, email.Security, email.From = "127.0.0.1", port, data.SecurityNone, "desk@lumenskin.example"
	box := newFakeOutbox(testItem(1, email), testItem(2, email))
	c := &clock{t: queued}
	w := NewWorker(box, &Sender{Timeout: 5 * time.Second})
	w.Now = c.Now
	if n, err := w.Once(context.Background()); n != 2 || err != nil {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	for id := int64(1); id <= 2; id++ {
		m := box.message(id)
		if m.State != data.OutboxQueued || m.Attempts != 1 || !m.NextAttempt.Equal(queued.Add(time.Minute)) ||
			!strings.Contains(m.LastError, "nothing is listening on that port") {
			t.Errorf("message %d after a refused connection: %+v", id, m)
		}
	}

	ts := startServer(t, plainServer, port)
	if n, _ := w.Once(context.Background()); n != 0 {
		t.Errorf("%d claimed before their retry time", n)
	}
	c.Add(time.Minute)
	if n, err := w.Once(context.Background()); n != 2 || err != nil {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	for id := int64(1); id <= 2; id++ {
		if m := box.message(id); m.State != data.OutboxSent {
			t.Errorf("message %d: %+v", id, m)
		}
	}
	if ids := messageIDs(t, ts); len(ids) != 2 || ids["<"+messageID(testItem(1, email))+">"] != 1 {
		t.Errorf("received %v", ids)
	}
}

// A connection lost in the middle of the message: the server never
// accepted it, so it is tried again, and arrives once, whole.
func TestWorkerRetriesAfterDroppedConnectionMidData(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	ts.dropData = 1
	item := testItem(1, ts.settings(data.SecurityNone))
	box := newFakeOutbox(item)
	c := &clock{t: queued}
	w := testWorker(ts, box, c)
	if _, err := w.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := box.message(1)
	if m.State != data.OutboxQueued || m.Attempts != 1 || !strings.Contains(m.LastError, "was lost before it accepted the message") {
		t.Fatalf("after the drop: %+v", m)
	}
	if n := len(ts.messages()); n != 0 {
		t.Fatalf("the server kept %d messages from the dropped connection", n)
	}
	c.Set(m.NextAttempt)
	if _, err := w.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := box.message(1); m.State != data.OutboxSent {
		t.Fatalf("after the retry: %+v", m)
	}
	got := ts.messages()
	if len(got) != 1 {
		t.Fatalf("received %d", len(got))
	}
	p := parseMail(t, got[0].Data)
	if p.Header.Get("Message-Id") != "<"+messageID(item)+">" || !strings.Contains(p.Body, "Dear Zoë O'Brien") {
		t.Errorf("received %s", got[0].Data)
	}
	checkCalendar(t, p.ICS, item)
}

// A message the server keeps refusing is tried after 1, 5 and 15 minutes,
// an hour, 3 and 6 hours, then given up with the server's words.
func TestWorkerBacksOffThenGivesUp(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	ts.refuseRcpt = refusedMailbox
	box := newFakeOutbox(testItem(1, ts.settings(data.SecurityNone)))
	c := &clock{t: queued}
	w := testWorker(ts, box, c)
	for i := 0; i < 20 && box.message(1).State != data.OutboxFailed; i++ {
		if n, err := w.Once(context.Background()); n != 1 || err != nil {
			t.Fatalf("pass %d claimed %d (%v)", i, n, err)
		}
		if m := box.message(1); m.State == data.OutboxQueued {
			c.Set(m.NextAttempt)
		}
	}
	fails := box.failures()
	var waits []time.Duration
	for _, f := range fails {
		if !f.Retry.IsZero() {
			waits = append(waits, f.Retry.Sub(f.At))
		}
	}
	want := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour}
	if len(fails) != 7 || len(waits) != 6 || !equalDurations(waits, want) {
		t.Fatalf("%d failures, waits %v; want 7 and %v", len(fails), waits, want)
	}
	m := box.message(1)
	if m.State != data.OutboxFailed || !strings.HasPrefix(m.LastError, "Not sent after 7 attempts.") ||
		!strings.Contains(m.LastError, "550 5.1.1 No such mailbox here") {
		t.Errorf("given up as %+v", m)
	}
	if n, _ := w.Once(context.Background()); n != 0 || len(ts.messages()) != 0 {
		t.Errorf("a given-up message was claimed or sent")
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Offline, a message is never given up while its appointment is ahead,
// however many attempts failed; once the appointment has begun it is.
func TestOfflineKeepsTheMessageUntilTheAppointment(t *testing.T) {
	w := NewWorker(nil, nil)
	item := testItem(1, data.EmailSettings{})
	item.Message.Attempts = 500
	offline := &Error{Kind: Offline, Words: "offline"}
	now := item.Start.Add(-time.Hour)
	if got := w.retryAt(item, offline, now); !got.Equal(now.Add(OfflineRetry)) {
		t.Errorf("offline after 500 attempts: retry at %v; want %v", got, now.Add(OfflineRetry))
	}
	if got := w.retryAt(item, &Error{Kind: NotSetUp}, now); got.IsZero() {
		t.Error("a message waiting for the e-mail set-up was given up")
	}
	// Many offline attempts do not use up the retries of the first real
	// failure: it is only given up once the whole backoff has passed.
	dropped := &Error{Kind: Dropped, Words: "dropped"}
	early := due(item).Add(time.Hour)
	if got := w.retryAt(item, dropped, early); got.IsZero() {
		t.Error("a drop after many offline attempts was given up at once")
	}
	if got := w.retryAt(item, offline, item.Start); !got.IsZero() {
		t.Errorf("offline at the appointment's start: retry at %v; want given up", got)
	}
}

func TestWorkerGivesUpWhenTheAppointmentHasBegun(t *testing.T) {
	port := freePort(t)
	email := data.DefaultEmailSettings()
	email.Host, email.Port, email.Security, email.From = "127.0.0.1", port, data.SecurityNone, "desk@lumenskin.example"
	item := testItem(1, email)
	box := newFakeOutbox(item)
	c := &clock{t: item.Start.Add(time.Minute)}
	w := NewWorker(box, &Sender{Timeout: 5 * time.Second})
	w.Now = c.Now
	if _, err := w.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := box.message(1); m.State != data.OutboxFailed || !strings.HasPrefix(m.LastError, "Not sent: the appointment has begun.") {
		t.Errorf("%+v", m)
	}
}

// Two workers (as on two computers) emptying one outbox send every
// message exactly once.
func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	const n = 60
	box := newFakeOutbox(itemsFor(n, ts.settings(data.SecurityNone))...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for range 2 {
		w := NewWorker(box, ts.sender())
		w.Batch, w.Every = 4, 10*time.Millisecond
		w.Report = func(err error) { t.Error(err) }
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = w.Run(ctx)
		}()
	}
	waitFor(t, func() bool { return len(ts.messages()) >= n })
	cancel()
	wg.Wait()
	ids := messageIDs(t, ts)
	if len(ids) != n || len(ts.messages()) != n {
		t.Errorf("%d distinct of %d received; want %d once each", len(ids), len(ts.messages()), n)
	}
	for id, count := range ids {
		if count != 1 {
			t.Errorf("%s received %d times", id, count)
		}
	}
	for id := int64(1); id <= n; id++ {
		if m := box.message(id); m.State != data.OutboxSent {
			t.Errorf("message %d: %s", id, m.State)
		}
	}
}

// A claim running out is not used: a message is not started once too
// little of the lease is left, and the next claim sends it, once.
func TestClaimThatRunsOutIsNotUsed(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	box := newFakeOutbox(itemsFor(3, ts.settings(data.SecurityNone))...)
	c := &clock{t: queued}
	// Each message takes the server 20 minutes, on the test's clock.
	ts.onDelivered = func(received) { c.Add(20 * time.Minute) }
	a := testWorker(ts, box, c)
	a.Lease, a.Sender.Timeout = 30*time.Minute, time.Second
	if n, err := a.Once(context.Background()); n != 3 || err != nil {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	if got := len(ts.messages()); got != 2 {
		t.Fatalf("%d sent in a 30-minute claim of messages taking 20; want 2", got)
	}
	if m := box.message(3); m.State != data.OutboxSending || m.Attempts != 0 {
		t.Fatalf("the message left over: %+v", m)
	}
	b := testWorker(ts, box, c)
	if n, err := b.Once(context.Background()); n != 1 || err != nil {
		t.Fatalf("the second worker claimed %d (%v)", n, err)
	}
	ids := messageIDs(t, ts)
	if len(ids) != 3 || len(ts.messages()) != 3 {
		t.Errorf("received %v", ids)
	}
}

// Poke wakes a worker that would otherwise sleep for an hour.
func TestPokeWakesTheWorker(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	box := newFakeOutbox()
	w := NewWorker(box, ts.sender())
	w.Every = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, func() bool { return box.claims() > 0 }) // the first look, at start
	box.add(testItem(1, ts.settings(data.SecurityNone)))
	w.Poke()
	waitFor(t, func() bool { return box.message(1).State == data.OutboxSent })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	if len(ts.messages()) != 1 {
		t.Errorf("received %d", len(ts.messages()))
	}
}

// waitFor polls cond until it holds, failing the test after a long while.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A clinic that has not set e-mail up has no server and no from address:
// its messages wait, saying e-mail is not set up, not that the from
// address cannot be used (as they did when the message was written
// before the server was asked for).
func TestNotSetUpSaysSo(t *testing.T) {
	email := data.DefaultEmailSettings() // no server, no from address
	box := newFakeOutbox(testItem(1, email))
	c := &clock{t: queued}
	w := NewWorker(box, &Sender{Timeout: 5 * time.Second})
	w.Now = c.Now
	if n, err := w.Once(context.Background()); n != 1 || err != nil {
		t.Fatalf("claimed %d (%v)", n, err)
	}
	m := box.message(1)
	if m.State != data.OutboxQueued || !strings.Contains(m.LastError, "not set up") || strings.Contains(m.LastError, "from address") {
		t.Errorf("a message in a clinic without e-mail: %+v", m)
	}
}
