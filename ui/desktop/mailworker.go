package desktop

import (
	"context"
	"fmt"
	"io"
	"sync"

	"needledesk/data/mail"
)

// mailWorker sends the outbox's messages (booking confirmations and
// reminders) while the clinic's store is open: data/mail's Worker looks
// for due messages every 30 seconds and at once when poked after a
// booking. It stops, and is waited for, before the store closes.
type mailWorker struct {
	w      *mail.Worker
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// startMailWorker starts sending st's messages through sender. Failures
// that are not one message's own (the store could not be read) go to
// stderr; a message's own failure is kept with it, for the Outbox screen.
func startMailWorker(ctx context.Context, st mail.Outbox, sender *mail.Sender, stderr io.Writer) *mailWorker {
	ctx, cancel := context.WithCancel(ctx)
	m := &mailWorker{w: mail.NewWorker(st, sender), cancel: cancel, done: make(chan struct{})}
	m.w.Report = func(err error) { fmt.Fprintf(stderr, "needledesk: sending e-mail: %v\n", err) }
	go func() {
		defer close(m.done)
		_ = m.w.Run(ctx)
	}()
	return m
}

// poke has the worker look for due messages now, as after a booking. It
// never blocks.
func (m *mailWorker) poke() { m.w.Poke() }

// stop ends the worker and waits until it has let go of the store; a
// message it was sending is left to its claim, and sent again later only
// if the server had not accepted it.
func (m *mailWorker) stop() {
	m.once.Do(func() {
		m.cancel()
		<-m.done
	})
}
