package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/data/storetest"
)

// TestContract runs the stores' shared behaviour tests on a SQLite file.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now data.Clock) data.Store {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		return rawStore{st}
	}, func(t *testing.T, st data.Store, now data.Clock) data.Store {
		again, err := sqlite.Open(t.Context(), data.FilePath(st), sqlite.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		return rawStore{again}
	})
}

// rawStore is the store with the suite's look behind it
// (storetest.Raw), through the store's own write connection, which sees
// everything committed.
type rawStore struct{ *sqlite.Store }

func (s rawStore) CountRows(ctx context.Context, table string) (int, error) {
	var n int
	err := s.WriterForTest().QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

func (s rawStore) ExecRaw(ctx context.Context, statement string) error {
	_, err := s.WriterForTest().ExecContext(ctx, statement)
	return err
}

func (s rawStore) QueryText(ctx context.Context, query string) ([]string, error) {
	rows, err := s.WriterForTest().QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CheckProblems runs the file's whole check (storetest.Checker), as
// `needledesk check --db` does.
func (s rawStore) CheckProblems(ctx context.Context) ([]string, error) {
	rep, err := sqlite.CheckWith(ctx, data.FilePath(s), sqlite.CheckOptions{})
	return rep.Problems, err
}

func (s rawStore) Snapshot(ctx context.Context) (map[string][]string, error) {
	db := s.WriterForTest()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, table := range tables {
		if out[table], err = s.tableRows(ctx, table); err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
	}
	return out, nil
}

func (s rawStore) tableRows(ctx context.Context, table string) ([]string, error) {
	rows, err := s.WriterForTest().QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%q", vals))
	}
	slices.Sort(out)
	return out, rows.Err()
}
