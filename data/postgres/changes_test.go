package postgres_test

import (
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
)

// waitLimit only keeps a broken test from hanging; nothing is timed.
const waitLimit = 10 * time.Second

func openStore(t *testing.T, url string) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func nextChange(t *testing.T, heard <-chan data.Change, what string) data.Change {
	t.Helper()
	select {
	case c, ok := <-heard:
		if !ok {
			t.Fatalf("the watch ended while waiting for %s", what)
		}
		return c
	case <-time.After(waitLimit):
		t.Fatalf("never heard %s", what)
	}
	return data.Change{}
}

// TestOtherWorkstationsChangesAreHeard: a workstation hears the clients
// another registers and edits, as they commit, and not its own changes
// nor anyone's reads; after its connection is cut it listens again by
// itself and says that it may have missed some.
func TestOtherWorkstationsChangesAreHeard(t *testing.T) {
	url := pgtest.NewDatabase(t)
	front, room := openStore(t, url), openStore(t, url)
	ctx := t.Context()
	heard, err := room.WatchChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine := data.Client{GivenName: "Ola", FamilyName: "Nordmann", DateOfBirth: data.NewDate(1985, time.May, 2), Phone: "+47 22 00 00 00"}
	if err := room.CreateClient(ctx, data.SystemActor, &mine); err != nil {
		t.Fatal(err)
	}
	zoe := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, time.March, 14), Phone: "+44 20 7946 0958"}
	if err := front.CreateClient(ctx, data.SystemActor, &zoe); err != nil {
		t.Fatal(err)
	}
	got := nextChange(t, heard, "the front desk's new client")
	want := data.Change{Action: data.ActionCreate, Entity: data.EntityClient, EntityID: zoe.ID, ClientID: zoe.ID, ActorID: data.SystemActor}
	if got != want {
		t.Fatalf("heard %+v; want %+v (and nothing of the room's own client %d)", got, want, mine.ID)
	}
	if _, err := front.Client(ctx, data.SystemActor, zoe.ID); err != nil { // a read, in the trail: not a change
		t.Fatal(err)
	}
	zoe.Phone = "020 7946 0000"
	if err := front.UpdateClient(ctx, data.SystemActor, &zoe); err != nil {
		t.Fatal(err)
	}
	if got := nextChange(t, heard, "the edit"); got.Action != data.ActionUpdate || got.EntityID != zoe.ID {
		t.Fatalf("heard %+v; want the update of client %d (no read before it)", got, zoe.ID)
	}

	// The room's connection is cut (a server restart, a network drop).
	if _, err := front.TerminateListenersForTest(ctx); err != nil {
		t.Fatal(err)
	}
	if got := nextChange(t, heard, "the note that changes may have been missed"); got != (data.Change{}) {
		t.Fatalf("after the connection was cut, heard %+v; want the empty change (read everything again)", got)
	}
	ben := data.Client{GivenName: "Ben", FamilyName: "Okafor", DateOfBirth: data.NewDate(1979, time.July, 9), Phone: "+44 20 7946 0111"}
	if err := front.CreateClient(ctx, data.SystemActor, &ben); err != nil {
		t.Fatal(err)
	}
	if got := nextChange(t, heard, "a client registered after the reconnection"); got.EntityID != ben.ID || got.Entity != data.EntityClient {
		t.Fatalf("heard %+v; want client %d", got, ben.ID)
	}
}
