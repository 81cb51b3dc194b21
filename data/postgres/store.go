// Package postgres is NeedleDesk's store on a PostgreSQL server, for
// clinics with several workstations sharing one database. It implements
// data.Store with the same role checks as data/sqlite, and writes each
// change's audit row in the change's own transaction.
//
// It keeps staff and accounts, settings, clients with their search,
// sessions with their amendments, products, kept aftercare sheets, the
// first start, imports and the reads exports make, the appointment book
// with its set-up, courses and outbox, and the audit trail with its hash
// chain; it tells each workstation what the others change
// (WatchChanges).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
	"needledesk/data/internal/clientlist"
)

// Store is the PostgreSQL implementation of data.Store.
type Store struct {
	pool  *pgxpool.Pool
	clock data.Clock
	// own: the server's process IDs of the pool's connections, so that
	// WatchChanges leaves out the changes this program made itself.
	own sync.Map // uint32 -> struct{}
	// bookNames: the staff, room and treatment names the day view shows
	// (book_names.go).
	bookNames bookrow.NameCopy
	// clientList is the client list in name order with its search
	// columns, kept in memory for search (client_list.go).
	clientList clientlist.Cache
}

var _ data.Store = (*Store)(nil)

// Option changes how Open sets up the store.
type Option func(*Store)

// WithClock makes the store read the time from c instead of time.Now.
func WithClock(c data.Clock) Option {
	return func(s *Store) {
		if c != nil {
			s.clock = c
		}
	}
}

// Open connects to the database url names (a postgres:// URL; the
// password, when the server asks for one, comes from ~/.pgpass or
// PGPASSFILE as libpq's would) and brings its schema up to date. A
// database written by a newer NeedleDesk is refused with an error
// matching ErrNewerSchema.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	s := &Store{clock: time.Now}
	for _, o := range opts {
		o(s)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("reading the database address: %w", errors.Join(data.ErrInvalid, errors.New(redactedParseError(err))))
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		s.own.Store(c.PgConn().PID(), struct{}{})
		return nil
	}
	cfg.BeforeClose = func(c *pgx.Conn) { s.own.Delete(c.PgConn().PID()) }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, describeConnectError(cfg, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, describeConnectError(cfg, err)
	}
	s.pool = pool
	if err := migrate(ctx, pool, s.now()); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close lets go of the connections, once the client list being read, if
// any, is in.
func (s *Store) Close() error {
	s.clientList.Close()
	s.pool.Close()
	return nil
}

// now is the store's clock in UTC, the zone every stored instant uses.
func (s *Store) now() time.Time { return s.clock().UTC() }

// today is the clinic's calendar date.
func (s *Store) today() data.Date { return data.DateOf(s.clock().Local()) }

// queryer is what helpers need; a pgx.Tx and the pool both have it.
type queryer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// write runs fn in a transaction and commits it only when fn succeeds.
func (s *Store) write(ctx context.Context, fn func(tx pgx.Tx, now time.Time) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return describeServerError(fmt.Errorf("starting a change: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx, s.now()); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return describeServerError(fmt.Errorf("saving the change: %w", err))
	}
	return nil
}

// read runs fn in a read-only transaction that sees one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return describeServerError(fmt.Errorf("starting a read: %w", err))
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// notFound wraps data.ErrNotFound with the record it is about.
func notFound(entity data.Entity, id int64) error {
	return fmt.Errorf("%s %d: %w", entity, id, data.ErrNotFound)
}

// rowExists runs a query that returns a row when something exists.
func rowExists(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// The codec: the same text as data/sqlite stores (codec.go there).

const timeLayout = "2006-01-02T15:04:05.000000000Z"

func timeText(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(ns sql.NullString) (time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, ns.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is damaged: %w", ns.String, err)
	}
	return t.UTC(), nil
}

func nullDate(d data.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func parseDate(ns sql.NullString) (data.Date, error) {
	if !ns.Valid || ns.String == "" {
		return data.Date{}, nil
	}
	d, err := data.ParseDate(ns.String)
	if err != nil {
		return data.Date{}, fmt.Errorf("stored date %q is damaged: %w", ns.String, err)
	}
	return d, nil
}
