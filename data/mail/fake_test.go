package mail

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"needledesk/data"
)

// fakeOutbox is the outbox's three methods over memory, as the store
// promises them: a claim marks due messages sending for a lease, an
// expired lease can be claimed again, a sent message never is.
type fakeOutbox struct {
	mu     sync.Mutex
	rows   map[int64]*fakeRow
	fails  []fakeFailure // every MarkFailed, in order
	claimN int           // calls of ClaimOutbox
}

type fakeRow struct {
	item       data.OutboxItem
	leaseUntil time.Time
}

type fakeFailure struct {
	ID      int64
	At      time.Time
	Problem string
	Retry   time.Time
}

func newFakeOutbox(items ...data.OutboxItem) *fakeOutbox {
	f := &fakeOutbox{rows: map[int64]*fakeRow{}}
	for _, it := range items {
		f.add(it)
	}
	return f
}

// add queues a message, as a booking does.
func (f *fakeOutbox) add(it data.OutboxItem) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it.Message.State = data.OutboxQueued
	f.rows[it.Message.ID] = &fakeRow{item: it}
}

func (f *fakeOutbox) claims() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.claimN
}

func (f *fakeOutbox) ClaimOutbox(_ context.Context, now time.Time, lease time.Duration, limit int) ([]data.OutboxItem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.claimN++
	ids := make([]int64, 0, len(f.rows))
	for id := range f.rows {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []data.OutboxItem
	for _, id := range ids {
		if len(out) == limit {
			break
		}
		r := f.rows[id]
		m := &r.item.Message
		due := m.State == data.OutboxQueued && !now.Before(m.SendAfter) && !now.Before(m.NextAttempt)
		expired := m.State == data.OutboxSending && !now.Before(r.leaseUntil)
		if due || expired {
			m.State = data.OutboxSending
			r.leaseUntil = now.Add(lease)
			out = append(out, r.item)
		}
	}
	return out, nil
}

func (f *fakeOutbox) MarkSent(_ context.Context, id int64, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.rows[id]
	if r == nil || r.item.Message.State != data.OutboxSending {
		return fmt.Errorf("message %d is not being sent", id)
	}
	r.item.Message.State, r.item.Message.SentAt = data.OutboxSent, at
	return nil
}

func (f *fakeOutbox) MarkFailed(_ context.Context, id int64, at time.Time, problem string, retryAt time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.rows[id]
	if r == nil || r.item.Message.State != data.OutboxSending {
		return fmt.Errorf("message %d is not being sent", id)
	}
	m := &r.item.Message
	m.Attempts++
	m.LastError = problem
	m.NextAttempt = retryAt
	m.State = data.OutboxQueued
	if retryAt.IsZero() {
		m.State = data.OutboxFailed
	}
	f.fails = append(f.fails, fakeFailure{ID: id, At: at, Problem: problem, Retry: retryAt})
	return nil
}

// message is the row's message as it stands.
func (f *fakeOutbox) message(id int64) data.OutboxMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rows[id].item.Message
}

func (f *fakeOutbox) failures() []fakeFailure {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeFailure(nil), f.fails...)
}

// clock is a test clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
