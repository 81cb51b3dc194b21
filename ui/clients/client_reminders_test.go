package clients

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// TestReceptionistSetsEmailReminders: a receptionist opens a client's
// record, which says no reminders go, ticks the consent on the client
// form, and cannot save it while the client has no e-mail address (the
// message is under the tick); with an address it saves, is recorded in the
// audit trail under the receptionist, and the record says reminders go.
func TestReceptionistSetsEmailReminders(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ines", "Duarte", func(c *data.Client) { c.Email = "" })
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, stack := openClientRecord(t, e, c.ID)
	if !uitest.Shows(r.page.Content, "None: no e-mail address, and the client has not agreed to e-mail reminders") {
		t.Fatalf("the record does not say why no reminders go: %q", uitest.ShownTexts(r.page.Content))
	}

	f, saved := openClientForm(e, c)
	if f.reminders.Checked || f.page.Dirty() {
		t.Fatal("the form shows consent the client never gave")
	}
	shown := false
	uitest.WalkShown(f.page.Content, func(o fyne.CanvasObject) { shown = shown || o == f.reminders })
	if !shown || f.reminders.Text != "Send booking confirmations and reminders by e-mail" || !uitest.Shows(f.page.Content, "E-mail reminders") {
		t.Fatal("the form shows no consent to e-mail reminders")
	}
	test.Tap(f.reminders)
	if !f.page.Dirty() {
		t.Fatal("ticking the consent does not count as a change")
	}
	test.Tap(f.saveBtn)
	if got := f.fieldMessage("email_reminders"); got != data.NoReminderAddress {
		t.Fatalf("message under the consent = %q, want %q", got, data.NoReminderAddress)
	}
	if f.saving || len(*saved) != 0 {
		t.Fatal("consent without an e-mail address started saving")
	}

	test.Type(f.email, "ines@example.com")
	if got := f.fieldMessage("email_reminders"); got != "" {
		t.Errorf("the message stays after an address was typed: %q", got)
	}
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the consent to be saved", func() bool { return len(*saved) == 1 })
	got, err := e.st.Client(e.Ctx, data.SystemActor, c.ID)
	if err != nil || !got.EmailReminders || got.Email != "ines@example.com" {
		t.Fatalf("stored consent %v, e-mail %q (%v)", got.EmailReminders, got.Email, err)
	}
	clientTestUpdatedBy(t, e, c.ID, e.Actor.ID, 1)

	// The record, still open, reads the change.
	e.w.SetContent(stack.Content)
	e.q.WaitFor(t, "the record to show the consent", func() bool {
		return uitest.Shows(r.page.Content, "By e-mail: the client agreed to booking confirmations and reminders")
	})

	// Withdrawn again: saved and recorded the same way.
	f, saved = openClientForm(e, got)
	if !f.reminders.Checked {
		t.Fatal("the form does not show the consent given")
	}
	test.Tap(f.reminders)
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the withdrawal to be saved", func() bool { return len(*saved) == 1 })
	if again, _ := e.st.Client(e.Ctx, data.SystemActor, c.ID); again.EmailReminders {
		t.Fatal("the consent was withdrawn but is still stored")
	}
	clientTestUpdatedBy(t, e, c.ID, e.Actor.ID, 2)
}

// clientTestUpdatedBy checks that the client's record has n update rows
// in the audit trail, all under actor.
func clientTestUpdatedBy(t *testing.T, e *storeEnv, clientID, actor int64, n int) {
	t.Helper()
	events, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityClient, EntityID: clientID})
	if err != nil {
		t.Fatal(err)
	}
	var updates int
	for _, ev := range events {
		if ev.Action == data.ActionUpdate {
			updates++
			if ev.ActorID != actor {
				t.Errorf("a change recorded under actor %d, want %d", ev.ActorID, actor)
			}
		}
	}
	if updates != n {
		t.Errorf("%d updates in the audit trail, want %d", updates, n)
	}
}

// TestRecordSaysWhyNoRemindersGo: the record's Reminders line for a client
// who agreed but whose address is gone (kept from before the rule) warns.
func TestRecordSaysWhyNoRemindersGo(t *testing.T) {
	for _, tc := range []struct {
		consent bool
		email   string
		want    string
	}{
		{true, "", "None can be sent: the client agreed to e-mail reminders, but no e-mail address is recorded"},
		{false, "ana@example.com", "None: the client has not agreed to e-mail reminders (Edit to change)"},
	} {
		text, _ := recordReminders(data.Client{EmailReminders: tc.consent, Email: tc.email})
		if text != tc.want {
			t.Errorf("consent %v, e-mail %q: %q, want %q", tc.consent, tc.email, text, tc.want)
		}
	}
}
