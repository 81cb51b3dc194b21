package sqlite_test

import (
	"errors"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// Two workstations share one clinic: each has its own store handle on the
// same file. Both open Maria's record; the first saves; the second's save,
// made over the version it read, is refused with who changed it and when,
// and the first save stands.
func TestUpdateClientFromTwoHandlesSecondGetsConflict(t *testing.T) {
	e := newEnv(t)
	anna := e.staff("Anna Lee", data.RoleReceptionist)
	priya := e.technician()
	c := e.client(named("Maria", "Lopez"))
	other, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()

	first, err := e.st.Client(e.ctx, anna.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.Client(e.ctx, priya.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || second.Version != 1 {
		t.Fatalf("versions read: %d and %d, want 1", first.Version, second.Version)
	}
	first.Phone = "+44 20 7946 0001"
	if err := e.st.UpdateClient(e.ctx, anna.ID, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 || first.UpdatedBy != anna.ID {
		t.Errorf("after the first save: version %d by %d, want 2 by %d", first.Version, first.UpdatedBy, anna.ID)
	}
	before := e.counts("client", "audit_event")
	second.Notes = "Prefers afternoons."
	err = other.UpdateClient(e.ctx, priya.ID, &second)
	if !errors.Is(err, data.ErrConflict) {
		t.Fatalf("second save over a changed record: %v, want ErrConflict", err)
	}
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Anna Lee" || !ce.At.Equal(testNow) || ce.What != "Maria Lopez's record" {
		t.Fatalf("conflict %+v, want Anna Lee at %v on Maria Lopez's record", ce, testNow)
	}
	msg := data.UserMessage(err)
	clock := testNow.Local().Format("15:04")
	if !strings.Contains(msg, "Anna Lee changed Maria Lopez's record at "+clock) || !strings.Contains(msg, "since you opened it") {
		t.Errorf("message %q does not say who changed the record and when", msg)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
		}
	}
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phone != first.Phone || got.Notes == second.Notes || got.Version != 2 {
		t.Errorf("stored after the refused save: phone %q, notes %q, version %d", got.Phone, got.Notes, got.Version)
	}

	// Read again, the second workstation may save.
	again, err := other.Client(e.ctx, priya.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	again.Notes = second.Notes
	if err := other.UpdateClient(e.ctx, priya.ID, &again); err != nil {
		t.Fatalf("save after reading again: %v", err)
	}
	if again.Version != 3 || again.Phone != first.Phone {
		t.Errorf("after reading again: version %d, phone %q", again.Version, again.Phone)
	}
}
