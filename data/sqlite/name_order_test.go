package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// listVersion is the client list's version (client_order), which the copy
// of the name order a search uses must match.
func (e *env) listVersion() int64 {
	e.t.Helper()
	_, now, err := e.st.NameOrderForTest(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return now
}

// TestClientListVersionFollowsEveryChangeOfOrder: whatever can move a
// client in the list, or on or off it, moves the version on, through the
// store or by hand; what cannot leaves it, so the copy a search uses is
// not read again for nothing.
func TestClientListVersionFollowsEveryChangeOfOrder(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	var c data.Client
	steps := []struct {
		what   string
		moves  bool
		change func() error
	}{
		{"adding a client", true, func() error {
			c = e.client(named("Ada", "Lovelace"))
			return nil
		}},
		{"importing clients", true, func() error {
			return e.st.ImportClients(e.ctx, data.SystemActor, []data.Client{validClient(named("Ida", "Imported"))})
		}},
		{"a new family name", true, func() error {
			c.FamilyName = "Byron"
			return e.st.UpdateClient(e.ctx, data.SystemActor, &c)
		}},
		{"a new given name", true, func() error {
			c.GivenName = "Augusta"
			return e.st.UpdateClient(e.ctx, data.SystemActor, &c)
		}},
		{"the same names in capitals", false, func() error {
			c.GivenName, c.FamilyName = "AUGUSTA", "BYRON"
			return e.st.UpdateClient(e.ctx, data.SystemActor, &c)
		}},
		{"a new phone number and notes", false, func() error {
			c.Phone, c.Notes = "+44 7700 900999", "Prefers mornings"
			return e.st.UpdateClient(e.ctx, data.SystemActor, &c)
		}},
		{"a session (a new due date)", false, func() error {
			e.session(validSession(c.ID, tech.ID, today))
			return nil
		}},
		{"archiving", true, func() error { return e.st.ArchiveClient(e.ctx, data.SystemActor, c.ID) }},
		{"archiving again", false, func() error { return e.st.ArchiveClient(e.ctx, data.SystemActor, c.ID) }},
		{"a cancelled import", false, func() error {
			cancelled, cancel := context.WithCancel(e.ctx)
			cancel()
			if err := e.st.ImportClients(cancelled, data.SystemActor, []data.Client{validClient()}); err == nil {
				t.Error("a cancelled import succeeded")
			}
			return nil
		}},
		{"bringing a client back by hand", true, func() error {
			_, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE client SET archived_at = NULL WHERE id = ?`, c.ID)
			return err
		}},
		{"a sort key changed by hand", true, func() error {
			_, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE client SET given_sort = 'zz' WHERE id = ?`, c.ID)
			return err
		}},
		{"a client deleted by hand", true, func() error {
			_, err := e.st.WriterForTest().ExecContext(e.ctx, `DELETE FROM client WHERE family_name = 'Imported'`)
			return err
		}},
	}
	for _, s := range steps {
		before := e.listVersion()
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		after := e.listVersion()
		switch {
		case s.moves && after <= before:
			t.Errorf("%s left the list's version at %d", s.what, after)
		case !s.moves && after != before:
			t.Errorf("%s moved the list's version from %d to %d", s.what, before, after)
		}
	}
}

// TestSearchNeverUsesAStaleNameOrder: once the client list changes, by
// this store or another program on the same file, no search puts its
// matches in order from the copy read before; the next copy is read
// without anyone waiting for it.
func TestSearchNeverUsesAStaleNameOrder(t *testing.T) {
	e := newEnv(t)
	cs := make([]data.Client, 60)
	for i := range cs {
		cs[i] = validClient(named("Anna", "Family "+letters(i)))
	}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	e.nameOrderUpToDate()
	annas := data.ClientFilter{Text: "anna", Limit: 5}
	before := e.find(annas)

	other, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	last, err := other.FindClients(e.ctx, data.SystemActor, data.ClientFilter{Text: "anna", Offset: 59})
	if err != nil || len(last) != 1 {
		t.Fatalf("the last Anna: %v, %v", last, err)
	}
	moved, err := other.Client(e.ctx, data.SystemActor, last[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	moved.FamilyName = "Aardvark" // from last to first
	if err := other.UpdateClient(e.ctx, data.SystemActor, &moved); err != nil {
		t.Fatal(err)
	}
	if err := other.ArchiveClient(e.ctx, data.SystemActor, before[0].ID); err != nil {
		t.Fatal(err)
	}
	// Every client is in the old copy still, only in other places.
	e.wantInOrder(annas, moved.ID, before[1].ID, before[2].ID, before[3].ID, before[4].ID)

	added := validClient(named("Anna", "Aalto"))
	if err := other.CreateClient(e.ctx, data.SystemActor, &added); err != nil {
		t.Fatal(err)
	}
	want := []int64{added.ID, moved.ID, before[1].ID, before[2].ID, before[3].ID}
	e.wantInOrder(annas, want...)

	e.nameOrderUpToDate() // a search started reading the list anew
	if got := e.find(annas); !slices.Equal(ids(got), want) {
		t.Errorf("from the new copy: %v; want %v", names(got), want)
	}
}

// wantInOrder checks FindClients, then every way of reading a list, finds
// the clients want for f, in that order.
func (e *env) wantInOrder(f data.ClientFilter, want ...int64) {
	e.t.Helper()
	for _, way := range []string{"", sqlite.WalkForTest, sqlite.HitsForTest, sqlite.SearchForTest, sqlite.MemoryForTest} {
		var got []data.ClientSummary
		if way == "" {
			got = e.find(f) // first: the copy kept is the old list's
		} else {
			got = e.findBy(f, way)
		}
		if !slices.Equal(ids(got), want) {
			e.t.Errorf("after another program's changes, by %q: %v %q; want %v", way, ids(got), names(got), want)
		}
	}
}
