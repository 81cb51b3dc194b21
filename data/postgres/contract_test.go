package postgres_test

import (
	"sync"
	"testing"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// urls remembers which database each store opened, for a second handle.
var urls sync.Map // data.Store -> string

// TestContract runs the stores' shared behaviour tests on the throwaway
// PostgreSQL server, a new database for each.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now data.Clock) data.Store {
		url := pgtest.NewDatabase(t)
		st, err := postgres.Open(t.Context(), url, postgres.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		urls.Store(data.Store(st), url)
		return st
	}, func(t *testing.T, st data.Store, now data.Clock) data.Store {
		url, _ := urls.Load(st)
		again, err := postgres.Open(t.Context(), url.(string), postgres.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		return again
	})
}
