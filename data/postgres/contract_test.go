package postgres_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv("NEEDLEDESK_PG_URL") != "" { // this binary run again as a workstation (workstations_test.go)
		os.Exit(workstationMain())
	}
	pgtest.Main(m)
}

// TestContract runs the stores' shared behaviour tests on the throwaway
// PostgreSQL server, a new database for each.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now data.Clock) data.Store {
		return openRaw(t, pgtest.NewDatabase(t), now)
	}, func(t *testing.T, st data.Store, now data.Clock) data.Store {
		return openRaw(t, st.(*rawStore).url, now)
	})
}

// rawStore is the store with the suite's look behind it
// (storetest.Raw): a connection of its own to the same database.
type rawStore struct {
	*postgres.Store
	url string
	raw *pgxpool.Pool
}

func openRaw(t *testing.T, url string, now data.Clock) *rawStore {
	t.Helper()
	st, err := postgres.Open(t.Context(), url, postgres.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	return &rawStore{Store: st, url: url, raw: raw}
}

func (s *rawStore) Close() error {
	s.raw.Close()
	return s.Store.Close()
}

func (s *rawStore) CountRows(ctx context.Context, table string) (int, error) {
	var n int
	err := s.raw.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, err
}

func (s *rawStore) ExecRaw(ctx context.Context, statement string) error {
	_, err := s.raw.Exec(ctx, statement)
	return err
}

func (s *rawStore) QueryText(ctx context.Context, query string) ([]string, error) {
	rows, err := s.raw.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// CheckProblems runs the server's check (storetest.Checker), as
// `needledesk check --db postgres://...` does.
func (s *rawStore) CheckProblems(ctx context.Context) ([]string, error) {
	rep, err := postgres.Check(ctx, s.url)
	return rep.Problems, err
}

func (s *rawStore) Snapshot(ctx context.Context) (map[string][]string, error) {
	rows, err := s.raw.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, table := range tables {
		name := pgx.Identifier{table}.Sanitize()
		rows, err := s.raw.Query(ctx, `SELECT t::text FROM `+name+` t ORDER BY 1`)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
		if out[table], err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
	}
	return out, nil
}
