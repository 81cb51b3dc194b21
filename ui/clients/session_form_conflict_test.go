package clients

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/screen"
)

// Another workstation corrects a past session while this one has it open:
// Save says who changed it and when, keeps what was typed and offers
// Reload; Reload shows the session as saved and names the fields whose
// typing it replaced; saved again over what was read, the change goes
// through as an amendment.
func TestSessionEditConflictSaysWhoAndReloads(t *testing.T) {
	e := newStoreEnv(t)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	ses := e.c.AddSession(t, zoe, e.Today().AddDays(-2), func(s *data.Session) { s.Device = "Dermapen 4" })
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	f := openSessionEditForm(e.areaEnv, stack, zoe, ses)
	stack.Push(f.page)
	e.show(f.page)
	e.q.WaitFor(t, "the form filled", func() bool { return f.technician.Selected != "" })
	if f.reloadBtn.Visible() {
		t.Fatal("Reload is on show before any conflict")
	}

	other, err := sqlite.Open(e.Ctx, e.st.Path(), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close() }()
	priya := e.c.StaffByRole(t, data.RoleTechnician)
	theirs, err := other.Session(e.Ctx, priya.ID, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs.NeedleLot, theirs.Notes = "LOT-77", "Client asked for less depth next time."
	if err := other.UpdateSession(e.Ctx, priya.ID, &theirs); err != nil {
		t.Fatal(err)
	}

	f.needleLot.SetText("")
	test.Type(f.needleLot, "LOT-99")
	test.Type(f.reaction, "Even redness")
	f.save()
	e.q.WaitFor(t, "the save to be answered", func() bool { return !f.saving })
	msg := f.summary.Text
	clock := testClock().Local().Format("15:04")
	for _, want := range []string{"Priya Raman changed Zoë Adams's session of", "at " + clock, "since you opened it",
		"not saved", "What you typed is still in the form", "Reload"} {
		if !strings.Contains(msg, want) {
			t.Errorf("conflict message %q does not say %q", msg, want)
		}
	}
	if !f.summary.Visible() || !f.reloadBtn.Visible() {
		t.Fatal("the conflict message or Reload is not on show")
	}
	if f.needleLot.Text != "LOT-99" || f.reaction.Text != "Even redness" {
		t.Errorf("what was typed is gone: lot %q, reaction %q", f.needleLot.Text, f.reaction.Text)
	}
	stored, err := e.st.Session(e.Ctx, priya.ID, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.NeedleLot != "LOT-77" || stored.Reaction == "Even redness" || stored.Amendments != 1 {
		t.Fatalf("the other workstation's change was overwritten: %+v", stored)
	}

	f.reloadBtn.OnTapped()
	e.q.WaitFor(t, "the session read again", func() bool {
		return !f.saving && !f.reloadBtn.Visible() && f.recsFilled && f.technician.Selected != ""
	})
	if f.needleLot.Text != "LOT-77" || f.notes.Text != theirs.Notes || f.reaction.Text != "" {
		t.Errorf("after Reload: lot %q, notes %q, reaction %q", f.needleLot.Text, f.notes.Text, f.reaction.Text)
	}
	if got := f.summary.Text; !strings.Contains(got, "as it is saved now") ||
		!strings.Contains(got, "What you typed in Needle or cartridge lot and Skin reaction and end point was replaced") {
		t.Errorf("after Reload the form says %q", got)
	}
	if f.dirty() {
		t.Error("the reloaded form counts as changed")
	}

	test.Type(f.reaction, "Even redness")
	f.save()
	e.q.WaitFor(t, "the change to be saved", func() bool { return f.saved })
	stored, err = e.st.Session(e.Ctx, priya.ID, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Reaction != "Even redness" || stored.NeedleLot != "LOT-77" || stored.Amendments != 2 {
		t.Errorf("after saving again: %+v", stored)
	}
}
