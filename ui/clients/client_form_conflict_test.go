package clients

import (
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// Another workstation saves a client while this one has the form open:
// Save says who changed the record and when, keeps what was typed, and
// offers Reload; Reload shows the record as saved and names the fields
// whose typing it replaced.
func TestClientFormConflictSaysWhoAndReloads(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Maria", "Lopez")
	f, saved := openClientForm(e, c)
	if f.reloadBtn.Visible() {
		t.Fatal("Reload is on show before any conflict")
	}

	// The other workstation: its own handle on the same file.
	other, err := sqlite.Open(e.Ctx, e.st.Path(), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	sam := e.c.StaffByRole(t, data.RoleReceptionist)
	theirs, err := other.Client(e.Ctx, sam.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs.Phone, theirs.Notes = "+44 20 7946 0001", "Moved to Hove."
	if err := other.UpdateClient(e.Ctx, sam.ID, &theirs); err != nil {
		t.Fatal(err)
	}

	clientTestRetype(f.phone, "+44 20 7946 0999")
	clientTestRetype(f.address, "3 Marine Parade")
	f.save()
	e.q.WaitFor(t, "the save to be answered", func() bool { return !f.saving })
	if len(*saved) != 0 {
		t.Fatalf("a save over someone else's change went through: %+v", *saved)
	}
	msg := f.summary.Text
	clock := testClock().Format("15:04")
	for _, want := range []string{"Sam O'Neill changed Maria Lopez's record at " + clock, "since you opened it",
		"not saved", "What you typed is still in the form", "Reload"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q does not say %q", msg, want)
		}
	}
	if f.phone.Text != "+44 20 7946 0999" || f.address.Text != "3 Marine Parade" {
		t.Errorf("what was typed is gone: phone %q, address %q", f.phone.Text, f.address.Text)
	}
	if !f.reloadBtn.Visible() || uitest.ShownButton(t, e.w.Content(), "Reload") != f.reloadBtn {
		t.Fatal("no Reload button after the conflict")
	}
	stored, err := e.st.Client(e.Ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Phone != theirs.Phone || stored.Address == "3 Marine Parade" {
		t.Fatalf("the other workstation's change was overwritten: %+v", stored)
	}

	f.reloadBtn.OnTapped()
	e.q.WaitFor(t, "the record to be read again", func() bool { return !f.saving && !f.reloadBtn.Visible() })
	if f.phone.Text != theirs.Phone || f.notes.Text != theirs.Notes || f.address.Text != stored.Address {
		t.Errorf("after Reload: phone %q, notes %q, address %q", f.phone.Text, f.notes.Text, f.address.Text)
	}
	if got := f.summary.Text; !strings.Contains(got, "as it is saved now") ||
		!strings.Contains(got, "What you typed in Phone and Postal address was replaced") {
		t.Errorf("after Reload the form says %q", got)
	}
	if f.dirty() {
		t.Error("the reloaded form counts as changed")
	}

	// Saved over the version read again, a change goes through.
	clientTestRetype(f.address, "3 Marine Parade")
	f.save()
	e.q.WaitFor(t, "the change to be saved", func() bool { return len(*saved) == 1 })
	stored, err = e.st.Client(e.Ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Address != "3 Marine Parade" || stored.Phone != theirs.Phone {
		t.Errorf("after saving again: %+v", stored)
	}
}

// TestClientFormWarnsWhenSomeoneElseSaves: while the form is open, a
// save of the same client elsewhere (heard from another workstation)
// is told at once, with Reload; the form's own save is not.
func TestClientFormWarnsWhenSomeoneElseSaves(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Maria", "Lopez")
	other := e.c.AddClient(t, "Ana", "Silva")
	f, saved := openClientForm(e, c)
	e.Events.Publish(screen.ClientChanged{Client: data.ClientID(other.ID)})
	if f.reloadBtn.Visible() || f.summary.Text != "" {
		t.Fatalf("another client's change warned: %q", f.summary.Text)
	}
	e.Events.Publish(screen.ClientChanged{Client: data.ClientID(c.ID)})
	if !f.reloadBtn.Visible() || !strings.Contains(f.summary.Text, "Someone else has just changed this client's record") {
		t.Fatalf("no warning after someone else saved: %q", f.summary.Text)
	}
	f.reload()
	e.q.WaitFor(t, "the reload", func() bool { return !f.reloadBtn.Visible() })
	clientTestRetype(f.phone, "+44 20 7946 0999")
	f.save()
	e.q.WaitFor(t, "the save", func() bool { return len(*saved) == 1 })
	if f.reloadBtn.Visible() || strings.Contains(f.summary.Text, "Someone else") {
		t.Fatalf("the form's own save warned: %q", f.summary.Text)
	}
}
