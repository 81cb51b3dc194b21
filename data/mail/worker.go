package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"needledesk/data"
)

// Outbox is what the worker needs of the store: claim the messages that
// are due, and say how each one went.
type Outbox interface {
	// ClaimOutbox marks up to limit messages that are due at now as being
	// sent, for lease, and returns them with all that is needed to write
	// them. A claim not finished within its lease can be claimed again;
	// a sent message is never claimed again. Attempts in each item counts
	// the failed attempts before this one.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]data.OutboxItem, error)
	// MarkSent records that the server accepted the message at at.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed records a failed attempt and the server's words: queued
	// again for retryAt, or given up when retryAt is zero.
	MarkFailed(ctx context.Context, id int64, at time.Time, problem string, retryAt time.Time) error
}

// DefaultBackoff is how long the worker waits after each failed attempt:
// a minute after the first, then 5 and 15 minutes, an hour, 3 hours and 6
// hours; after the last it gives up.
var DefaultBackoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour}

// OfflineRetry is the longest wait between attempts while the mail server
// cannot be reached (or e-mail is not set up): such a message is not given
// up, only tried again, until its appointment begins.
const OfflineRetry = 5 * time.Minute

// Worker sends the outbox's messages in the background: it wakes when
// poked (after a booking) and on a ticker, claims the messages that are
// due, sends each and records the outcome. A message is marked sent as
// soon as the server has accepted it, and is only sent while its claim
// (a lease) holds, so two workers, or two computers, never send it twice.
type Worker struct {
	Store  Outbox
	Sender *Sender
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Every is how often the worker looks for due messages unpoked.
	Every time.Duration
	// Lease is how long a claim holds. It must be longer than sending a
	// batch can take: a message is not started when fewer than two
	// timeouts of the lease are left.
	Lease time.Duration
	// Batch is how many messages one claim takes.
	Batch int
	// Backoff is the wait after each failed attempt; its length is the
	// number of retries before giving up.
	Backoff []time.Duration
	// Report is told of failures that are not one message's own (the
	// store could not be read or written); nil ignores them.
	Report func(error)

	poke chan struct{}
}

// NewWorker is a worker with the usual timings: every 30 seconds, claims
// of 20 messages held for 30 minutes, DefaultBackoff.
func NewWorker(store Outbox, sender *Sender) *Worker {
	return &Worker{Store: store, Sender: sender, Every: 30 * time.Second, Lease: 30 * time.Minute, Batch: 20,
		Backoff: DefaultBackoff, poke: make(chan struct{}, 1)}
}

// Poke wakes the worker to look for due messages now, as after a booking.
// It never blocks.
func (w *Worker) Poke() {
	select {
	case w.poke <- struct{}{}:
	default:
	}
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Run sends due messages until ctx ends, looking for them when poked and
// every w.Every. It returns ctx's error.
func (w *Worker) Run(ctx context.Context) error {
	if w.poke == nil {
		w.poke = make(chan struct{}, 1)
	}
	every := w.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		w.Drain(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.poke:
		case <-tick.C:
		}
	}
}

// Drain sends batches until a claim finds fewer due messages than a full
// batch, and says how many messages it claimed.
func (w *Worker) Drain(ctx context.Context) int {
	total := 0
	for ctx.Err() == nil {
		n, err := w.Once(ctx)
		total += n
		if err != nil {
			w.report(err)
			return total
		}
		if n < w.batch() {
			return total
		}
	}
	return total
}

func (w *Worker) batch() int {
	if w.Batch <= 0 {
		return 20
	}
	return w.Batch
}

func (w *Worker) report(err error) {
	if w.Report != nil && err != nil && !errors.Is(err, context.Canceled) {
		w.Report(err)
	}
}

// Once claims one batch of due messages, sends them and records each
// outcome. It returns how many it claimed, and an error only when the
// store could not be used.
func (w *Worker) Once(ctx context.Context) (int, error) {
	claimed := w.now()
	items, err := w.Store.ClaimOutbox(ctx, claimed, w.lease(), w.batch())
	if err != nil {
		return 0, fmt.Errorf("claiming messages to send: %w", err)
	}
	r := run{w: w, ctx: ctx, until: claimed.Add(w.lease() - 2*w.Sender.timeout())}
	defer r.close()
	for _, item := range items {
		if err := r.one(item); err != nil {
			return len(items), err
		}
	}
	return len(items), nil
}

func (w *Worker) lease() time.Duration {
	if w.Lease <= 0 {
		return 30 * time.Minute
	}
	return w.Lease
}

// run is one batch: the connection it has open, and until when its claim
// leaves time to start a message.
type run struct {
	w        *Worker
	ctx      context.Context
	until    time.Time
	conn     *Conn
	settings data.EmailSettings
	offline  error // the failure to connect with settings, met in this batch
}

