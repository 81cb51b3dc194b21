package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/data/storetest"
)

// TestContract runs the stores' shared behaviour tests on a SQLite file.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) data.Store {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(storetest.ClockFor(t)))
		if err != nil {
			t.Fatal(err)
		}
		return rawStore{st}
	}, func(t *testing.T, st data.Store) data.Store {
		again, err := sqlite.Open(t.Context(), data.FilePath(st), sqlite.WithClock(storetest.ClockFor(t)))
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
