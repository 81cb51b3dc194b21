package postgres_test

import (
	"testing"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// urls remembers which database each store opened, for a second handle.
var urls = map[data.Store]string{}

// TestContract runs the stores' shared behaviour tests on the throwaway
// PostgreSQL server, a new database for each.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) data.Store {
		url := pgtest.NewDatabase(t)
		st, err := postgres.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		urls[st] = url
		return st
	}, func(t *testing.T, st data.Store) data.Store {
		again, err := postgres.Open(t.Context(), urls[st])
		if err != nil {
			t.Fatal(err)
		}
		return again
	})
}