func (r *run) close() {
	if r.conn != nil {
		_ = r.conn.Close()
		r.conn = nil
	}
}

// one sends one claimed message and records the outcome. A message left
// unsent because the claim is running out, or because the worker is
// stopping, is left to its lease: it is claimed again later.
func (r *run) one(item data.OutboxItem) error {
	if r.ctx.Err() != nil || !r.w.now().Before(r.until) {
		return nil
	}
	// The server first: a clinic without one (e-mail not set up) has no
	// from address either, and its messages wait for one, saying so,
	// rather than fail on what they cannot yet be written with.
	conn, err := r.connect(item.Email)
	if err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return r.failed(item, err)
	}
	m, err := ComposeAt(item, r.w.now())
	if err != nil {
		return r.failed(item, &Error{Kind: Other, Err: err, Words: "The message could not be written: " + err.Error()})
	}
	err = conn.Send(m)
	if err == nil {
		return r.sent(item)
	}
	if !conn.Usable() {
		r.close()
	}
	return r.failed(item, err)
}

// connect is the batch's connection for settings, opened when there is
// none that can be used. A batch that could not connect does not try
// again for its other messages.
func (r *run) connect(settings data.EmailSettings) (*Conn, error) {
	if r.settings != settings {
		r.close()
		r.settings, r.offline = settings, nil
	}
	if r.offline != nil {
		return nil, r.offline
	}
	if r.conn != nil && r.conn.Usable() {
		return r.conn, nil
	}
	r.close()
	conn, err := r.w.Sender.Open(r.ctx, settings)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && (e.Kind == Offline || e.Kind == NotSetUp) {
			r.offline = err
		}
		return nil, err
	}
	r.conn = conn
	return conn, nil
}

// sent records that the server accepted the message. It is tried again
// once at once, because a message not marked sent would be sent again
// when its lease runs out.
func (r *run) sent(item data.OutboxItem) error {
	ctx := context.WithoutCancel(r.ctx)
	at := r.w.now()
	err := r.w.Store.MarkSent(ctx, item.Message.ID, at)
	if err != nil {
		err = r.w.Store.MarkSent(ctx, item.Message.ID, at)
	}
	if err != nil {
		return fmt.Errorf("recording message %d as sent: %w", item.Message.ID, err)
	}
	return nil
}

// failed records a failed attempt with its retry time, or gives up.
func (r *run) failed(item data.OutboxItem, sendErr error) error {
	now := r.w.now()
	retry := r.w.retryAt(item, sendErr, now)
	problem := sendErr.Error()
	if retry.IsZero() {
		problem = giveUpWords(item, now) + problem
	}
	if err := r.w.Store.MarkFailed(context.WithoutCancel(r.ctx), item.Message.ID, now, problem, retry); err != nil {
		return fmt.Errorf("recording that message %d failed: %w", item.Message.ID, err)
	}
	return nil
}

// retryAt is when to try a message again after sendErr, or zero to give
// up. A message about an appointment that has begun is given up; one that
// could not reach the server (or had no server to reach) is tried again
// at least every OfflineRetry; any other failure waits out w.Backoff and
// is given up after its last step, but never before the whole backoff has
// passed since the message was due, so failures while offline do not use
// up its retries.
func (w *Worker) retryAt(item data.OutboxItem, sendErr error, now time.Time) time.Time {
	if !item.Start.IsZero() && !now.Before(item.Start) {
		return time.Time{}
	}
	backoff := w.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	n := item.Message.Attempts
	step := OfflineRetry
	if n < len(backoff) {
		step = backoff[n]
	} else if len(backoff) > 0 {
		step = backoff[len(backoff)-1]
	}
	var e *Error
	if errors.As(sendErr, &e) && (e.Kind == Offline || e.Kind == NotSetUp) {
		return now.Add(min(step, OfflineRetry))
	}
	if n+1 > len(backoff) && !now.Before(due(item).Add(total(backoff))) {
		return time.Time{}
	}
	return now.Add(step)
}

// due is when the message first became due.
func due(item data.OutboxItem) time.Time {
	if item.Message.SendAfter.After(item.Message.Created) {
		return item.Message.SendAfter
	}
	return item.Message.Created
}

func total(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// giveUpWords begin the problem recorded when a message is given up.
func giveUpWords(item data.OutboxItem, now time.Time) string {
	if !item.Start.IsZero() && !now.Before(item.Start) {
		return "Not sent: the appointment has begun. "
	}
	return fmt.Sprintf("Not sent after %d attempts. ", item.Message.Attempts+1)
}
