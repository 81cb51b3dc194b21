package ui

import (
	"context"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/uitest"
)

// heardStore is the test clinic's store as a shared store would be: what
// the test sends on changes is what "another workstation" committed.
type heardStore struct {
	data.Store
	changes chan data.Change
}

// WatchChanges passes on what the test sends until ctx ends, and then
// closes, as the server's watch does.
func (h heardStore) WatchChanges(ctx context.Context) (<-chan data.Change, error) {
	out := make(chan data.Change)
	go func() {
		defer close(out)
		for {
			select {
			case c := <-h.changes:
				select {
				case out <- c:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// TestAnotherWorkstationsClientShowsUp: a client registered on another
// workstation joins this window's client list once the store says so,
// and a missed-changes note refreshes the lists too.
func TestAnotherWorkstationsClientShowsUp(t *testing.T) {
	e := newStoreEnv(t)
	e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindow(t, e)
	e.q.WaitFor(t, "the client list", func() bool { return uitest.Shows(m.clients.Content, "Zoë Adams") })
	changes := make(chan data.Change, 4)
	stop := followOthers(t.Context(), heardStore{e.st, changes}, m, e.q.Do)
	defer stop()

	front, err := sqlite.Open(t.Context(), e.st.Path(), sqlite.WithClock(uitest.Clock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = front.Close() }()
	ben := data.Client{GivenName: "Ben", FamilyName: "Okafor", DateOfBirth: data.NewDate(1979, 7, 9), Phone: "+44 20 7946 0111"}
	if err := front.CreateClient(t.Context(), data.SystemActor, &ben); err != nil {
		t.Fatal(err)
	}
	changes <- data.Change{Action: data.ActionCreate, Entity: data.EntityClient, EntityID: ben.ID, ClientID: ben.ID}
	e.q.WaitFor(t, "the other workstation's client in the list", func() bool { return uitest.Shows(m.clients.Content, "Ben Okafor") })

	cat := data.Client{GivenName: "Cat", FamilyName: "Lund", DateOfBirth: data.NewDate(1991, 2, 3), Phone: "+44 20 7946 0112"}
	if err := front.CreateClient(t.Context(), data.SystemActor, &cat); err != nil {
		t.Fatal(err)
	}
	changes <- data.Change{} // the watch may have missed changes: everything reads again
	e.q.WaitFor(t, "the list read again after missed changes", func() bool { return uitest.Shows(m.clients.Content, "Cat Lund") })
}
