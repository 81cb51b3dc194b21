package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

var _ data.ChangeWatcher = (*Store)(nil)

// changesChannel is the channel the audit trail's trigger notifies on
// (migration 0007).
const changesChannel = "needledesk_changes"

// reconnectAfter is the longest wait between tries to listen again after
// the connection was lost.
const reconnectAfter = 5 * time.Second

// WatchChanges listens, on a connection of its own, for the changes other
// workstations commit (the audit trail's trigger notifies them at commit)
// and reports them, leaving out this store's own. It returns once it
// listens, so nothing committed after it returns is missed. A lost
// connection is opened again (waiting up to reconnectAfter between
// tries), and a Change with no Entity then says that changes may have
// been missed.
func (s *Store) WatchChanges(ctx context.Context) (<-chan data.Change, error) {
	conn, err := s.listen(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan data.Change, 64)
	go func() {
		defer close(out)
		for {
			err := s.relay(ctx, conn, out)
			_ = conn.Close(context.WithoutCancel(ctx))
			if ctx.Err() != nil {
				return
			}
			_ = err // the connection was lost: listen again
			if conn = s.listenAgain(ctx); conn == nil {
				return
			}
			select {
			case out <- data.Change{}: // what happened meanwhile was not heard
			case <-ctx.Done():
				_ = conn.Close(context.WithoutCancel(ctx))
				return
			}
		}
	}()
	return out, nil
}

// listen opens a connection of its own (not the pool's: it stays in
// LISTEN for as long as the watch lasts) and listens on it.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, describeServerError(fmt.Errorf("listening for other workstations' changes: %w", err))
	}
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, describeServerError(fmt.Errorf("listening for other workstations' changes: %w", err))
	}
	return conn, nil
}

// listenAgain tries to listen until it does or ctx ends (nil then).
func (s *Store) listenAgain(ctx context.Context) *pgx.Conn {
	wait := 250 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		if conn, err := s.listen(ctx); err == nil {
			return conn
		}
		wait = min(2*wait, reconnectAfter)
	}
}

// relay passes on each notification until the connection fails or ctx
// ends.
func (s *Store) relay(ctx context.Context, conn *pgx.Conn, out chan<- data.Change) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if _, mine := s.own.Load(n.PID); mine {
			continue
		}
		c, ok := parseChange(n.Payload)
		if !ok {
			continue // not ours to read (a newer NeedleDesk's): nothing to follow
		}
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// parseChange reads the trigger's payload: "action entity entity_id
// client_id actor_id".
func parseChange(payload string) (data.Change, bool) {
	f := strings.Fields(payload)
	if len(f) != 5 {
		return data.Change{}, false
	}
	var n [3]int64
	for i := range n {
		v, err := strconv.ParseInt(f[2+i], 10, 64)
		if err != nil {
			return data.Change{}, false
		}
		n[i] = v
	}
	return data.Change{Action: data.Action(f[0]), Entity: data.Entity(f[1]), EntityID: n[0], ClientID: n[1], ActorID: n[2]}, true
}

// TerminateListenersForTest cuts every connection listening for changes
// on this database, as a server restart would (tests: the watch listens
// again by itself). It needs a role allowed to end others' backends.
func (s *Store) TerminateListenersForTest(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = 'LISTEN `+changesChannel+`'`).Scan(&n)
	return n, err
}
