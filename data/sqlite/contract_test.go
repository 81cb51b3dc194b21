package sqlite_test

import (
	"path/filepath"
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
		return st
	}, func(t *testing.T, st data.Store, now data.Clock) data.Store {
		again, err := sqlite.Open(t.Context(), data.FilePath(st), sqlite.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		return again
	})
}
